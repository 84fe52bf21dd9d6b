package dev.hostplane.vswitch.openflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.hostplane.vswitch.IdleMode;
import dev.hostplane.vswitch.SwitchConfig;
import dev.hostplane.vswitch.VirtualSwitch;
import dev.hostplane.vswitch.port.EndpointPort;
import dev.hostplane.vswitch.testing.Frames;
import dev.hostplane.vswitch.testing.Host;
import dev.hostplane.vswitch.testing.OfCtl;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent driven by the real {@code ovs-ofctl -O OpenFlow13}: flows, groups, statistics,
 * packet-out and the errors for what the switch does not support, with frames sent between two
 * in-process endpoints to show the flows really forward.
 */
class OpenFlowAgentOfctlTest
{
    private static final long MAC_A = 0x02_00_00_00_00_0AL;
    private static final long MAC_B = 0x02_00_00_00_00_0BL;

    private static VirtualSwitch sw;
    private static EndpointPort a;
    private static EndpointPort b;
    private static OpenFlowAgent agent;
    private static OfCtl ofctl;

    @BeforeAll
    static void start() throws Exception
    {
        OfCtl.assumeInstalled();
        sw = new VirtualSwitch(SwitchConfig.builder().idleMode(IdleMode.BLOCKING).build());
        a = sw.addEndpointPort("epa");
        b = sw.addEndpointPort("epb");
        sw.start();
        agent = OpenFlowAgent.builder(sw).listen(OpenFlowTarget.parseListen("0")).datapathId(0xABCDEFL).build().start();
        ofctl = new OfCtl("tcp:127.0.0.1:" + agent.listenAddresses().get(0).getPort());
    }

    @AfterAll
    static void stop()
    {
        if (agent != null)
        {
            agent.close();
        }
        if (sw != null)
        {
            sw.close();
        }
    }

    @BeforeEach
    void clean()
    {
        ofctl.ok("del-flows");
        ofctl.ok("del-groups");
    }

    @Test
    void shouldShowFeaturesPortsAndConfig()
    {
        final String show = ofctl.ok("show");
        assertThat(show).contains("dpid:0000000000abcdef").contains("n_tables:1")
            .contains(" 1(epa): addr:").contains(" 2(epb): addr:");
        assertThat(ofctl.ok("dump-desc")).contains("hostplane");
        assertThat(ofctl.ok("dump-tables")).contains("table 0");
    }

    @Test
    void shouldForwardByAddedFlowCountItAndStopAfterDelete() throws Exception
    {
        assertThat(sendAndCount(a, b, 3)).as("no flows: table miss drops").isZero();
        ofctl.ok("add-flow", "in_port=1,actions=output:2");
        ofctl.ok("add-flow", "priority=100,in_port=2,dl_dst=02:00:00:00:00:0a,actions=output:1");
        assertThat(sendAndCount(a, b, 3)).isEqualTo(3);
        final String dump = ofctl.ok("dump-flows");
        assertThat(dump).contains("in_port=1 actions=output:2").contains("n_packets=3")
            .contains("priority=100,in_port=2,dl_dst=02:00:00:00:00:0a actions=output:1");
        ofctl.ok("mod-flows", "in_port=1,actions=drop");
        assertThat(sendAndCount(a, b, 2)).as("modified to drop").isZero();
        assertThat(ofctl.ok("dump-flows")).contains("n_packets=5").contains("actions=drop");
        ofctl.ok("del-flows", "in_port=1");
        assertThat(ofctl.ok("dump-flows")).doesNotContain("in_port=1 ").contains("in_port=2");
        ofctl.ok("del-flows");
        assertThat(ofctl.ok("dump-flows").lines().filter(l -> l.contains("actions=")).count()).isZero();
    }

    @Test
    void shouldMatchL3L4FieldsWithMasksAndRewrite() throws Exception
    {
        ofctl.ok("add-flow", "priority=200,udp,nw_dst=10.1.0.0/16,tp_dst=53,actions=set_field:10.9.9.9->ip_dst," +
            "set_field:5353->udp_dst,output:2");
        final String dump = ofctl.ok("dump-flows");
        assertThat(dump).contains("udp,nw_dst=10.1.0.0/16,tp_dst=53").contains("set_field:10.9.9.9->ip_dst")
            .contains("set_field:5353->udp_dst").contains("output:2");
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
        final int len = Frames.udp4(frame, MAC_B, MAC_A, -1, 0x0A_01_02_03, 0x0A_01_00_05, 1000, 53, 16);
        final List<byte[]> got = new ArrayList<>();
        a.send(frame, 0, len);
        receive(b, got, 1);
        assertThat(got).hasSize(1);
        final UnsafeBuffer out = new UnsafeBuffer(got.get(0));
        assertThat(out.getInt(30, java.nio.ByteOrder.BIG_ENDIAN)).isEqualTo(0x0A_09_09_09);
        assertThat(out.getShort(36, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF).isEqualTo(5353);
    }

    @Test
    void shouldReportPortCountersAndAggregate() throws Exception
    {
        ofctl.ok("add-flow", "in_port=1,actions=output:2");
        final String before = ofctl.ok("dump-ports");
        sendAndCount(a, b, 4);
        final String after = ofctl.ok("dump-ports");
        assertThat(counter(after, 1, "rx") - counter(before, 1, "rx")).isEqualTo(4);
        assertThat(counter(after, 2, "tx") - counter(before, 2, "tx")).isEqualTo(4);
        assertThat(counter(after, 2, "rx")).isZero();
        assertThat(a.counters().rxPackets()).isEqualTo(counter(after, 1, "rx"));
        assertThat(ofctl.ok("dump-aggregate")).contains("packet_count=4").contains("flow_count=1");
        assertThat(ofctl.ok("dump-ports-desc")).contains("1(epa)").contains("2(epb)");
    }

    @Test
    void shouldSendPacketOut() throws Exception
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
        final int len = Frames.udp4(frame, MAC_B, MAC_A, -1, 0x0A_00_00_01, 0x0A_00_00_02, 7, 9, 10);
        final StringBuilder hex = new StringBuilder();
        for (int i = 0; i < len; i++)
        {
            hex.append(String.format("%02x", frame.getByte(i) & 0xFF));
        }
        ofctl.ok("packet-out", "in_port=controller packet=" + hex + " actions=output:2");
        final List<byte[]> got = new ArrayList<>();
        receive(b, got, 1);
        assertThat(got).hasSize(1);
        assertThat(got.get(0)).hasSize(len);
    }

    @Test
    void shouldAddAndDumpGroupsAndForwardThroughThem() throws Exception
    {
        ofctl.ok("add-group", "group_id=7,type=all,bucket=output:2");
        ofctl.ok("add-flow", "in_port=1,actions=group:7");
        assertThat(ofctl.ok("dump-groups")).contains("group_id=7,type=all,bucket=actions=output:2");
        assertThat(sendAndCount(a, b, 2)).isEqualTo(2);
        final Host.Result dup = ofctl.run("add-group", "group_id=7,type=all,bucket=output:1");
        assertThat(dup.exitCode()).isNotZero();
        assertThat(dup.output()).contains("OFPGMFC_GROUP_EXISTS");
        final Host.Result ff = ofctl.run("add-group", "group_id=8,type=ff,bucket=watch_port:1,output:1");
        assertThat(ff.output()).contains("OFPGMFC_BAD_TYPE");
        ofctl.ok("del-groups", "group_id=7");
        assertThat(ofctl.ok("dump-flows")).as("deleting a group deletes its flows").doesNotContain("group:7");
    }

    @Test
    void shouldRefuseUnsupportedMatchesActionsAndInstructionsWithOpenFlowErrors()
    {
        assertThat(ofctl.run("add-flow", "mpls,mpls_label=5,actions=output:2").output()).contains("OFPBMC_BAD_FIELD");
        assertThat(ofctl.run("add-flow", "metadata=5,actions=output:2").output()).contains("OFPBMC_BAD_FIELD");
        assertThat(ofctl.run("add-flow", "in_port=1,actions=set_queue:3,output:2").output()).contains("OFPBAC_BAD_TYPE");
        assertThat(ofctl.run("add-flow", "in_port=1,actions=output:LOCAL").output()).contains("OFPBAC_BAD_OUT_PORT");
        assertThat(ofctl.run("add-flow", "in_port=1,actions=goto_table:1").output()).contains("OFPBIC_BAD_TABLE_ID");
        assertThat(ofctl.run("add-flow", "in_port=1,actions=group:99").output()).contains("OFPBAC_BAD_OUT_GROUP");
        assertThat(ofctl.run("add-flow", "table=3,in_port=1,actions=output:2").output())
            .contains("OFPFMFC_BAD_TABLE_ID");
        assertThat(ofctl.ok("dump-flows").lines().filter(l -> l.contains("actions=")).count())
            .as("nothing refused was installed").isZero();
    }

    private static long counter(final String dumpPorts, final int port, final String side)
    {
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile("port +" + port +
            ": rx pkts=(\\d+).*?tx pkts=(\\d+)", java.util.regex.Pattern.DOTALL).matcher(dumpPorts);
        assertThat(m.find()).as("port %d in %s", port, dumpPorts).isTrue();
        return Long.parseLong(m.group("rx".equals(side) ? 1 : 2));
    }

    private static int sendAndCount(final EndpointPort from, final EndpointPort to, final int frames) throws Exception
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
        final int len = Frames.udp4(frame, MAC_B, MAC_A, -1, 0x0A_00_00_01, 0x0A_00_00_02, 1234, 80, 32);
        for (int i = 0; i < frames; i++)
        {
            assertThat(from.send(frame, 0, len)).isTrue();
        }
        final List<byte[]> got = new ArrayList<>();
        receive(to, got, frames);
        return got.size();
    }

    private static void receive(final EndpointPort port, final List<byte[]> into, final int expected)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(expected == 0 ? 200 : 2000);
        while (System.nanoTime() < deadline)
        {
            port.receive((buffer, offset, length) ->
            {
                final byte[] copy = new byte[length];
                buffer.getBytes(offset, copy);
                into.add(copy);
            }, 64);
            if (into.size() >= expected && expected > 0)
            {
                break;
            }
            Thread.sleep(5);
        }
        // Anything still in flight after the expected count would be a bug: give it a moment to show up.
        Thread.sleep(30);
        port.receive((buffer, offset, length) -> into.add(new byte[length]), 64);
    }
}
