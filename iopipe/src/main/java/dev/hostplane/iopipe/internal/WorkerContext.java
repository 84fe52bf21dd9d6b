package dev.hostplane.iopipe.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * What one worker thread owns and reuses chunk after chunk: native memory for the offsets the kernel
 * advances, a pollfd, and a cached kernel pipe and direct buffer. A transfer that stops with bytes still
 * staged (sink busy) keeps that pipe or buffer until it resumes; the worker takes a fresh one from the
 * shared pools, so staging never mixes transfers.
 */
final class WorkerContext
{
    final Pointer inOffset;
    final Pointer outOffset;
    final Pointer pollFd;
    /** One struct epoll_event (12 or 16 bytes) for arming a parked transfer's descriptor. */
    final Pointer epollEvent;
    private final int pipeSize;
    private final int bufferSize;
    private final ArrayBlockingQueue<KernelPipe> pipePool;
    private final ArrayBlockingQueue<StagingBuffer> bufferPool;
    private KernelPipe pipe;
    private StagingBuffer buffer;

    WorkerContext(
        final int pipeSize,
        final int bufferSize,
        final ArrayBlockingQueue<KernelPipe> pipePool,
        final ArrayBlockingQueue<StagingBuffer> bufferPool)
    {
        final Memory memory = LibC.AVAILABLE ? new Memory(40) : null;
        this.inOffset = memory;
        this.outOffset = null != memory ? memory.share(8) : null;
        this.pollFd = null != memory ? memory.share(16) : null;
        this.epollEvent = null != memory ? memory.share(24) : null;
        this.pipeSize = pipeSize;
        this.bufferSize = bufferSize;
        this.pipePool = pipePool;
        this.bufferPool = bufferPool;
    }

    KernelPipe takePipe() throws IOException
    {
        KernelPipe p = pipe;
        if (null != p)
        {
            pipe = null;
            return p;
        }
        p = pipePool.poll();
        return null != p ? p : KernelPipe.open(pipeSize);
    }

    void givePipe(final KernelPipe p)
    {
        if (null == pipe)
        {
            pipe = p;
        }
        else if (!pipePool.offer(p))
        {
            p.close();
        }
    }

    StagingBuffer takeBuffer()
    {
        StagingBuffer b = buffer;
        if (null != b)
        {
            buffer = null;
            return b;
        }
        b = bufferPool.poll();
        return null != b ? b : new StagingBuffer(bufferSize);
    }

    void giveBuffer(final StagingBuffer b)
    {
        if (null == buffer)
        {
            buffer = b;
        }
        else
        {
            bufferPool.offer(b);
        }
    }

    void close()
    {
        if (null != pipe)
        {
            pipe.close();
            pipe = null;
        }
    }

    /** A direct buffer plus its address and the staged byte range [start, start + pending). */
    static final class StagingBuffer
    {
        final ByteBuffer buffer;
        final long address;
        int start;
        int pending;

        StagingBuffer(final int size)
        {
            buffer = ByteBuffer.allocateDirect(size);
            address = LibC.AVAILABLE ? Pointer.nativeValue(Native.getDirectBufferPointer(buffer)) : 0;
        }
    }
}
