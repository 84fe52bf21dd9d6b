package dev.hostplane.vswitch.policy;

import static dev.hostplane.vswitch.policy.Policies.fwd;
import static dev.hostplane.vswitch.policy.Policies.ip;
import static dev.hostplane.vswitch.policy.Policies.match;
import static dev.hostplane.vswitch.policy.Policies.union;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.hostplane.vswitch.IdleMode;
import dev.hostplane.vswitch.SwitchConfig;
import dev.hostplane.vswitch.VirtualSwitch;
import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.openflow.OpenFlowAgent;
import dev.hostplane.vswitch.openflow.OpenFlowTarget;
import dev.hostplane.vswitch.port.TapPort;
import dev.hostplane.vswitch.testing.Host;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pyretic's "big switch" over real devices: three of our switches in a line, each port a TAP
 * device, the switches cabled to each other through Linux bridges in a namespace of their own (a
 * frame a switch writes into its link TAP comes out of the neighbour's), three hosts in
 * namespaces of their own on the edges. One policy controller runs one policy over all three as
 * one switch with virtual ports 1 (host A, first switch), 3 (host C, middle switch) and 2 (host B,
 * last switch): ARP floods, IPv4 goes by destination, a firewall keeps C from B, and a counting
 * query counts ICMP per source, read back from the switches' flow counters. Real pings decide.
 */
class BigSwitchTapTest
{
    private static final long X = 0x1A;
    private static final long Y = 0x1B;
    private static final long Z = 0x1C;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final List<String> namespaces = new ArrayList<>();

    @AfterEach
    void close() throws Exception
    {
        for (int i = closing.size() - 1; i >= 0; i--)
        {
            closing.get(i).close();
        }
        namespaces.forEach(Host::deleteNamespace);
    }

    @Test
    void shouldRunOnePolicyOverThreeSwitchesJoinedByRealDevices() throws Exception
    {
        Host.assumeKernelNetworking("ip", "ping");
        final int net = ThreadLocalRandom.current().nextInt(2, 250);
        final String ipA = "10.77." + net + ".1";
        final String ipB = "10.77." + net + ".2";
        final String ipC = "10.77." + net + ".3";
        final String nsA = namespace("bsa");
        final String nsB = namespace("bsb");
        final String nsC = namespace("bsc");
        final String nsLinks = namespace("bsl");
        Host.runOk("ip", "netns", "exec", nsLinks, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
        Host.runOk("ip", "netns", "exec", nsLinks, "sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");

        final AtomicReference<Map<List<Long>, Long>> icmp = new AtomicReference<>(Map.of());
        // IPv4 only: ARP carries the addresses in the same fields, and B must still learn C's MAC.
        final Predicate cToB = match(FlowField.ETH_TYPE, 0x0800).and(match(FlowField.IPV4_SRC, ip(ipC)))
            .and(match(FlowField.IPV4_DST, ip(ipB)));
        final Predicate isIcmp = match(FlowField.ETH_TYPE, 0x0800).and(match(FlowField.IP_PROTO, 1));
        final Policy routing = Policies.if_(match(FlowField.ETH_TYPE, 0x0806), Policies.flood(), union(
            match(FlowField.IPV4_DST, ip(ipA)).then(fwd(1)),
            match(FlowField.IPV4_DST, ip(ipB)).then(fwd(2)),
            match(FlowField.IPV4_DST, ip(ipC)).then(fwd(3))));
        final Policy policy = cToB.not().then(union(routing,
            isIcmp.then(Policies.countPackets(100, FlowField.IPV4_SRC).onCounts(icmp::set))));
        final Topology line = Topology.builder()
            .port(1, X, 1).port(3, Y, 3).port(2, Z, 2)
            .link(X, 2, Y, 1).link(Y, 2, Z, 1)
            .build();
        final PolicyController controller = PolicyController.start(policy, line, new InetSocketAddress("127.0.0.1", 0));
        closing.add(controller);

        final VirtualSwitch x = sw();
        final VirtualSwitch y = sw();
        final VirtualSwitch z = sw();
        final String tapA = host(x, nsA, "bta", ipA);
        final String xy = link(x, nsLinks, "bxy");
        final String yx = link(y, nsLinks, "byx");
        final String yz = link(y, nsLinks, "byz");
        host(y, nsC, "btc", ipC);
        final String zy = link(z, nsLinks, "bzy");
        host(z, nsB, "btb", ipB);
        bridge(nsLinks, Host.uniqueName("bb1"), xy, yx);
        bridge(nsLinks, Host.uniqueName("bb2"), yz, zy);
        final String target = "tcp:127.0.0.1:" + controller.address().getPort();
        for (final Object[] s : new Object[][] {{x, X}, {y, Y}, {z, Z}})
        {
            ((VirtualSwitch)s[0]).start();
            closing.add(OpenFlowAgent.builder((VirtualSwitch)s[0]).controller(OpenFlowTarget.parse(target))
                .datapathId((Long)s[1]).build().start());
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!controller.switches().equals(Set.of(X, Y, Z)) && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
        }
        assertThat(controller.switches()).containsExactlyInAnyOrder(X, Y, Z);
        Thread.sleep(300);

        assertThat(Host.ping(nsA, ipB, 5, 5)).as("A pings B across all three switches (%s)", tapA).isTrue();
        final long a = ip(ipA);
        final long b = ip(ipB);
        final long c = ip(ipC);
        awaitCounts(icmp, Map.of(List.of(a), 5L, List.of(b), 5L));
        assertThat(Host.ping(nsC, ipA, 3, 3)).as("C (middle switch) pings A").isTrue();
        awaitCounts(icmp, Map.of(List.of(a), 8L, List.of(b), 5L, List.of(c), 3L));
        assertThat(Host.ping(nsC, ipB, 2, 1)).as("the firewall keeps C from B").isFalse();
        assertThat(Host.ping(nsB, ipC, 2, 1)).as("B's echo requests reach C, C's replies to B are dropped").isFalse();
        // The firewall runs before the count: C's echo requests to B were dropped uncounted, B's to C counted.
        awaitCounts(icmp, Map.of(List.of(a), 8L, List.of(b), 7L, List.of(c), 3L));
        long counted = 0;
        for (final VirtualSwitch s : List.of(x, y, z))
        {
            counted += s.dumpFlows().stream().filter(r -> r.sendFlowRemoved())
                .mapToLong(dev.hostplane.vswitch.classifier.FlowRule::packetCount).sum();
        }
        assertThat(counted).as("ICMP counted by the switches' own flows, not only at the controller").isPositive();
    }

    private String namespace(final String prefix)
    {
        final String ns = Host.uniqueName(prefix);
        Host.runOk("ip", "netns", "add", ns);
        namespaces.add(ns);
        Host.runOk("ip", "-n", ns, "link", "set", "lo", "up");
        return ns;
    }

    private VirtualSwitch sw()
    {
        final VirtualSwitch s = new VirtualSwitch(SwitchConfig.builder().idleMode(IdleMode.BLOCKING).build());
        closing.add(s);
        return s;
    }

    /** A host: a namespace whose only interface is one of the switch's TAP devices. */
    private static String host(final VirtualSwitch sw, final String ns, final String prefix, final String address)
        throws java.io.IOException
    {
        final String dev = Host.uniqueName(prefix);
        sw.addPort(TapPort.openInNamespace(ns, dev, true));
        Host.runOk("ip", "-n", ns, "addr", "add", address + "/24", "dev", dev);
        Host.runOk("ip", "-n", ns, "link", "set", dev, "up");
        return dev;
    }

    /** One end of a cable between switches: a TAP device in the links' namespace. */
    private static String link(final VirtualSwitch sw, final String ns, final String prefix) throws java.io.IOException
    {
        final String dev = Host.uniqueName(prefix);
        sw.addPort(TapPort.openInNamespace(ns, dev, true));
        return dev;
    }

    /** A cable: a bridge with just the two link TAP devices, so what one switch writes the other reads. */
    private static void bridge(final String ns, final String name, final String left, final String right)
    {
        Host.runOk("ip", "-n", ns, "link", "add", name, "type", "bridge", "stp_state", "0", "forward_delay", "0");
        for (final String dev : List.of(left, right))
        {
            Host.runOk("ip", "-n", ns, "link", "set", dev, "master", name);
            Host.runOk("ip", "-n", ns, "link", "set", dev, "up");
        }
        Host.runOk("ip", "-n", ns, "link", "set", name, "up");
    }

    private static void awaitCounts(final AtomicReference<Map<List<Long>, Long>> seen, final Map<List<Long>, Long> expected)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!seen.get().equals(expected) && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertThat(seen.get()).as("ICMP packets per source address").isEqualTo(expected);
    }
}
