package dev.hostplane.iopipe.server;

import java.util.ArrayDeque;

import com.sun.jna.Memory;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;

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
    static final int HEAD_CAPACITY = 256;
    /** Heads kept per thread: about the responses one loop has in flight at once under load. */
    private static final int MAX_SPARE_HEADS = 64;
    /**
     * Unpooled, because the spare heads are this class's pool; with a cleaner, so the spares of a thread
     * that ends (a closed server's event loop) are freed when collected.
     */
    private static final UnpooledByteBufAllocator HEADS = new UnpooledByteBufAllocator(true, true, false);

    private static final ThreadLocal<NativeScratch> PER_THREAD = ThreadLocal.withInitial(NativeScratch::new);

    final Memory memory = new Memory(COPY_OFFSET + COPY_CAPACITY);
    final long address = com.sun.jna.Pointer.nativeValue(memory);
    /** The sendfile/splice offset argument, made once: a Pointer per call would be garbage per response. */
    final com.sun.jna.Pointer fileOffset = memory.share(FILE_OFFSET_SLOT);
    /** The copy buffer as a ByteBuffer, for the channel fallback. */
    final java.nio.ByteBuffer copyView = memory.getByteBuffer(COPY_OFFSET, COPY_CAPACITY);
    /** Response head buffers given back by finished responses: taking one costs less than the allocator. */
    private final ArrayDeque<ByteBuf> heads = new ArrayDeque<>(MAX_SPARE_HEADS);

    private NativeScratch()
    {
    }

    static NativeScratch get()
    {
        return PER_THREAD.get();
    }

    /**
     * An empty direct buffer for a response head; give it back with {@link #recycleHead}.
     *
     * @return the buffer.
     */
    ByteBuf head()
    {
        final ByteBuf b = heads.pollLast();
        return null == b ? HEADS.directBuffer(HEAD_CAPACITY) : b.clear();
    }

    /**
     * Keeps a head buffer from {@link #head} (taken on any thread) for the next response on this thread, or
     * frees it when enough are kept.
     *
     * @param head the buffer; the caller no longer uses it.
     */
    static void recycleHead(final ByteBuf head)
    {
        final ArrayDeque<ByteBuf> spare = get().heads;
        if (spare.size() < MAX_SPARE_HEADS && 1 == head.refCnt() && head.capacity() <= HEAD_CAPACITY * 4)
        {
            spare.addLast(head);
        }
        else
        {
            head.release();
        }
    }
}
