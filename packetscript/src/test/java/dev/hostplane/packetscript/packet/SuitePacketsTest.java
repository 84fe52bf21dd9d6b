package dev.hostplane.packetscript.packet;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.hostplane.packetscript.PacketScript;
import dev.hostplane.packetscript.Script;
import dev.hostplane.packetscript.SuitePaths;
import dev.hostplane.packetscript.model.Direction;
import dev.hostplane.packetscript.model.Event;
import dev.hostplane.packetscript.model.IcmpSpec;
import dev.hostplane.packetscript.model.PacketSpec;
import dev.hostplane.packetscript.model.TcpOption;
import dev.hostplane.packetscript.model.TcpSpec;
import dev.hostplane.vswitch.packet.IcmpHeader;
import dev.hostplane.vswitch.packet.Icmpv6Header;
import dev.hostplane.vswitch.packet.IpProtocols;
import dev.hostplane.vswitch.packet.Ipv6Header;
import dev.hostplane.vswitch.packet.Ipv4Header;
import dev.hostplane.vswitch.packet.TcpHeader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every packet of every upstream script (except PSP) through the packet layer: inbound packets are built and
 * decoded again with the vswitch codec; outbound packets are built as the kernel would send them (its own ISN)
 * and must pass verification against the script packet, which also exercises the ISN and timestamp mapping.
 */
class SuitePacketsTest
{
    private static final long KERNEL_ISN = 0x9000_0000L;

    @TestFactory
    Stream<DynamicTest> shouldBuildAndVerifyEveryPacketOfTheSuite()
    {
        return SuitePaths.scripts().stream().filter(p -> !p.toString().contains("/psp/"))
            .map(p -> DynamicTest.dynamicTest(SuitePaths.root().relativize(p).toString(), () -> run(p)));
    }

    private static void run(final Path path) throws Exception
    {
        final Script script = PacketScript.parse(path, SuitePaths.IPV4_DEFINITIONS);
        // As run_all.py: *v6.pkt scripts run only in IPv6 mode, the others here in IPv4 mode.
        final boolean v6 = path.getFileName().toString().endsWith("v6.pkt");
        final InetAddress local = InetAddress.getByName(v6 ? "fd3d:a0b:17d6::1" : "192.168.0.1");
        final InetAddress remote = InetAddress.getByName(v6 ? "fd3d:fa7b:d17d::1" : "192.0.2.1");
        final ConnectionMapping mapping = new ConnectionMapping(local, 8080, remote, 48000);
        mapping.learnLocalIsn(0, KERNEL_ISN);
        final InboundPacketBuilder builder = new InboundPacketBuilder(SuitePaths.IPV4_DEFINITIONS);
        final OutboundPacketVerifier verifier = new OutboundPacketVerifier(SuitePaths.IPV4_DEFINITIONS, true);
        for (final Event event : script.events())
        {
            if (!(event.action() instanceof PacketSpec spec))
            {
                continue;
            }
            if (spec.direction() == Direction.INBOUND)
            {
                final byte[] bytes = builder.build(spec, mapping);
                if (v6)
                {
                    checkDecodesV6(bytes, event);
                }
                else
                {
                    checkDecodes(spec, bytes, mapping, event);
                }
            }
            else if (spec.transport() instanceof TcpSpec t)
            {
                final byte[] sent = kernelSends(spec, t, mapping);
                final VerificationResult result = verifier.verify(spec, sent, mapping);
                assertThat(result.errors()).as(event.position().toString()).isEmpty();
            }
        }
    }

    private static void checkDecodes(final PacketSpec spec, final byte[] bytes, final ConnectionMapping mapping,
        final Event event)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final Ipv4Header ip = new Ipv4Header().wrap(buffer, 0, bytes.length);
        assertThat(ip.isValid()).as(event.position().toString()).isTrue();
        assertThat(ip.isChecksumValid()).isTrue();
        assertThat(ip.totalLength()).isEqualTo(bytes.length);
        final int l4Length = bytes.length - ip.headerLength();
        if (spec.transport() instanceof TcpSpec t)
        {
            final TcpHeader tcp = new TcpHeader().wrap(buffer, ip.headerLength(), l4Length);
            assertThat(tcp.isValid()).isTrue();
            assertThat(tcp.areOptionsValid()).as(event.position().toString()).isTrue();
            assertThat(tcp.isChecksumValid(ip.pseudoHeaderSum(), l4Length)).isTrue();
            assertThat(tcp.flags()).isEqualTo(TcpFlags.bits(t.flags()));
            final boolean syn = t.hasFlag('S');
            assertThat(tcp.sequence() & 0xFFFF_FFFFL).isEqualTo(mapping.remoteToLive(t.startSequence(), syn));
            assertThat(l4Length - tcp.headerLength()).isEqualTo(t.payloadLength());
            assertThat(tcp.window()).isEqualTo(t.window());
            if (t.ack() != null)
            {
                assertThat(tcp.acknowledgement() & 0xFFFF_FFFFL).isEqualTo(mapping.localToLive(t.ack(), syn));
            }
            for (final TcpOption o : t.options())
            {
                if (o instanceof TcpOption.Timestamp ts)
                {
                    assertThat(tcp.timestampValue()).isEqualTo(ts.val());
                    assertThat(tcp.timestampEchoReply()).isEqualTo(mapping.inboundEcrToLive(ts.ecr()));
                }
                else if (o instanceof TcpOption.Mss m)
                {
                    assertThat(tcp.mss()).isEqualTo((int)m.value().value());
                }
            }
        }
        else if (spec.transport() instanceof IcmpSpec)
        {
            assertThat(new IcmpHeader().wrap(buffer, ip.headerLength(), l4Length).isChecksumValid(l4Length)).isTrue();
        }
    }

    private static void checkDecodesV6(final byte[] bytes, final Event event)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final Ipv6Header ip = new Ipv6Header().wrap(buffer, 0, bytes.length);
        assertThat(ip.parseExtensionHeaders()).as(event.position().toString()).isTrue();
        final int l4Length = ip.upperLayerLength();
        if (ip.upperLayerProtocol() == IpProtocols.TCP)
        {
            assertThat(new TcpHeader().wrap(buffer, 40, l4Length).isChecksumValid(ip.pseudoHeaderSum(), l4Length))
                .isTrue();
        }
        else
        {
            assertThat(ip.upperLayerProtocol()).isEqualTo(IpProtocols.ICMPV6);
            assertThat(new Icmpv6Header().wrap(buffer, 40, l4Length).isChecksumValid(ip.pseudoHeaderSum(), l4Length))
                .isTrue();
        }
    }

    /**
     * The segment the kernel sends for an outbound script packet, in live space as packetdrill reads it: its SYN
     * carries KERNEL_ISN + the script's ISN, its other seqs are its live ISN + the script value; ack and SACK edges
     * are absolute in a SYN and relative to the peer's live ISN otherwise. Built from the peer's side with a
     * mapping whose offsets do exactly that.
     */
    private static byte[] kernelSends(final PacketSpec spec, final TcpSpec t, final ConnectionMapping mapping)
    {
        final ConnectionMapping kernelSide = new ConnectionMapping(mapping.remoteAddress(), 48000,
            mapping.localAddress(), 8080);
        final boolean syn = t.hasFlag('S');
        final long peerIsn = mapping.remoteToLive(0);
        if (syn)
        {
            kernelSide.remoteIsn(0, KERNEL_ISN);
            kernelSide.learnLocalIsn(peerIsn, peerIsn);
        }
        else
        {
            kernelSide.remoteIsn(0, mapping.localToLive(0));
            kernelSide.learnLocalIsn(0, peerIsn);
        }
        final List<TcpOption> options = t.options() == null ? List.of() : t.options();
        final TcpSpec sent = new TcpSpec(null, null, t.flags(), t.startSequence(), t.payloadLength(), t.ack(),
            t.window() == null ? 1000 : t.window(), t.urgentPointer(), options);
        final dev.hostplane.packetscript.model.IpInfo ip = spec.ipInfo();
        // The kernel marks ECT(0) or ECT(1); [ect01] accepts either.
        final dev.hostplane.packetscript.model.IpInfo sentIp = ip.ecn() == dev.hostplane.packetscript.model.Ecn.ECT01 ?
            new dev.hostplane.packetscript.model.IpInfo(dev.hostplane.packetscript.model.Ecn.ECT1, ip.tos(),
            ip.flowLabel(), ip.ttl()) : ip;
        final PacketSpec asInbound = new PacketSpec(Direction.INBOUND, List.of(), sentIp, sent);
        return new InboundPacketBuilder(SuitePaths.IPV4_DEFINITIONS).build(asInbound, kernelSide);
    }
}
