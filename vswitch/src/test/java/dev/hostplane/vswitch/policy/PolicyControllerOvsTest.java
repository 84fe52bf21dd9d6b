package dev.hostplane.vswitch.policy;

import static dev.hostplane.vswitch.policy.Policies.fwd;
import static dev.hostplane.vswitch.policy.Policies.ip;
import static dev.hostplane.vswitch.policy.Policies.match;
import static dev.hostplane.vswitch.policy.Policies.union;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.testing.Host;
import dev.hostplane.vswitch.testing.OvsUserspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy controller drives Open vSwitch (userspace datapath) as well as our switch: OVS runs
 * in a namespace of its own and reaches the controller through a Unix domain socket in its run
 * directory ({@code set-controller br0 unix:PATH}); the policy (ARP flood, IPv4 routing by destination, a
 * count of ICMP per source) is compiled and installed into OVS over OpenFlow 1.3, ping between the
 * two hosts works only through it, and the counting query's totals are read back from OVS's flow
 * statistics. The totals must equal, exactly, the ICMP messages each host received (its kernel's
 * own counters): every packet that crossed OVS, counted once.
 */
class PolicyControllerOvsTest
{
    private static final Pattern COUNTING_FLOW =
        Pattern.compile("n_packets=(\\d+).*send_flow_rem .*icmp,nw_src=([0-9.]+),nw_dst=([0-9.]+) actions=output");

    @Test
    void shouldProgramOpenVswitchAndReadItsCounters(@TempDir final Path dir) throws Exception
    {
        Host.assumeKernelNetworking("ip", "ping");
        OvsUserspace.assumeInstalled();
        final AtomicReference<Map<List<Long>, Long>> icmp = new AtomicReference<>(Map.of());
        final Policy policy = union(Policies.if_(match(FlowField.ETH_TYPE, 0x0806), Policies.flood(), union(
                match(FlowField.IPV4_DST, ip(OvsUserspace.IP_C)).then(fwd(1)),
                match(FlowField.IPV4_DST, ip(OvsUserspace.IP_D)).then(fwd(2)))),
            match(FlowField.ETH_TYPE, 0x0800).and(match(FlowField.IP_PROTO, 1))
                .then(Policies.countPackets(100, FlowField.IPV4_SRC).onCounts(icmp::set)));
        final Path socket;
        try (OvsUserspace ovs = OvsUserspace.start(dir);
             PolicyController controller = PolicyController.start(policy, null,
                 UnixDomainSocketAddress.of(ovs.runFile("controller.sock"))))
        {
            socket = ovs.runFile("controller.sock");
            // The hosts ARP as usual. The echo request of this ping waits in C's neighbour queue until
            // ARP gets through, which is once the policy is in: it then crosses OVS (and its reply
            // comes back) ahead of, or among, the pings below. So what crossed is read from the hosts'
            // ICMP counters, not from ping's count.
            assertThat(Host.ping(ovs.nsC, OvsUserspace.IP_D, 1, 1)).as("fail-mode secure, no controller: no ping")
                .isFalse();
            assertThat(crossed(ovs)).as("nothing crossed OVS without a controller").isEqualTo(Map.of(
                List.of(ip(OvsUserspace.IP_C)), 0L, List.of(ip(OvsUserspace.IP_D)), 0L));
            ovs.setController("unix:" + socket);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (controller.switches().isEmpty() && System.nanoTime() < deadline)
            {
                Thread.sleep(20);
            }
            assertThat(controller.switches()).as("OVS connected over %s: %s", socket, ovs.vswitchdLog()).hasSize(1);
            Thread.sleep(300);
            // The first echo request and reply of each source reach the controller, which counts them
            // and then reinstalls OVS with a counting flow per source while the pings go on. OVS books
            // a datapath flow's packets to its rules only every half second or so, to the rules the
            // flow translates to then: unless the reinstall waits for the first packets to be booked,
            // they are counted at the controller and again in the new counting flows.
            assertThat(Host.ping(ovs.nsC, OvsUserspace.IP_D, 4, 4)).as("ping through OVS programmed by the policy: %s",
                ovs.dumpFlows()).isTrue();
            final Map<List<Long>, Long> first = awaitCounts(icmp, ovs);
            assertThat(first.values()).as("at least the 4 pings each way: %s", first).allMatch(n -> n >= 4);
            final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (countingFlows(ovs.dumpFlows()).size() < 2 && System.nanoTime() < until)
            {
                Thread.sleep(50);
            }
            assertThat(countingFlows(ovs.dumpFlows())).as("a counting flow per source in OVS").hasSize(2);

            // Now OVS counts them all, and the controller reads them from its flow statistics.
            assertThat(Host.ping(ovs.nsC, OvsUserspace.IP_D, 4, 4)).as("ping again").isTrue();
            final Map<List<Long>, Long> second = awaitCounts(icmp, ovs);
            first.forEach((source, n) -> assertThat(second.get(source)).as("4 more from %s", source).isEqualTo(n + 4));
            final String flows = ovs.dumpFlows();
            // At least the first packet of each source went to the controller, which learned the
            // source from it; every later one OVS counted in a counting flow.
            final long all = second.values().stream().mapToLong(Long::longValue).sum();
            assertThat(countingFlows(flows).values().stream().mapToLong(Long::longValue).sum())
                .as("echo requests and replies OVS itself counted: %s", flows).isBetween(8L, all - 2);
        }
        assertThat(Files.exists(socket)).as("the socket file goes with the controller").isFalse();
    }

    /** The counting flows in a dump-flows output that forward between the hosts: source/destination to packets. */
    private static Map<String, Long> countingFlows(final String dump)
    {
        final Map<String, Long> out = new TreeMap<>();
        final Matcher m = COUNTING_FLOW.matcher(dump);
        while (m.find())
        {
            if (!m.group(2).equals(m.group(3)))
            {
                out.put(m.group(2) + ">" + m.group(3), Long.parseLong(m.group(1)));
            }
        }
        return out;
    }

    /**
     * Waits until the query's totals equal what crossed OVS, then checks again 1.5 s later (a double
     * count would show only once OVS books its datapath flows' packets).
     *
     * @return the totals.
     */
    private static Map<List<Long>, Long> awaitCounts(final AtomicReference<Map<List<Long>, Long>> counts,
        final OvsUserspace ovs) throws InterruptedException
    {
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!counts.get().equals(crossed(ovs)) && System.nanoTime() < until)
        {
            Thread.sleep(20);
        }
        Thread.sleep(1_500);
        final Map<List<Long>, Long> crossed = crossed(ovs);
        assertThat(counts.get()).as("ICMP per source, read from OVS's flow stats, against the ICMP messages each "
            + "host received: %s", ovs.dumpFlows()).isEqualTo(crossed);
        return crossed;
    }

    /** ICMP messages each source got through OVS: what the other host's kernel counted as received. */
    private static Map<List<Long>, Long> crossed(final OvsUserspace ovs)
    {
        return Map.of(List.of(ip(OvsUserspace.IP_C)), icmpReceived(ovs.nsD), List.of(ip(OvsUserspace.IP_D)),
            icmpReceived(ovs.nsC));
    }

    /** {@code Icmp: InMsgs} of a namespace's /proc/net/snmp (its kernel's count of ICMP messages received). */
    private static long icmpReceived(final String ns)
    {
        final List<String> icmp = Host.runOk("ip", "netns", "exec", ns, "cat", "/proc/net/snmp").lines()
            .filter(l -> l.startsWith("Icmp: ")).toList();
        final List<String> names = List.of(icmp.get(0).split("\\s+"));
        return Long.parseLong(icmp.get(1).split("\\s+")[names.indexOf("InMsgs")]);
    }
}
