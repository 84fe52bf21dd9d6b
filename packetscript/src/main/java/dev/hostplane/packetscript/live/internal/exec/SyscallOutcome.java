package dev.hostplane.packetscript.live.internal.exec;

/**
 * What a live syscall returned: its result, errno, when it finished, and any mismatch of an
 * output argument (getsockopt value, poll revents, cmsg...) against the script.
 */
final class SyscallOutcome
{
    final long result;
    final int errno;
    final String outputMismatch;
    long endNanos;

    SyscallOutcome(final long result, final int errno, final String outputMismatch)
    {
        this.result = result;
        this.errno = errno;
        this.outputMismatch = outputMismatch;
    }
}
