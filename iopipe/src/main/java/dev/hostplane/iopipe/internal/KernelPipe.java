package dev.hostplane.iopipe.internal;

import java.io.IOException;

/**
 * A non-blocking kernel pipe used as splice(2)'s staging area. Created once and reused by chunk after
 * chunk; a pipe that may still hold bytes of a failed transfer is closed, never reused, so no byte can
 * leak into another transfer.
 */
final class KernelPipe
{
    final int readFd;
    final int writeFd;
    final int capacity;

    private KernelPipe(final int readFd, final int writeFd, final int capacity)
    {
        this.readFd = readFd;
        this.writeFd = writeFd;
        this.capacity = capacity;
    }

    static KernelPipe open(final int wantedSize) throws IOException
    {
        final int[] fds = new int[2];
        if (0 != LibC.pipe2(fds, LibC.O_NONBLOCK | LibC.O_CLOEXEC))
        {
            final int errno = LibC.errno();
            throw new IOException("op=pipe2 errno=" + errno + " (" + LibC.strerror(errno) + ")");
        }
        // A larger pipe means fewer splice round trips per chunk; the kernel may refuse (pipe-max-size),
        // then we keep its default and ask what we got.
        LibC.fcntl(fds[1], LibC.F_SETPIPE_SZ, wantedSize);
        final int size = LibC.fcntl(fds[1], LibC.F_GETPIPE_SZ, 0);
        return new KernelPipe(fds[0], fds[1], size > 0 ? size : 65536);
    }

    void close()
    {
        LibC.close(readFd);
        LibC.close(writeFd);
    }
}
