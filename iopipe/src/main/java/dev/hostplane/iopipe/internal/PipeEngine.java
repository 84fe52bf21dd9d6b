package dev.hostplane.iopipe.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;



import dev.hostplane.iopipe.EndpointKind;
import dev.hostplane.iopipe.PipeException;
import dev.hostplane.iopipe.Sink;
import dev.hostplane.iopipe.Source;
import dev.hostplane.iopipe.Strategy;
import dev.hostplane.iopipe.TransferFuture;
import dev.hostplane.iopipe.TransferOptions;
import dev.hostplane.iopipe.TransferResult;

/**
 * The pipe service's machinery: worker threads running one chunk at a time, the scheduler, the waiter
 * thread, pools of kernel pipes and buffers, and the counters. {@code dev.hostplane.iopipe.PipeService}
 * is its public face.
 */
public final class PipeEngine implements AutoCloseable
{
    private final Scheduler scheduler;
    private final Waiter waiter;
    private final Thread waiterThread;
    private final List<Thread> workers = new ArrayList<>();
    private final long chunkSize;
    private final long callerRunsBytes;
    private static final long LINGER_MIN_CHUNK = 128 * 1024;
    private final long lingerNanos = Long.getLong("hostplane.iopipe.lingerMicros", 2000L) * 1000L;
    private final int pipeSize;
    private final int bufferSize;
    private final ArrayBlockingQueue<KernelPipe> pipePool = new ArrayBlockingQueue<>(256);
    private final ArrayBlockingQueue<WorkerContext.StagingBuffer> bufferPool = new ArrayBlockingQueue<>(256);
    private final ArrayBlockingQueue<WorkerContext> callerContexts = new ArrayBlockingQueue<>(64);
    private final Map<Strategy, Counters> strategyCounters = new EnumMap<>(Strategy.class);
    private final Map<Long, TransferTask> active = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final boolean cpuClock;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicBoolean pollerSlot = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean pollerBlocked;
    /** Workers poll the epoll set themselves only without a credit rate (rate-limited work waits for credits, not sockets). */
    private final boolean workersPoll;
    private static final int POLLER_TIMEOUT_MS = 50;

    /**
     * Starts the worker threads and the waiter.
     *
     * @param workerCount     worker threads.
     * @param chunkSize       bytes per scheduling chunk.
     * @param pipeSize        wanted kernel pipe size.
     * @param bufferSize      copy buffer size.
     * @param rate            service credit rate in bytes/s, 0 for none.
     * @param tickNanos       credit timer period.
     * @param callerRunsBytes blocking transfers up to this size run on the caller's thread (no rate only).
     * @param threadPrefix    thread name prefix.
     */
    public PipeEngine(
        final int workerCount,
        final long chunkSize,
        final int pipeSize,
        final int bufferSize,
        final long rate,
        final long tickNanos,
        final long callerRunsBytes,
        final String threadPrefix)
    {
        this.chunkSize = chunkSize;
        this.pipeSize = pipeSize;
        this.bufferSize = bufferSize;
        this.callerRunsBytes = rate > 0 ? 0 : callerRunsBytes;
        for (final Strategy s : Strategy.values())
        {
            strategyCounters.put(s, new Counters());
        }
        boolean cpu = false;
        try
        {
            cpu = threads.isCurrentThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled();
        }
        catch (final UnsupportedOperationException ignore)
        {
            // CPU counters stay 0 where the JVM cannot read thread CPU time.
        }
        this.cpuClock = cpu;
        this.scheduler = new Scheduler(rate, chunkSize);
        this.scheduler.tenant(dev.hostplane.iopipe.PipeService.DEFAULT_TENANT, 1, true);
        this.waiter = new Waiter(this, scheduler, tickNanos);
        this.workersPoll = waiter.epollFd() >= 0 && rate <= 0 && !Boolean.getBoolean("hostplane.iopipe.noWorkerPoll");
        this.waiterThread = new Thread(waiter, threadPrefix + "-waiter-0");
        waiterThread.setDaemon(true);
        waiterThread.start();
        for (int i = 0; i < workerCount; i++)
        {
            final Thread t = new Thread(this::workerLoop, threadPrefix + "-worker-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
    }

    /**
     * Registers a tenant or changes its weight.
     *
     * @param name   tenant name.
     * @param weight positive weight.
     */
    public void tenant(final String name, final int weight)
    {
        scheduler.tenant(name, weight, true);
    }

    /**
     * Whether a tenant exists.
     *
     * @param name tenant name.
     * @return true if registered.
     */
    public boolean hasTenant(final String name)
    {
        return null != scheduler.tenant(name, 0, false);
    }

    /**
     * Starts a transfer.
     *
     * @param source  where to read.
     * @param sink    where to write.
     * @param options tenant, strategy, progress, timeout.
     * @param inline  true when the caller will block anyway and may run a small transfer itself.
     * @return the future; already failed for bad input.
     */
    public TransferFuture submit(final Source source, final Sink sink, final TransferOptions options, final boolean inline)
    {
        final TransferFuture future = new TransferFuture();
        final TenantState tenant = scheduler.tenant(options.tenant(), 0, false);
        if (null == tenant)
        {
            future.completeExceptionally(new IllegalArgumentException(
                "tenant=" + options.tenant() + " is not registered (call PipeService.tenant(name, weight) first)"));
            future.markStopped(0);
            return future;
        }
        if (closed)
        {
            future.completeExceptionally(new PipeException(PipeException.Reason.CANCELLED, 0, "service=closed"));
            future.markStopped(0);
            return future;
        }
        final TransferTask task = new TransferTask(ids.incrementAndGet(), tenant, source, sink, options, future);
        try
        {
            task.open();
        }
        catch (final IOException | RuntimeException ex)
        {
            task.release(null);
            future.completeExceptionally(ex);
            future.markStopped(0);
            return future;
        }
        active.put(task.id, task);
        if (0 == task.total)
        {
            finish(task, null, null);
            return future;
        }
        final EndpointAccess.Bridge endpoints = EndpointAccess.bridge();
        final Object nettySink = endpoints.nettyChannel(sink);
        if (null != nettySink && endpoints.flushFirst(sink))
        {
            // Whatever the pipeline wrote before (an HTTP header) must be on the wire before the body.
            task.makeSocketsNonBlocking();
            NettyFlush.thenRun(nettySink, () -> requeue(task));
            return future;
        }
        if (inline && task.total > 0 && task.total <= callerRunsBytes)
        {
            final boolean blocking = task.blockingInlineAllowed();
            if (!blocking)
            {
                task.makeSocketsNonBlocking();
            }
            runInline(task, blocking);
            return future;
        }
        task.makeSocketsNonBlocking();
        requeue(task);
        return future;
    }

    void requeue(final TransferTask task)
    {
        final int queued = scheduler.offer(task, true);
        if (Scheduler.CLOSED == queued)
        {
            expire(task, "service closed");
        }
        else if (Scheduler.QUEUED_NO_TAKER == queued && pollerBlocked)
        {
            // No worker waits in take(): the only idle one sits in epoll_wait and must be told.
            waiter.wakePoller();
        }
    }

    /** Whether a worker currently holds the poller role (the waiter then leaves the epoll set alone). */
    boolean workerPolling()
    {
        return pollerSlot.get();
    }

    /**
     * Leader/follower: a worker with nothing queued becomes the one that waits in epoll_wait for parked
     * transfers, queues the ready ones and then takes the fairest queued chunk itself, so a transfer that
     * becomes ready usually runs on the thread that saw it. Before, every readiness event went waiter
     * (poll) -> scheduler -> worker: two thread hand-offs. Returns false if another worker is the poller.
     */
    private boolean pollAsLeader(final com.sun.jna.Memory events)
    {
        if (!pollerSlot.compareAndSet(false, true))
        {
            return false;
        }
        try
        {
            pollerBlocked = true;
            // Dekker with requeue(): it queues then reads pollerBlocked; we publish pollerBlocked then
            // read the queue, so new work is never missed.
            if (!scheduler.nothingReady() || closed)
            {
                return true;
            }
            final int n = LibC.epoll_wait(waiter.epollFd(), events, Waiter.EPOLL_BATCH, POLLER_TIMEOUT_MS);
            pollerBlocked = false;
            boolean first = true;
            for (int i = 0; i < n; i++)
            {
                final long id = events.getLong((long)i * LibC.EPOLL_EVENT_SIZE + LibC.EPOLL_DATA_OFFSET);
                if (Waiter.WAKE_TOKEN == id)
                {
                    waiter.drainWakeEvent();
                    continue;
                }
                final TransferTask t = active.get(id);
                if (null != t && t.claimArmed())
                {
                    t.waitFd = -1;
                    // The first one this thread takes itself right after; the rest may wake another worker.
                    if (Scheduler.CLOSED == scheduler.offer(t, !first))
                    {
                        expire(t, "service closed");
                    }
                    first = false;
                }
            }
            return true;
        }
        finally
        {
            pollerBlocked = false;
            pollerSlot.set(false);
        }
    }

    /** Ends a task that was cancelled, timed out, or stranded by close. */
    void expire(final TransferTask task, final String why)
    {
        final PipeException failure;
        if (null != why)
        {
            failure = new PipeException(PipeException.Reason.CANCELLED, task.transferred, task + " why=" + why);
        }
        else if (task.future.isDone())
        {
            failure = new PipeException(PipeException.Reason.CANCELLED, task.transferred, task + " why=cancelled");
        }
        else
        {
            failure = new PipeException(PipeException.Reason.TIMEOUT, task.transferred,
                task + " elapsedMs=" + task.elapsedMillis() + " exceeded its timeout");
        }
        finish(task, null, failure);
    }

    private void workerLoop()
    {
        final WorkerContext ctx = new WorkerContext(pipeSize, bufferSize, pipePool, bufferPool);
        final com.sun.jna.Memory events = workersPoll
            ? new com.sun.jna.Memory((long)LibC.EPOLL_EVENT_SIZE * Waiter.EPOLL_BATCH) : null;
        try
        {
            while (!closed)
            {
                TransferTask task;
                try
                {
                    task = scheduler.take(false);
                    if (null == task)
                    {
                        if (workersPoll && pollAsLeader(events))
                        {
                            continue;
                        }
                        task = scheduler.take(true);
                    }
                }
                catch (final InterruptedException ex)
                {
                    break;
                }
                if (null == task)
                {
                    break;
                }
                Outcome outcome = runChunk(task, ctx, true, true);
                // A worker that would go idle anyway waits a moment on its own transfer's descriptor: a
                // socket that drains or fills within ~2 ms then continues on this thread, saving two
                // thread hand-offs (waiter, queue) per readiness event.
                while (Outcome.WAIT == outcome && lingerOnDescriptor(task, ctx) && scheduler.resumeIfIdle(task))
                {
                    outcome = runChunk(task, ctx, true, true);
                }
                dispatch(task, outcome, ctx);
            }
        }
        finally
        {
            ctx.close();
        }
    }

    private boolean lingerOnDescriptor(final TransferTask task, final WorkerContext ctx)
    {
        // Only bulk streams (the last chunk moved a lot before the socket filled or drained) are worth
        // waiting for; a request-sized trickle is parked at once so it does not hold a worker.
        if (task.waitFd < 0 || 0 == lingerNanos || scheduler.rate() > 0 || null == ctx.pollFd
            || task.lastChunkBytes < LINGER_MIN_CHUNK)
        {
            return false;
        }
        final long deadline = System.nanoTime() + lingerNanos;
        while (scheduler.nothingReady() && !task.future.isDone())
        {
            ctx.pollFd.setInt(0, task.waitFd);
            ctx.pollFd.setShort(4, task.waitEvents);
            ctx.pollFd.setShort(6, (short)0);
            if (LibC.poll(ctx.pollFd, 1, 1) > 0)
            {
                task.waitFd = -1;
                return true;
            }
            if (System.nanoTime() - deadline >= 0)
            {
                break;
            }
        }
        return false;
    }

    private void dispatch(final TransferTask task, final Outcome outcome, final WorkerContext ctx)
    {
        switch (outcome)
        {
            case WAIT:
                waiter.park(task, ctx.epollEvent);
                break;
            case CONTINUE:
                // This worker loops straight back to take(): no one else needs waking for it.
                if (Scheduler.CLOSED == scheduler.offer(task, false))
                {
                    expire(task, "service closed");
                }
                break;
            default:
                break;
        }
    }

    /** What happens after a chunk. */
    enum Outcome
    {
        DONE, WAIT, CONTINUE
    }

    private Outcome runChunk(
        final TransferTask task, final WorkerContext ctx, final boolean scheduled, final boolean measureCpu)
    {
        final long now = System.nanoTime();
        if (task.future.isDone() || task.expired(now) || closed)
        {
            if (scheduled)
            {
                scheduler.settle(task, 0);
            }
            expire(task, closed ? "service closed" : null);
            return Outcome.DONE;
        }
        task.waitFd = -1;
        task.retryLater = false;
        final long before = task.transferred;
        // Thread CPU time costs a system call each read: measured for worker chunks, skipped for the tiny
        // blocking bodies a caller runs itself.
        final boolean cpuOn = cpuClock && measureCpu;
        final long cpuStart = cpuOn ? threads.getCurrentThreadCpuTime() : 0;
        Throwable failure = null;
        try
        {
            Movers.move(task, ctx, task.plannedChunk);
        }
        catch (final IOException | RuntimeException ex)
        {
            failure = ex;
        }
        final long moved = task.transferred - before;
        task.lastChunkBytes = moved;
        final long cpu = cpuOn ? threads.getCurrentThreadCpuTime() - cpuStart : 0;
        if (scheduled)
        {
            scheduler.settle(task, moved);
        }
        task.chunks++;
        final long busy = System.nanoTime() - now;
        task.tenant.counters.chunk(moved, cpu, busy);
        strategyCounters.get(task.strategy).chunk(moved, cpu, busy);
        task.future.progress(task.transferred);
        if (null != task.progress && moved > 0)
        {
            try
            {
                task.progress.onProgress(task.transferred, task.total);
            }
            catch (final RuntimeException ex)
            {
                failure = null == failure ? ex : failure;
            }
        }
        if (null != failure)
        {
            finish(task, ctx, failure instanceof PipeException ? failure : new PipeException(
                PipeException.Reason.IO_ERROR, task.transferred, task + " error=" + failure, failure));
            return Outcome.DONE;
        }
        if (task.finishedOk())
        {
            finish(task, ctx, null);
            return Outcome.DONE;
        }
        if (task.truncated())
        {
            finish(task, ctx, new PipeException(PipeException.Reason.SOURCE_TRUNCATED, task.transferred,
                task + " source=" + task.source + " ended at " + task.transferred + " of total=" + task.total
                + (EndpointKind.FILE == task.source.kind() ? " (file shrank)" : " (peer closed early)")));
            return Outcome.DONE;
        }
        // Staging that is empty goes back to this worker, so the next transfer reuses the same pipe.
        if (null != task.pipe && 0 == task.pipePending)
        {
            ctx.givePipe(task.pipe);
            task.pipe = null;
        }
        if (null != task.staging && 0 == task.staging.pending)
        {
            ctx.giveBuffer(task.staging);
            task.staging = null;
        }
        return task.waitFd >= 0 || task.retryLater ? Outcome.WAIT : Outcome.CONTINUE;
    }

    /** Runs a small blocking transfer on the calling thread, waiting with poll(2) when a socket is busy. */
    private void runInline(final TransferTask task, final boolean blocking)
    {
        WorkerContext ctx = callerContexts.poll();
        if (null == ctx)
        {
            ctx = new WorkerContext(pipeSize, bufferSize, pipePool, bufferPool);
        }
        try
        {
            while (true)
            {
                task.plannedChunk = task.plan(chunkSize);
                final Outcome outcome = runChunk(task, ctx, false, !blocking);
                if (Outcome.DONE == outcome)
                {
                    break;
                }
                if (Outcome.WAIT == outcome)
                {
                    awaitReady(task, ctx.pollFd);
                }
            }
        }
        finally
        {
            if (!callerContexts.offer(ctx))
            {
                ctx.close();
            }
        }
    }

    private static void awaitReady(final TransferTask task, final com.sun.jna.Pointer pollFd)
    {
        if (task.waitFd < 0 || null == pollFd)
        {
            Thread.onSpinWait();
            return;
        }
        pollFd.setInt(0, task.waitFd);
        pollFd.setShort(4, task.waitEvents);
        pollFd.setShort(6, (short)0);
        LibC.poll(pollFd, 1, 100);
    }

    private void finish(final TransferTask task, final WorkerContext ctx, final Throwable failure)
    {
        if (!task.finishOnce())
        {
            return;
        }
        task.release(ctx);
        active.remove(task.id);
        final Counters strategy = strategyCounters.get(null != task.strategy ? task.strategy : Strategy.COPY);
        if (null == failure)
        {
            strategy.completed.incrementAndGet();
            task.tenant.counters.completed.incrementAndGet();
            task.future.complete(new TransferResult(task.transferred, task.strategy, task.tenant.name, task.chunks,
                System.nanoTime() - task.submitNanos));
        }
        else
        {
            strategy.failed.incrementAndGet();
            task.tenant.counters.failed.incrementAndGet();
            task.future.completeExceptionally(failure);
        }
        task.future.markStopped(task.transferred);
    }

    /**
     * Counters of one tenant.
     *
     * @param name tenant name.
     * @return its state, or null.
     */
    public TenantView tenantView(final String name)
    {
        final TenantState t = scheduler.tenant(name, 0, false);
        return null == t ? null : new TenantView(t.name, t.weight, t.counters, scheduler.rate() > 0
            ? scheduler.credits(t) : Long.MAX_VALUE, scheduler.queued(t));
    }

    /**
     * Names of all tenants.
     *
     * @return the names.
     */
    public List<String> tenantNames()
    {
        final List<String> names = new ArrayList<>();
        for (final TenantState t : scheduler.tenants())
        {
            names.add(t.name);
        }
        return names;
    }

    /**
     * Counters of one strategy.
     *
     * @param strategy the strategy.
     * @return its counters.
     */
    public Counters strategyCounters(final Strategy strategy)
    {
        return strategyCounters.get(strategy);
    }

    /** The unfinished transfer with this id, or null (for the waiter's epoll events, which carry the id). */
    TransferTask activeTask(final long id)
    {
        return active.get(id);
    }

    /** Unfinished transfers, for the waiter's expiry sweep of transfers armed in its epoll set. */
    Iterable<TransferTask> activeTasks()
    {
        return active.values();
    }

    /**
     * Transfers started and not yet finished.
     *
     * @return the count.
     */
    public int activeTransfers()
    {
        return active.size();
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        for (final TransferTask t : scheduler.close())
        {
            expire(t, "service closed");
        }
        waiter.stop();
        waiter.wakePoller();
        for (final Thread t : workers)
        {
            t.interrupt();
        }
        joinQuietly(waiterThread);
        for (final Thread t : workers)
        {
            joinQuietly(t);
        }
        waiter.closeEpoll();
        for (final TransferTask t : new ArrayList<>(active.values()))
        {
            expire(t, "service closed");
        }
        KernelPipe p;
        while (null != (p = pipePool.poll()))
        {
            p.close();
        }
        WorkerContext c;
        while (null != (c = callerContexts.poll()))
        {
            c.close();
        }
    }

    private static void joinQuietly(final Thread t)
    {
        try
        {
            t.join(5_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** A read-only view of one tenant for the public stats. */
    public static final class TenantView
    {
        /** Tenant name. */
        public final String name;
        /** Weight. */
        public final int weight;
        /** Counters. */
        public final Counters counters;
        /** Credit balance. */
        public final long credits;
        /** Queued transfers. */
        public final int queued;

        TenantView(final String name, final int weight, final Counters counters, final long credits, final int queued)
        {
            this.name = name;
            this.weight = weight;
            this.counters = counters;
            this.credits = credits;
            this.queued = queued;
        }
    }

}
