package dev.hostplane.vswitch.openflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.hostplane.vswitch.IdleMode;
import dev.hostplane.vswitch.SwitchConfig;
import dev.hostplane.vswitch.VirtualSwitch;
import dev.hostplane.vswitch.port.EndpointPort;
import dev.hostplane.vswitch.port.TapPort;
import dev.hostplane.vswitch.testing.Frames;
import dev.hostplane.vswitch.testing.Host;
import dev.hostplane.vswitch.testing.OfCtl;
import dev.hostplane.vswitch.testing.OfMonitor;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TransportPort;

/**
 * The switch's asynchronous OpenFlow messages as a real peer receives them: {@code ovs-ofctl
 * monitor} stays connected and prints what Open vSwitch's own decoder makes of each FLOW_REMOVED
 * (idle and hard timeouts, deletes), PACKET_IN (max_len truncation, buffer ids) and PORT_STATUS
 * (TAP devices added, removed, set down and up); PACKET_OUT and FLOW_MOD naming a buffer go out on
 * the monitor's own connection, so the switch's errors come back to it.
 */
class OpenFlowAsyncMessagesTest
{
    private static final long MAC_A = 0x02_00_00_00_00_0AL;
    private static final long MAC_B = 0x02_00_00_00_00_0BL;
    private static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);
    private static final long WAIT_MILLIS = 5000;

    private static VirtualSwitch sw;
    private static EndpointPort a;
    private static EndpointPort b;
    private static OpenFlowAgent agent;
    private static String target;
    private static OfCtl ofctl;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception
    {
        OfCtl.assumeInstalled();
        sw = new VirtualSwitch(SwitchConfig.builder().idleMode(IdleMode.BLOCKING).build());
        a = sw.addEndpointPort("epa");
        b = sw.addEndpointPort("epb");
        sw.start();
        agent = OpenFlowAgent.builder(sw).listen(OpenFlowTarget.parseListen("127.0.0.1:0")).build().start();
        target = "tcp:127.0.0.1:" + agent.listenAddresses().get(0).getPort();
        ofctl = new OfCtl(target);
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
    }

    @Test
    void shouldSendFlowRemovedForIdleAndHardTimeoutsAndDeletesWithTheirCounts() throws Exception
    {
        try (OfMonitor monitor = monitor(0))
        {
            ofctl.ok("add-flow", "priority=10,udp,in_port=1,tp_dst=1001,idle_timeout=1,send_flow_rem,cookie=0x11," +
                "actions=output:2");
            ofctl.ok("add-flow", "priority=20,udp,in_port=1,tp_dst=1002,hard_timeout=2,send_flow_rem,cookie=0x12," +
                "actions=output:2");
            ofctl.ok("add-flow", "priority=30,udp,in_port=1,tp_dst=1003,send_flow_rem,cookie=0x13,actions=output:2");
            ofctl.ok("add-flow", "priority=40,udp,in_port=1,tp_dst=1004,idle_timeout=1,cookie=0x14,actions=output:2");
            final long installed = System.nanoTime();
            final int len = send(a, 1001, 3);
            send(a, 1003, 1);
            ofctl.ok("del-flows", "--strict", "priority=30,udp,in_port=1,tp_dst=1003");
            // Traffic keeps the hard-timeout flow busy, so only its hard timeout can remove it.
            while (System.nanoTime() - installed < TimeUnit.MILLISECONDS.toNanos(1900))
            {
                send(a, 1002, 1);
                Thread.sleep(200);
            }

            final String deleted = monitor.await("FLOW_REMOVED for the deleted flow",
                m -> m.contains("OFPT_FLOW_REMOVED") && m.contains("tp_dst=1003"), WAIT_MILLIS);
            assertThat(deleted).contains("priority=30").contains("reason=delete").contains("cookie:0x13")
                .contains("pkts1 bytes" + len);
            final String idle = monitor.await("FLOW_REMOVED for the idle timeout",
                m -> m.contains("OFPT_FLOW_REMOVED") && m.contains("tp_dst=1001"), WAIT_MILLIS);
            assertThat(idle).contains("priority=10,udp,in_port=1,tp_dst=1001").contains("reason=idle")
                .contains("cookie:0x11").contains("idle1").contains("pkts3 bytes" + 3 * len);
            assertThat(seconds(idle)).as(idle).isBetween(1.0, 3.0);
            final String hard = monitor.await("FLOW_REMOVED for the hard timeout",
                m -> m.contains("OFPT_FLOW_REMOVED") && m.contains("tp_dst=1002"), WAIT_MILLIS);
            assertThat(hard).contains("priority=20").contains("reason=hard").contains("cookie:0x12").contains("hard2");
            assertThat(seconds(hard)).as(hard).isBetween(2.0, 3.5);
            assertThat(packets(hard)).as(hard).isGreaterThanOrEqualTo(3);

            // The flow without send_flow_rem expired too, silently.
            awaitNoFlowWith("tp_dst=1004");
            assertThat(monitor.output()).doesNotContain("tp_dst=1004");
            assertThat(ofctl.ok("dump-flows")).doesNotContain("tp_dst=100");
        }
    }

    @Test
    void shouldTruncatePacketInsToMaxLenAndReleaseTheBufferedFrameOnce() throws Exception
    {
        // The monitor asks for miss_send_len 64: OpenFlow 1.3 applies it only to packet-ins that no
        // output action made, so the table-miss flow's own max_len (70) decides below.
        try (OfMonitor monitor = monitor(64))
        {
            ofctl.ok("add-flow", "priority=5,udp,tp_dst=2001,cookie=0x21,actions=CONTROLLER:40");
            ofctl.ok("add-flow", "priority=5,udp,tp_dst=2002,cookie=0x22,actions=CONTROLLER:65535");
            ofctl.ok("add-flow", "priority=0,cookie=0x20,actions=CONTROLLER:70");
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
            final int len = Frames.udp4(frame, MAC_B, MAC_A, -1, 0x0A_00_00_01, 0x0A_00_00_02, 7, 2001, 100);
            final byte[] original = Arrays.copyOf(frame.byteArray(), len);
            assertThat(a.send(frame, 0, len)).isTrue();
            final String truncated = monitor.await("PACKET_IN of the CONTROLLER:40 flow",
                m -> m.contains("OFPT_PACKET_IN") && m.contains("cookie=0x21"), WAIT_MILLIS);
            assertThat(truncated).contains("total_len=" + len).contains("in_port=1").contains("(via action)")
                .contains("data_len=40 ").contains("buffer=0x");
            final int bufferId = bufferId(truncated);

            final int wholeLen = send(a, 2002, 1);
            final String whole = monitor.await("PACKET_IN of the CONTROLLER:65535 flow",
                m -> m.contains("OFPT_PACKET_IN") && m.contains("cookie=0x22"), WAIT_MILLIS);
            assertThat(whole).as("OFPCML_NO_BUFFER: the whole frame, no buffer").contains("data_len=" + wholeLen)
                .doesNotContain("buffer=0x");

            final int missLen = send(a, 2003, 1);
            final String miss = monitor.await("PACKET_IN of the table-miss flow",
                m -> m.contains("OFPT_PACKET_IN") && m.contains("cookie=0x20"), WAIT_MILLIS);
            assertThat(miss).contains("(via no_match)").contains("data_len=70 ").contains("buffer=0x");
            final int missBuffer = bufferId(miss);

            // PACKET_OUT naming the buffer sends the whole buffered frame, not the 40 bytes the controller saw.
            monitor.send(OF13.buildPacketOut().setXid(0x5101).setBufferId(OFBufferId.of(bufferId))
                .setInPort(OFPort.CONTROLLER).setActions(List.of(OF13.actions().output(OFPort.of(2), 0))).build());
            final List<byte[]> got = receive(b, 1);
            assertThat(got).hasSize(1);
            assertThat(got.get(0)).isEqualTo(original);
            // A buffer is used once: naming it again, or naming a buffer that never was, is refused.
            monitor.send(OF13.buildPacketOut().setXid(0x5102).setBufferId(OFBufferId.of(bufferId))
                .setInPort(OFPort.CONTROLLER).setActions(List.of(OF13.actions().output(OFPort.of(2), 0))).build());
            monitor.send(OF13.buildPacketOut().setXid(0x5103).setBufferId(OFBufferId.of(0x7777))
                .setInPort(OFPort.CONTROLLER).setActions(List.of(OF13.actions().output(OFPort.of(2), 0))).build());
            for (final String xid : List.of("xid=0x5102", "xid=0x5103"))
            {
                assertThat(monitor.await("OFPT_ERROR " + xid, m -> m.contains("OFPT_ERROR") && m.contains(xid),
                    WAIT_MILLIS)).contains("OFPBRC_BUFFER_UNKNOWN");
            }
            assertThat(receive(b, 0)).as("nothing sent for the refused packet-outs").isEmpty();

            // FLOW_MOD naming the table-miss packet's buffer installs the flow and forwards that frame by it.
            monitor.send(OF13.buildFlowAdd().setXid(0x5104).setPriority(9).setBufferId(OFBufferId.of(missBuffer))
                .setFlags(java.util.EnumSet.noneOf(OFFlowModFlags.class))
                .setMatch(OF13.buildMatch().setExact(org.projectfloodlight.openflow.protocol.match.MatchField.ETH_TYPE,
                    org.projectfloodlight.openflow.types.EthType.IPv4)
                    .setExact(org.projectfloodlight.openflow.protocol.match.MatchField.IP_PROTO,
                        org.projectfloodlight.openflow.types.IpProtocol.UDP)
                    .setExact(org.projectfloodlight.openflow.protocol.match.MatchField.UDP_DST,
                        TransportPort.of(2003)).build())
                .setInstructions(List.of(OF13.instructions().applyActions(List.of(OF13.actions().output(OFPort.of(2),
                    0))))).build());
            final List<byte[]> forwarded = receive(b, 1);
            assertThat(forwarded).hasSize(1);
            assertThat(forwarded.get(0)).as("the whole buffered frame, not the 70 bytes sent up").hasSize(missLen);
            assertThat(ofctl.ok("dump-flows")).contains("priority=9,udp,tp_dst=2003 actions=output:2");
            assertThat(monitor.messages()).as("no error for the flow-mod")
                .noneMatch(m -> m.startsWith("OFPT_ERROR") && m.contains("xid=0x5104"));
        }
    }

    @Test
    void shouldTellEveryControllerAboutTapPortsAddedSetUpOrDownAndRemoved() throws Exception
    {
        Host.assumeKernelNetworking("ip");
        final String ns = Host.uniqueName("ofps");
        final String tap = Host.uniqueName("tps");
        try (OfMonitor first = monitor(0); OfMonitor second = monitor(0))
        {
            Host.runOk("ip", "netns", "add", ns);
            final TapPort opened = TapPort.openInNamespace(ns, tap, false);
            if (opened.device().interfaceFlags() < 0)
            {
                opened.close();
                System.out.println("SKIPPED (TAP link state test): this kernel cannot read the flags of a TAP " +
                    "device in another namespace (no TUNGETDEVNETNS)");
                assumeTrue(false, "no TUNGETDEVNETNS");
            }
            final TapPort port = sw.addPort(opened);
            final int number = port.number();
            final String name = number + "(" + tap + ")";
            for (final OfMonitor m : List.of(first, second))
            {
                final String add = m.await("PORT_STATUS ADD", t -> t.contains("OFPT_PORT_STATUS") &&
                    t.contains("ADD: " + name), WAIT_MILLIS);
                assertThat(add).as("a new TAP device is down until set up").contains("PORT_DOWN").contains("LINK_DOWN");
            }
            Host.runOk("ip", "-n", ns, "link", "set", tap, "up");
            for (final OfMonitor m : List.of(first, second))
            {
                final String up = m.await("PORT_STATUS MODIFY (up)", t -> t.contains("OFPT_PORT_STATUS") &&
                    t.contains("MOD: " + name) && t.contains("LIVE"), WAIT_MILLIS);
                assertThat(up).doesNotContain("PORT_DOWN").doesNotContain("LINK_DOWN");
            }
            assertThat(ofctl.ok("dump-ports-desc")).containsPattern(Pattern.quote(name) +
                "(?s).*?state: +LIVE");
            final int before = portStatuses(first).size();
            Host.runOk("ip", "-n", ns, "link", "set", tap, "down");
            for (final OfMonitor m : List.of(first, second))
            {
                m.await("PORT_STATUS MODIFY (down)", t -> t.contains("OFPT_PORT_STATUS") && t.contains("MOD: " + name) &&
                    t.contains("PORT_DOWN") && t.contains("LINK_DOWN"), WAIT_MILLIS);
            }
            assertThat(sw.removePort(number)).isTrue();
            for (final OfMonitor m : List.of(first, second))
            {
                m.await("PORT_STATUS DELETE", t -> t.contains("OFPT_PORT_STATUS") && t.contains("DEL: " + name),
                    WAIT_MILLIS);
            }
            final List<String> after = portStatuses(first);
            assertThat(after.subList(before, after.size())).as("one MODIFY for the down, then the DELETE").hasSize(2);
        }
        finally
        {
            Host.deleteNamespace(ns);
        }
    }

    private static List<String> portStatuses(final OfMonitor monitor)
    {
        return monitor.messages().stream().filter(m -> m.startsWith("OFPT_PORT_STATUS")).toList();
    }

    private OfMonitor monitor(final int missSendLen) throws Exception
    {
        final long received = agent.stats().messagesReceived();
        final OfMonitor monitor = OfMonitor.start(dir, target, missSendLen);
        // The monitor's first request after HELLO (a Nicira extension the switch refuses, or
        // SET_CONFIG) shows its session is up, so no event of the test can come before it.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (agent.stats().messagesReceived() <= received)
        {
            assertThat(System.nanoTime()).as("monitor connected: %s", monitor.output()).isLessThan(deadline);
            Thread.sleep(10);
        }
        return monitor;
    }

    private static int send(final EndpointPort from, final int udpDst, final int frames)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
        final int len = Frames.udp4(frame, MAC_B, MAC_A, -1, 0x0A_00_00_01, 0x0A_00_00_02, 1234, udpDst, 32);
        for (int i = 0; i < frames; i++)
        {
            assertThat(from.send(frame, 0, len)).isTrue();
        }
        return len;
    }

    private static void awaitNoFlowWith(final String text) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (ofctl.ok("dump-flows").contains(text))
        {
            assertThat(System.nanoTime()).as("flow with %s expired", text).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static double seconds(final String flowRemoved)
    {
        final Matcher m = Pattern.compile("duration([0-9.]+)s").matcher(flowRemoved);
        assertThat(m.find()).as(flowRemoved).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static long packets(final String flowRemoved)
    {
        final Matcher m = Pattern.compile(" pkts(\\d+) ").matcher(flowRemoved);
        assertThat(m.find()).as(flowRemoved).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static int bufferId(final String packetIn)
    {
        final Matcher m = Pattern.compile("buffer=0x([0-9a-f]+)").matcher(packetIn);
        assertThat(m.find()).as(packetIn).isTrue();
        return (int)Long.parseLong(m.group(1), 16);
    }

    private static List<byte[]> receive(final EndpointPort port, final int expected) throws InterruptedException
    {
        final List<byte[]> into = new ArrayList<>();
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(expected == 0 ? 200 : 2000);
        while (System.nanoTime() < deadline && (expected == 0 || into.size() < expected))
        {
            port.receive((buffer, offset, length) ->
            {
                final byte[] copy = new byte[length];
                buffer.getBytes(offset, copy);
                into.add(copy);
            }, 64);
            Thread.sleep(5);
        }
        return into;
    }
}
