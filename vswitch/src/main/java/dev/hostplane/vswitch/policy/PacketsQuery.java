package dev.hostplane.vswitch.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.flow.Match;

/**
 * Pyretic's {@code packets(limit, group_by)}: the application sees the first {@code limit}
 * packets of each group (packets with equal values of the group-by fields). Once a group has had
 * its packets, the query stops asking the switch for them: its compiled form drops that group
 * in the switch, so a MAC learner sees one packet per new host and the rest stay in the data
 * plane.
 */
public final class PacketsQuery extends Query implements Refinable
{
    private final int limit;
    private final List<FlowField> groupBy;
    private final Map<List<Long>, Integer> seen = new ConcurrentHashMap<>();
    private volatile Runnable onChange = () -> { };

    PacketsQuery(final int limit, final List<FlowField> groupBy)
    {
        super("packets(" + limit + (groupBy.isEmpty() ? "" : "," + groupBy) + ")");
        if (limit < 1)
        {
            throw new IllegalArgumentException("packets limit must be >= 1: " + limit);
        }
        this.limit = limit;
        this.groupBy = List.copyOf(groupBy);
    }

    /**
     * Registers a callback for each packet delivered.
     *
     * @param callback receives the packet (on the runtime's thread).
     * @return this.
     */
    public PacketsQuery onPacket(final Consumer<Packet> callback)
    {
        addCallback(o -> callback.accept((Packet)o));
        return this;
    }

    @Override
    public Set<Packet> eval(final Packet packet, final int[] ports)
    {
        final Integer n = seen.get(key(packet, groupBy));
        return n != null && n >= limit ? Set.of() : Set.of(packet.deliveredTo(this));
    }

    @Override
    List<Rule> compile()
    {
        final List<Rule> rules = new ArrayList<>();
        for (final Map.Entry<List<Long>, Integer> e : seen.entrySet())
        {
            if (e.getValue() >= limit)
            {
                rules.add(new Rule(groupMatch(groupBy, e.getKey()), Set.of()));
            }
        }
        rules.addAll(super.compile());
        return Compiler.optimize(rules);
    }

    @Override
    void deliver(final Packet packet, final int frameLength)
    {
        final List<Long> key = key(packet, groupBy);
        final int n = seen.merge(key, 1, Integer::sum);
        if (n <= limit)
        {
            fire(packet);
        }
        if (n == limit)
        {
            onChange.run();
        }
    }

    @Override
    public void onChange(final Runnable listener)
    {
        this.onChange = listener;
    }

    static Match groupMatch(final List<FlowField> groupBy, final List<Long> key)
    {
        final Match.Builder b = Match.builder();
        for (int i = 0; i < groupBy.size(); i++)
        {
            b.exact(groupBy.get(i), key.get(i));
        }
        return b.build();
    }
}
