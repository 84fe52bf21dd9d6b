package dev.hostplane.iopipe.internal;

import java.util.ArrayList;
import java.util.List;

import com.sun.jna.Memory;

/**
 * The one background thread that (a) waits for the descriptors of parked transfers and requeues each
 * when ready, instead of letting a worker spin on EAGAIN, (b) runs the credit timer, and (c) expires
 * cancelled or timed-out transfers that are parked or queued.
 * <p>
 * A parked transfer's descriptor is armed by the parking worker itself in an epoll set (one-shot, the
 * transfer id as data), so parking needs no wake-up write and the waiter never rebuilds a poll set of
 * every parked socket: measured on the proxy, the old poll(2)-everything loop cost a third of the
 * process's CPU. The waiter polls the epoll descriptor together with its wake-up pipe and the few
 * transfers that could not be armed (no descriptor, or the descriptor is already registered by the
 * other direction of the same socket pair): those still go through the inbox.
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
    private final int epollFd;
    private final int wakeEventFd;
    private Memory epollEvents;
    /** Events fetched per epoll_wait, by the waiter or a polling worker. */
    static final int EPOLL_BATCH = 64;
    /** The epoll data of the wake-up eventfd (transfer ids start at 1). */
    static final long WAKE_TOKEN = -1L;
    private long lastArmedSweep;

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
        int ep = -1;
        if (LibC.AVAILABLE && !Boolean.getBoolean("hostplane.iopipe.noEpoll"))
        {
            ep = LibC.epoll_create1(LibC.O_CLOEXEC);
        }
        int wake = -1;
        if (ep >= 0)
        {
            wake = LibC.eventfd(0, LibC.O_NONBLOCK | LibC.O_CLOEXEC);
            final Memory event = new Memory(16);
            event.setInt(0, LibC.POLLIN);
            event.setLong(LibC.EPOLL_DATA_OFFSET, WAKE_TOKEN);
            if (wake < 0 || 0 != LibC.epoll_ctl(ep, LibC.EPOLL_CTL_ADD, wake, event))
            {
                throw new IllegalStateException("op=eventfd/epoll_ctl errno=" + LibC.errno() + " (poller wake-up)");
            }
        }
        epollFd = ep;
        wakeEventFd = wake;
        epollEvents = ep >= 0 ? new Memory((long)LibC.EPOLL_EVENT_SIZE * EPOLL_BATCH) : null;
    }

    /** The epoll set parked transfers are armed in, or -1 (then everything goes through poll(2)). */
    int epollFd()
    {
        return epollFd;
    }

    /** Wakes a worker blocked in epoll_wait on {@link #epollFd()} (new work it would not otherwise see). */
    void wakePoller()
    {
        if (wakeEventFd >= 0)
        {
            final Memory one = WAKE_BYTE.get();
            one.setLong(0, 1L);
            LibC.write(wakeEventFd, com.sun.jna.Pointer.nativeValue(one), 8);
        }
    }

    /** Consumes the eventfd count after a WAKE_TOKEN event. */
    void drainWakeEvent()
    {
        final Memory scratch = WAKE_BYTE.get();
        LibC.read(wakeEventFd, com.sun.jna.Pointer.nativeValue(scratch), 8);
    }

    /** Closes the epoll set and its eventfd; called once no worker can be inside epoll_wait any more. */
    void closeEpoll()
    {
        if (epollFd >= 0)
        {
            LibC.close(wakeEventFd);
            LibC.close(epollFd);
        }
    }

    /**
     * Parks a transfer that stopped on EAGAIN (or must retry later) until its descriptor is ready.
     *
     * @param task       the transfer; its waitFd/waitEvents say what it waits for.
     * @param epollEvent the calling worker's scratch struct epoll_event, or null.
     */
    void park(final TransferTask task, final com.sun.jna.Pointer epollEvent)
    {
        if (epollFd >= 0 && task.waitFd >= 0 && null != epollEvent && arm(task, epollEvent))
        {
            return;
        }
        park(task);
    }

    private boolean arm(final TransferTask task, final com.sun.jna.Pointer event)
    {
        task.waitSinceNanos = System.nanoTime();
        event.setInt(0, (task.waitEvents & 0xffff) | LibC.EPOLLONESHOT);
        event.setLong(LibC.EPOLL_DATA_OFFSET, task.id);
        // Armed before the system call: the event may fire on the waiter before epoll_ctl returns.
        task.epollArmed = true;
        final int fd = task.waitFd;
        if (task.epollFd == fd)
        {
            if (0 == LibC.epoll_ctl(epollFd, LibC.EPOLL_CTL_MOD, fd, event))
            {
                return true;
            }
            task.epollFd = -1;
        }
        else if (task.epollFd >= 0)
        {
            LibC.epoll_ctl(epollFd, LibC.EPOLL_CTL_DEL, task.epollFd, null);
            task.epollFd = -1;
        }
        task.epollSet = epollFd;
        if (0 == LibC.epoll_ctl(epollFd, LibC.EPOLL_CTL_ADD, fd, event))
        {
            task.epollFd = fd;
            return true;
        }
        // EEXIST: the other direction of this socket pair has the descriptor registered; poll it instead.
        task.epollArmed = false;
        return false;
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
        // While a worker sits in epoll_wait the epoll set is its job; the waiter only backs it up when every
        // worker is busy (then it sees the set within one slice).
        final boolean watchEpoll = epollFd >= 0 && !engine.workerPolling();
        final int base = watchEpoll ? 2 : 1;
        final long needed = 8L * (n + base);
        if (pollFds.size() < needed)
        {
            pollFds = new Memory(Math.max(needed, pollFds.size() * 2));
        }
        pollFds.setInt(0, wakeFds[0]);
        pollFds.setShort(4, LibC.POLLIN);
        pollFds.setShort(6, (short)0);
        if (watchEpoll)
        {
            pollFds.setInt(8, epollFd);
            pollFds.setShort(12, LibC.POLLIN);
            pollFds.setShort(14, (short)0);
        }
        for (int i = 0; i < n; i++)
        {
            final TransferTask t = waiting.get(i);
            final long at = 8L * (i + base);
            // A task without a descriptor (retry-later) polls fd -1, which poll ignores: it is requeued
            // after one slice.
            pollFds.setInt(at, t.waitFd);
            pollFds.setShort(at + 4, t.waitEvents);
            pollFds.setShort(at + 6, (short)0);
        }
        final int ready = LibC.poll(pollFds, n + base, POLL_SLICE_MS);
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
        if (epollFd >= 0)
        {
            if (watchEpoll && ready > 0 && 0 != pollFds.getShort(14))
            {
                drainEpoll();
            }
            if (after - lastArmedSweep >= POLL_SLICE_MS * 1_000_000L)
            {
                lastArmedSweep = after;
                sweepArmed(after);
            }
        }
        int kept = 0;
        for (int i = 0; i < n; i++)
        {
            final TransferTask t = waiting.get(i);
            final short revents = pollFds.getShort(8L * (i + base) + 6);
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

    private void drainEpoll()
    {
        int got;
        do
        {
            got = LibC.epoll_wait(epollFd, epollEvents, EPOLL_BATCH, 0);
            for (int i = 0; i < got; i++)
            {
                final long id = epollEvents.getLong((long)i * LibC.EPOLL_EVENT_SIZE + LibC.EPOLL_DATA_OFFSET);
                final TransferTask t = WAKE_TOKEN == id ? null : engine.activeTask(id);
                if (WAKE_TOKEN == id)
                {
                    drainWakeEvent();
                }
                else if (null != t && t.claimArmed())
                {
                    t.waitFd = -1;
                    engine.requeue(t);
                }
            }
        }
        while (EPOLL_BATCH == got);
    }

    /** Expires armed transfers that were cancelled or ran out of time while their descriptor stayed idle, and requeues those whose channel was closed under them. */
    private void sweepArmed(final long now)
    {
        for (final TransferTask t : engine.activeTasks())
        {
            if (!t.epollArmed)
            {
                continue;
            }
            if ((t.future.isDone() || t.expired(now)) && t.claimArmed())
            {
                engine.expire(t, null);
            }
            else if (!t.channelsOpen() && t.claimArmed())
            {
                t.waitFd = -1;
                engine.requeue(t);
            }
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
