package dev.hostplane.vswitch.policy;

import java.util.Arrays;

import dev.hostplane.vswitch.flow.FlowKey;

/**
 * One action of a compiled rule: header bits to write, the outport to set (0 = keep), and the query
 * that receives the packet (null = none). A rule's action set is a set of these; the empty set
 * drops. The identity is the mod that writes nothing.
 *
 * <p>{@link #PUNT} stands for "the switch cannot decide this packet": a policy part the compiler
 * cannot turn into rules (a predicate written in Java). It absorbs everything it is composed with,
 * and the runtime sends such packets to the controller, which runs the interpreter on them.
 */
final class Mod
{
    static final Mod IDENTITY = new Mod(new long[FlowKey.WORDS], new long[FlowKey.WORDS], 0, null);
    static final Mod PUNT = new Mod(new long[FlowKey.WORDS], new long[FlowKey.WORDS], 0, null, null, true);

    final long[] value;
    final long[] mask;
    final int outport;
    final Query query;
    /** For a counting query: the group whose packets this rule counts in the switch (no packet-in). */
    final java.util.List<Long> countGroup;
    /** Whether this is {@link #PUNT}. */
    final boolean punt;
    private final int hash;

    Mod(final long[] value, final long[] mask, final int outport, final Query query)
    {
        this(value, mask, outport, query, null);
    }

    Mod(final long[] value, final long[] mask, final int outport, final Query query,
        final java.util.List<Long> countGroup)
    {
        this(value, mask, outport, query, countGroup, false);
    }

    private Mod(final long[] value, final long[] mask, final int outport, final Query query,
        final java.util.List<Long> countGroup, final boolean punt)
    {
        this.punt = punt;
        this.value = value;
        this.mask = mask;
        this.outport = outport;
        this.query = query;
        this.countGroup = countGroup;
        this.hash = (Arrays.hashCode(value) * 31 + Arrays.hashCode(mask)) * 31 + outport * 7 +
            (query == null ? 0 : System.identityHashCode(query)) + (countGroup == null ? 0 : countGroup.hashCode()) +
            (punt ? 1 : 0);
    }

    /** Whether the packet has left the policy (delivered to a query): sequential composition stops here. */
    boolean terminal()
    {
        return query != null || punt;
    }

    /** This mod followed by {@code next}: next's writes win. */
    Mod then(final Mod next)
    {
        if (punt || next.punt)
        {
            return PUNT;
        }
        final long[] v = new long[FlowKey.WORDS];
        final long[] m = new long[FlowKey.WORDS];
        for (int i = 0; i < FlowKey.WORDS; i++)
        {
            v[i] = (value[i] & ~next.mask[i]) | next.value[i];
            m[i] = mask[i] | next.mask[i];
        }
        return new Mod(v, m, next.outport != 0 ? next.outport : outport, next.query != null ? next.query : query,
            next.query != null ? next.countGroup : countGroup);
    }

    Packet apply(final Packet p)
    {
        return p.modified(value, mask, outport, query);
    }

    @Override
    public boolean equals(final Object o)
    {
        if (!(o instanceof Mod))
        {
            return false;
        }
        final Mod m = (Mod)o;
        return m.punt == punt && m.outport == outport && m.query == query && java.util.Objects.equals(m.countGroup, countGroup) &&
            Arrays.equals(m.value, value) && Arrays.equals(m.mask, mask);
    }

    @Override
    public int hashCode()
    {
        return hash;
    }

    @Override
    public String toString()
    {
        if (punt)
        {
            return "controller(interpret)";
        }
        final StringBuilder sb = new StringBuilder();
        boolean any = false;
        for (final long w : mask)
        {
            any |= w != 0;
        }
        if (any)
        {
            sb.append("set(").append(dev.hostplane.vswitch.policy.internal.Matches.of(value, mask)).append(')');
        }
        if (outport != 0)
        {
            sb.append(sb.length() > 0 ? "," : "").append(outport == Policies.FLOOD_PORT ? "flood" : "fwd(" + outport + ")");
        }
        if (query != null)
        {
            sb.append(sb.length() > 0 ? "," : "").append(countGroup != null ? "count(" : "query(").append(query.name())
                .append(countGroup != null ? " " + countGroup : "").append(')');
        }
        return sb.length() == 0 ? "identity" : sb.toString();
    }
}
