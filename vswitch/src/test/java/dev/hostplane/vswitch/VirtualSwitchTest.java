package dev.hostplane.vswitch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.hostplane.vswitch.action.Actions;
import dev.hostplane.vswitch.classifier.FlowRule;
import dev.hostplane.vswitch.classifier.GroupTable;
import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.flow.Match;
import dev.hostplane.vswitch.packet.EthernetFrame;
import dev.hostplane.vswitch.packet.Ipv4Header;
import dev.hostplane.vswitch.packet.TcpHeader;
import dev.hostplane.vswitch.packet.UdpHeader;
import dev.hostplane.vswitch.port.EndpointPort;
import dev.hostplane.vswitch.testing.Collector;
import dev.hostplane.vswitch.testing.Frames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VirtualSwitchTest
{
    private static final long MAC_A = 0x02_00_00_00_00_0AL;
    private static final long MAC_B = 0x02_00_00_00_00_0BL;
    private static final int IP_A = 0x0A_00_00_01;
    private static final int IP_B = 0x0A_00_00_02;

    private VirtualSwitch sw;

    @AfterEach
    void tearDown()
    {
        if (sw != null)
        {
            sw.close();
        }
    }

    private VirtualSwitch newSwitch(final SwitchConfig config)
    {
        sw = new VirtualSwitch(config);
        return sw;
    }

    @Test
    void shouldSwitchBetweenEndpointsAndCountPerPortAndPerRule()
    {
        newSwitch(SwitchConfig.builder().build());
        final EndpointPort a = sw.addEndpointPort("a");
        final EndpointPort b = sw.addEndpointPort("b");
        final EndpointPort c = sw.addEndpointPort("c");
        final FlowRule toB = sw.addFlow(Match.builder().exact(FlowField.ETH_DST, MAC_B).build(), 10,
            List.of(Actions.output(b.number())));
        final FlowRule flood = sw.addFlow(Match.ALL, 0, List.of(Actions.flood()));
        sw.start();

        final UnsafeBuffer frame = Frames.buffer(256);
        final int len = Frames.udp4(frame, MAC_B, MAC_A, -1, IP_A, IP_B, 1000, 2000, 50);
        for (int i = 0; i < 10; i++)
        {
            assertThat(a.send(frame, 0, len)).isTrue();
        }
        final int bcast = Frames.udp4(frame, EthernetFrame.BROADCAST, MAC_A, -1, IP_A, IP_B, 1000, 2000, 10);
        a.send(frame, 0, bcast);

        final Collector atB = new Collector();
        final Collector atC = new Collector();
        assertThat(atB.await(b, 11)).hasSize(11);
        assertThat(atC.await(c, 1)).hasSize(1);
        assertThat(toB.packetCount()).isEqualTo(10);
        assertThat(toB.byteCount()).isEqualTo(10L * len);
        assertThat(flood.packetCount()).isEqualTo(1);
        assertThat(a.counters().rxPackets()).isEqualTo(11);
        assertThat(b.counters().txPackets()).isEqualTo(11);
        assertThat(c.counters().txPackets()).isEqualTo(1);
        assertThat(a.counters().txPackets()).as("flood skips the ingress port").isZero();
        assertThat(sw.dumpPorts()).contains("port 1 a: rx_packets=11");
        assertThat(sw.stats().emcHits()).isGreaterThanOrEqualTo(9);
    }

    @Test
    void shouldCountAndDropMalformedFrames()
    {
        newSwitch(SwitchConfig.builder().build());
        final EndpointPort a = sw.addEndpointPort("a");
        final EndpointPort b = sw.addEndpointPort("b");
        sw.addFlow(Match.ALL, 0, List.of(Actions.flood()));
        sw.start();
        final UnsafeBuffer frame = Frames.buffer(256);
        final int len = Frames.tcp4(frame, MAC_B, MAC_A, IP_A, IP_B, 1, 2, TcpHeader.SYN, 0);
        a.send(frame, 0, 10);
        a.send(frame, 0, len - 5);
        a.send(frame, 0, len);
        final Collector atB = new Collector();
        assertThat(atB.await(b, 1)).hasSize(1);
        awaitCondition(() -> a.counters().rxDropped() == 2);
        assertThat(a.counters().rxDropped()).isEqualTo(2);
        assertThat(sw.stats().malformed()).isEqualTo(2);
    }

    @Test
    void shouldRewriteFieldsWithValidChecksumsAndTagUntagVlan()
    {
        newSwitch(SwitchConfig.builder().build());
        final EndpointPort a = sw.addEndpointPort("a");
        final EndpointPort b = sw.addEndpointPort("b");
        sw.addFlow(Match.builder().exact(FlowField.IN_PORT, a.number()).build(), 10, List.of(
            Actions.setField(FlowField.IPV4_DST, 0xC0A80001L),
            Actions.setField(FlowField.TP_DST, 8080),
            Actions.setField(FlowField.ETH_SRC, 0x02_12_34_56_78_9AL),
            Actions.decTtl(),
            Actions.pushVlan(EthernetFrame.ETHER_TYPE_VLAN),
            Actions.setField(FlowField.VLAN_VID, 42),
            Actions.output(b.number())));
        sw.addFlow(Match.builder().exact(FlowField.IN_PORT, b.number()).build(), 10, List.of(
            Actions.popVlan(), Actions.output(a.number())));
        sw.start();
        final UnsafeBuffer frame = Frames.buffer(256);
        final int len = Frames.tcp4(frame, MAC_B, MAC_A, IP_A, IP_B, 40000, 80, TcpHeader.ACK, 33);
        a.send(frame, 0, len);
        final byte[] out = new Collector().await(b, 1).get(0);
        final UnsafeBuffer ob = new UnsafeBuffer(out);
        final EthernetFrame eth = new EthernetFrame().wrap(ob, 0, out.length);
        assertThat(out.length).isEqualTo(len + 4);
        assertThat(eth.vlanId()).isEqualTo(42);
        assertThat(eth.source()).isEqualTo(0x02_12_34_56_78_9AL);
        final Ipv4Header ip = new Ipv4Header().wrap(ob, eth.payloadOffset(), out.length - eth.payloadOffset());
        assertThat(ip.destination()).isEqualTo(0xC0A80001);
        assertThat(ip.ttl()).isEqualTo(63);
        assertThat(ip.isChecksumValid()).isTrue();
        final TcpHeader tcp = new TcpHeader().wrap(ob, ip.payloadOffset(), ip.payloadLength());
        assertThat(tcp.destinationPort()).isEqualTo(8080);
        assertThat(tcp.isChecksumValid(ip.pseudoHeaderSum(), ip.payloadLength())).isTrue();

        b.send(ob, 0, out.length);
        final byte[] back = new Collector().await(a, 1).get(0);
        assertThat(back.length).isEqualTo(len);
        assertThat(new EthernetFrame().wrap(new UnsafeBuffer(back), 0, back.length).hasVlan()).isFalse();
    }

    @Test
    void shouldDropOnTtlExpiryAndSendPacketInsAndPacketOuts()
    {
        newSwitch(SwitchConfig.builder().build());
        final EndpointPort a = sw.addEndpointPort("a");
        final EndpointPort b = sw.addEndpointPort("b");
        final List<String> packetIns = new CopyOnWriteArrayList<>();
        sw.addPacketInListener(p -> packetIns.add(p.inPort() + ":" + p.reason() + ":" + p.totalLength() + ":" +
            p.length() + ":" + Long.toHexString(p.cookie())));
        sw.addFlow(Match.builder().exact(FlowField.IP_TTL, 1).build(), 20,
            List.of(Actions.decTtl(), Actions.output(b.number())));
        sw.addFlow(new FlowRule(Match.builder().exact(FlowField.ETH_TYPE, 0x800).build(), 10, 0xC0FFEE,
            List.of(Actions.controller(64)), 0, 0, false, System.nanoTime()));
        sw.addFlow(new FlowRule(Match.ALL, 0, 0, List.of(Actions.controller(65535)), 0, 0, false, System.nanoTime()));
        sw.start();
        final UnsafeBuffer frame = Frames.buffer(512);
        final int expiring = Frames.icmp4(frame, MAC_B, MAC_A, IP_A, IP_B, 1);
        a.send(frame, 0, expiring);
        final int len = Frames.udp4(frame, MAC_B, MAC_A, -1, IP_A, IP_B, 1, 2, 100);
        a.send(frame, 0, len);
        final int arpLen = 60;
        Frames.ethernet(frame, EthernetFrame.BROADCAST, MAC_A, -1, EthernetFrame.ETHER_TYPE_ARP);
        a.send(frame, 0, arpLen);
        awaitCondition(() -> packetIns.size() == 2);
        assertThat(packetIns).containsExactly("1:1:" + len + ":64:c0ffee", "1:0:60:60:0");
        assertThat(sw.stats().actionDrops()).isEqualTo(1);
        assertThat(b.counters().txPackets()).isZero();

        final byte[] out = new byte[len];
        frame.getBytes(0, out);
        assertThat(sw.packetOut(out, 0, List.of(Actions.output(b.number())))).isTrue();
        assertThat(new Collector().await(b, 1)).hasSize(1);
    }

    @Test
    void shouldRunSelectAndAllGroups()
    {
        newSwitch(SwitchConfig.builder().build());
        final EndpointPort a = sw.addEndpointPort("a");
        final EndpointPort b = sw.addEndpointPort("b");
        final EndpointPort c = sw.addEndpointPort("c");
        sw.groups().put(new GroupTable.Group(1, GroupTable.Type.SELECT,
            List.of(List.of(Actions.output(b.number())), List.of(Actions.output(c.number())))));
        sw.groups().put(new GroupTable.Group(2, GroupTable.Type.ALL,
            List.of(List.of(Actions.setField(FlowField.ETH_DST, 0x0BL), Actions.output(b.number())),
                List.of(Actions.output(c.number())))));
        sw.addFlow(Match.builder().exact(FlowField.ETH_TYPE, 0x800).exact(FlowField.IP_PROTO, 17).build(), 10,
            List.of(Actions.group(1)));
        sw.addFlow(Match.builder().exact(FlowField.ETH_TYPE, 0x800).exact(FlowField.IP_PROTO, 6).build(), 10,
            List.of(Actions.group(2)));
        sw.start();
        final UnsafeBuffer frame = Frames.buffer(256);
        for (int port = 0; port < 64; port++)
        {
            final int len = Frames.udp4(frame, MAC_B, MAC_A, -1, IP_A, IP_B, 10000 + port, 53, 8);
            a.send(frame, 0, len);
            a.send(frame, 0, len);
        }
        awaitCondition(() -> b.counters().txPackets() + c.counters().txPackets() == 128);
        assertThat(b.counters().txPackets()).as("select spreads flows").isBetween(16L, 112L);
        assertThat(b.counters().txPackets() % 2).as("a flow sticks to one bucket").isZero();

        final Collector atB = new Collector();
        atB.drain(b);
        final Collector atC = new Collector();
        atC.drain(c);
        final int len = Frames.tcp4(frame, MAC_B, MAC_A, IP_A, IP_B, 1, 2, TcpHeader.SYN, 0);
        a.send(frame, 0, len);
        final Collector newB = new Collector();
        final byte[] bOut = newB.await(b, 1).get(0);
        final byte[] cOut = new Collector().await(c, 1).get(0);
        assertThat(new EthernetFrame().wrap(new UnsafeBuffer(bOut), 0, bOut.length).destination()).isEqualTo(0x0BL);
        assertThat(new EthernetFrame().wrap(new UnsafeBuffer(cOut), 0, cOut.length).destination())
            .as("ALL buckets work on copies").isEqualTo(MAC_B);
    }

    /**
     * Trace and data path share the action code: every bucket of an ALL group starts from the frame
     * as it came in (here: each decrements TTL 2 once, so both buckets send), and a group called from
     * a bucket is dropped in both.
     */
    @Test
    void shouldTraceGroupBucketsOnTheirOwnCopyAsTheDataPathRunsThem()
    {
        newSwitch(SwitchConfig.builder().build());
        final EndpointPort a = sw.addEndpointPort("a");
        final EndpointPort b = sw.addEndpointPort("b");
        final EndpointPort c = sw.addEndpointPort("c");
        sw.groups().put(new GroupTable.Group(7, GroupTable.Type.ALL,
            List.of(List.of(Actions.decTtl(), Actions.output(b.number())),
                List.of(Actions.decTtl(), Actions.output(c.number())),
                List.of(Actions.group(7)))));
        sw.addFlow(Match.builder().exact(FlowField.ETH_TYPE, 0x800).build(), 10, List.of(Actions.group(7)));
        final UnsafeBuffer frame = Frames.buffer(256);
        final int len = Frames.icmp4(frame, MAC_B, MAC_A, IP_A, IP_B, 2);

        final TraceResult trace = sw.trace(frame, 0, len, a.number());
        assertThat(trace.outputPorts()).as(trace.text()).containsExactly(b.number(), c.number());
        assertThat(trace.dropReason()).as(trace.text()).isNull();
        assertThat(trace.text()).contains("group 7 is called from a group bucket (not supported): dropped");

        sw.start();
        a.send(frame, 0, len);
        final byte[] atB = new Collector().await(b, 1).get(0);
        final byte[] atC = new Collector().await(c, 1).get(0);
        final Ipv4Header ip = new Ipv4Header();
        final int l3 = EthernetFrame.HEADER_LENGTH;
        assertThat(ip.wrap(new UnsafeBuffer(atB), l3, atB.length - l3).ttl()).as("bucket 1 at b").isEqualTo(1);
        assertThat(ip.wrap(new UnsafeBuffer(atC), l3, atC.length - l3).ttl()).as("bucket 2 at c").isEqualTo(1);
        awaitCondition(() -> sw.stats().actionDrops() == 1);
    }

    @Test
    void shouldDropAndCountWhenReceiveRingIsFull()
    {
        newSwitch(SwitchConfig.builder().ringCapacity(4096).build());
        final EndpointPort a = sw.addEndpointPort("a");
        final EndpointPort b = sw.addEndpointPort("b");
        sw.addFlow(Match.ALL, 0, List.of(Actions.flood()));
        sw.start();
        final UnsafeBuffer frame = Frames.buffer(2048);
        final int len = Frames.udp4(frame, MAC_B, MAC_A, -1, IP_A, IP_B, 1, 2, 400);
        int sent = 0;
        for (int i = 0; i < 40; i++)
        {
            while (!a.send(frame, 0, len))
            {
                Thread.onSpinWait();
            }
            sent++;
        }
        final int total = sent;
        awaitCondition(() -> b.counters().txPackets() + b.counters().txDropped() == total);
        assertThat(b.counters().txDropped()).isPositive();
        assertThat(b.counters().txPackets()).isLessThan(total);
        final Collector atB = new Collector();
        atB.drain(b);
        assertThat((long)atB.frames().size()).isEqualTo(b.counters().txPackets());
    }

    @Test
    void shouldExpireIdleRuleAndReportFlowRemoved()
    {
        newSwitch(SwitchConfig.builder().expiryIntervalMillis(20).build());
        final List<String> removed = new CopyOnWriteArrayList<>();
        sw.addFlowRemovedListener((rule, reason) -> removed.add(rule.priority() + ":" + reason));
        sw.addFlow(new FlowRule(Match.builder().exact(FlowField.IN_PORT, 7).build(), 33, 0, List.of(), 1, 0, true,
            System.nanoTime()));
        sw.addFlow(new FlowRule(Match.builder().exact(FlowField.IN_PORT, 8).build(), 34, 0, List.of(), 0, 0, true,
            System.nanoTime()));
        sw.start();
        awaitCondition(() -> removed.size() == 1);
        assertThat(removed).containsExactly("33:" + FlowRule.REMOVED_IDLE_TIMEOUT);
        sw.deleteFlows(Match.ALL, 0, false, 0, 0, 0);
        assertThat(removed).containsExactly("33:0", "34:" + FlowRule.REMOVED_DELETE);
        assertThat(sw.dumpFlows()).isEmpty();
    }

    @Test
    void shouldTraceRuleAndActions()
    {
        newSwitch(SwitchConfig.builder().build());
        final EndpointPort a = sw.addEndpointPort("a");
        final EndpointPort b = sw.addEndpointPort("b");
        sw.addFlow(Match.builder().exact(FlowField.ETH_TYPE, 0x800).ipv4Prefix(FlowField.IPV4_DST, IP_B, 24).build(),
            100, List.of(Actions.decTtl(), Actions.output(b.number())));
        sw.addFlow(Match.ALL, 0, List.of(Actions.flood()));
        final UnsafeBuffer frame = Frames.buffer(256);
        final int len = Frames.udp4(frame, MAC_B, MAC_A, -1, IP_A, IP_B, 5, 6, 0);
        final TraceResult trace = sw.trace(frame, 0, len, a.number());
        assertThat(trace.rule().priority()).isEqualTo(100);
        assertThat(trace.outputPorts()).containsExactly(b.number());
        assertThat(trace.text()).contains("ipv4_dst=10.0.0.0/24").contains("dec_ttl").contains("output to port 2");
        assertThat(trace.rule().packetCount()).as("trace does not count").isZero();
        final TraceResult bad = sw.trace(frame, 0, 20, a.number());
        assertThat(bad.dropReason()).isEqualTo("malformed_ipv4");
    }

    /**
     * Flips between two rule sets under traffic with one atomic commit each time: no frame may ever
     * meet the gap between "old rule deleted" and "new rule added", and once a flip is done every
     * later frame must follow the new rule (no stale exact-match cache entry).
     */
    @Test
    void shouldApplyTableUpdatesAtomicallyUnderConcurrentTraffic() throws Exception
    {
        // 40,000 frames of 72 ring bytes each fit B's rings even if the test thread never drained them.
        newSwitch(SwitchConfig.builder().workers(2).ringCapacity(1 << 23).build());
        final EndpointPort a = sw.addEndpointPort("a");
        final EndpointPort b = sw.addEndpointPort("b");
        final EndpointPort c = sw.addEndpointPort("c");
        final Match udp = Match.builder().exact(FlowField.ETH_TYPE, 0x800).exact(FlowField.IP_PROTO, 17).build();
        final Match udpDst = Match.builder().exact(FlowField.ETH_TYPE, 0x800).exact(FlowField.IP_PROTO, 17)
            .exact(FlowField.TP_DST, 2000).build();
        final FlowRule[] versions = new FlowRule[2];
        versions[0] = new FlowRule(udp, 10, 1, List.of(Actions.setField(FlowField.ETH_SRC, 0xAAL),
            Actions.output(b.number())), 0, 0, false, 0);
        versions[1] = new FlowRule(udpDst, 20, 2, List.of(Actions.setField(FlowField.ETH_SRC, 0xBBL),
            Actions.output(b.number())), 0, 0, false, 0);
        sw.addFlow(versions[0]);
        sw.start();

        final int frames = 20_000;
        final int framesPerFlip = 1_000;
        final AtomicInteger committed = new AtomicInteger();
        final UnsafeBuffer fa = Frames.buffer(256);
        final int lenA = Frames.udp4(fa, MAC_B, MAC_A, -1, IP_A, IP_B, 1000, 2000, 18);
        final UnsafeBuffer fc = Frames.buffer(256);
        final int lenC = Frames.udp4(fc, MAC_B, 0x02_0CL, -1, IP_A, IP_B, 1001, 2000, 18);
        final Thread senders = new Thread(() ->
        {
            int seen = 0;
            for (int i = 0; i < frames; i++)
            {
                // On an idle machine the senders could finish before the first commit: wait for a new table
                // every batch, so updates land throughout the traffic however fast it goes.
                if (i % framesPerFlip == framesPerFlip - 1)
                {
                    while (committed.get() == seen)
                    {
                        Thread.onSpinWait();
                    }
                    seen = committed.get();
                }
                while (!a.send(fa, 0, lenA))
                {
                    Thread.onSpinWait();
                }
                while (!c.send(fc, 0, lenC))
                {
                    Thread.onSpinWait();
                }
            }
        });
        final Collector atB = new Collector();
        senders.start();
        int flips = 0;
        int current = 0;
        while (senders.isAlive())
        {
            final int next = 1 - current;
            sw.commit(List.of(fresh(versions[next])), List.of(versions[current]));
            current = next;
            flips++;
            committed.incrementAndGet();
            atB.drain(b);
            Thread.sleep(1);
        }
        senders.join();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (atB.frames().size() < 2 * frames && System.nanoTime() < deadline)
        {
            b.awaitFrames(10_000_000L);
            atB.drain(b);
        }
        assertThat(flips).isGreaterThanOrEqualTo(frames / framesPerFlip - 1);
        assertThat(sw.stats().tableMisses()).as("no frame saw an empty table").isZero();
        assertThat(atB.frames()).hasSize(2 * frames);
        for (final byte[] f : atB.frames())
        {
            final long src = new EthernetFrame().wrap(new UnsafeBuffer(f), 0, f.length).source();
            assertThat(src).isIn(0xAAL, 0xBBL);
        }
        // After the last flip has settled, a new frame must follow the current rule, not a cached one.
        sw.awaitQuiescence();
        final long expected = current == 0 ? 0xAAL : 0xBBL;
        final Collector after = new Collector();
        a.send(fa, 0, lenA);
        final byte[] last = after.await(b, 1).get(0);
        assertThat(new EthernetFrame().wrap(new UnsafeBuffer(last), 0, last.length).source()).isEqualTo(expected);
        assertThat(b.counters().txDropped()).isZero();
    }

    @Test
    void shouldRemovePortWhileRunningAndDropFramesToIt()
    {
        newSwitch(SwitchConfig.builder().workers(2).build());
        final EndpointPort a = sw.addEndpointPort("a");
        final EndpointPort b = sw.addEndpointPort("b");
        final EndpointPort c = sw.addEndpointPort("c");
        sw.addFlow(Match.ALL, 0, List.of(Actions.output(b.number()), Actions.output(c.number())));
        sw.start();
        final UnsafeBuffer frame = Frames.buffer(256);
        final int len = Frames.udp4(frame, MAC_B, MAC_A, -1, IP_A, IP_B, 1, 2, 10);
        a.send(frame, 0, len);
        assertThat(new Collector().await(c, 1)).hasSize(1);
        assertThat(sw.removePort(b.number())).isTrue();
        assertThat(sw.removePort(b.number())).isFalse();
        assertThat(sw.ports()).extracting(p -> p.name()).containsExactly("a", "c");
        a.send(frame, 0, len);
        assertThat(new Collector().await(c, 1)).hasSize(1);
        awaitCondition(() -> sw.stats().actionDrops() == 1);
        assertThat(sw.stats().actionDrops()).as("output to the removed port drops").isEqualTo(1);
        assertThat(b.counters().txPackets()).isEqualTo(1);
        final EndpointPort d = sw.addEndpointPort("d");
        assertThat(d.number()).as("lowest free number is reused").isEqualTo(2);
    }

    private static FlowRule fresh(final FlowRule r)
    {
        return new FlowRule(r.match(), r.priority(), r.cookie(), r.actions(), 0, 0, false, System.nanoTime());
    }

    static void awaitCondition(final java.util.function.BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline)
        {
            try
            {
                Thread.sleep(2);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @SuppressWarnings("unused")
    private static List<Integer> ints()
    {
        return new ArrayList<>();
    }

    @SuppressWarnings("unused")
    private static UdpHeader unused()
    {
        return new UdpHeader();
    }
}
