package dev.hostplane.vswitch.openflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.hostplane.vswitch.IdleMode;
import dev.hostplane.vswitch.SwitchConfig;
import dev.hostplane.vswitch.VirtualSwitch;
import dev.hostplane.vswitch.testing.Host;
import dev.hostplane.vswitch.testing.OfCtl;
import dev.hostplane.vswitch.testing.TwoNamespaces;
import org.junit.jupiter.api.Test;

/**
 * The acceptance scenario on real traffic: two namespaces on TAP ports of the switch, the
 * switch programmed only by {@code ovs-ofctl -O OpenFlow13} over TCP. No flows: ping fails; flows
 * added both ways: ping and iperf3 work and dump-flows counts them; mod-flows to drop stops them;
 * del-flows: ping fails again. dump-ports and packet-out against live ports too.
 */
class OpenFlowTapAcceptanceTest
{
    @Test
    void shouldForwardOnlyWhatOvsOfctlProgrammed() throws Exception
    {
        Host.assumeKernelNetworking("ip", "ping", "iperf3", "ovs-ofctl");
        try (VirtualSwitch sw = new VirtualSwitch(SwitchConfig.builder().idleMode(IdleMode.BLOCKING).build());
             TwoNamespaces ns = new TwoNamespaces(sw);
             OpenFlowAgent agent = OpenFlowAgent.builder(sw).listen(OpenFlowTarget.parseListen("0")).build().start())
        {
            sw.start();
            final OfCtl ofctl = new OfCtl("tcp:127.0.0.1:" + agent.listenAddresses().get(0).getPort());
            assertThat(ofctl.ok("show")).contains("1(" + ns.tapA + ")").contains("2(" + ns.tapB + ")");

            assertThat(Host.ping(ns.nsA, ns.ipB, 2, 1)).as("no flows: table miss drops").isFalse();

            ofctl.ok("add-flow", "in_port=1,actions=output:2");
            ofctl.ok("add-flow", "in_port=2,actions=output:1");
            assertThat(Host.ping(ns.nsA, ns.ipB, 3, 3)).as("ping with flows both ways").isTrue();
            final String dump = ofctl.ok("dump-flows");
            assertThat(packets(dump, "in_port=1")).as(dump).isGreaterThanOrEqualTo(3);
            assertThat(packets(dump, "in_port=2")).as(dump).isGreaterThanOrEqualTo(3);

            // Exact counts after real traffic: a flow of its own (above add-flow's default priority 32768)
            // for A's echo requests counts each ping
            // (98 bytes on the wire: 14 Ethernet + 20 IPv4 + 8 ICMP + 56 data), read back by
            // dump-flows and dump-aggregate.
            ofctl.ok("add-flow", "priority=40000,icmp,in_port=1,icmp_type=8,actions=output:2");
            assertThat(Host.ping(ns.nsA, ns.ipB, 4, 4)).as("ping through the echo-request flow").isTrue();
            final String echo = ofctl.ok("dump-flows", "icmp,icmp_type=8");
            assertThat(packets(echo, "icmp_type=8")).as(echo).isEqualTo(4);
            assertThat(bytes(echo, "icmp_type=8")).as(echo).isEqualTo(4 * 98);
            assertThat(ofctl.ok("dump-aggregate", "icmp,icmp_type=8")).contains("packet_count=4").contains("byte_count=392")
                .contains("flow_count=1");
            final String all = ofctl.ok("dump-aggregate");
            assertThat(all).as(all).contains("flow_count=3").containsPattern("packet_count=(\\d{2,}|[7-9])");
            ofctl.ok("del-flows", "--strict", "priority=40000,icmp,in_port=1,icmp_type=8");
            assertThat(ofctl.ok("dump-aggregate")).contains("flow_count=2");

            final Process server = Host.start(java.io.File.createTempFile("i18iperf", ".log"), "ip", "netns", "exec",
                ns.nsB, "iperf3", "-s", "-1", "-B", ns.ipB);
            try
            {
                assertThat(Host.awaitListening(ns.nsB, 5201, 10_000)).isTrue();
                final Host.Result client = Host.run(30, "ip", "netns", "exec", ns.nsA, "iperf3", "-c", ns.ipB, "-t",
                    "2");
                assertThat(client.exitCode()).as(client.output()).isZero();
            }
            finally
            {
                Host.stop(server);
            }
            final String afterIperf = ofctl.ok("dump-flows");
            assertThat(bytes(afterIperf, "in_port=1")).as("iperf3 bytes counted").isGreaterThan(10_000_000L);
            final String ports = ofctl.ok("dump-ports");
            assertThat(ports).containsPattern("port +1: rx pkts=[1-9]").containsPattern("port +2: rx pkts=[1-9]");

            // packet-out: a broadcast ARP request for B's address, sent out of port 2 by the controller,
            // is seen by B's kernel (its ARP table gains the made-up sender).
            final String arp = "ffffffffffff" + "020000000099" + "0806" + "0001080006040001" + "020000000099" +
                hexIp(ns.ipA.replaceAll("\\.1$", ".99")) + "000000000000" + hexIp(ns.ipB);
            ofctl.ok("packet-out", "in_port=controller packet=" + arp + " actions=output:2");
            Thread.sleep(200);
            assertThat(Host.run(10, "ip", "-n", ns.nsB, "neigh", "show").output()).contains("02:00:00:00:00:99");

            ofctl.ok("mod-flows", "in_port=1,actions=drop");
            assertThat(Host.ping(ns.nsA, ns.ipB, 2, 1)).as("mod-flows to drop").isFalse();
            ofctl.ok("del-flows");
            assertThat(ofctl.ok("dump-flows")).doesNotContain("actions=");
            assertThat(Host.ping(ns.nsA, ns.ipB, 2, 1)).as("del-flows: ping fails again").isFalse();
            assertThat(sw.lastError()).isNull();
        }
    }

    private static String hexIp(final String ip)
    {
        final StringBuilder sb = new StringBuilder();
        for (final String part : ip.split("\\."))
        {
            sb.append(String.format("%02x", Integer.parseInt(part)));
        }
        return sb.toString();
    }

    private static long packets(final String dump, final String match)
    {
        return counter(dump, match, "n_packets");
    }

    private static long bytes(final String dump, final String match)
    {
        return counter(dump, match, "n_bytes");
    }

    private static long counter(final String dump, final String match, final String name)
    {
        for (final String line : dump.split("\n"))
        {
            if (line.contains(match + " ") || line.contains(match + ","))
            {
                final Matcher m = Pattern.compile(name + "=(\\d+)").matcher(line);
                if (m.find())
                {
                    return Long.parseLong(m.group(1));
                }
            }
        }
        throw new AssertionError("no flow " + match + " in " + dump);
    }
}
