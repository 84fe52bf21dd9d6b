package dev.hostplane.vswitch.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A policy that sends packets to the application instead of the network (Pyretic's queries): the
 * packets a query receives are handed to its callbacks by the {@link PolicyRuntime}. Compose it
 * in parallel with forwarding ({@code fwd(1) + countPackets(...)}) to watch traffic.
 */
public abstract class Query extends Policy
{
    private final String name;
    private final List<Consumer<Object>> callbacks = new java.util.concurrent.CopyOnWriteArrayList<>();

    Query(final String name)
    {
        this.name = name;
    }

    /**
     * Name for traces.
     *
     * @return name.
     */
    public String name()
    {
        return name;
    }

    void fire(final Object value)
    {
        for (final Consumer<Object> c : callbacks)
        {
            c.accept(value);
        }
    }

    void addCallback(final Consumer<Object> callback)
    {
        callbacks.add(callback);
    }

    @Override
    public Set<Packet> eval(final Packet packet, final int[] ports)
    {
        return Set.of(packet.deliveredTo(this));
    }

    @Override
    List<Rule> compile()
    {
        return Compiler.all(Set.of(new Mod(Mod.IDENTITY.value, Mod.IDENTITY.mask, 0, this)));
    }

    /**
     * Called by the runtime for each packet the switch delivered to this query.
     *
     * @param packet the packet (header fields).
     * @param frameLength its length in bytes.
     */
    abstract void deliver(Packet packet, int frameLength);

    @Override
    public String toString()
    {
        return name;
    }

    /** Helper for group keys. */
    static List<Long> key(final Packet p, final List<dev.hostplane.vswitch.flow.FlowField> groupBy)
    {
        final List<Long> k = new ArrayList<>(groupBy.size());
        for (final dev.hostplane.vswitch.flow.FlowField f : groupBy)
        {
            k.add(p.get(f));
        }
        return k;
    }
}
