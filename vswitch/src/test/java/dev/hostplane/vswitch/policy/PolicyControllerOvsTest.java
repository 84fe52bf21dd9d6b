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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

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
 * statistics.
 */
class PolicyControllerOvsTest
{
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
            assertThat(Host.ping(ovs.nsC, OvsUserspace.IP_D, 1, 1)).as("fail-mode secure, no controller: no ping")
                .isFalse();
            ovs.setController("unix:" + socket);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (controller.switches().isEmpty() && System.nanoTime() < deadline)
            {
                Thread.sleep(20);
            }
            assertThat(controller.switches()).as("OVS connected over %s: %s", socket, ovs.vswitchdLog()).hasSize(1);
            Thread.sleep(300);
            assertThat(Host.ping(ovs.nsC, OvsUserspace.IP_D, 4, 4)).as("ping through OVS programmed by the policy: %s",
                ovs.dumpFlows()).isTrue();
            final Map<List<Long>, Long> expected = Map.of(List.of(ip(OvsUserspace.IP_C)), 4L,
                List.of(ip(OvsUserspace.IP_D)), 4L);
            final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!icmp.get().equals(expected) && System.nanoTime() < until)
            {
                Thread.sleep(10);
            }
            assertThat(icmp.get()).as("ICMP per source, read from OVS's flow stats: %s", ovs.dumpFlows())
                .isEqualTo(expected);
            final String flows = ovs.dumpFlows();
            assertThat(flows).as(flows).containsPattern("cookie=0x50595245\\S*, .*n_packets=[1-9].*icmp")
                .contains("send_flow_rem");
        }
        assertThat(Files.exists(socket)).as("the socket file goes with the controller").isFalse();
    }
}
