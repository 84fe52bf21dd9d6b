package dev.hostplane.iopipe.server;

import com.sun.jna.Memory;

/**
 * Per-thread native memory for the system calls of one request: the path handed to openat2, its
 * {@code struct open_how}, the {@code struct statx} result, and a copy buffer. Allocated once per event
 * loop thread, so resolving and sending a file allocates nothing.
 */
final class NativeScratch
{
    /** PATH_MAX, including the terminating NUL. */
    static final int PATH_CAPACITY = 4096;
    static final int HOW_OFFSET = PATH_CAPACITY;
    static final int FILE_OFFSET_SLOT = HOW_OFFSET + 32;
    static final int STATX_OFFSET = HOW_OFFSET + 64;
    static final int COPY_OFFSET = STATX_OFFSET + 256;
    static final int COPY_CAPACITY = 64 * 1024;

    private static final ThreadLocal<NativeScratch> PER_THREAD = ThreadLocal.withInitial(NativeScratch::new);

    final Memory memory = new Memory(COPY_OFFSET + COPY_CAPACITY);
    final long address = com.sun.jna.Pointer.nativeValue(memory);
    /** The sendfile/splice offset argument, made once: a Pointer per call would be garbage per response. */
    final com.sun.jna.Pointer fileOffset = memory.share(FILE_OFFSET_SLOT);
    /** The copy buffer as a ByteBuffer, for the channel fallback. */
    final java.nio.ByteBuffer copyView = memory.getByteBuffer(COPY_OFFSET, COPY_CAPACITY);

    private NativeScratch()
    {
    }

    static NativeScratch get()
    {
        return PER_THREAD.get();
    }
}
