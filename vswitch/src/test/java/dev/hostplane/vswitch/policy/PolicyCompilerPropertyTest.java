package dev.hostplane.vswitch.policy;

import static dev.hostplane.vswitch.policy.Policies.drop;
import static dev.hostplane.vswitch.policy.Policies.flood;
import static dev.hostplane.vswitch.policy.Policies.fwd;
import static dev.hostplane.vswitch.policy.Policies.identity;
import static dev.hostplane.vswitch.policy.Policies.if_;
import static dev.hostplane.vswitch.policy.Policies.match;
import static dev.hostplane.vswitch.policy.Policies.modify;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.hostplane.vswitch.SwitchConfig;
import dev.hostplane.vswitch.TraceResult;
import dev.hostplane.vswitch.VirtualSwitch;
import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.flow.FlowKey;
import dev.hostplane.vswitch.flow.FlowKeyExtractor;
import dev.hostplane.vswitch.testing.Frames;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The compiler against the interpreter: for random policies (matches, modifications, forwarding,
 * flood, drop, {@code +}, {@code >>}, if_, and/or/not) and random packets, the first matching
 * compiled rule's actions give exactly the packets the interpreter gives; and once installed in a
 * switch, the switch's own trace of a real frame sends it to exactly the interpreter's ports, the
 * port it came in on included when the policy forwards it there.
 */
class PolicyCompilerPropertyTest
{
    private static final int[] PORTS = {1, 2, 3};
    private static final long[] MACS = {0x020000000001L, 0x020000000002L, 0x020000000003L};
    private static final long[] IPS = {0x0A000001L, 0x0A000002L, 0x0A000003L};
    private static final int[] TP = {22, 80};
    private static final int[] PROTO = {6, 17};
    private static final List<Integer> PORT_LIST = List.of(1, 2, 3);
    private static final List<Long> MAC_LIST = List.of(MACS[0], MACS[1], MACS[2]);
    private static final List<Long> IP_LIST = List.of(IPS[0], IPS[1], IPS[2]);
    private static final List<Integer> TP_LIST = List.of(22, 80);
    private static final List<Integer> PROTO_LIST = List.of(6, 17);

    @Property(tries = 400)
    void compiledRulesEqualTheInterpreter(@ForAll("policies") final Policy policy, @ForAll("packets") final Packet p)
    {
        final List<Rule> rules = policy.compile();
        assertThat(rules).isNotEmpty();
        assertThat(rules.get(rules.size() - 1).match().equals(dev.hostplane.vswitch.flow.Match.ALL) ||
            coversEverything(rules)).as("classifier ends in a catch-all: %s", rules).isTrue();
        Rule first = null;
        for (final Rule r : rules)
        {
            if (new Predicate.MatchPredicate(r.match()).test(p))
            {
                first = r;
                break;
            }
        }
        assertThat(first).as("some rule matches %s in %s", p, rules).isNotNull();
        final Set<Packet> compiled = new HashSet<>();
        for (final Mod m : first.actions())
        {
            compiled.addAll(expand(m.apply(p), p.inport()));
        }
        final Set<Packet> interpreted = new HashSet<>();
        for (final Packet q : policy.eval(p, PORTS))
        {
            interpreted.addAll(expand(q, p.inport()));
        }
        assertThat(compiled).as("policy %s on %s; rules %s", policy, p, rules).isEqualTo(interpreted);
    }

    @Property(tries = 60)
    void installedSwitchForwardsToTheInterpretersPorts(@ForAll("policies") final Policy policy,
        @ForAll("packets") final Packet p)
    {
        try (VirtualSwitch sw = new VirtualSwitch(SwitchConfig.builder().build()))
        {
            for (final int port : PORTS)
            {
                sw.addEndpointPort("p" + port);
            }
            try (PolicyRuntime rt = PolicyRuntime.attach(sw, policy))
            {
                final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
                final int len = p.get(FlowField.IP_PROTO) == 6 ?
                    Frames.tcp4(frame, p.get(FlowField.ETH_DST), 0x02AA00000001L, 0x0A0000FE, (int)p.get(FlowField.IPV4_DST),
                        1000, (int)p.get(FlowField.TP_DST), 0x10, 0) :
                    Frames.udp4(frame, p.get(FlowField.ETH_DST), 0x02AA00000001L, -1, 0x0A0000FE,
                        (int)p.get(FlowField.IPV4_DST), 1000, (int)p.get(FlowField.TP_DST), 0);
                final FlowKey key = new FlowKey();
                assertThat(new FlowKeyExtractor().extract(frame, 0, len, p.inport(), key)).isEqualTo(FlowKeyExtractor.OK);
                final Packet real = Packet.of(key);
                final TraceResult trace = sw.trace(frame, 0, len, p.inport());
                final Set<Integer> expected = new LinkedHashSet<>();
                for (final Packet q : policy.eval(real, PORTS))
                {
                    for (final Packet e : expand(q, real.inport()))
                    {
                        if (e.outport() != 0)
                        {
                            expected.add(e.outport());
                        }
                    }
                }
                assertThat(new HashSet<>(trace.outputPorts())).as("policy %s; rules %s; trace %s", policy, rt.rules(),
                    trace).isEqualTo(expected);
            }
        }
    }

    private static boolean coversEverything(final List<Rule> rules)
    {
        return rules.stream().anyMatch(r -> r.match().equals(dev.hostplane.vswitch.flow.Match.ALL));
    }

    private static List<Packet> expand(final Packet q, final int inport)
    {
        final List<Packet> out = new ArrayList<>();
        if (q.outport() == Policies.FLOOD_PORT)
        {
            for (final int port : PORTS)
            {
                if (port != inport)
                {
                    out.add(q.withOutport(port));
                }
            }
        }
        else
        {
            out.add(q);
        }
        return out;
    }

    @Provide
    Arbitrary<Packet> packets()
    {
        return Arbitraries.integers().between(0, 3 * 3 * 3 * 2 * 2 - 1).map(i ->
        {
            final FlowKey k = new FlowKey();
            k.set(FlowField.IN_PORT, PORTS[i % 3]);
            k.set(FlowField.ETH_DST, MACS[i / 3 % 3]);
            k.set(FlowField.ETH_TYPE, 0x0800);
            k.set(FlowField.IPV4_DST, IPS[i / 9 % 3]);
            k.set(FlowField.IP_PROTO, PROTO[i / 27 % 2]);
            k.set(FlowField.TP_DST, TP[i / 54 % 2]);
            return Packet.of(k);
        });
    }

    @Provide
    Arbitrary<Policy> policies()
    {
        return policy(3);
    }

    private Arbitrary<Predicate> predicate(final int depth)
    {
        final Arbitrary<Predicate> leaf = Arbitraries.oneOf(
            Arbitraries.of(PORT_LIST).map(v -> match(FlowField.IN_PORT, v)),
            Arbitraries.of(MAC_LIST).map(v -> match(FlowField.ETH_DST, v)),
            Arbitraries.of(IP_LIST).map(v -> match(FlowField.IPV4_DST, v)),
            Arbitraries.of(TP_LIST).map(v -> match(FlowField.TP_DST, v)),
            Arbitraries.of(PROTO_LIST).map(v -> match(FlowField.IP_PROTO, v)),
            Arbitraries.just(identity()),
            Arbitraries.just(drop()));
        if (depth == 0)
        {
            return leaf;
        }
        final Arbitrary<Predicate> sub = predicate(depth - 1);
        return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, leaf),
            net.jqwik.api.Tuple.of(1, net.jqwik.api.Combinators.combine(sub, sub).as(Predicate::and)),
            net.jqwik.api.Tuple.of(1, net.jqwik.api.Combinators.combine(sub, sub).as(Predicate::or)),
            net.jqwik.api.Tuple.of(1, sub.map(Predicate::not)));
    }

    private Arbitrary<Policy> policy(final int depth)
    {
        final Arbitrary<Policy> leaf = Arbitraries.oneOf(
            predicate(1).map(pr -> (Policy)pr),
            Arbitraries.of(PORT_LIST).map(v -> fwd(v)),
            Arbitraries.just(flood()),
            Arbitraries.of(IP_LIST).map(v -> modify(FlowField.IPV4_DST, v)),
            Arbitraries.of(MAC_LIST).map(v -> modify(FlowField.ETH_DST, v)),
            Arbitraries.of(TP_LIST).map(v -> modify(FlowField.TP_DST, v)));
        if (depth == 0)
        {
            return leaf;
        }
        final Arbitrary<Policy> sub = policy(depth - 1);
        return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(2, leaf),
            net.jqwik.api.Tuple.of(2, net.jqwik.api.Combinators.combine(sub, sub).as(Policy::plus)),
            net.jqwik.api.Tuple.of(2, net.jqwik.api.Combinators.combine(sub, sub).as(Policy::then)),
            net.jqwik.api.Tuple.of(1, net.jqwik.api.Combinators.combine(predicate(1), sub, sub).as(Policies::if_)));
    }
}
