package dev.hostplane.vswitch.port;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * Lets an endpoint wake the worker that polls its port when that worker is parked (blocking idle
 * strategy). The worker announces it is about to park, re-checks its ports, then parks; a producer
 * that sees the announcement unparks it, and only the first producer to see it does (the others
 * find it taken). Running workers are never signalled, which is the state-aware notification of
 * Hyper-Switch; {@link #wakeAlways()} is the unconditional per-frame notification it is measured
 * against.
 */
public final class WorkerSignal
{
    private static final VarHandle PARKED;

    static
    {
        try
        {
            PARKED = MethodHandles.lookup().findVarHandle(WorkerSignal.class, "parked", Thread.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    @SuppressWarnings("unused")
    private volatile Thread parked;
    private volatile Thread worker;

    /**
     * Worker side: names the thread this signal wakes, for {@link #wakeAlways()}.
     *
     * @param thread the worker's thread.
     */
    public void bind(final Thread thread)
    {
        worker = thread;
    }

    /**
     * Worker side: announce that the calling thread is about to park.
     */
    public void aboutToPark()
    {
        parked = Thread.currentThread();
    }

    /**
     * Worker side: the thread is running again.
     */
    public void running()
    {
        parked = null;
    }

    /**
     * Producer side: wake the worker if it is parked or about to park.
     */
    public void wake()
    {
        wakeIfParked();
    }

    /**
     * Producer side: wake the worker if it is parked or about to park; of several producers that
     * race, only one unparks it.
     *
     * @return true when this call unparked the worker.
     */
    public boolean wakeIfParked()
    {
        final Thread t = parked;
        if (t != null && PARKED.compareAndSet(this, t, null))
        {
            LockSupport.unpark(t);
            return true;
        }
        return false;
    }

    /**
     * Producer side: unpark the worker whatever it is doing (notification without state awareness).
     *
     * @return true when a worker thread is bound and was unparked.
     */
    public boolean wakeAlways()
    {
        final Thread t = worker;
        if (t != null)
        {
            LockSupport.unpark(t);
            return true;
        }
        return false;
    }
}
