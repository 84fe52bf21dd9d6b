package dev.hostplane.vswitch.policy;

import java.util.List;
import java.util.Set;

/**
 * A policy whose value changes at run time (Pyretic's dynamic policies): an application keeps one
 * and calls {@link #set} when it learns something; every runtime running it recompiles and swaps
 * the switch's rules atomically. Subclass it to write an application (MAC learning, a load
 * balancer) or use it as a holder.
 */
public class DynamicPolicy extends Policy implements Refinable
{
    private volatile Policy current;
    private final List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Creates one with an initial value.
     *
     * @param initial the policy until the first {@link #set}.
     */
    public DynamicPolicy(final Policy initial)
    {
        this.current = initial;
    }

    /**
     * Changes the value.
     *
     * @param next the new policy.
     */
    public void set(final Policy next)
    {
        this.current = next;
        for (final Runnable r : listeners)
        {
            r.run();
        }
    }

    /**
     * The current value.
     *
     * @return the policy.
     */
    public Policy get()
    {
        return current;
    }

    @Override
    public void onChange(final Runnable listener)
    {
        listeners.add(listener);
    }

    @Override
    public Set<Packet> eval(final Packet packet, final int[] ports)
    {
        return current.eval(packet, ports);
    }

    @Override
    Set<Packet> trace(final Packet packet, final int[] ports, final String path, final List<String> log)
    {
        return current.trace(packet, ports, path + "dyn", log);
    }

    @Override
    List<Rule> compile()
    {
        return current.compile();
    }

    @Override
    public String toString()
    {
        return getClass().getSimpleName() + "[" + current + "]";
    }
}
