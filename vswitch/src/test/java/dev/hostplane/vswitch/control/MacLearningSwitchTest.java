package dev.hostplane.vswitch.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.hostplane.vswitch.SwitchConfig;
import dev.hostplane.vswitch.VirtualSwitch;
import dev.hostplane.vswitch.classifier.FlowRule;
import dev.hostplane.vswitch.packet.EthernetFrame;
import dev.hostplane.vswitch.port.EndpointPort;
import dev.hostplane.vswitch.testing.Collector;
import dev.hostplane.vswitch.testing.Frames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MacLearningSwitchTest
{
    private static final long MAC_A = 0x02_00_00_00_00_0AL;
    private static final long MAC_B = 0x02_00_00_00_00_0BL;
    private static final long MAC_C = 0x02_00_00_00_00_0CL;

    private VirtualSwitch sw;

    @AfterEach
    void tearDown()
    {
        if (sw != null)
        {
            sw.close();
        }
    }

    @Test
    void shouldFloodUnknownLearnAndInstallFlows()
    {
        sw = new VirtualSwitch(SwitchConfig.builder().build());
        final EndpointPort a = sw.addEndpointPort("a");
        final EndpointPort b = sw.addEndpointPort("b");
        final EndpointPort c = sw.addEndpointPort("c");
        final MacLearningSwitch app = MacLearningSwitch.attach(sw, 300);
        sw.start();
        final UnsafeBuffer frame = Frames.buffer(256);

        // A -> broadcast: flooded to B and C, A learned on port 1.
        int len = Frames.udp4(frame, EthernetFrame.BROADCAST, MAC_A, -1, 1, 2, 3, 4, 10);
        a.send(frame, 0, len);
        assertThat(new Collector().await(b, 1)).hasSize(1);
        assertThat(new Collector().await(c, 1)).hasSize(1);
        awaitCondition(() -> app.lookup(0, MAC_A) == a.number());

        // B -> A: A known, so it goes to A only, and flows for both directions are installed.
        len = Frames.udp4(frame, MAC_A, MAC_B, -1, 2, 1, 4, 3, 10);
        b.send(frame, 0, len);
        assertThat(new Collector().await(a, 1)).hasSize(1);
        awaitCondition(() -> sw.dumpFlows().size() == 3);
        assertThat(app.lookup(0, MAC_B)).isEqualTo(b.number());
        assertThat(sw.dumpFlows()).hasSize(3);

        // A -> B now stays in the data plane.
        len = Frames.udp4(frame, MAC_B, MAC_A, -1, 1, 2, 3, 4, 10);
        for (int i = 0; i < 5; i++)
        {
            a.send(frame, 0, len);
        }
        assertThat(new Collector().await(b, 5)).hasSize(5);
        final FlowRule aToB = sw.dumpFlows().stream()
            .filter(r -> r.priority() == MacLearningSwitch.FLOW_PRIORITY && r.toString().contains("in_port=1"))
            .findFirst().orElseThrow();
        assertThat(aToB.packetCount()).isEqualTo(5);
        assertThat(aToB.idleTimeoutSeconds()).isEqualTo(300);
        assertThat(c.counters().txPackets()).as("C saw only the broadcast").isEqualTo(1);
        assertThat(app.stats()).contains("learned=2");
    }

    @Test
    void shouldKeepVlansApartAndTranslateAccessToTrunk()
    {
        sw = new VirtualSwitch(SwitchConfig.builder().build());
        final EndpointPort a = sw.addEndpointPort("a");
        final EndpointPort b = sw.addEndpointPort("b");
        final EndpointPort trunk = sw.addEndpointPort("trunk");
        final MacLearningSwitch app = MacLearningSwitch.attach(sw, 300);
        app.accessPort(a.number(), 10).accessPort(b.number(), 20).trunkPort(trunk.number(), Set.of(10, 20));
        sw.start();
        final UnsafeBuffer frame = Frames.buffer(256);
        final int len = Frames.udp4(frame, EthernetFrame.BROADCAST, MAC_A, -1, 1, 2, 3, 4, 10);
        a.send(frame, 0, len);
        final byte[] onTrunk = new Collector().await(trunk, 1).get(0);
        final EthernetFrame eth = new EthernetFrame().wrap(new UnsafeBuffer(onTrunk), 0, onTrunk.length);
        assertThat(eth.vlanId()).as("access VLAN 10 tagged on the trunk").isEqualTo(10);
        awaitCondition(() -> app.lookup(10, MAC_A) == a.number());
        assertThat(b.counters().txPackets()).as("VLAN 20 port never sees VLAN 10").isZero();

        // Reply from the trunk side tagged 10 goes to A untagged, and installs translating flows.
        final int tagged = Frames.udp4(frame, MAC_A, MAC_C, 10, 2, 1, 4, 3, 10);
        trunk.send(frame, 0, tagged);
        final byte[] atA = new Collector().await(a, 1).get(0);
        assertThat(new EthernetFrame().wrap(new UnsafeBuffer(atA), 0, atA.length).hasVlan()).isFalse();
        assertThat(atA.length).isEqualTo(tagged - 4);
        awaitCondition(() -> sw.dumpFlows().size() == 3);
        assertThat(sw.dumpFlows().toString()).contains("pop_vlan").contains("push_vlan");
        assertThat(app.lookup(20, MAC_A)).isEqualTo(-1);
    }

    @Test
    void shouldAgeOutEntriesAndMoveStations()
    {
        sw = new VirtualSwitch(SwitchConfig.builder().expiryIntervalMillis(20).build());
        final EndpointPort a = sw.addEndpointPort("a");
        final EndpointPort b = sw.addEndpointPort("b");
        final MacLearningSwitch app = MacLearningSwitch.attach(sw, 1);
        sw.start();
        final UnsafeBuffer frame = Frames.buffer(256);
        final int len = Frames.udp4(frame, EthernetFrame.BROADCAST, MAC_A, -1, 1, 2, 3, 4, 10);
        a.send(frame, 0, len);
        awaitCondition(() -> app.lookup(0, MAC_A) == a.number());
        b.send(frame, 0, len);
        awaitCondition(() -> app.lookup(0, MAC_A) == b.number());
        assertThat(app.lookup(0, MAC_A)).as("station moved").isEqualTo(b.number());
        awaitCondition(() -> app.size() == 0);
        assertThat(app.size()).as("aged out after 1 s").isZero();
    }

    static void awaitCondition(final BooleanSupplier condition)
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

}
