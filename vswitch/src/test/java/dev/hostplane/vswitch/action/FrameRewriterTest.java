package dev.hostplane.vswitch.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;

import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.packet.IpProtocols;
import dev.hostplane.vswitch.packet.Ipv4Header;
import dev.hostplane.vswitch.packet.Ipv6Header;
import dev.hostplane.vswitch.packet.TcpHeader;
import dev.hostplane.vswitch.packet.UdpHeader;
import dev.hostplane.vswitch.testing.Frames;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Unit test of the rewriter alone, with a minimal hand-written context. */
class FrameRewriterTest
{
    private final FrameRewriter rewriter = new FrameRewriter();

    @Test
    void shouldFixPartialChecksumWhenAddressChanges()
    {
        final UnsafeBuffer b = Frames.buffer(256);
        final int len = Frames.tcp4(b, 2, 1, 0x0A000001, 0x0A000002, 1, 80, TcpHeader.ACK, 10);
        final Ipv4Header ip = new Ipv4Header().wrap(b, 14, len - 14);
        final int csum = 34 + TcpHeader.CHECKSUM_OFFSET;
        b.putShort(csum, (short)ip.pseudoHeaderSum(), ByteOrder.BIG_ENDIAN);
        final Context ctx = new Context(b, len, true);
        rewriter.setField(ctx, FlowField.IPV4_DST, 0xC0A80005L);
        rewriter.setField(ctx, FlowField.TP_DST, 8080);
        assertThat(b.getShort(csum, ByteOrder.BIG_ENDIAN) & 0xFFFF).as("still the pseudo-header sum")
            .isEqualTo(ip.pseudoHeaderSum());
        assertThat(ip.isChecksumValid()).isTrue();
    }

    @Test
    void shouldFixUdpOverIpv6ChecksumWhenAddressChanges()
    {
        final UnsafeBuffer b = Frames.buffer(256);
        final int len = Frames.udp6(b, 2, 1, 5, 6, 7, 8, 30);
        final Context ctx = new Context(b, len, false);
        rewriter.setField(ctx, FlowField.IPV6_DST_LOW, 0x1234_5678_9ABC_DEF0L);
        rewriter.setField(ctx, FlowField.TP_SRC, 999);
        final Ipv6Header ip6 = new Ipv6Header().wrap(b, 14, len - 14);
        assertThat(ip6.parseExtensionHeaders()).isTrue();
        assertThat(ip6.destinationLow()).isEqualTo(0x1234_5678_9ABC_DEF0L);
        final UdpHeader udp = new UdpHeader().wrap(b, ip6.upperLayerOffset(), ip6.upperLayerLength());
        assertThat(udp.sourcePort()).isEqualTo(999);
        assertThat(udp.isChecksumValid(ip6.pseudoHeaderSum())).isTrue();
    }

    @Test
    void shouldDecrementHopLimitAndRefuseExpiry()
    {
        final UnsafeBuffer b = Frames.buffer(256);
        final int len = Frames.udp6(b, 2, 1, 5, 6, 7, 8, 0);
        final Context ctx = new Context(b, len, false);
        assertThat(rewriter.decrementTtl(ctx)).isTrue();
        final Ipv6Header ip6 = new Ipv6Header().wrap(b, 14, len - 14);
        assertThat(ip6.hopLimit()).isEqualTo(63);
        ip6.hopLimit(1);
        assertThat(rewriter.decrementTtl(ctx)).isFalse();
        final int v4 = Frames.icmp4(b, 2, 1, 1, 2, 1);
        assertThat(rewriter.decrementTtl(new Context(b, v4, false))).isFalse();
        assertThat(new Ipv4Header().wrap(b, 14, v4 - 14).protocol()).isEqualTo(IpProtocols.ICMP);
    }

    private static final class Context implements ActionContext
    {
        private final MutableDirectBuffer buffer;
        private int length;
        private final boolean partial;

        Context(final MutableDirectBuffer buffer, final int length, final boolean partial)
        {
            this.buffer = buffer;
            this.length = length;
            this.partial = partial;
        }

        @Override
        public MutableDirectBuffer buffer()
        {
            return buffer;
        }

        @Override
        public int frameOffset()
        {
            return 0;
        }

        @Override
        public int frameLength()
        {
            return length;
        }

        @Override
        public void frameLength(final int length)
        {
            this.length = length;
        }

        @Override
        public int inPort()
        {
            return 1;
        }

        @Override
        public FrameRewriter rewriter()
        {
            return null;
        }

        @Override
        public boolean partialChecksum()
        {
            return partial;
        }

        @Override
        public void adjustOffloadOffsets(final int delta)
        {
        }

        @Override
        public void output(final int port)
        {
        }

        @Override
        public void outputInPort()
        {
        }

        @Override
        public void flood()
        {
        }

        @Override
        public void all()
        {
        }

        @Override
        public void controller(final int maxLength)
        {
        }

        @Override
        public void group(final int groupId)
        {
        }

        @Override
        public void dropped(final String reason)
        {
        }
    }
}
