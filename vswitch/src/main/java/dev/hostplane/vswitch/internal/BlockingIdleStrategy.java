package dev.hostplane.vswitch.internal;

import org.agrona.concurrent.IdleStrategy;

/**
 * Idle strategy for a switching worker that must not burn a core when there is no traffic: spin a
 * little, then block in poll(2) on the worker's TAP descriptors (or park until an endpoint signals)
 * for at most a millisecond at a time.
 */
public final class BlockingIdleStrategy implements IdleStrategy
{
    /** Name used in configuration. */
    public static final String ALIAS = "blocking";
    private static final int SPINS = 50;

    private final SwitchWorker worker;
    private int idleCount;

    /**
     * Creates the strategy for one worker.
     *
     * @param worker the worker that waits.
     */
    public BlockingIdleStrategy(final SwitchWorker worker)
    {
        this.worker = worker;
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            idleCount = 0;
            return;
        }
        idle();
    }

    @Override
    public void idle()
    {
        if (++idleCount < SPINS)
        {
            Thread.onSpinWait();
            return;
        }
        worker.awaitInput(1);
    }

    @Override
    public void reset()
    {
        idleCount = 0;
    }

    @Override
    public String alias()
    {
        return ALIAS;
    }
}
