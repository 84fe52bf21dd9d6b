package dev.hostplane.vswitch.policy;

import java.util.Arrays;
import java.util.List;

import dev.hostplane.vswitch.action.Actions;
import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.flow.FlowKey;
import dev.hostplane.vswitch.flow.Match;
import dev.hostplane.vswitch.packet.EthernetFrame;
import dev.hostplane.vswitch.packet.Ipv4Header;

/**
 * The policy language (Pyretic's vocabulary in Java). A routing example from the Pyretic article:
 *
 * <pre>{@code
 * Policy route = if_(match(IPV4_DST, ip("10.0.0.1")), fwd(1), fwd(2));
 * Policy firewall = match(ETH_TYPE, 0x0800).and(match(TP_DST, 22).not()).or(match(ETH_TYPE, 0x0806));
 * Policy monitored = firewall.then(route.plus(countPackets(1000, IPV4_SRC).onCounts(System.out::println)));
 * }</pre>
 */
public final class Policies
{
    /** The outport value that stands for flood (all ports but the in_port). */
    public static final int FLOOD_PORT = 0xFFFB;

    private Policies()
    {
    }

    /**
     * Packets whose field has this value.
     *
     * @param field field.
     * @param value value.
     * @return the predicate.
     */
    public static Predicate match(final FlowField field, final long value)
    {
        return new Predicate.MatchPredicate(Match.builder().exact(field, value).build());
    }

    /**
     * Packets matching a classifier match (masks and prefixes allowed).
     *
     * @param match the match.
     * @return the predicate.
     */
    public static Predicate match(final Match match)
    {
        return new Predicate.MatchPredicate(match);
    }

    /**
     * Packets whose IPv4 field is in a prefix.
     *
     * @param field IPV4_SRC or IPV4_DST.
     * @param address prefix address.
     * @param length prefix length.
     * @return the predicate.
     */
    public static Predicate matchPrefix(final FlowField field, final int address, final int length)
    {
        return new Predicate.MatchPredicate(Match.builder().ipv4Prefix(field, address, length).build());
    }

    /**
     * A predicate written in Java, for tests the match language cannot say. The switch cannot run
     * it: packets that reach it go to the controller, which evaluates the whole policy on them and
     * sends the results back out (so keep it behind cheaper matches that send it little traffic).
     *
     * @param name name for traces and rule listings.
     * @param test the test; called on the runtime's thread.
     * @return the predicate.
     */
    public static Predicate predicate(final String name, final java.util.function.Predicate<Packet> test)
    {
        return new Predicate.Opaque(name, test);
    }

    /**
     * Passes every packet unchanged.
     *
     * @return identity.
     */
    public static Predicate identity()
    {
        return new Predicate.MatchPredicate(Match.ALL);
    }

    /**
     * Drops every packet.
     *
     * @return drop.
     */
    public static Predicate drop()
    {
        return new Predicate.Nothing();
    }

    /**
     * Writes a header field.
     *
     * @param field a field the switch can set.
     * @param value value.
     * @return the policy.
     */
    public static Policy modify(final FlowField field, final long value)
    {
        Actions.setField(field, value);
        final long[] v = new long[FlowKey.WORDS];
        final long[] m = new long[FlowKey.WORDS];
        final FlowKey key = new FlowKey().set(field, value);
        v[field.word()] = key.word(field.word());
        m[field.word()] = field.wordMask();
        return new Policy.Modification(new Mod(v, m, 0, null), "modify(" + field.displayName() + "=" +
            show(field, value) + ")");
    }

    /**
     * Sends the packet out of a port.
     *
     * @param port port number.
     * @return the policy.
     */
    public static Policy fwd(final int port)
    {
        if (port < 1 || port > 0xFEFF)
        {
            throw new IllegalArgumentException("fwd port must be 1..65279: " + port);
        }
        return new Policy.Modification(new Mod(Mod.IDENTITY.value, Mod.IDENTITY.mask, port, null), "fwd(" + port + ")");
    }

    /**
     * Sends the packet out of every port but the one it came in on.
     *
     * @return the policy.
     */
    public static Policy flood()
    {
        return new Policy.Modification(new Mod(Mod.IDENTITY.value, Mod.IDENTITY.mask, FLOOD_PORT, null), "flood()");
    }

    /**
     * {@code then} for packets that pass {@code condition}, {@code otherwise} for the rest.
     *
     * @param condition the test.
     * @param then policy for passing packets.
     * @param otherwise policy for the others.
     * @return the policy.
     */
    public static Policy if_(final Predicate condition, final Policy then, final Policy otherwise)
    {
        return condition.then(then).plus(condition.not().then(otherwise));
    }

    /**
     * Parallel composition of several policies.
     *
     * @param policies at least one.
     * @return the union.
     */
    public static Policy union(final Policy... policies)
    {
        return policies.length == 1 ? policies[0] : new Policy.Parallel(Arrays.asList(policies));
    }

    /**
     * Sequential composition of several policies.
     *
     * @param policies at least one.
     * @return the pipeline.
     */
    public static Policy seq(final Policy... policies)
    {
        return policies.length == 1 ? policies[0] : new Policy.Sequential(Arrays.asList(policies));
    }

    /**
     * The first {@code limit} packets of each group, to a callback.
     *
     * @param limit packets per group.
     * @param groupBy fields that make a group (none: one group).
     * @return the query.
     */
    public static PacketsQuery packets(final int limit, final FlowField... groupBy)
    {
        return new PacketsQuery(limit, List.of(groupBy));
    }

    /**
     * Packet counts per group, every interval.
     *
     * @param intervalMillis reporting interval.
     * @param groupBy fields that make a group (none: one total).
     * @return the query.
     */
    public static CountQuery countPackets(final long intervalMillis, final FlowField... groupBy)
    {
        return new CountQuery(intervalMillis, List.of(groupBy), false);
    }

    /**
     * Byte counts per group, every interval.
     *
     * @param intervalMillis reporting interval.
     * @param groupBy fields that make a group.
     * @return the query.
     */
    public static CountQuery countBytes(final long intervalMillis, final FlowField... groupBy)
    {
        return new CountQuery(intervalMillis, List.of(groupBy), true);
    }

    /**
     * A MAC address as a field value.
     *
     * @param text e.g. "02:00:00:00:00:01".
     * @return value.
     */
    public static long mac(final String text)
    {
        return EthernetFrame.parseMac(text);
    }

    /**
     * An IPv4 address as a field value.
     *
     * @param text dotted quad.
     * @return value.
     */
    public static long ip(final String text)
    {
        return Ipv4Header.parseAddress(text) & 0xFFFF_FFFFL;
    }

    private static String show(final FlowField f, final long v)
    {
        switch (f)
        {
            case ETH_SRC:
            case ETH_DST:
                return EthernetFrame.macToString(v);
            case IPV4_SRC:
            case IPV4_DST:
                return Ipv4Header.addressToString((int)v);
            default:
                return Long.toString(v);
        }
    }
}
