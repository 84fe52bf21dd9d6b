package dev.hostplane.vswitch.policy;

import static dev.hostplane.vswitch.policy.Policies.countPackets;
import static dev.hostplane.vswitch.policy.Policies.fwd;
import static dev.hostplane.vswitch.policy.Policies.ip;
import static dev.hostplane.vswitch.policy.Policies.match;
import static dev.hostplane.vswitch.policy.Policies.union;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.hostplane.vswitch.IdleMode;
import dev.hostplane.vswitch.SwitchConfig;
import dev.hostplane.vswitch.VirtualSwitch;
import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.flow.FlowKey;
import dev.hostplane.vswitch.port.EndpointPort;
import dev.hostplane.vswitch.testing.Frames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Pyretic article's examples running on a switch with three in-process endpoints, checked
 * frame by frame: per-destination routing, a firewall sequenced before monitoring + routing (with
 * a counting query reading the switch's counters), MAC learning and the round-robin load
 * balancer as dynamic policies, and {@code trace}.
 */
class PolicyExamplesTest
{
    private static final long MAC1 = 0x020000000001L;
    private static final long MAC2 = 0x020000000002L;
    private static final long MAC3 = 0x020000000003L;

    private VirtualSwitch sw;
    private final EndpointPort[] ports = new EndpointPort[4];

    @BeforeEach
    void start()
    {
        sw = new VirtualSwitch(SwitchConfig.builder().idleMode(IdleMode.BLOCKING).build());
        for (int i = 1; i <= 3; i++)
        {
            ports[i] = sw.addEndpointPort("h" + i);
        }
        sw.start();
    }

    @AfterEach
    void stop()
    {
        sw.close();
    }

    private static final Policy ROUTE = union(
        match(FlowField.IPV4_DST, ip("10.0.0.1")).then(fwd(1)),
        match(FlowField.IPV4_DST, ip("10.0.0.2")).then(fwd(2)),
        match(FlowField.IPV4_DST, ip("10.0.0.3")).then(fwd(3)));

    @Test
    void shouldRoutePerDestination() throws Exception
    {
        try (PolicyRuntime rt = PolicyRuntime.attach(sw, ROUTE))
        {
            send(1, MAC2, "10.0.0.2", 80);
            send(1, MAC3, "10.0.0.3", 80);
            send(2, MAC1, "10.0.0.1", 80);
            send(2, MAC1, "10.0.0.9", 80);
            assertThat(received(2)).hasSize(1);
            assertThat(received(3)).hasSize(1);
            assertThat(received(1)).hasSize(1);
            assertThat(rt.rules()).hasSizeGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void shouldRunFirewallThenMonitoringPlusRouting() throws Exception
    {
        final AtomicReference<Map<List<Long>, Long>> counts = new AtomicReference<>(Map.of());
        final Policy monitor = countPackets(100, FlowField.IPV4_DST).onCounts(counts::set);
        final Predicate firewall = match(FlowField.ETH_TYPE, 0x0800).and(match(FlowField.TP_DST, 22).not());
        try (PolicyRuntime rt = PolicyRuntime.attach(sw, firewall.then(monitor.plus(ROUTE))))
        {
            for (int i = 0; i < 5; i++)
            {
                send(1, MAC2, "10.0.0.2", 80);
            }
            send(1, MAC3, "10.0.0.3", 22);
            send(1, MAC3, "10.0.0.3", 443);
            assertThat(received(2)).hasSize(5);
            assertThat(received(3)).as("ssh blocked, https passed").hasSize(1);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (counts.get().getOrDefault(List.of(ip("10.0.0.2")), 0L) < 5 && System.nanoTime() < deadline)
            {
                Thread.sleep(20);
            }
            assertThat(counts.get()).containsEntry(List.of(ip("10.0.0.2")), 5L).containsEntry(List.of(ip("10.0.0.3")), 1L);
            assertThat(rt.compilations()).as("new groups refine the counting rules").isGreaterThan(1);
            final String trace = rt.trace(packet(1, MAC3, "10.0.0.3", 22));
            assertThat(trace).contains("Outputs: drop").contains("match(");
        }
    }

    @Test
    void shouldLearnMacsAsADynamicPolicy() throws Exception
    {
        final MacLearner learner = new MacLearner();
        try (PolicyRuntime rt = PolicyRuntime.attach(sw, learner))
        {
            send(1, MAC2, "10.0.0.2", 80);
            assertThat(received(2)).as("unknown destination floods").hasSize(1);
            assertThat(received(3)).hasSize(1);
            awaitTrue(() -> learner.table().containsKey(0x02AA00000001L));
            send(2, 0x02AA00000001L, "10.0.0.1", 80, 0x020000000002L);
            assertThat(received(1)).as("learned destination: one port").hasSize(1);
            assertThat(received(3)).isEmpty();
            assertThat(learner.table()).containsEntry(0x02AA00000001L, 1);
            assertThat(rt.trace(packet(3, 0x02AA00000001L, "10.0.0.1", 80))).contains("fwd(1)");
        }
    }

    @Test
    void shouldBalanceClientsRoundRobin() throws Exception
    {
        final long vip = ip("10.0.0.100");
        final RoundRobinLoadBalancer lb = new RoundRobinLoadBalancer(vip, List.of(ip("10.0.0.2"), ip("10.0.0.3")));
        try (PolicyRuntime rt = PolicyRuntime.attach(sw, lb.then(ROUTE)))
        {
            for (int c = 11; c <= 13; c++)
            {
                final String client = "10.0.1." + c;
                sendFrom(1, client, "10.0.0.100", 80);
                final int clientNumber = c;
                awaitTrue(() -> lb.assignments().containsKey(ip("10.0.1." + clientNumber)));
            }
            received(2);
            received(3);
            sendFrom(1, "10.0.1.11", "10.0.0.100", 80);
            sendFrom(1, "10.0.1.12", "10.0.0.100", 80);
            sendFrom(1, "10.0.1.13", "10.0.0.100", 80);
            final List<byte[]> at2 = received(2);
            final List<byte[]> at3 = received(3);
            assertThat(at2).as("clients 1 and 3 to server 10.0.0.2").hasSize(2);
            assertThat(at3).as("client 2 to server 10.0.0.3").hasSize(1);
            assertThat(dstIp(at2.get(0))).isEqualTo((int)ip("10.0.0.2"));
            assertThat(dstIp(at3.get(0))).isEqualTo((int)ip("10.0.0.3"));
            assertThat(lb.assignments()).hasSize(3);
        }
    }

    @Test
    void shouldSendJavaPredicatesThroughTheInterpreterAndBack() throws Exception
    {
        // Only UDP to port 80 reaches the Java test; the switch decides the rest on its own.
        final Predicate evenSource = Policies.predicate("evenSourceIp", p -> (p.get(FlowField.IPV4_SRC) & 1) == 0);
        final Policy policy = match(FlowField.TP_DST, 80).then(Policies.if_(evenSource, fwd(2), fwd(3)))
            .plus(match(FlowField.TP_DST, 443).then(fwd(3)));
        try (PolicyRuntime rt = PolicyRuntime.attach(sw, policy))
        {
            sendFrom(1, "10.0.1.2", "10.0.0.9", 80);
            sendFrom(1, "10.0.1.3", "10.0.0.9", 80);
            sendFrom(1, "10.0.1.4", "10.0.0.9", 443);
            final List<byte[]> at2 = received(2);
            final List<byte[]> at3 = received(3);
            assertThat(at2).as("even source, decided by the interpreter").hasSize(1);
            assertThat(at3).as("odd source by the interpreter, 443 by the switch").hasSize(2);
            assertThat(srcIp(at2.get(0))).isEqualTo((int)ip("10.0.1.2"));
            assertThat(rt.flows()).anyMatch(f -> f.contains("CONTROLLER"));
            assertThat(sw.stats().packetInDropped()).isZero();
        }
    }

    @Test
    void shouldForwardBackOutOfTheIngressPortAndFloodToPortsAddedLater() throws Exception
    {
        final Policy policy = match(FlowField.TP_DST, 7).then(fwd(1)).plus(match(FlowField.TP_DST, 9).then(
            Policies.flood()));
        try (PolicyRuntime rt = PolicyRuntime.attach(sw, policy))
        {
            sendFrom(1, "10.0.1.1", "10.0.0.9", 7);
            assertThat(received(1)).as("fwd(in_port) sends it back where it came from").hasSize(1);
            final long before = rt.compilations();
            final EndpointPort late = sw.addEndpointPort("h4");
            awaitTrue(() -> rt.compilations() > before);
            sendFrom(1, "10.0.1.1", "10.0.0.9", 9);
            assertThat(received(2)).hasSize(1);
            assertThat(received(3)).hasSize(1);
            Thread.sleep(150);
            final List<byte[]> at4 = new ArrayList<>();
            late.receive((b, o, l) -> at4.add(new byte[l]), 256);
            assertThat(at4).as("flood covers a port added after the policy was installed").hasSize(1);
            assertThat(received(1)).as("flood skips the ingress port").isEmpty();
        }
    }

    private static int srcIp(final byte[] frame)
    {
        return new UnsafeBuffer(frame).getInt(26, ByteOrder.BIG_ENDIAN);
    }

    private static int dstIp(final byte[] frame)
    {
        return new UnsafeBuffer(frame).getInt(30, ByteOrder.BIG_ENDIAN);
    }

    private static Packet packet(final int inPort, final long dstMac, final String dstIp, final int dstPort)
    {
        final FlowKey k = new FlowKey().set(FlowField.IN_PORT, inPort).set(FlowField.ETH_DST, dstMac)
            .set(FlowField.ETH_SRC, 0x02AA00000000L | inPort).set(FlowField.ETH_TYPE, 0x0800)
            .set(FlowField.IPV4_DST, ip(dstIp)).set(FlowField.IP_PROTO, 17).set(FlowField.TP_DST, dstPort);
        return Packet.of(k);
    }

    private void send(final int port, final long dstMac, final String dstIp, final int dstPort)
    {
        send(port, dstMac, dstIp, dstPort, 0x02AA00000000L | port);
    }

    private void send(final int port, final long dstMac, final String dstIp, final int dstPort, final long srcMac)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
        final int len = Frames.udp4(frame, dstMac, srcMac, -1, (int)ip("10.0.0." + port), (int)ip(dstIp), 5000,
            dstPort, 8);
        assertThat(ports[port].send(frame, 0, len)).isTrue();
    }

    private void sendFrom(final int port, final String srcIp, final String dstIp, final int dstPort)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
        final int len = Frames.udp4(frame, MAC2, 0x02AA00000000L | port, -1, (int)ip(srcIp), (int)ip(dstIp), 5000,
            dstPort, 8);
        assertThat(ports[port].send(frame, 0, len)).isTrue();
    }

    private List<byte[]> received(final int port) throws InterruptedException
    {
        Thread.sleep(150);
        final List<byte[]> out = new ArrayList<>();
        ports[port].receive((b, o, l) ->
        {
            final byte[] copy = new byte[l];
            b.getBytes(o, copy);
            out.add(copy);
        }, 256);
        return out;
    }

    private static void awaitTrue(final java.util.function.BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }
}
