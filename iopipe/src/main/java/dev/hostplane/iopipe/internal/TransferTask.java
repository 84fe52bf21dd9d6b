package dev.hostplane.iopipe.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.TimeUnit;

import dev.hostplane.iopipe.EndpointKind;
import dev.hostplane.iopipe.PipeException;
import dev.hostplane.iopipe.ProgressListener;
import dev.hostplane.iopipe.Sink;
import dev.hostplane.iopipe.Source;
import dev.hostplane.iopipe.Strategy;
import dev.hostplane.iopipe.TransferFuture;
import dev.hostplane.iopipe.TransferOptions;

/**
 * One transfer's state between chunks: resolved descriptors, positions, the strategy, staged bytes
 * (a kernel pipe or buffer that still holds bytes read but not yet written), and why it last stopped
 * (a descriptor to wait for, or end of input). Only one thread touches a task at a time: the worker
 * running its chunk, the waiter while it waits, or the scheduler while it is queued.
 */
final class TransferTask
{
    final long id;
    final TenantState tenant;
    final Source source;
    final Sink sink;
    final ProgressListener progress;
    final TransferFuture future;
    final long submitNanos;
    final long deadlineNanos;
    final Strategy requested;

    Strategy strategy;
    int inFd = -1;
    int outFd = -1;
    FileChannel inFile;
    FileChannel outFile;
    SocketChannel inSocket;
    SocketChannel outSocket;
    private RandomAccessFile ownedIn;
    private RandomAccessFile ownedOut;
    private int inFlagsSaved = -1;
    private int outFlagsSaved = -1;

    long inPos;
    long outPos;
    long total;
    long transferred;
    long chunks;
    boolean sourceEof;

    int waitFd = -1;
    short waitEvents;
    boolean retryLater;
    long plannedChunk;
    long lastChunkBytes;
    long waitSinceNanos;
    /** Set before the descriptor is armed in the epoll set; cleared (claimArmed) by the thread that requeues it. */
    volatile boolean epollArmed;
    /** The descriptor this task has registered in the epoll set {@link #epollSet}, or -1. */
    int epollFd = -1;
    int epollSet = -1;

    private static final java.lang.invoke.VarHandle ARMED;

    static
    {
        try
        {
            ARMED = java.lang.invoke.MethodHandles.lookup().findVarHandle(TransferTask.class, "epollArmed", boolean.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /**
     * Whether the JDK channels this transfer uses are still open. A parked transfer whose channel the
     * application closed never gets an epoll event (closing removes the registration), so the waiter's
     * sweep requeues it to fail with the descriptor error instead of waiting forever.
     */
    boolean channelsOpen()
    {
        return (null == inSocket || inSocket.isOpen()) && (null == outSocket || outSocket.isOpen())
            && (null == inFile || inFile.isOpen()) && (null == outFile || outFile.isOpen());
    }

    /** Claims an armed task for whoever saw its event (a polling worker or the waiter): true exactly once per arming. */
    boolean claimArmed()
    {
        return epollArmed && ARMED.compareAndSet(this, true, false);
    }

    private final java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
    KernelPipe pipe;
    int pipePending;
    WorkerContext.StagingBuffer staging;

    TransferTask(
        final long id,
        final TenantState tenant,
        final Source source,
        final Sink sink,
        final TransferOptions options,
        final TransferFuture future)
    {
        this.id = id;
        this.tenant = tenant;
        this.source = source;
        this.sink = sink;
        this.progress = options.progress();
        this.future = future;
        this.submitNanos = System.nanoTime();
        this.deadlineNanos = null == options.timeout() ? 0 : submitNanos + options.timeout().toNanos();
        this.requested = options.strategy();
    }

    /** True exactly once: the first caller finishes the task, later ones (a late Netty flush listener) do nothing. */
    boolean finishOnce()
    {
        return finished.compareAndSet(false, true);
    }

    boolean expired(final long now)
    {
        return 0 != deadlineNanos && now - deadlineNanos >= 0;
    }

    /**
     * Opens or borrows the descriptors, checks the range and picks the strategy. Runs on the submitting
     * thread, so bad input fails before anything is queued.
     */
    void open() throws IOException
    {
        final boolean natives = LibC.AVAILABLE && null == Fds.UNAVAILABLE_REASON;
        openSource(natives);
        openSink(natives);
        strategy = choose(natives);
    }

    /**
     * Whether this transfer may run on a blocking caller's thread in blocking mode: a small body, no
     * timeout, file source, and a JDK socket sink that the caller itself uses in blocking mode. Then the
     * system call may block exactly as the caller's own write of the header did, and the socket's flags
     * need not be touched (three fcntl calls saved per small response).
     */
    boolean blockingInlineAllowed()
    {
        return 0 == deadlineNanos && EndpointKind.FILE == source.kind() && null != outSocket
            && null == EndpointAccess.bridge().nettyChannel(sink) && outSocket.isBlocking() && outFd >= 0;
    }

    /**
     * Switches sockets to non-blocking for the transfer so no system call can hold a worker; the original
     * flags come back in release(), before the caller sees the result.
     */
    void makeSocketsNonBlocking()
    {
        if (!LibC.AVAILABLE)
        {
            return;
        }
        if (EndpointKind.SOCKET == source.kind() && inFd >= 0)
        {
            inFlagsSaved = setNonBlocking(inFd);
        }
        if (EndpointKind.SOCKET == sink.kind() && outFd >= 0)
        {
            outFlagsSaved = setNonBlocking(outFd);
        }
    }

    private void openSource(final boolean natives) throws IOException
    {
        if (EndpointKind.FILE == source.kind())
        {
            if (null != source.path())
            {
                try
                {
                    ownedIn = new RandomAccessFile(source.path().toFile(), "r");
                }
                catch (final java.io.FileNotFoundException ex)
                {
                    throw new NoSuchFileException(source.path().toString(), null, ex.getMessage());
                }
                inFile = ownedIn.getChannel();
                inFd = natives ? Fds.of(ownedIn.getFD()) : -1;
            }
            else
            {
                inFile = source.fileChannel();
                inFd = natives ? Fds.of(inFile) : -1;
            }
            final long size = inFile.size();
            inPos = source.offset();
            if (Source.UNTIL_EOF == source.length())
            {
                if (inPos > size)
                {
                    throw new PipeException(PipeException.Reason.BAD_RANGE, 0,
                        "source=" + source + " offset=" + inPos + " is beyond fileSize=" + size);
                }
                total = size - inPos;
            }
            else
            {
                total = source.length();
                if (inPos + total > size || inPos + total < 0)
                {
                    throw new PipeException(PipeException.Reason.BAD_RANGE, 0,
                        "source=" + source + " offset=" + inPos + " length=" + total + " exceeds fileSize=" + size);
                }
            }
        }
        else
        {
            final Object netty = EndpointAccess.bridge().nettyChannel(source);
            inSocket = null != source.socketChannel() ? source.socketChannel() : NettyChannels.socketChannel(netty);
            inFd = natives ? (null != inSocket ? Fds.of(inSocket) : NettyChannels.fd(netty)) : -1;
            if (null == inSocket && inFd < 0)
            {
                throw new IllegalArgumentException("source=" + source + " has no usable socket descriptor");
            }
            total = source.length();
        }
    }

    private void openSink(final boolean natives) throws IOException
    {
        if (EndpointKind.FILE == sink.kind())
        {
            if (null != sink.path())
            {
                ownedOut = new RandomAccessFile(sink.path().toFile(), "rw");
                if (sink.truncate())
                {
                    ownedOut.setLength(0);
                }
                outFile = ownedOut.getChannel();
                outFd = natives ? Fds.of(ownedOut.getFD()) : -1;
            }
            else
            {
                outFile = sink.fileChannel();
                outFd = natives ? Fds.of(outFile) : -1;
            }
            outPos = sink.offset();
        }
        else
        {
            final Object netty = EndpointAccess.bridge().nettyChannel(sink);
            outSocket = null != sink.socketChannel() ? sink.socketChannel() : NettyChannels.socketChannel(netty);
            outFd = natives ? (null != outSocket ? Fds.of(outSocket) : NettyChannels.fd(netty)) : -1;
            if (null == outSocket && outFd < 0)
            {
                throw new IllegalArgumentException("sink=" + sink + " has no usable socket descriptor");
            }
        }
    }

    private Strategy choose(final boolean natives)
    {
        final boolean fds = natives && inFd >= 0 && outFd >= 0;
        final Strategy best;
        if (!fds)
        {
            best = Strategy.COPY;
            if (Strategy.AUTO == requested)
            {
                if (!natives)
                {
                    FallbackLog.nativesUnavailable();
                }
                else
                {
                    FallbackLog.once((inFd < 0 ? "source=" + source.kind() : "sink=" + sink.kind())
                        + " has no kernel descriptor (" + (inFd < 0 ? source : sink) + ")",
                        "use a JDK FileChannel/SocketChannel or a Netty epoll/NIO socket channel");
                }
            }
        }
        else if (EndpointKind.FILE == source.kind())
        {
            best = EndpointKind.FILE == sink.kind() ? Strategy.COPY_FILE_RANGE : Strategy.SENDFILE;
        }
        else
        {
            best = Strategy.SPLICE;
        }
        if (Strategy.AUTO == requested || requested == best || Strategy.COPY == requested)
        {
            return Strategy.AUTO == requested ? best : requested;
        }
        // SPLICE also serves file->socket and file->file (through the pipe), useful for comparisons.
        if (Strategy.SPLICE == requested && fds)
        {
            return Strategy.SPLICE;
        }
        throw new IllegalArgumentException("strategy=" + requested + " does not fit source=" + source.kind()
            + " sink=" + sink.kind() + " (available: " + best + ", COPY)"
            + (fds ? "" : " nativeAccess=" + (null != LibC.UNAVAILABLE_REASON ? LibC.UNAVAILABLE_REASON
            : null != Fds.UNAVAILABLE_REASON ? Fds.UNAVAILABLE_REASON : "no descriptor")));
    }

    private static int setNonBlocking(final int fd)
    {
        final int flags = LibC.fcntl(fd, LibC.F_GETFL, 0);
        if (flags >= 0 && 0 == (flags & LibC.O_NONBLOCK))
        {
            LibC.fcntl(fd, LibC.F_SETFL, flags | LibC.O_NONBLOCK);
            return flags;
        }
        return -1;
    }

    /** The size of the next chunk: the remaining length capped at the chunk size. */
    long plan(final long chunkSize)
    {
        return total < 0 ? chunkSize : Math.min(chunkSize, total - transferred);
    }

    boolean finishedOk()
    {
        final boolean staged = pipePending > 0 || (null != staging && staging.pending > 0);
        return !staged && ((total >= 0 && transferred >= total) || (sourceEof && total < 0));
    }

    boolean truncated()
    {
        final boolean staged = pipePending > 0 || (null != staging && staging.pending > 0);
        return !staged && sourceEof && total >= 0 && transferred < total;
    }

    /**
     * Gives back everything borrowed: socket flags restored, owned files closed, staging released. A
     * pipe or buffer that still holds bytes is discarded (closed or reset), never reused.
     */
    void release(final WorkerContext ctx)
    {
        if (null != pipe)
        {
            if (0 == pipePending && null != ctx)
            {
                ctx.givePipe(pipe);
            }
            else
            {
                pipe.close();
            }
            pipe = null;
            pipePending = 0;
        }
        if (null != staging)
        {
            staging.pending = 0;
            staging.start = 0;
            if (null != ctx)
            {
                ctx.giveBuffer(staging);
            }
            staging = null;
        }
        if (epollFd >= 0)
        {
            // Unregister before the caller gets the socket back and may close it (a reused descriptor
            // number must not inherit this registration). A channel the application already closed lost
            // its registration with it, and its number may now belong to someone else's socket: leave it.
            if (channelsOpen())
            {
                LibC.epoll_ctl(epollSet, LibC.EPOLL_CTL_DEL, epollFd, null);
            }
            epollFd = -1;
        }
        if (inFlagsSaved >= 0)
        {
            LibC.fcntl(inFd, LibC.F_SETFL, inFlagsSaved);
            inFlagsSaved = -1;
        }
        if (outFlagsSaved >= 0)
        {
            LibC.fcntl(outFd, LibC.F_SETFL, outFlagsSaved);
            outFlagsSaved = -1;
        }
        closeQuietly(ownedIn);
        ownedIn = null;
        closeQuietly(ownedOut);
        ownedOut = null;
    }

    private static void closeQuietly(final RandomAccessFile file)
    {
        if (null != file)
        {
            try
            {
                file.close();
            }
            catch (final IOException ignore)
            {
                // Closing a file we only read from or whose writes already returned cannot lose data.
            }
        }
    }

    long elapsedMillis()
    {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - submitNanos);
    }

    @Override
    public String toString()
    {
        return "transfer=" + id + " tenant=" + tenant.name + " strategy=" + strategy;
    }
}
