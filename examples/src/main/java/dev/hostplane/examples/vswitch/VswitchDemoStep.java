package dev.hostplane.examples.vswitch;

import java.util.List;

import dev.hostplane.examples.DemoStep;
import dev.hostplane.vswitch.IdleMode;
import dev.hostplane.vswitch.SwitchConfig;
import dev.hostplane.vswitch.TraceResult;
import dev.hostplane.vswitch.VirtualSwitch;
import dev.hostplane.vswitch.control.FlowSpec;
import dev.hostplane.vswitch.control.MacLearningSwitch;
import dev.hostplane.vswitch.control.OfctlParser;
import dev.hostplane.vswitch.packet.EthernetFrame;
import dev.hostplane.vswitch.packet.IpProtocols;
import dev.hostplane.vswitch.packet.Ipv4Header;
import dev.hostplane.vswitch.packet.UdpHeader;
import dev.hostplane.vswitch.port.EndpointPort;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Demo: a 3-port in-process switch with the MAC-learning application; learns two stations from a
 * broadcast and a reply, switches 1,000 frames between them in the data plane, checks port and
 * flow counters, and traces a frame against an ovs-ofctl rule.
 */
public final class VswitchDemoStep implements DemoStep
{
    private static final long MAC_A = 0x02_00_00_00_00_0AL;
    private static final long MAC_B = 0x02_00_00_00_00_0BL;
    private static final int FRAMES = 1000;

    @Override
    public String name()
    {
        return "vswitch: MAC learning, switching, counters, trace";
    }

    @Override
    public String run() throws Exception
    {
        try (VirtualSwitch sw = new VirtualSwitch(SwitchConfig.builder().idleMode(IdleMode.BLOCKING).build()))
        {
            final EndpointPort a = sw.addEndpointPort("vm-a");
            final EndpointPort b = sw.addEndpointPort("vm-b");
            final EndpointPort c = sw.addEndpointPort("vm-c");
            final MacLearningSwitch app = MacLearningSwitch.attach(sw, 300);
            final FlowSpec block = new OfctlParser().parseFlow("priority=200,udp,tp_dst=9,actions=drop");
            sw.addFlow(block.toRule(System.nanoTime()));
            sw.start();

            final UnsafeBuffer frame = new UnsafeBuffer(new byte[128]);
            send(a, frame, EthernetFrame.BROADCAST, MAC_A, 7);
            expect(b, 1, "broadcast from vm-a at vm-b");
            expect(c, 1, "broadcast from vm-a at vm-c");
            send(b, frame, MAC_A, MAC_B, 7);
            expect(a, 1, "reply from vm-b at vm-a");
            final long deadline = System.nanoTime() + 2_000_000_000L;
            while (sw.dumpFlows().size() < 4 && System.nanoTime() < deadline)
            {
                Thread.sleep(1);
            }
            for (int i = 0; i < FRAMES; i++)
            {
                while (!send(a, frame, MAC_B, MAC_A, 7))
                {
                    Thread.onSpinWait();
                }
            }
            expect(b, FRAMES, "frames from vm-a at vm-b");
            if (c.counters().txPackets() != 1)
            {
                throw new IllegalStateException("vm-c saw unicast traffic: tx_packets=" + c.counters().txPackets());
            }
            final int len = buildFrame(frame, MAC_B, MAC_A, 9);
            final TraceResult trace = sw.trace(frame, 0, len, a.number());
            if (trace.rule() == null || trace.rule().priority() != 200 || !trace.outputPorts().isEmpty())
            {
                throw new IllegalStateException("trace did not hit the drop rule:\n" + trace);
            }
            final long learned = sw.dumpFlows().stream().filter(r -> r.priority() == MacLearningSwitch.FLOW_PRIORITY)
                .mapToLong(r -> r.packetCount()).sum();
            return String.format("learned %d MACs, %d frames vm-a->vm-b via %d learned flows (%d hits), " +
                "vm-b tx=%d, trace: tp_dst=9 -> priority-200 drop", app.size(), FRAMES,
                sw.dumpFlows().size() - 2, learned, b.counters().txPackets());
        }
    }

    private static boolean send(final EndpointPort port, final UnsafeBuffer frame, final long dst, final long src,
        final int dstPort)
    {
        return port.send(frame, 0, buildFrame(frame, dst, src, dstPort));
    }

    private static int buildFrame(final UnsafeBuffer b, final long dst, final long src, final int dstPort)
    {
        final int payload = 32;
        new EthernetFrame().wrap(b, 0, 14).destination(dst).source(src).etherType(EthernetFrame.ETHER_TYPE_IPV4);
        final Ipv4Header ip = new Ipv4Header().wrap(b, 14, 28 + payload);
        ip.write(0, 28 + payload, 1, 0, 64, IpProtocols.UDP, 0x0A000001, 0x0A000002);
        new UdpHeader().wrap(b, 34, 8 + payload).write(5000, dstPort, 8 + payload).updateChecksum(ip.pseudoHeaderSum());
        return 14 + 28 + payload;
    }

    private static void expect(final EndpointPort port, final int count, final String what)
    {
        final int[] got = {0};
        final long deadline = System.nanoTime() + 3_000_000_000L;
        while (got[0] < count && System.nanoTime() < deadline)
        {
            port.awaitFrames(10_000_000L);
            got[0] += port.receive((buffer, offset, length) -> { }, 4096);
        }
        if (got[0] < count)
        {
            throw new IllegalStateException("missing " + what + ": expected=" + count + " got=" + got[0]);
        }
    }

}
