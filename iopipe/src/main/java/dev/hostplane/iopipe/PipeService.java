package dev.hostplane.iopipe;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;

import dev.hostplane.iopipe.internal.Counters;
import dev.hostplane.iopipe.internal.Fds;
import dev.hostplane.iopipe.internal.LibC;
import dev.hostplane.iopipe.internal.PipeEngine;

/**
 * Moves bytes from a {@link Source} to a {@link Sink} without passing them through the Java heap, on a
 * pool of worker threads, charging each tenant's credits by the bytes actually moved (the vPipe idea).
 *
 * <pre>{@code
 * try (PipeService pipes = PipeService.builder().build())
 * {
 *     socket.write(header);                                   // the application writes the header
 *     pipes.transfer(Source.file(path), Sink.socket(socket));  // sendfile(2) moves the body
 *     // ... and the socket is the application's again (keep-alive)
 * }
 * }</pre>
 *
 * <p>Per pair, the service uses {@code sendfile} (file to socket), {@code splice} through a reusable
 * kernel pipe (socket to file or socket), {@code copy_file_range} (file to file), or a direct-buffer
 * copy that works everywhere; {@link TransferResult#strategy()} says which. Work is cut into chunks
 * ({@link Builder#chunkSize(long)}) so long transfers share workers; a socket that is not ready parks
 * its transfer in poll(2) instead of holding or spinning a worker. Sockets are borrowed: switched to
 * non-blocking for the transfer and restored before the result is delivered. The application must not
 * use them concurrently with a transfer; two transfers over the same socket at once (a proxy's two
 * directions) need the socket in non-blocking mode beforehand.
 *
 * <p>Threads: the service owns its {@link Builder#workers(int) workers} ({@code hostplane-iopipe-worker-N}) and
 * one poll(2) waiter ({@code hostplane-iopipe-waiter-0}), all daemon, from {@link Builder#build()} until
 * {@link #close()}, which must be called.
 */
public final class PipeService implements AutoCloseable
{
    /** Name of the tenant that exists from the start, with weight 1. */
    public static final String DEFAULT_TENANT = "default";

    private final PipeEngine engine;

    private PipeService(final Builder builder)
    {
        engine = new PipeEngine(builder.workers, builder.chunkSize, builder.pipeSize, builder.bufferSize,
            builder.rate, builder.tickNanos, builder.callerRunsBytes, builder.threadName);
    }

    /**
     * Starts a builder with defaults: one worker per CPU, 1 MiB chunks, 1 MiB pipes, no credit rate.
     *
     * @return the builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Whether the zero-copy strategies are available in this JVM (Linux, JNA, descriptor access).
     *
     * @return null if they are, or the reason they are not.
     */
    public static String zeroCopyUnavailableReason()
    {
        return null != LibC.UNAVAILABLE_REASON ? LibC.UNAVAILABLE_REASON : Fds.UNAVAILABLE_REASON;
    }

    /**
     * Registers a tenant or changes its weight.
     *
     * @param name   tenant name.
     * @param weight share of the service relative to other tenants, {@code >= 1}.
     * @return this.
     */
    public PipeService tenant(final String name, final int weight)
    {
        if (weight < 1)
        {
            throw new IllegalArgumentException("tenant=" + name + " weight=" + weight + " (expected: >= 1)");
        }
        engine.tenant(name, weight);
        return this;
    }

    /**
     * Moves all bytes of {@code source} to {@code sink} as the default tenant, blocking until done.
     *
     * @param source where to read.
     * @param sink   where to write.
     * @return bytes moved.
     * @throws PipeException when the transfer stops early; it says why and how many bytes moved.
     * @throws java.io.IOException when a file cannot be opened.
     */
    public long transfer(final Source source, final Sink sink) throws java.io.IOException
    {
        return transfer(source, sink, TransferOptions.DEFAULT).bytes();
    }

    /**
     * Moves all bytes of {@code source} to {@code sink}, blocking until done. Interrupting the caller
     * cancels the transfer.
     *
     * @param source  where to read.
     * @param sink    where to write.
     * @param options tenant, strategy, progress, timeout.
     * @return the result.
     * @throws PipeException when the transfer stops early; it says why and how many bytes moved.
     * @throws java.io.IOException when a file cannot be opened.
     */
    public TransferResult transfer(final Source source, final Sink sink, final TransferOptions options)
        throws java.io.IOException
    {
        // A virtual thread must not run the transfer itself: a native call (sendfile, poll) would pin its
        // carrier. It parks on the future instead while a platform worker moves the bytes.
        final TransferFuture future = engine.submit(source, sink, options, !isVirtual(Thread.currentThread()));
        try
        {
            return future.get();
        }
        catch (final InterruptedException ex)
        {
            future.cancel(true);
            final long moved = future.stopped().join();
            Thread.currentThread().interrupt();
            throw new PipeException(PipeException.Reason.CANCELLED, moved, "source=" + source + " sink=" + sink
                + " why=interrupted");
        }
        catch (final CancellationException ex)
        {
            final long moved = future.stopped().join();
            throw new PipeException(PipeException.Reason.CANCELLED, moved, "source=" + source + " sink=" + sink
                + " why=cancelled");
        }
        catch (final ExecutionException ex)
        {
            final Throwable cause = ex.getCause();
            if (cause instanceof java.io.IOException)
            {
                throw (java.io.IOException)cause;
            }
            if (cause instanceof RuntimeException)
            {
                throw (RuntimeException)cause;
            }
            throw new PipeException(PipeException.Reason.IO_ERROR, future.bytesTransferred(), "error=" + cause, cause);
        }
    }

    private static final java.lang.invoke.MethodHandle IS_VIRTUAL = isVirtualHandle();

    private static java.lang.invoke.MethodHandle isVirtualHandle()
    {
        try
        {
            // Thread.isVirtual() exists from JDK 21; we compile for 17.
            return java.lang.invoke.MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                java.lang.invoke.MethodType.methodType(boolean.class));
        }
        catch (final ReflectiveOperationException ex)
        {
            return null;
        }
    }

    static boolean isVirtual(final Thread thread)
    {
        if (null == IS_VIRTUAL)
        {
            return false;
        }
        try
        {
            return (boolean)IS_VIRTUAL.invokeExact(thread);
        }
        catch (final Throwable ex)
        {
            return false;
        }
    }

    /**
     * Starts a transfer and returns at once. Cancel with {@code future.cancel(true)}; bad input (a missing
     * file, a range outside the file) fails the future rather than throwing.
     *
     * @param source  where to read.
     * @param sink    where to write.
     * @param options tenant, strategy, progress, timeout.
     * @return the pending result.
     */
    public TransferFuture submit(final Source source, final Sink sink, final TransferOptions options)
    {
        return engine.submit(source, sink, options, false);
    }

    /**
     * Starts a transfer as the default tenant.
     *
     * @param source where to read.
     * @param sink   where to write.
     * @return the pending result.
     */
    public TransferFuture submit(final Source source, final Sink sink)
    {
        return submit(source, sink, TransferOptions.DEFAULT);
    }

    /**
     * Counters of one tenant.
     *
     * @param name tenant name.
     * @return the snapshot.
     * @throws IllegalArgumentException if no such tenant.
     */
    public TenantStats tenantStats(final String name)
    {
        final PipeEngine.TenantView v = engine.tenantView(name);
        if (null == v)
        {
            throw new IllegalArgumentException("tenant=" + name + " is not registered");
        }
        final Counters c = v.counters;
        return new TenantStats(v.name, v.weight, c.bytes(), c.chunks(), c.completed(), c.failed(), c.busyNanos(),
            c.cpuNanos(), v.credits, v.queued);
    }

    /**
     * Counters of every tenant.
     *
     * @return snapshots in registration order.
     */
    public List<TenantStats> tenantStats()
    {
        final List<TenantStats> all = new ArrayList<>();
        for (final String name : engine.tenantNames())
        {
            all.add(tenantStats(name));
        }
        return all;
    }

    /**
     * Counters of one strategy.
     *
     * @param strategy the strategy.
     * @return the snapshot.
     */
    public StrategyStats strategyStats(final Strategy strategy)
    {
        final Counters c = engine.strategyCounters(strategy);
        return new StrategyStats(strategy, c.bytes(), c.chunks(), c.completed(), c.failed(), c.busyNanos(),
            c.cpuNanos());
    }

    /**
     * Transfers started and not yet finished.
     *
     * @return the count.
     */
    public int activeTransfers()
    {
        return engine.activeTransfers();
    }

    /** Cancels whatever is still queued or parked, stops the threads and closes the pipes. */
    @Override
    public void close()
    {
        engine.close();
    }

    /** Builder for {@link PipeService}; validates each value as it is set. */
    public static final class Builder
    {
        private int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        private long chunkSize = 1 << 20;
        private int pipeSize = 1 << 20;
        private int bufferSize = 256 * 1024;
        private long rate;
        private long tickNanos = 10_000_000L;
        private long callerRunsBytes = 64 * 1024;
        private String threadName = "hostplane-iopipe";

        private Builder()
        {
        }

        /**
         * Worker threads (platform threads: zero-copy calls must not run on virtual threads).
         *
         * @param workers count, 1..256.
         * @return this.
         */
        public Builder workers(final int workers)
        {
            if (workers < 1 || workers > 256)
            {
                throw new IllegalArgumentException("workers=" + workers + " (expected: 1..256)");
            }
            this.workers = workers;
            return this;
        }

        /**
         * Bytes a transfer moves per turn on a worker, and the unit of credit charging.
         *
         * @param chunkSize 64 KiB .. 64 MiB (1-4 MiB recommended).
         * @return this.
         */
        public Builder chunkSize(final long chunkSize)
        {
            if (chunkSize < 64 * 1024 || chunkSize > 64L << 20)
            {
                throw new IllegalArgumentException("chunkSize=" + chunkSize + " (expected: 65536..67108864)");
            }
            this.chunkSize = chunkSize;
            return this;
        }

        /**
         * Wanted kernel pipe size for splice (the kernel may grant less).
         *
         * @param pipeSize 4 KiB .. 16 MiB.
         * @return this.
         */
        public Builder pipeSize(final int pipeSize)
        {
            if (pipeSize < 4096 || pipeSize > 16 << 20)
            {
                throw new IllegalArgumentException("pipeSize=" + pipeSize + " (expected: 4096..16777216)");
            }
            this.pipeSize = pipeSize;
            return this;
        }

        /**
         * Direct buffer size for the COPY strategy.
         *
         * @param bufferSize 4 KiB .. 16 MiB.
         * @return this.
         */
        public Builder copyBufferSize(final int bufferSize)
        {
            if (bufferSize < 4096 || bufferSize > 16 << 20)
            {
                throw new IllegalArgumentException("copyBufferSize=" + bufferSize + " (expected: 4096..16777216)");
            }
            this.bufferSize = bufferSize;
            return this;
        }

        /**
         * Total credit rate in bytes per second, shared by backlogged tenants by weight; 0 (the default)
         * turns credits off and leaves only weighted ordering.
         *
         * @param bytesPerSecond rate, {@code >= 0}.
         * @return this.
         */
        public Builder creditRate(final long bytesPerSecond)
        {
            if (bytesPerSecond < 0)
            {
                throw new IllegalArgumentException("creditRate=" + bytesPerSecond + " (expected: >= 0)");
            }
            this.rate = bytesPerSecond;
            return this;
        }

        /**
         * Period of the credit timer.
         *
         * @param nanos 1 ms .. 1 s.
         * @return this.
         */
        public Builder creditTickNanos(final long nanos)
        {
            if (nanos < 1_000_000L || nanos > 1_000_000_000L)
            {
                throw new IllegalArgumentException("creditTickNanos=" + nanos + " (expected: 1e6..1e9)");
            }
            this.tickNanos = nanos;
            return this;
        }

        /**
         * Blocking transfers of at most this many bytes run on the calling thread (no hand-off for tiny
         * bodies); ignored when a credit rate is set. 0 sends everything through the workers.
         *
         * @param bytes threshold, {@code >= 0}.
         * @return this.
         */
        public Builder callerRunsBytes(final long bytes)
        {
            if (bytes < 0)
            {
                throw new IllegalArgumentException("callerRunsBytes=" + bytes + " (expected: >= 0)");
            }
            this.callerRunsBytes = bytes;
            return this;
        }

        /**
         * Prefix of the thread names (default {@code hostplane-iopipe}: threads {@code hostplane-iopipe-worker-N}
         * and {@code hostplane-iopipe-waiter-0}).
         *
         * @param name prefix.
         * @return this.
         */
        public Builder threadName(final String name)
        {
            this.threadName = java.util.Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Starts the service.
         *
         * @return the running service; close it to stop its threads.
         */
        public PipeService build()
        {
            return new PipeService(this);
        }
    }
}
