package dev.hostplane.vswitch.port;

import java.util.concurrent.locks.LockSupport;

/**
 * Lets an endpoint wake the worker that polls its port when that worker is parked (blocking idle
 * strategy). The worker announces it is about to park, re-checks its ports, then parks; a producer
 * that sees the announcement unparks it. Running workers are never signalled, which is the
 * state-aware notification of Hyper-Switch.
 */
public final class WorkerSignal
{
    private volatile Thread parked;

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
        final Thread t = parked;
        if (t != null)
        {
            LockSupport.unpark(t);
        }
    }
}
