package dev.hostplane.iopipe.internal;

import java.util.ArrayList;
import java.util.List;

import com.sun.jna.Memory;

/**
 * The one background thread that (a) waits with poll(2) for the descriptors of parked transfers and
 * requeues each when ready, instead of letting a worker spin on EAGAIN, (b) runs the credit timer,
 * and (c) expires cancelled or timed-out transfers that are parked or queued.
 */
final class Waiter implements Runnable
{
    private static final int POLL_SLICE_MS = 5;

    private final PipeEngine engine;
    private final Scheduler scheduler;
    private final long tickNanos;
    private final Object inboxLock = new Object();
    private List<TransferTask> inbox = new ArrayList<>();
    private List<TransferTask> spare = new ArrayList<>();
    private final List<TransferTask> waiting = new ArrayList<>();
    private final int[] wakeFds = new int[2];
    private Memory pollFds;
    private volatile boolean running = true;
    private final java.util.function.Consumer<TransferTask> expireQueued;

    Waiter(final PipeEngine engine, final Scheduler scheduler, final long tickNanos)
    {
        this.engine = engine;
        this.scheduler = scheduler;
        this.tickNanos = tickNanos;
        this.expireQueued = t -> engine.expire(t, null);
        if (LibC.AVAILABLE && 0 != LibC.pipe2(wakeFds, LibC.O_NONBLOCK | LibC.O_CLOEXEC))
        {
            throw new IllegalStateException("op=pipe2 errno=" + LibC.errno() + " (waiter wake-up pipe)");
        }
        pollFds = LibC.AVAILABLE ? new Memory(8L * 64) : null;
    }

    void park(final TransferTask task)
    {
        task.waitSinceNanos = System.nanoTime();
        synchronized (inboxLock)
        {
            inbox.add(task);
        }
        if (LibC.AVAILABLE && task.waitFd >= 0)
        {
            wake();
        }
    }

    void wake()
    {
        if (LibC.AVAILABLE)
        {
            final Memory one = WAKE_BYTE.get();
            LibC.write(wakeFds[1], com.sun.jna.Pointer.nativeValue(one), 1);
        }
    }

    private static final ThreadLocal<Memory> WAKE_BYTE = ThreadLocal.withInitial(() -> new Memory(8));

    void stop()
    {
        running = false;
        wake();
    }

    @Override
    public void run()
    {
        long lastTick = System.nanoTime();
        while (running)
        {
            drainInbox();
            final long now = System.nanoTime();
            final long sinceTick = now - lastTick;
            if (sinceTick >= tickNanos)
            {
                scheduler.tick(sinceTick);
                lastTick = now;
                scheduler.sweep(now, expireQueued);
            }
            pollOnce(now);
        }
        drainInbox();
        for (final TransferTask t : waiting)
        {
            engine.expire(t, "service closed");
        }
        waiting.clear();
        if (LibC.AVAILABLE)
        {
            LibC.close(wakeFds[0]);
            LibC.close(wakeFds[1]);
        }
    }

    private void drainInbox()
    {
        final List<TransferTask> arrived;
        synchronized (inboxLock)
        {
            arrived = inbox;
            inbox = spare;
            spare = arrived;
        }
        waiting.addAll(arrived);
        arrived.clear();
    }

    private void pollOnce(final long now)
    {
        final int n = waiting.size();
        if (!LibC.AVAILABLE)
        {
            sleepSlice();
            requeueAll(now);
            return;
        }
        final long needed = 8L * (n + 1);
        if (pollFds.size() < needed)
        {
            pollFds = new Memory(Math.max(needed, pollFds.size() * 2));
        }
        pollFds.setInt(0, wakeFds[0]);
        pollFds.setShort(4, LibC.POLLIN);
        pollFds.setShort(6, (short)0);
        for (int i = 0; i < n; i++)
        {
            final TransferTask t = waiting.get(i);
            final long at = 8L * (i + 1);
            // A task without a descriptor (retry-later) polls fd -1, which poll ignores: it is requeued
            // after one slice.
            pollFds.setInt(at, t.waitFd);
            pollFds.setShort(at + 4, t.waitEvents);
            pollFds.setShort(at + 6, (short)0);
        }
        final int ready = LibC.poll(pollFds, n + 1, POLL_SLICE_MS);
        if (ready > 0 && 0 != pollFds.getShort(6))
        {
            final Memory scratch = WAKE_BYTE.get();
            final long address = com.sun.jna.Pointer.nativeValue(scratch);
            while (LibC.read(wakeFds[0], address, 8) > 0)
            {
                // drain the wake-up bytes
            }
        }
        final long after = System.nanoTime();
        int kept = 0;
        for (int i = 0; i < n; i++)
        {
            final TransferTask t = waiting.get(i);
            final short revents = pollFds.getShort(8L * (i + 1) + 6);
            if (t.future.isDone() || t.expired(after))
            {
                engine.expire(t, null);
            }
            else if (0 != revents || t.waitFd < 0)
            {
                t.waitFd = -1;
                engine.requeue(t);
            }
            else
            {
                waiting.set(kept++, t);
            }
        }
        for (int i = waiting.size() - 1; i >= kept; i--)
        {
            waiting.remove(i);
        }
    }

    private void requeueAll(final long now)
    {
        for (final TransferTask t : waiting)
        {
            if (t.future.isDone() || t.expired(now))
            {
                engine.expire(t, null);
            }
            else
            {
                engine.requeue(t);
            }
        }
        waiting.clear();
    }

    private static void sleepSlice()
    {
        try
        {
            Thread.sleep(POLL_SLICE_MS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
