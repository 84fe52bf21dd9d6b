package dev.hostplane.vswitch.policy;

import static dev.hostplane.vswitch.policy.Policies.drop;
import static dev.hostplane.vswitch.policy.Policies.flood;
import static dev.hostplane.vswitch.policy.Policies.fwd;
import static dev.hostplane.vswitch.policy.Policies.identity;
import static dev.hostplane.vswitch.policy.Policies.match;
import static dev.hostplane.vswitch.policy.Policies.modify;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.hostplane.vswitch.action.Action;
import dev.hostplane.vswitch.classifier.GroupTable;
import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.flow.FlowKey;
import dev.hostplane.vswitch.flow.FlowKeyExtractor;
import dev.hostplane.vswitch.flow.Match;
import dev.hostplane.vswitch.openflow.internal.ActionCodec;
import dev.hostplane.vswitch.openflow.internal.MatchCodec;
import dev.hostplane.vswitch.openflow.internal.OfError;
import dev.hostplane.vswitch.packet.EthernetFrame;
import dev.hostplane.vswitch.policy.internal.FrameActions;
import dev.hostplane.vswitch.testing.Frames;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.agrona.concurrent.UnsafeBuffer;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFVersion;

/**
 * The flows the runtimes install, against the interpreter, on real frames: random policies are
 * compiled, lowered for OpenFlow 1.3 (prerequisite bands, IN_PORT, explicit flood, punts to the
 * controller) for one switch and for a big switch of three switches in a line joined by
 * VLAN-tagged links, and each frame is walked through the switches' flow tables with the data
 * path's own actions, across the links, to the ports it leaves from. The frames that leave must be
 * exactly the interpreter's outputs, rewritten as the switch would rewrite them. Every flow must
 * also survive the OpenFlow codec both ways, with the protocol's prerequisite checks.
 */
class PolicyLoweringPropertyTest
{
    private static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);
    private static final long[] MACS = {0x020000000001L, 0x020000000002L, 0x020000000003L};
    private static final long[] IPS = {0x0A000001L, 0x0A000002L, 0x0A000003L};
    private static final List<Long> MAC_LIST = List.of(MACS[0], MACS[1], MACS[2]);
    private static final List<Long> IP_LIST = List.of(IPS[0], IPS[1], IPS[2]);
    private static final List<Integer> TP_LIST = List.of(22, 80, 0);
    private static final List<Integer> PORTS4 = List.of(1, 2, 3, 4);
    /** Switches of the big switch: 0xA has virtual ports 1 and 2, 0xB has 3, 0xC has 4. */
    private static final Topology LINE = Topology.builder()
        .port(1, 0xA, 1).port(2, 0xA, 2).port(3, 0xB, 7).port(4, 0xC, 5)
        .link(0xA, 3, 0xB, 1).link(0xB, 2, 0xC, 1)
        .build();

    @Property(tries = 300)
    void oneOpenFlowSwitchForwardsAsTheInterpreter(@ForAll("policies") final Policy policy,
        @ForAll("frames") final byte[] frame, @ForAll("inPorts") final int inPort)
    {
        final Map<Long, SwitchView> views = Map.of(0xAL, SwitchView.standalone(0xA, List.of(1, 2, 3, 4)));
        check(policy, frame, inPort, views, v -> new long[] {0xA, v});
    }

    @Property(tries = 300)
    void aBigSwitchOfThreeForwardsAsTheInterpreter(@ForAll("policies") final Policy policy,
        @ForAll("frames") final byte[] frame, @ForAll("inPorts") final int inPort)
    {
        final Map<Long, SwitchView> views = new HashMap<>();
        views.put(0xAL, LINE.view(0xA, List.of(1, 2, 3)));
        views.put(0xBL, LINE.view(0xB, List.of(1, 2, 7)));
        views.put(0xCL, LINE.view(0xC, List.of(1, 5, 9)));
        check(policy, frame, inPort, views, LINE::locate);
    }

    @Property(tries = 150)
    void anEmbeddedSwitchForwardsAsTheInterpreter(@ForAll("policies") final Policy policy,
        @ForAll("frames") final byte[] frame, @ForAll("inPorts") final int inPort)
    {
        final List<Rule> rules = policy.compile();
        final Lowering.Result r = Lowering.lower(rules, SwitchView.standalone(0, List.of(1, 2, 3, 4)), false, ids());
        final Set<String> actual = new TreeSet<>();
        final boolean punted = walk(Map.of(0L, r), Map.of(0L, SwitchView.standalone(0, List.of(1, 2, 3, 4))), 0L,
            inPort, frame, 0, actual, v -> new long[] {0, v});
        if (!punted)
        {
            assertThat(actual).as("policy %s%nflows %s", policy, Lowering.describe(r))
                .isEqualTo(expected(policy, frame, inPort));
        }
    }

    private void check(final Policy policy, final byte[] frame, final int inPort, final Map<Long, SwitchView> views,
        final java.util.function.IntFunction<long[]> locate)
    {
        final List<Rule> rules = policy.compile();
        final Map<Long, Lowering.Result> lowered = new HashMap<>();
        final Lowering.Ids ids = ids();
        for (final Map.Entry<Long, SwitchView> v : views.entrySet())
        {
            final Lowering.Result r = Lowering.lower(rules, v.getValue(), true, ids);
            lowered.put(v.getKey(), r);
            roundTripThroughOpenFlow(r);
        }
        final long[] at = locate.apply(inPort);
        final Set<String> actual = new TreeSet<>();
        final boolean punted = walk(lowered, views, at[0], (int)at[1], frame, 0, actual, locate);
        if (punted)
        {
            assertThat(mayPunt(policy, frame)).as(
                "only TTL matches, ARP address rewrites and Java predicates go to the controller: %s%n%s",
                policy, lowered).isTrue();
            return;
        }
        assertThat(actual).as("policy %s%nrules %s%nflows %s", policy, rules, describe(lowered))
            .isEqualTo(expected(policy, frame, inPort));
    }

    private static Map<Long, List<String>> describe(final Map<Long, Lowering.Result> lowered)
    {
        final Map<Long, List<String>> out = new HashMap<>();
        lowered.forEach((k, v) -> out.put(k, Lowering.describe(v)));
        return out;
    }

    private static boolean mayPunt(final Policy policy, final byte[] frame)
    {
        final String text = policy.toString();
        final boolean arp = (frame[12] & 0xFF) == 0x08 && (frame[13] & 0xFF) == 0x06;
        return text.contains("ip_ttl") || text.contains("javaTest") || arp && text.contains("modify(ipv4_");
    }

    /** What leaves where, by the interpreter: "port frame-key" lines. */
    private static Set<String> expected(final Policy policy, final byte[] frame, final int inPort)
    {
        final Packet in = Packet.of(key(frame, inPort));
        final Set<String> out = new TreeSet<>();
        for (final Packet p : policy.eval(in, new int[] {1, 2, 3, 4}))
        {
            if (p.query() != null || p.outport() == 0)
            {
                continue;
            }
            final List<Packet> copies = new ArrayList<>();
            if (p.outport() == Policies.FLOOD_PORT)
            {
                for (int port = 1; port <= 4; port++)
                {
                    if (port != inPort)
                    {
                        copies.add(p.withOutport(port));
                    }
                }
            }
            else
            {
                copies.add(p);
            }
            for (final Packet c : copies)
            {
                if (c.outport() >= 1 && c.outport() <= 4)
                {
                    out.add(c.outport() + " " + describe(PolicyEngine.rewrite(frame, inPort, in, c)));
                }
            }
        }
        return out;
    }

    /**
     * Runs a frame through a switch's flows and on across links; records what leaves edge ports.
     *
     * @return true when a flow sent it to the controller for interpretation.
     */
    private static boolean walk(final Map<Long, Lowering.Result> lowered, final Map<Long, SwitchView> views,
        final long dpid, final int physicalIn, final byte[] frame, final int hops, final Set<String> out,
        final java.util.function.IntFunction<long[]> locate)
    {
        assertThat(hops).as("a frame loops between switches").isLessThan(6);
        final Lowering.Result r = lowered.get(dpid);
        final SwitchView view = views.get(dpid);
        final FlowKey key = key(frame, physicalIn);
        Lowering.Flow hit = null;
        for (final Lowering.Flow f : r.flows())
        {
            if (new Predicate.MatchPredicate(f.match()).test(Packet.of(key)))
            {
                if (hit != null && hit.priority() == f.priority())
                {
                    throw new AssertionError("two flows of equal priority match " + key + ": " + hit + " and " + f);
                }
                if (hit == null || f.priority() > hit.priority())
                {
                    hit = f;
                }
            }
        }
        assertThat(hit).as("every frame hits a flow on switch %s: %s", Long.toHexString(dpid), key).isNotNull();
        if ((hit.cookie() & Lowering.PUNT_FLOW) != 0)
        {
            return true;
        }
        final FrameActions run = new FrameActions(frame, physicalIn, r.groups()::get);
        final AtomicBoolean punted = new AtomicBoolean();
        for (final FrameActions.Output o : run.run(hit.actions()))
        {
            final int port = o.port() == FrameActions.IN_PORT ? physicalIn : o.port();
            assertThat(port).as("no flood/all outputs in lowered flows").isNotEqualTo(FrameActions.FLOOD);
            if (port == FrameActions.CONTROLLER)
            {
                continue;
            }
            final Integer virtual = view.physicalToEdge.get(port);
            if (virtual != null)
            {
                out.add(virtual + " " + describe(untagged(o.frame())));
                continue;
            }
            assertThat(view.linkPorts).as("output to a port with no role").contains(port);
            final long[] peer = peerOf(views, dpid, port);
            punted.compareAndSet(false, walk(lowered, views, peer[0], (int)peer[1], o.frame(), hops + 1, out, locate));
        }
        return punted.get();
    }

    private static long[] peerOf(final Map<Long, SwitchView> views, final long dpid, final int port)
    {
        // The line topology's links.
        final long[][] links = {{0xA, 3, 0xB, 1}, {0xB, 2, 0xC, 1}};
        for (final long[] l : links)
        {
            if (l[0] == dpid && l[1] == port)
            {
                return new long[] {l[2], l[3]};
            }
            if (l[2] == dpid && l[3] == port)
            {
                return new long[] {l[0], l[1]};
            }
        }
        throw new AssertionError("no link at " + Long.toHexString(dpid) + ":" + port);
    }

    private static byte[] untagged(final byte[] frame)
    {
        return frame;
    }

    private static String describe(final byte[] frame)
    {
        final FlowKey k = key(frame, 0);
        return dev.hostplane.vswitch.policy.internal.Matches.describe(k.words()) + " len=" + frame.length;
    }

    private static FlowKey key(final byte[] frame, final int inPort)
    {
        final FlowKey k = new FlowKey();
        assertThat(new FlowKeyExtractor().extract(new UnsafeBuffer(frame), 0, frame.length, inPort, k))
            .isEqualTo(FlowKeyExtractor.OK);
        return k;
    }

    /** Every flow, encoded as OpenFlow 1.3 and decoded again (with the protocol's prerequisite checks), is itself. */
    private static void roundTripThroughOpenFlow(final Lowering.Result r)
    {
        final MatchCodec matches = new MatchCodec(OF13);
        final GroupTable groups = new GroupTable();
        r.groups().forEach((id, b) -> groups.put(new GroupTable.Group(id, GroupTable.Type.ALL, b)));
        final ActionCodec actions = new ActionCodec(OF13, matches, groups);
        for (final Lowering.Flow f : r.flows())
        {
            try
            {
                assertThat(matches.toMatch(matches.fromMatch(f.match()))).as("match of %s", f).isEqualTo(f.match());
                assertThat(actions.fromActions(actions.toActions(f.actions(), f.match()), false, false))
                    .as("actions of %s", f).isEqualTo(f.actions());
                for (final List<List<Action>> group : r.groups().values())
                {
                    for (final List<Action> b : group)
                    {
                        assertThat(actions.fromActions(actions.toActions(b, f.match()), false, true)).isEqualTo(b);
                    }
                }
            }
            catch (final OfError ex)
            {
                throw new AssertionError("OpenFlow refuses " + f + ": " + ex.getMessage(), ex);
            }
        }
    }

    private static Lowering.Ids ids()
    {
        final Map<Rule, Integer> rules = new HashMap<>();
        final Map<List<List<Action>>, Integer> groups = new HashMap<>();
        return new Lowering.Ids()
        {
            @Override
            public int ruleId(final Rule rule)
            {
                return rules.computeIfAbsent(rule, k -> rules.size() + 1);
            }

            @Override
            public int groupId(final List<List<Action>> buckets)
            {
                return groups.computeIfAbsent(buckets, k -> 0x5000_0000 + groups.size());
            }
        };
    }

    // ---------------------------------------------------------------- generators

    @Provide
    Arbitrary<Integer> inPorts()
    {
        return Arbitraries.of(PORTS4);
    }

    @Provide
    Arbitrary<byte[]> frames()
    {
        final Arbitrary<Long> mac = Arbitraries.of(MAC_LIST);
        final Arbitrary<Long> ip = Arbitraries.of(IP_LIST);
        final Arbitrary<Integer> tp = Arbitraries.of(TP_LIST);
        return Arbitraries.frequencyOf(
            Tuple.of(3, Combinators.combine(mac, ip, tp).as((m, i, t) -> build(b -> Frames.udp4(b, m, MACS[0], -1,
                (int)IPS[1], i.intValue(), 5000, t, 4)))),
            Tuple.of(3, Combinators.combine(mac, ip, tp).as((m, i, t) -> build(b -> Frames.tcp4(b, m, MACS[1],
                (int)IPS[2], i.intValue(), 1000, t, 0x10, 0)))),
            Tuple.of(2, Combinators.combine(mac, ip, Arbitraries.of(64, 1)).as((m, i, ttl) -> build(b ->
                Frames.icmp4(b, m, MACS[2], (int)IPS[0], i.intValue(), ttl)))),
            Tuple.of(2, Combinators.combine(mac, ip).as((m, i) -> build(b -> arp(b, m, i.intValue())))),
            Tuple.of(1, Combinators.combine(mac, tp).as((m, t) -> build(b -> Frames.udp6(b, m, MACS[0], 1, 2, 5000, t, 4)))),
            Tuple.of(1, mac.map(m -> build(b ->
            {
                final int l = Frames.ethernet(b, m, MACS[1], -1, 0x88B5);
                b.putLong(l, 0x1122334455667788L);
                return l + 8 + 38;
            }))));
    }

    private static byte[] build(final java.util.function.ToIntFunction<UnsafeBuffer> writer)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[256]);
        final int len = writer.applyAsInt(b);
        final byte[] out = new byte[len];
        b.getBytes(0, out);
        return out;
    }

    private static int arp(final UnsafeBuffer b, final long dst, final int targetIp)
    {
        final int l3 = Frames.ethernet(b, dst, MACS[1], -1, EthernetFrame.ETHER_TYPE_ARP);
        b.putShort(l3, (short)1, ByteOrder.BIG_ENDIAN);
        b.putShort(l3 + 2, (short)0x0800, ByteOrder.BIG_ENDIAN);
        b.putByte(l3 + 4, (byte)6);
        b.putByte(l3 + 5, (byte)4);
        b.putShort(l3 + 6, (short)1, ByteOrder.BIG_ENDIAN);
        b.putLong(l3 + 8, MACS[1] << 16, ByteOrder.BIG_ENDIAN);
        b.putInt(l3 + 14, (int)IPS[1], ByteOrder.BIG_ENDIAN);
        b.putLong(l3 + 18, 0, ByteOrder.BIG_ENDIAN);
        b.putInt(l3 + 24, targetIp, ByteOrder.BIG_ENDIAN);
        return Math.max(l3 + 28, 60);
    }

    @Provide
    Arbitrary<Policy> policies()
    {
        return policy(3);
    }

    private Arbitrary<Predicate> predicate(final int depth)
    {
        final Arbitrary<Predicate> leaf = Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.of(PORTS4).map(v -> match(FlowField.IN_PORT, v))),
            Tuple.of(2, Arbitraries.of(MAC_LIST).map(v -> match(FlowField.ETH_DST, v))),
            Tuple.of(3, Arbitraries.of(IP_LIST).map(v -> match(FlowField.IPV4_DST, v))),
            Tuple.of(3, Arbitraries.of(TP_LIST).map(v -> match(FlowField.TP_DST, v))),
            Tuple.of(2, Arbitraries.of(6, 17, 1).map(v -> match(FlowField.IP_PROTO, v))),
            Tuple.of(1, Arbitraries.of(0x0800, 0x0806, 0x86DD).map(v -> match(FlowField.ETH_TYPE, v))),
            Tuple.of(1, Arbitraries.just(match(FlowField.ICMP_TYPE, 8))),
            Tuple.of(1, Arbitraries.just(match(FlowField.IP_TTL, 64))),
            Tuple.of(1, Arbitraries.just(Policies.predicate("javaTest", p -> p.get(FlowField.ETH_DST) == MACS[1]))),
            Tuple.of(1, Arbitraries.just(identity())),
            Tuple.of(1, Arbitraries.just(drop())));
        if (depth == 0)
        {
            return leaf;
        }
        final Arbitrary<Predicate> sub = predicate(depth - 1);
        return Arbitraries.frequencyOf(
            Tuple.of(3, leaf),
            Tuple.of(1, Combinators.combine(sub, sub).as(Predicate::and)),
            Tuple.of(1, Combinators.combine(sub, sub).as(Predicate::or)),
            Tuple.of(1, sub.map(Predicate::not)));
    }

    private Arbitrary<Policy> policy(final int depth)
    {
        final Arbitrary<Policy> leaf = Arbitraries.frequencyOf(
            Tuple.of(3, predicate(1).map(pr -> (Policy)pr)),
            Tuple.of(4, Arbitraries.of(PORTS4).map(v -> fwd(v))),
            Tuple.of(2, Arbitraries.just(flood())),
            Tuple.of(1, Arbitraries.of(IP_LIST).map(v -> modify(FlowField.IPV4_DST, v))),
            Tuple.of(1, Arbitraries.of(MAC_LIST).map(v -> modify(FlowField.ETH_DST, v))),
            Tuple.of(1, Arbitraries.of(TP_LIST).map(v -> modify(FlowField.TP_DST, v))));
        if (depth == 0)
        {
            return leaf;
        }
        final Arbitrary<Policy> sub = policy(depth - 1);
        return Arbitraries.frequencyOf(
            Tuple.of(2, leaf),
            Tuple.of(2, Combinators.combine(sub, sub).as(Policy::plus)),
            Tuple.of(2, Combinators.combine(sub, sub).as(Policy::then)),
            Tuple.of(1, Combinators.combine(predicate(1), sub, sub).as(Policies::if_)));
    }

    @SuppressWarnings("unused")
    private static Set<Integer> ints(final int... v)
    {
        final Set<Integer> s = new HashSet<>();
        for (final int i : v)
        {
            s.add(i);
        }
        return s;
    }

    @SuppressWarnings("unused")
    private static Match any()
    {
        return Match.ALL;
    }
}
