package dev.hostplane.vswitch.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import dev.hostplane.vswitch.flow.FlowField;

/**
 * Pyretic's {@code count_packets(interval, group_by)} and {@code count_bytes}: every interval the
 * callback gets the totals per group. The first packet of a new group reaches the application
 * (that is how it learns the group exists); from then on the group has a rule of its own in the
 * switch and the switch's per-rule counters are summed, so counting costs no packet-ins.
 */
public final class CountQuery extends Query implements Refinable
{
    private final long intervalMillis;
    private final List<FlowField> groupBy;
    private final boolean bytes;
    /** Totals seen at the application plus counters of rules already replaced. */
    private final Map<List<Long>, Long> base = new ConcurrentHashMap<>();
    private volatile Runnable onChange = () -> { };

    CountQuery(final long intervalMillis, final List<FlowField> groupBy, final boolean bytes)
    {
        super((bytes ? "countBytes(" : "countPackets(") + intervalMillis + "ms" +
            (groupBy.isEmpty() ? "" : "," + groupBy) + ")");
        if (intervalMillis < 10)
        {
            throw new IllegalArgumentException("count interval must be >= 10 ms: " + intervalMillis);
        }
        this.intervalMillis = intervalMillis;
        this.groupBy = List.copyOf(groupBy);
        this.bytes = bytes;
    }

    /**
     * Registers a callback for the totals.
     *
     * @param callback receives group key (values of the group-by fields, in order) to total.
     * @return this.
     */
    public CountQuery onCounts(final Consumer<Map<List<Long>, Long>> callback)
    {
        addCallback(o ->
        {
            @SuppressWarnings("unchecked")
            final Map<List<Long>, Long> m = (Map<List<Long>, Long>)o;
            callback.accept(m);
        });
        return this;
    }

    /**
     * How often totals are reported.
     *
     * @return milliseconds.
     */
    public long intervalMillis()
    {
        return intervalMillis;
    }

    /**
     * Whether bytes (not packets) are counted.
     *
     * @return true for countBytes.
     */
    public boolean countsBytes()
    {
        return bytes;
    }

    @Override
    List<Rule> compile()
    {
        final List<Rule> rules = new ArrayList<>();
        for (final List<Long> key : base.keySet())
        {
            rules.add(new Rule(PacketsQuery.groupMatch(groupBy, key),
                Set.of(new Mod(Mod.IDENTITY.value, Mod.IDENTITY.mask, 0, this, key))));
        }
        rules.addAll(super.compile());
        return Compiler.optimize(rules);
    }

    @Override
    void deliver(final Packet packet, final int frameLength)
    {
        final List<Long> key = key(packet, groupBy);
        final boolean fresh = !base.containsKey(key);
        base.merge(key, bytes ? (long)frameLength : 1L, Long::sum);
        if (fresh)
        {
            onChange.run();
        }
    }

    /** Adds counters of a rule that is being replaced, so totals survive recompilation. */
    void retire(final List<Long> key, final long packets, final long byteCount)
    {
        base.merge(key, bytes ? byteCount : packets, Long::sum);
    }

    /**
     * Builds the totals from the live counters and reports them.
     *
     * @param live per group, the counters of rules now installed.
     */
    void report(final Map<List<Long>, long[]> live)
    {
        fire(totals(live));
    }

    /**
     * The totals now: what reached the application, what replaced rules counted, and the live counters.
     *
     * @param live per group, the counters of rules now installed.
     * @return per group, the total.
     */
    Map<List<Long>, Long> totals(final Map<List<Long>, long[]> live)
    {
        final Map<List<Long>, Long> totals = new HashMap<>(base);
        for (final Map.Entry<List<Long>, long[]> e : live.entrySet())
        {
            totals.merge(e.getKey(), bytes ? e.getValue()[1] : e.getValue()[0], Long::sum);
        }
        return totals;
    }

    @Override
    public void onChange(final Runnable listener)
    {
        this.onChange = listener;
    }
}
