package dev.hostplane.iopipe.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/*
 * Weighted scheduling of chunks across tenants, in two layers (like HTB's rate + borrowing):
 *
 * 1. Credits. With a service rate R (bytes/s), a timer grants R * tick bytes every tick, split among the
 *    backlogged tenants in proportion to weight. A chunk may start only while its tenant's balance is
 *    positive; the planned chunk is reserved when it starts and the balance is settled with the bytes
 *    the system call actually moved. A tenant out of credits simply is not picked; its transfers stay
 *    queued and the others go on. Balances are capped (two chunks or four ticks of share) so a
 *    tenant cannot bank a burst. With R = 0 the credit layer is off.
 *
 * 2. Order. Among eligible tenants the one with the smallest virtual time (bytes charged / weight)
 *    goes next: start-time fair queueing, work-conserving, so with R = 0 backlogged tenants share the
 *    workers' throughput by weight. A tenant that becomes backlogged again starts at the smallest
 *    virtual time of those already backlogged, so idleness earns no credit.
 *
 * Work is charged per chunk (1-4 MiB typical), never per file, so a 1 GiB transfer cannot burst the way
 * a whole-FileRegion charge does.
 */
/** Picks which transfer's chunk runs next, by tenant weight and credit. */
final class Scheduler
{
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readyCondition = lock.newCondition();
    private final List<TenantState> tenants = new ArrayList<>();
    private final long rateBytesPerSecond;
    private final long chunkSize;
    private double grantRemainder;
    private volatile int readyCount;
    private boolean closed;

    Scheduler(final long rateBytesPerSecond, final long chunkSize)
    {
        this.rateBytesPerSecond = rateBytesPerSecond;
        this.chunkSize = chunkSize;
    }

    long rate()
    {
        return rateBytesPerSecond;
    }

    TenantState tenant(final String name, final int weight, final boolean create)
    {
        lock.lock();
        try
        {
            for (final TenantState t : tenants)
            {
                if (t.name.equals(name))
                {
                    if (weight > 0)
                    {
                        t.weight = weight;
                    }
                    return t;
                }
            }
            if (!create)
            {
                return null;
            }
            final TenantState t = new TenantState(name, weight);
            t.credits = rateBytesPerSecond > 0 ? 0 : Long.MAX_VALUE / 4;
            tenants.add(t);
            return t;
        }
        finally
        {
            lock.unlock();
        }
    }

    List<TenantState> tenants()
    {
        lock.lock();
        try
        {
            return new ArrayList<>(tenants);
        }
        finally
        {
            lock.unlock();
        }
    }

    int queued(final TenantState t)
    {
        lock.lock();
        try
        {
            return t.ready.size();
        }
        finally
        {
            lock.unlock();
        }
    }

    long credits(final TenantState t)
    {
        lock.lock();
        try
        {
            return t.credits;
        }
        finally
        {
            lock.unlock();
        }
    }

    /** {@link #offer} result: closed, nothing queued. */
    static final int CLOSED = -1;
    /** {@link #offer} result: queued, no worker is blocked in {@link #take} to see it. */
    static final int QUEUED_NO_TAKER = 0;
    /** {@link #offer} result: queued, and a worker blocked in {@link #take} was signalled. */
    static final int QUEUED = 1;

    /** Queues a task that is ready to run its next chunk. Returns false if the scheduler is closed. */
    boolean enqueue(final TransferTask task)
    {
        return CLOSED != offer(task, true);
    }

    /**
     * Queues a task that is ready to run its next chunk.
     *
     * @param task   the task.
     * @param signal whether to wake a worker blocked in take(); false when the caller takes next itself.
     * @return CLOSED, QUEUED_NO_TAKER (nobody blocked in take() was woken) or QUEUED.
     */
    int offer(final TransferTask task, final boolean signal)
    {
        lock.lock();
        try
        {
            if (closed)
            {
                return CLOSED;
            }
            final TenantState t = task.tenant;
            if (!t.backlogged())
            {
                double min = Double.MAX_VALUE;
                for (final TenantState other : tenants)
                {
                    if (other != t && other.backlogged())
                    {
                        min = Math.min(min, other.virtualTime);
                    }
                }
                if (min != Double.MAX_VALUE)
                {
                    t.virtualTime = Math.max(t.virtualTime, min);
                }
            }
            t.ready.addLast(task);
            readyCount++;
            if (signal && lock.hasWaiters(readyCondition))
            {
                readyCondition.signal();
                return QUEUED;
            }
            return QUEUED_NO_TAKER;
        }
        finally
        {
            lock.unlock();
        }
    }

    /** Blocks until a chunk may run; returns its task with {@code plannedChunk} reserved, or null when closed. */
    TransferTask take() throws InterruptedException
    {
        return take(true);
    }

    /**
     * Takes the next chunk's task.
     *
     * @param block wait until one may run (true) or return null at once (false).
     * @return the task with {@code plannedChunk} reserved, or null when closed (or nothing runnable and !block).
     * @throws InterruptedException if interrupted while blocked.
     */
    TransferTask take(final boolean block) throws InterruptedException
    {
        lock.lock();
        try
        {
            while (true)
            {
                if (closed)
                {
                    return null;
                }
                if (readyCount > 0)
                {
                    TenantState best = null;
                    for (final TenantState t : tenants)
                    {
                        if (!t.ready.isEmpty() && t.credits > 0 && (null == best || t.virtualTime < best.virtualTime))
                        {
                            best = t;
                        }
                    }
                    if (null != best)
                    {
                        final TransferTask task = best.ready.pollFirst();
                        readyCount--;
                        final long planned = task.plan(chunkSize);
                        task.plannedChunk = planned;
                        if (rateBytesPerSecond > 0)
                        {
                            best.credits -= planned;
                        }
                        best.virtualTime += (double)planned / best.weight;
                        best.running++;
                        if (readyCount > 0)
                        {
                            // Another worker may find work for an eligible tenant too.
                            readyCondition.signal();
                        }
                        return task;
                    }
                }
                if (!block)
                {
                    return null;
                }
                readyCondition.await(50, TimeUnit.MILLISECONDS);
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Whether no transfer is waiting for a worker (a racy hint: a worker that would otherwise go idle may
     * keep its own transfer and wait on its descriptor briefly instead of parking it).
     */
    boolean nothingReady()
    {
        return 0 == readyCount;
    }

    /**
     * Lets a worker run another chunk of the transfer it holds, without a trip through the queues, if
     * nothing else is ready and credits are off. Returns false when the transfer must be queued normally.
     */
    boolean resumeIfIdle(final TransferTask task)
    {
        if (rateBytesPerSecond > 0)
        {
            return false;
        }
        lock.lock();
        try
        {
            if (closed || readyCount > 0)
            {
                return false;
            }
            final TenantState t = task.tenant;
            final long planned = task.plan(chunkSize);
            task.plannedChunk = planned;
            t.virtualTime += (double)planned / t.weight;
            t.running++;
            return true;
        }
        finally
        {
            lock.unlock();
        }
    }

    /** Settles a chunk: returns unused reservation, charges what moved. */
    void settle(final TransferTask task, final long moved)
    {
        lock.lock();
        try
        {
            final TenantState t = task.tenant;
            final long planned = task.plannedChunk;
            if (rateBytesPerSecond > 0)
            {
                t.credits += planned - moved;
            }
            t.virtualTime += (double)(moved - planned) / t.weight;
            t.running--;
            task.plannedChunk = 0;
        }
        finally
        {
            lock.unlock();
        }
    }

    /** The credit timer: grants rate * elapsed among backlogged tenants by weight. */
    void tick(final long elapsedNanos)
    {
        if (rateBytesPerSecond <= 0)
        {
            return;
        }
        lock.lock();
        try
        {
            long weights = 0;
            for (final TenantState t : tenants)
            {
                if (t.backlogged())
                {
                    weights += t.weight;
                }
            }
            if (0 == weights)
            {
                grantRemainder = 0;
                return;
            }
            final double grant = rateBytesPerSecond * (elapsedNanos / 1e9) + grantRemainder;
            grantRemainder = 0;
            boolean wake = false;
            for (final TenantState t : tenants)
            {
                if (t.backlogged())
                {
                    final double share = grant * t.weight / weights;
                    final long whole = (long)share;
                    grantRemainder += share - whole;
                    // Cap: enough for two chunks or a few ticks of this tenant's share, whichever is
                    // larger, so a heavy tenant never loses grants to the cap while it is backlogged.
                    final long cap = Math.max(2 * chunkSize, 4 * whole);
                    t.credits = Math.min(t.credits + whole, cap);
                    wake |= t.credits > 0 && !t.ready.isEmpty();
                }
            }
            if (wake)
            {
                readyCondition.signalAll();
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    /** Removes queued tasks that were cancelled or timed out, handing each to {@code onDead}. */
    void sweep(final long now, final Consumer<TransferTask> onDead)
    {
        List<TransferTask> dead = null;
        lock.lock();
        try
        {
            for (final TenantState t : tenants)
            {
                for (final Iterator<TransferTask> it = t.ready.iterator(); it.hasNext(); )
                {
                    final TransferTask task = it.next();
                    if (task.future.isDone() || task.expired(now))
                    {
                        it.remove();
                        readyCount--;
                        if (null == dead)
                        {
                            dead = new ArrayList<>();
                        }
                        dead.add(task);
                    }
                }
            }
        }
        finally
        {
            lock.unlock();
        }
        if (null != dead)
        {
            dead.forEach(onDead);
        }
    }

    /** Stops handing out work and returns every queued task. */
    List<TransferTask> close()
    {
        lock.lock();
        try
        {
            closed = true;
            final List<TransferTask> left = new ArrayList<>();
            for (final TenantState t : tenants)
            {
                left.addAll(t.ready);
                t.ready.clear();
            }
            readyCount = 0;
            readyCondition.signalAll();
            return left;
        }
        finally
        {
            lock.unlock();
        }
    }
}
