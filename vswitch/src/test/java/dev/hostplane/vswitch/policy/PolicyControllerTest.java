package dev.hostplane.vswitch.policy;

import static dev.hostplane.vswitch.policy.Policies.fwd;
import static dev.hostplane.vswitch.policy.Policies.ip;
import static dev.hostplane.vswitch.policy.Policies.match;
import static dev.hostplane.vswitch.policy.Policies.union;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.hostplane.vswitch.IdleMode;
import dev.hostplane.vswitch.SwitchConfig;
import dev.hostplane.vswitch.VirtualSwitch;
import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.openflow.OpenFlowAgent;
import dev.hostplane.vswitch.openflow.OpenFlowTarget;
import dev.hostplane.vswitch.port.EndpointPort;
import dev.hostplane.vswitch.testing.Frames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The policy controller over real OpenFlow 1.3 connections: three of our switches, each with its
 * own OpenFlow agent connecting to the controller over loopback TCP, joined in a line by cables
 * (two endpoint ports and a thread copying frames between them), run one policy as one big
 * switch. Frames entering at one end leave at the virtual port the policy picks, untagged, after
 * crossing the switch in the middle tagged; a Java predicate's packets go through the controller's
 * interpreter and come out of the right switch.
 */
class PolicyControllerTest
{
    private static final long MAC = 0x020000000001L;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();

    @AfterEach
    void close() throws Exception
    {
        stop.set(true);
        for (int i = closing.size() - 1; i >= 0; i--)
        {
            closing.get(i).close();
        }
    }

    @Test
    void shouldRunOnePolicyOverThreeSwitchesAsOneBigSwitch() throws Exception
    {
        // Virtual ports 1, 2 on switch 0xA; 3 on 0xB; 4 on 0xC. Cables 0xA:3-0xB:1 and 0xB:2-0xC:1.
        final Topology line = Topology.builder()
            .port(1, 0xA, 1).port(2, 0xA, 2).port(3, 0xB, 3).port(4, 0xC, 2)
            .link(0xA, 3, 0xB, 1).link(0xB, 2, 0xC, 1)
            .build();
        final Predicate oddSource = Policies.predicate("oddSourceIp", p -> (p.get(FlowField.IPV4_SRC) & 1) == 1);
        final Policy policy = union(
            match(FlowField.IPV4_DST, ip("10.0.0.1")).then(fwd(1)),
            match(FlowField.IPV4_DST, ip("10.0.0.2")).then(fwd(2)),
            match(FlowField.IPV4_DST, ip("10.0.0.3")).then(fwd(3)),
            match(FlowField.IPV4_DST, ip("10.0.0.4")).then(fwd(4)),
            match(FlowField.IPV4_DST, ip("10.0.0.9")).then(Policies.if_(oddSource, fwd(4), fwd(3))));
        final PolicyController controller = PolicyController.start(policy, line,
            new InetSocketAddress("127.0.0.1", 0));
        closing.add(controller);
        final String target = "tcp:127.0.0.1:" + controller.address().getPort();

        final VirtualSwitch a = sw();
        final VirtualSwitch b = sw();
        final VirtualSwitch c = sw();
        final EndpointPort h1 = a.addEndpointPort("h1");
        final EndpointPort h2 = a.addEndpointPort("h2");
        final EndpointPort aToB = a.addEndpointPort("a-b");
        final EndpointPort bFromA = b.addEndpointPort("b-a");
        final EndpointPort bToC = b.addEndpointPort("b-c");
        final EndpointPort h3 = b.addEndpointPort("h3");
        final EndpointPort cFromB = c.addEndpointPort("c-b");
        final EndpointPort h4 = c.addEndpointPort("h4");
        cable(aToB, bFromA);
        cable(bToC, cFromB);
        for (final long[] s : new long[][] {{0xA, 0}, {0xB, 1}, {0xC, 2}})
        {
            final VirtualSwitch v = List.of(a, b, c).get((int)s[1]);
            v.start();
            closing.add(OpenFlowAgent.builder(v).controller(OpenFlowTarget.parse(target)).datapathId(s[0]).build()
                .start());
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!controller.switches().equals(Set.of(0xAL, 0xBL, 0xCL)) && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
        }
        assertThat(controller.switches()).containsExactlyInAnyOrder(0xAL, 0xBL, 0xCL);
        Thread.sleep(300);

        send(h1, "10.0.1.2", "10.0.0.4");
        final List<byte[]> at4 = await(h4, 1);
        assertThat(at4).as("virtual port 1 to 4 across all three switches").hasSize(1);
        assertThat(etherType(at4.get(0))).as("the link's VLAN tag is gone at the edge").isEqualTo(0x0800);
        assertThat(dstIp(at4.get(0))).isEqualTo((int)ip("10.0.0.4"));

        send(h4, "10.0.1.2", "10.0.0.2");
        assertThat(await(h2, 1)).as("virtual port 4 back to 2").hasSize(1);
        send(h1, "10.0.1.2", "10.0.0.3");
        assertThat(await(h3, 1)).as("to the middle switch's edge port").hasSize(1);
        send(h1, "10.0.1.2", "10.0.0.2");
        assertThat(await(h2, 1)).as("within one switch").hasSize(1);

        // The Java predicate: decided by the controller, sent out of the switch that owns the port.
        send(h2, "10.0.1.3", "10.0.0.9");
        send(h2, "10.0.1.4", "10.0.0.9");
        final List<byte[]> odd = await(h4, 1);
        final List<byte[]> even = await(h3, 1);
        assertThat(odd).as("odd source to virtual port 4").hasSize(1);
        assertThat(even).as("even source to virtual port 3").hasSize(1);
        assertThat(srcIp(odd.get(0))).isEqualTo((int)ip("10.0.1.3"));
        assertThat(etherType(even.get(0))).isEqualTo(0x0800);

        Thread.sleep(100);
        assertThat(drain(h1)).as("nothing strays back to the sender").isEmpty();
        assertThat(controller.trace(Packet.of(new dev.hostplane.vswitch.flow.FlowKey().set(FlowField.IN_PORT, 1)
            .set(FlowField.ETH_TYPE, 0x0800).set(FlowField.IPV4_DST, ip("10.0.0.4"))))).contains("fwd(4)");
    }

    @Test
    void shouldCloseTwiceWithoutFailing() throws Exception
    {
        final PolicyController controller = PolicyController.start(match(FlowField.IN_PORT, 1).then(fwd(2)), null,
            new InetSocketAddress("127.0.0.1", 0));
        controller.close();
        assertThatCode(controller::close).as("a second close").doesNotThrowAnyException();
    }

    @Test
    void shouldReinstallWithoutLosingAPacket() throws Exception
    {
        final Policy policy = union(match(FlowField.IN_PORT, 1).then(fwd(2)), match(FlowField.IN_PORT, 2).then(fwd(1)));
        final PolicyController controller = PolicyController.start(policy, null, new InetSocketAddress("127.0.0.1", 0));
        closing.add(controller);
        final ConnectedSwitch connected = connectedSwitch(controller, 0xD);
        final VirtualSwitch s = connected.sw();
        final EndpointPort h1 = connected.h1();
        final EndpointPort h2 = connected.h2();
        Thread.sleep(100);
        final int flows = policyFlows(s).size();
        assertThat(flows).as("the policy is installed").isPositive();
        final long missesBefore = s.stats().tableMisses();

        // Frames flow from h1 to h2 all the time the controller reinstalls the switch, at most 256 in
        // flight so that no ring overflows: every frame sent must arrive.
        final java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
        final AtomicBoolean sending = new AtomicBoolean(true);
        final Thread receiver = new Thread(() ->
        {
            while (!stop.get())
            {
                if (h2.receive((b, o, l) -> received.incrementAndGet(), 256) == 0)
                {
                    h2.awaitFrames(TimeUnit.MILLISECONDS.toNanos(1));
                }
            }
        }, "reinstall-receiver");
        receiver.setDaemon(true);
        receiver.start();
        final Thread sender = new Thread(() ->
        {
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
            final int len = Frames.udp4(frame, MAC, MAC + 1, -1, (int)ip("10.0.1.1"), (int)ip("10.0.1.2"), 5000, 80,
                32);
            while (sending.get())
            {
                if (sent.get() - received.get() >= 256)
                {
                    Thread.onSpinWait();
                    continue;
                }
                if (h1.send(frame, 0, len))
                {
                    sent.incrementAndGet();
                }
            }
        }, "reinstall-sender");
        sender.setDaemon(true);
        sender.start();
        final int reinstalls = 21;
        for (int i = 0; i < reinstalls; i++)
        {
            final long before = sent.get();
            controller.recompile();
            // Each reinstall happens under traffic: wait for it to finish and for frames to cross.
            final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!generationInstalled(s, (i & 1) == 0, flows) && System.nanoTime() < until)
            {
                Thread.sleep(1);
            }
            assertThat(generationInstalled(s, (i & 1) == 0, flows)).as("reinstall " + (i + 1) + " done").isTrue();
            while (sent.get() < before + 200 && System.nanoTime() < until)
            {
                Thread.sleep(1);
            }
        }
        sending.set(false);
        sender.join(5_000);
        final long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (received.get() < sent.get() && System.nanoTime() < drainUntil)
        {
            Thread.sleep(5);
        }
        Thread.sleep(50);
        assertThat(sent.get()).as("frames sent while reinstalling").isGreaterThan(reinstalls * 200L);
        assertThat(sent.get() - received.get()).as("frames lost of " + sent.get()).isZero();
        assertThat(s.stats().tableMisses() - missesBefore).as("frames that met a table without the policy").isZero();
        assertThat(policyFlows(s)).as("only the last generation is left").hasSize(flows)
            .allMatch(r -> (r.cookie() & 0x4000_0000L) != 0 && r.priority() > 0x7FFF);
    }

    @Test
    void shouldReconnectToARestartedControllerAndTakeItsPolicy() throws Exception
    {
        // The agent is the active side (as --controller): when its controller goes away the switch
        // keeps forwarding with the flows it has, and the agent reconnects with back-off (short here,
        // 50 ms doubling to 400 ms) until a controller listens again at that address; the new
        // controller's policy replaces the old one.
        final PolicyController first = PolicyController.start(
            union(match(FlowField.IN_PORT, 1).then(fwd(2)), match(FlowField.IN_PORT, 2).then(fwd(1))), null,
            new InetSocketAddress("127.0.0.1", 0));
        closing.add(first);
        final InetSocketAddress address = first.address();
        final ConnectedSwitch connected = connectedSwitch(first, 0xF);
        send(connected.h1(), "10.0.1.1", "10.0.1.2");
        assertThat(await(connected.h2(), 1)).as("h1 to h2 under the first policy").hasSize(1);

        first.close();
        send(connected.h1(), "10.0.1.1", "10.0.1.2");
        assertThat(await(connected.h2(), 1)).as("the switch keeps its flows without a controller").hasSize(1);

        final PolicyController second = PolicyController.start(match(FlowField.IN_PORT, 2).then(fwd(1)), null,
            address);
        closing.add(second);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!second.switches().contains(0xFL) && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
        }
        assertThat(second.switches()).as("the agent reconnected to the controller at %s", address).contains(0xFL);
        final long installed = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (policyFlows(connected.sw()).stream().anyMatch(r -> r.match().value().get(FlowField.IN_PORT) == 1) &&
            System.nanoTime() < installed)
        {
            Thread.sleep(10);
        }
        send(connected.h1(), "10.0.1.1", "10.0.1.2");
        send(connected.h2(), "10.0.1.2", "10.0.1.1");
        assertThat(await(connected.h1(), 1)).as("h2 to h1 under the second policy").hasSize(1);
        assertThat(drain(connected.h2())).as("h1 to h2 no longer: the first policy's flows are gone").isEmpty();
    }

    @Test
    void shouldReadCountingQueriesBackFromTheSwitchOverFlowStats() throws Exception
    {
        final java.util.concurrent.atomic.AtomicReference<java.util.Map<List<Long>, Long>> packets =
            new java.util.concurrent.atomic.AtomicReference<>(java.util.Map.of());
        final java.util.concurrent.atomic.AtomicReference<java.util.Map<List<Long>, Long>> bytes =
            new java.util.concurrent.atomic.AtomicReference<>(java.util.Map.of());
        final Policy policy = union(match(FlowField.IN_PORT, 1).then(fwd(2)), match(FlowField.IN_PORT, 2).then(fwd(1)),
            Policies.countPackets(50, FlowField.IPV4_SRC).onCounts(packets::set),
            Policies.countBytes(50, FlowField.IPV4_SRC).onCounts(bytes::set));
        final PolicyController controller = PolicyController.start(policy, null, new InetSocketAddress("127.0.0.1", 0));
        closing.add(controller);
        final ConnectedSwitch connected = connectedSwitch(controller, 0xE);
        final VirtualSwitch s = connected.sw();
        final EndpointPort h1 = connected.h1();
        final EndpointPort h2 = connected.h2();
        final List<Long> one = List.of(ip("10.0.1.1"));
        final List<Long> two = List.of(ip("10.0.1.2"));
        final int len = 74;

        // The first frame of a source reaches the controller, which then installs counting flows
        // for it (a reinstall: the flows it replaces hand their counts over in FLOW_REMOVED); the
        // frames after it are counted only by those flows in the switch.
        send(h1, "10.0.1.1", "10.0.1.2");
        assertThat(await(h2, 1)).hasSize(1);
        awaitCounts(packets, java.util.Map.of(one, 1L));
        send(h2, "10.0.1.2", "10.0.1.1");
        assertThat(await(h1, 1)).hasSize(1);
        awaitCounts(packets, java.util.Map.of(one, 1L, two, 1L));
        awaitCountingFlows(s, Set.of(one.get(0), two.get(0)));
        for (int i = 0; i < 6; i++)
        {
            send(h1, "10.0.1.1", "10.0.1.2");
        }
        for (int i = 0; i < 3; i++)
        {
            send(h2, "10.0.1.2", "10.0.1.1");
        }
        assertThat(await(h2, 6)).hasSize(6);
        assertThat(await(h1, 3)).hasSize(3);
        awaitCounts(packets, java.util.Map.of(one, 7L, two, 4L));
        awaitCounts(bytes, java.util.Map.of(one, 7L * len, two, 4L * len));
        assertThat(countedInSwitch(s)).as("frames counted by the switch's flows, read back over OpenFlow")
            .isEqualTo(9);

        // A reinstall deletes the counting flows: their last counts come back in FLOW_REMOVED.
        controller.recompile();
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!generationInstalled(s, true, 0) && System.nanoTime() < until)
        {
            Thread.sleep(5);
        }
        assertThat(generationInstalled(s, true, 0)).as("second generation installed").isTrue();
        assertThat(countedInSwitch(s)).as("the new counting flows start from zero").isZero();
        for (int i = 0; i < 3; i++)
        {
            send(h1, "10.0.1.1", "10.0.1.2");
        }
        assertThat(await(h2, 3)).hasSize(3);
        awaitCounts(packets, java.util.Map.of(one, 10L, two, 4L));
        awaitCounts(bytes, java.util.Map.of(one, 10L * len, two, 4L * len));
    }

    @Test
    void shouldKeepWhatASwitchCountedWhileItsControllerConnectionWasDown() throws Exception
    {
        final java.util.concurrent.atomic.AtomicReference<java.util.Map<List<Long>, Long>> packets =
            new java.util.concurrent.atomic.AtomicReference<>(java.util.Map.of());
        final List<java.util.Map<List<Long>, Long>> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        final Policy policy = union(match(FlowField.IN_PORT, 1).then(fwd(2)), match(FlowField.IN_PORT, 2).then(fwd(1)),
            Policies.countPackets(30, FlowField.IPV4_SRC).onCounts(m ->
            {
                packets.set(m);
                reports.add(m);
            }));
        final PolicyController controller = PolicyController.start(policy, null, new InetSocketAddress("127.0.0.1", 0));
        closing.add(controller);
        final ConnectedSwitch connected = connectedSwitch(controller, 0x10);
        final VirtualSwitch s = connected.sw();
        final List<Long> one = List.of(ip("10.0.1.1"));
        send(connected.h1(), "10.0.1.1", "10.0.1.2");
        assertThat(await(connected.h2(), 1)).hasSize(1);
        awaitCounts(packets, java.util.Map.of(one, 1L));
        awaitCountingFlows(s, Set.of(one.get(0)));
        sendAndAwait(connected, 2);
        awaitCounts(packets, java.util.Map.of(one, 3L));

        // The switch's OpenFlow side goes away; its flows stay and go on forwarding and counting.
        connected.agent().close();
        awaitDisconnected(controller, 0x10);
        final int before = reports.size();
        sendAndAwait(connected, 3);
        assertThat(countedInSwitch(s)).as("the switch counted on without a controller").isEqualTo(5);
        final long outage = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        while (reports.size() < before + 3 || System.nanoTime() < outage)
        {
            Thread.sleep(10);
        }
        final List<java.util.Map<List<Long>, Long>> duringOutage = List.copyOf(reports);
        assertThat(duringOutage.subList(before, duringOutage.size()))
            .as("reports while the switch is away keep its last reading").allMatch(m -> m.equals(java.util.Map.of(one, 3L)));

        // The same switch connects again: the old flows' final counts (the 3 counted while away
        // included) come back once, and counting goes on in the new flows.
        final OpenFlowAgent again = connectAgent(controller, s, 0x10);
        awaitCounts(packets, java.util.Map.of(one, 6L));
        sendAndAwait(connected, 2);
        awaitCounts(packets, java.util.Map.of(one, 8L));
        Thread.sleep(150);
        assertThat(packets.get()).as("nothing counted twice").isEqualTo(java.util.Map.of(one, 8L));

        // A switch that comes back without its flows (restarted): its last reading stays.
        again.close();
        awaitDisconnected(controller, 0x10);
        final VirtualSwitch restarted = sw();
        restarted.addEndpointPort("h1");
        restarted.addEndpointPort("h2");
        restarted.start();
        connectAgent(controller, restarted, 0x10);
        Thread.sleep(150);
        assertThat(packets.get()).as("a switch that lost its flows keeps its last reading")
            .isEqualTo(java.util.Map.of(one, 8L));
        final List<Long> totals = reports.stream().map(m -> m.getOrDefault(one, 0L)).toList();
        for (int i = 1; i < totals.size(); i++)
        {
            assertThat(totals.get(i)).as("totals never go backwards: %s", totals).isGreaterThanOrEqualTo(totals.get(i - 1));
        }
    }

    private static void sendAndAwait(final ConnectedSwitch connected, final int frames) throws InterruptedException
    {
        for (int i = 0; i < frames; i++)
        {
            send(connected.h1(), "10.0.1.1", "10.0.1.2");
        }
        assertThat(await(connected.h2(), frames)).hasSize(frames);
    }

    private static void awaitDisconnected(final PolicyController controller, final long datapathId)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (controller.switches().contains(datapathId) && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
        assertThat(controller.switches()).as("the controller saw switch %x go", datapathId).doesNotContain(datapathId);
    }

    private static void awaitCounts(final java.util.concurrent.atomic.AtomicReference<java.util.Map<List<Long>, Long>> seen,
        final java.util.Map<List<Long>, Long> expected) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!seen.get().equals(expected) && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertThat(seen.get()).isEqualTo(expected);
    }

    /** Waits until the switch has counting flows for exactly these sources, all of one generation. */
    private static void awaitCountingFlows(final VirtualSwitch s, final Set<Long> sources) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!countingSourcesSettled(s, sources) && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertThat(countingSourcesSettled(s, sources)).as("counting flows for %s: %s", sources, s.dumpFlows()).isTrue();
    }

    private static boolean countingSourcesSettled(final VirtualSwitch s, final Set<Long> sources)
    {
        final List<dev.hostplane.vswitch.classifier.FlowRule> all = policyFlows(s);
        final boolean oneGeneration = all.stream().map(r -> r.cookie() & 0x4000_0000L).distinct().count() == 1;
        return oneGeneration && countingFlows(s).stream().map(r -> r.match().value().get(FlowField.IPV4_SRC))
            .collect(java.util.stream.Collectors.toSet()).equals(sources);
    }

    /** Policy flows that match one source address exactly: the ones a counting group gets. */
    private static List<dev.hostplane.vswitch.classifier.FlowRule> countingFlows(final VirtualSwitch s)
    {
        return policyFlows(s).stream().filter(r -> !r.match().isWildcarded(FlowField.IPV4_SRC) &&
            r.sendFlowRemoved()).toList();
    }

    private static long countedInSwitch(final VirtualSwitch s)
    {
        return countingFlows(s).stream().mapToLong(dev.hostplane.vswitch.classifier.FlowRule::packetCount).sum();
    }

    private static List<dev.hostplane.vswitch.classifier.FlowRule> policyFlows(final VirtualSwitch s)
    {
        return s.dumpFlows().stream().filter(r -> (r.cookie() >>> 32) == (PolicyRuntime.COOKIE >>> 32)).toList();
    }

    /**
     * Whether the policy's flows are all of one generation (the second after an odd number of
     * reinstalls), {@code count} of them (0: any number but none).
     */
    private static boolean generationInstalled(final VirtualSwitch s, final boolean second, final int count)
    {
        final List<dev.hostplane.vswitch.classifier.FlowRule> flows = policyFlows(s);
        return !flows.isEmpty() && (count == 0 || flows.size() == count) && flows.stream().allMatch(r -> ((r.cookie() & 0x4000_0000L) != 0) == second);
    }

    /** One of our switches with ports h1 and h2, its agent connected to the controller and the policy installed. */
    private record ConnectedSwitch(VirtualSwitch sw, EndpointPort h1, EndpointPort h2, OpenFlowAgent agent)
    {
    }

    private ConnectedSwitch connectedSwitch(final PolicyController controller, final long datapathId)
        throws Exception
    {
        final VirtualSwitch s = sw();
        final EndpointPort h1 = s.addEndpointPort("h1");
        final EndpointPort h2 = s.addEndpointPort("h2");
        s.start();
        final OpenFlowAgent agent = connectAgent(controller, s, datapathId);
        return new ConnectedSwitch(s, h1, h2, agent);
    }

    /** Attaches an agent to the switch and waits until the controller has installed the policy into it. */
    private OpenFlowAgent connectAgent(final PolicyController controller, final VirtualSwitch s, final long datapathId)
        throws Exception
    {
        final OpenFlowAgent agent = OpenFlowAgent.builder(s).controller(OpenFlowTarget.parse("tcp:127.0.0.1:" +
            controller.address().getPort())).datapathId(datapathId)
            .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(400)).build().start();
        closing.add(agent);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(controller.switches().contains(datapathId) && generationInstalled(s, false, 0)) &&
            System.nanoTime() < deadline)
        {
            Thread.sleep(20);
        }
        assertThat(controller.switches()).as("switch %x connected and programmed", datapathId).contains(datapathId);
        return agent;
    }

    private VirtualSwitch sw()
    {
        final VirtualSwitch s = new VirtualSwitch(SwitchConfig.builder().idleMode(IdleMode.BLOCKING).build());
        closing.add(s);
        return s;
    }

    /** A cable: frames the switch sends out of one port go into the other, both ways. */
    private void cable(final EndpointPort x, final EndpointPort y)
    {
        final Thread t = new Thread(() ->
        {
            while (!stop.get())
            {
                final int n = x.receive((buf, off, len) -> y.send(buf, off, len), 64) +
                    y.receive((buf, off, len) -> x.send(buf, off, len), 64);
                if (n == 0)
                {
                    x.awaitFrames(TimeUnit.MILLISECONDS.toNanos(1));
                }
            }
        }, "cable-" + x.name());
        t.setDaemon(true);
        t.start();
    }

    private static void send(final EndpointPort port, final String srcIp, final String dstIp)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
        final int len = Frames.udp4(frame, MAC, MAC + 1, -1, (int)ip(srcIp), (int)ip(dstIp), 5000, 80, 32);
        assertThat(port.send(frame, 0, len)).isTrue();
    }

    private static List<byte[]> await(final EndpointPort port, final int frames) throws InterruptedException
    {
        final List<byte[]> out = new ArrayList<>();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (out.size() < frames && System.nanoTime() < deadline)
        {
            port.awaitFrames(TimeUnit.MILLISECONDS.toNanos(20));
            out.addAll(drain(port));
        }
        Thread.sleep(50);
        out.addAll(drain(port));
        return out;
    }

    private static List<byte[]> drain(final EndpointPort port)
    {
        final List<byte[]> out = new ArrayList<>();
        port.receive((b, o, l) ->
        {
            final byte[] copy = new byte[l];
            b.getBytes(o, copy);
            out.add(copy);
        }, 256);
        return out;
    }

    private static int etherType(final byte[] frame)
    {
        return new UnsafeBuffer(frame).getShort(12, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    private static int srcIp(final byte[] frame)
    {
        return new UnsafeBuffer(frame).getInt(26, ByteOrder.BIG_ENDIAN);
    }

    private static int dstIp(final byte[] frame)
    {
        return new UnsafeBuffer(frame).getInt(30, ByteOrder.BIG_ENDIAN);
    }
}
