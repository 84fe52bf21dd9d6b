package dev.hostplane.iopipe.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

import dev.hostplane.iopipe.EndpointKind;
import dev.hostplane.iopipe.PipeException;
import dev.hostplane.iopipe.Strategy;

/**
 * The byte movers, one per strategy. Each moves up to {@code max} bytes to the sink and returns how
 * many it delivered. It stops early when a descriptor is not ready (sets {@code task.waitFd} and the
 * poll events; the scheduler parks the task instead of spinning on EAGAIN) or at end of input (sets
 * {@code task.sourceEof}). A system call never moves more than the chunk, so the ~2 GiB per-call
 * limit of sendfile/splice never applies, and offsets are 64-bit throughout.
 */
final class Movers
{
    private Movers()
    {
    }

    static long move(final TransferTask task, final WorkerContext ctx, final long max) throws IOException
    {
        switch (task.strategy)
        {
            case SENDFILE:
                return sendfile(task, ctx, max);
            case SPLICE:
                return splice(task, ctx, max);
            case COPY_FILE_RANGE:
                return copyFileRange(task, ctx, max);
            default:
                return LibC.AVAILABLE && task.inFd >= 0 && task.outFd >= 0 ? copyFds(task, ctx, max)
                    : copyChannels(task, ctx, max);
        }
    }

    private static long sendfile(final TransferTask task, final WorkerContext ctx, final long max) throws IOException
    {
        long moved = 0;
        while (moved < max)
        {
            ctx.inOffset.setLong(0, task.inPos);
            final long n = LibC.sendfile(task.outFd, task.inFd, ctx.inOffset, max - moved);
            if (n > 0)
            {
                task.inPos += n;
                moved += n;
                task.transferred += n;
            }
            else if (0 == n)
            {
                task.sourceEof = true;
                break;
            }
            else if (sinkStalled(task, LibC.errno(), "sendfile"))
            {
                break;
            }
        }
        return moved;
    }

    private static long copyFileRange(final TransferTask task, final WorkerContext ctx, final long max)
        throws IOException
    {
        long moved = 0;
        while (moved < max)
        {
            ctx.inOffset.setLong(0, task.inPos);
            ctx.outOffset.setLong(0, task.outPos);
            final long n = LibC.copy_file_range(task.inFd, ctx.inOffset, task.outFd, ctx.outOffset, max - moved, 0);
            if (n > 0)
            {
                task.inPos += n;
                task.outPos += n;
                moved += n;
                task.transferred += n;
            }
            else if (0 == n)
            {
                task.sourceEof = true;
                break;
            }
            else
            {
                final int errno = LibC.errno();
                if (LibC.EINTR == errno)
                {
                    continue;
                }
                // Different file systems (old kernels), special files, or no support at all: nothing has
                // moved through this call, so switching to COPY cannot write anything twice.
                final boolean unsupported = LibC.EXDEV == errno || LibC.EINVAL == errno || LibC.ENOSYS == errno
                    || LibC.EOPNOTSUPP == errno;
                if (unsupported && dev.hostplane.iopipe.Strategy.AUTO == task.requested)
                {
                    FallbackLog.once("copy_file_range errno=" + errno + " (" + LibC.strerror(errno) + ")",
                        "copy between files on one file system, or a kernel with cross-file-system copy_file_range");
                    task.strategy = Strategy.COPY;
                    return moved + copyFds(task, ctx, max - moved);
                }
                throw error(task, "copy_file_range", errno, true);
            }
        }
        return moved;
    }

    private static long splice(final TransferTask task, final WorkerContext ctx, final long max) throws IOException
    {
        if (null == task.pipe)
        {
            task.pipe = ctx.takePipe();
        }
        final KernelPipe pipe = task.pipe;
        final boolean fileIn = EndpointKind.FILE == task.source.kind();
        final boolean fileOut = EndpointKind.FILE == task.sink.kind();
        final int flags = LibC.SPLICE_F_MOVE | LibC.SPLICE_F_NONBLOCK;
        long moved = 0;
        boolean sourceDrained = false;
        while (true)
        {
            if (task.pipePending > 0)
            {
                if (fileOut)
                {
                    ctx.outOffset.setLong(0, task.outPos);
                }
                final long n = LibC.splice(
                    pipe.readFd, null, task.outFd, fileOut ? ctx.outOffset : null, task.pipePending, flags);
                if (n > 0)
                {
                    task.pipePending -= (int)n;
                    task.outPos += n;
                    moved += n;
                    task.transferred += n;
                    continue;
                }
                if (sinkStalled(task, 0 == n ? LibC.EPIPE : LibC.errno(), "splice(pipe->sink)"))
                {
                    return moved;
                }
                continue;
            }
            if (moved >= max || task.sourceEof)
            {
                return moved;
            }
            if (sourceDrained)
            {
                // The socket gave less than asked into an empty pipe: its receive queue was empty. Asking
                // again would only return EAGAIN (measured: 2 of ~16 system calls per proxied request);
                // waiting for POLLIN is the same outcome, and fires at once if more arrived meanwhile.
                waitFor(task, task.inFd, LibC.POLLIN);
                return moved;
            }
            final long want = Math.min(max - moved, pipe.capacity);
            if (fileIn)
            {
                ctx.inOffset.setLong(0, task.inPos);
            }
            final long n = LibC.splice(task.inFd, fileIn ? ctx.inOffset : null, pipe.writeFd, null, want, flags);
            if (n > 0)
            {
                task.pipePending += (int)n;
                task.inPos += n;
                sourceDrained = !fileIn && n < want;
            }
            else if (sourceStalled(task, n, "splice(source->pipe)"))
            {
                return moved;
            }
        }
    }

    private static long copyFds(final TransferTask task, final WorkerContext ctx, final long max) throws IOException
    {
        if (null == task.staging)
        {
            task.staging = ctx.takeBuffer();
        }
        final WorkerContext.StagingBuffer buf = task.staging;
        final boolean fileIn = EndpointKind.FILE == task.source.kind();
        final boolean fileOut = EndpointKind.FILE == task.sink.kind();
        long moved = 0;
        while (true)
        {
            if (buf.pending > 0)
            {
                final long address = buf.address + buf.start;
                final long n = fileOut ? LibC.pwrite(task.outFd, address, buf.pending, task.outPos)
                    : LibC.write(task.outFd, address, buf.pending);
                if (n > 0)
                {
                    buf.pending -= (int)n;
                    buf.start += (int)n;
                    task.outPos += n;
                    moved += n;
                    task.transferred += n;
                    continue;
                }
                if (sinkStalled(task, 0 == n ? LibC.ENOSPC : LibC.errno(), fileOut ? "pwrite" : "write"))
                {
                    return moved;
                }
                continue;
            }
            if (moved >= max || task.sourceEof)
            {
                return moved;
            }
            final long want = Math.min(max - moved, buf.buffer.capacity());
            final long n = fileIn ? LibC.pread(task.inFd, buf.address, want, task.inPos)
                : LibC.read(task.inFd, buf.address, want);
            if (n > 0)
            {
                buf.start = 0;
                buf.pending = (int)n;
                task.inPos += n;
            }
            else if (sourceStalled(task, n, fileIn ? "pread" : "read"))
            {
                return moved;
            }
        }
    }

    /** The fallback without native access: the JDK channel API through a direct buffer. */
    private static long copyChannels(final TransferTask task, final WorkerContext ctx, final long max)
        throws IOException
    {
        if (null == task.staging)
        {
            task.staging = ctx.takeBuffer();
        }
        final WorkerContext.StagingBuffer staging = task.staging;
        final ByteBuffer buf = staging.buffer;
        long moved = 0;
        try
        {
            while (true)
            {
                if (staging.pending > 0)
                {
                    buf.limit(staging.start + staging.pending).position(staging.start);
                    final int n = null != task.outFile ? task.outFile.write(buf, task.outPos) : task.outSocket.write(buf);
                    if (0 == n)
                    {
                        task.retryLater = true;
                        return moved;
                    }
                    staging.pending -= n;
                    staging.start += n;
                    task.outPos += n;
                    moved += n;
                    task.transferred += n;
                    continue;
                }
                if (moved >= max || task.sourceEof)
                {
                    return moved;
                }
                buf.clear();
                buf.limit((int)Math.min(max - moved, buf.capacity()));
                final int n = null != task.inFile ? task.inFile.read(buf, task.inPos) : task.inSocket.read(buf);
                if (n < 0)
                {
                    task.sourceEof = true;
                }
                else if (0 == n)
                {
                    task.retryLater = true;
                    return moved;
                }
                else
                {
                    staging.start = 0;
                    staging.pending = n;
                    task.inPos += n;
                }
            }
        }
        catch (final IOException ex)
        {
            final String text = String.valueOf(ex.getMessage());
            final PipeException.Reason reason = text.contains("reset") || text.contains("Broken pipe")
                ? PipeException.Reason.PEER_RESET : text.contains("No space") ? PipeException.Reason.DISK_FULL
                : PipeException.Reason.IO_ERROR;
            throw new PipeException(reason, task.transferred, task + " op=channelCopy error=" + ex, ex);
        }
    }

    /**
     * Handles a sink-side call that moved nothing: EAGAIN parks the task on the sink, EINTR asks for
     * a retry, anything else fails the transfer.
     *
     * @param errno the call's errno (or the one a 0 return stands for).
     * @param op the call, for the error.
     * @return true when the mover should return now (the task waits), false to retry the call.
     */
    private static boolean sinkStalled(final TransferTask task, final int errno, final String op)
        throws PipeException
    {
        if (LibC.EAGAIN == errno)
        {
            waitFor(task, task.outFd, LibC.POLLOUT);
            return true;
        }
        if (LibC.EINTR == errno)
        {
            return false;
        }
        throw error(task, op, errno, true);
    }

    /**
     * Handles a source-side call that returned {@code n <= 0}: 0 is end of input (the mover goes on
     * to drain what it holds), EAGAIN parks the task on the source, EINTR asks for a retry, anything
     * else fails the transfer.
     *
     * @param n the call's return value.
     * @param op the call, for the error.
     * @return true when the mover should return now (the task waits), false to go on.
     */
    private static boolean sourceStalled(final TransferTask task, final long n, final String op)
        throws PipeException
    {
        if (0 == n)
        {
            task.sourceEof = true;
            return false;
        }
        final int errno = LibC.errno();
        if (LibC.EAGAIN == errno)
        {
            waitFor(task, task.inFd, LibC.POLLIN);
            return true;
        }
        if (LibC.EINTR != errno)
        {
            throw error(task, op, errno, false);
        }
        return false;
    }

    private static void waitFor(final TransferTask task, final int fd, final short events)
    {
        task.waitFd = fd;
        task.waitEvents = events;
    }

    static PipeException error(final TransferTask task, final String op, final int errno, final boolean sinkSide)
    {
        final PipeException.Reason reason;
        if (LibC.ECONNRESET == errno || LibC.EPIPE == errno)
        {
            reason = PipeException.Reason.PEER_RESET;
        }
        else if (LibC.ENOSPC == errno || LibC.EDQUOT == errno || LibC.EFBIG == errno)
        {
            reason = PipeException.Reason.DISK_FULL;
        }
        else
        {
            reason = PipeException.Reason.IO_ERROR;
        }
        return new PipeException(reason, task.transferred, task + " op=" + op + " side="
            + (sinkSide ? "sink" : "source") + " errno=" + errno + " (" + LibC.strerror(errno) + ")");
    }
}
