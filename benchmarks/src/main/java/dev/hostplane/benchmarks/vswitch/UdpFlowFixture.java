package dev.hostplane.benchmarks.vswitch;

import java.util.List;

import dev.hostplane.vswitch.VirtualSwitch;
import dev.hostplane.vswitch.action.Actions;
import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.flow.Match;
import dev.hostplane.vswitch.packet.EthernetFrame;
import dev.hostplane.vswitch.packet.IpProtocols;
import dev.hostplane.vswitch.packet.Ipv4Header;
import dev.hostplane.vswitch.packet.UdpHeader;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The rule table and UDP frames the port-to-port benchmarks share, so the whole path and the switching core alone
 * are measured on the same work: 64 exact UDP-port rules to one port plus a flood default, and one frame per flow.
 */
final class UdpFlowFixture
{
    private UdpFlowFixture()
    {
    }

    /** Installs 64 rules sending UDP to ports 10000..10063 out of {@code outPort}, and a lowest-priority flood. */
    static void installRules(final VirtualSwitch sw, final int outPort)
    {
        for (int i = 0; i < 64; i++)
        {
            sw.addFlow(Match.builder().exact(FlowField.ETH_TYPE, 0x800).exact(FlowField.IP_PROTO, 17)
                .exact(FlowField.TP_DST, 10_000 + i).build(), 100, List.of(Actions.output(outPort)));
        }
        sw.addFlow(Match.ALL, 0, List.of(Actions.flood()));
    }

    /** One IPv4/UDP frame of {@code frameSize} bytes per flow, flow f to UDP port 10000 + f. */
    static UnsafeBuffer[] frames(final int flows, final int frameSize)
    {
        final UnsafeBuffer[] frames = new UnsafeBuffer[flows];
        for (int f = 0; f < flows; f++)
        {
            frames[f] = frame(f, frameSize);
        }
        return frames;
    }

    /** An IPv4/UDP frame of {@code frameSize} bytes from UDP port 5000 + flow to 10000 + flow. */
    static UnsafeBuffer frame(final int flow, final int frameSize)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[frameSize]);
        new EthernetFrame().wrap(frame, 0, 14).destination(0x02_00_00_00_00_0BL).source(0x02_00_00_00_00_0AL)
            .etherType(EthernetFrame.ETHER_TYPE_IPV4);
        final int ipLength = frameSize - 14;
        final Ipv4Header ip = new Ipv4Header().wrap(frame, 14, ipLength);
        ip.write(0, ipLength, 1, 0, 64, IpProtocols.UDP, 0x0A000001, 0x0A000002);
        new UdpHeader().wrap(frame, 34, ipLength - 20).write(5000 + flow, 10_000 + flow, ipLength - 20)
            .updateChecksum(ip.pseudoHeaderSum());
        return frame;
    }
}
