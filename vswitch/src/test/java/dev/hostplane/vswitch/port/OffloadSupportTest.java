package dev.hostplane.vswitch.port;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import dev.hostplane.vswitch.packet.Ipv4Header;
import dev.hostplane.vswitch.packet.TcpHeader;
import dev.hostplane.vswitch.tap.VirtioNetHeader;
import dev.hostplane.vswitch.testing.Frames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class OffloadSupportTest
{
    private static final int H = FrameBatch.HEADROOM;

    /** A TCP frame in a slot whose checksum field holds only the pseudo-header sum, as a TAP hands it over. */
    private static int partialFrame(final UnsafeBuffer slot, final int gsoType)
    {
        final UnsafeBuffer frame = Frames.buffer(512);
        final int len = Frames.tcp4(frame, 2, 1, 0x0A000001, 0x0A000002, 1234, 80, TcpHeader.ACK, 100);
        slot.putBytes(H, frame, 0, len);
        final Ipv4Header ip = new Ipv4Header().wrap(slot, H + 14, len - 14);
        slot.putShort(H + 34 + TcpHeader.CHECKSUM_OFFSET, (short)ip.pseudoHeaderSum(), ByteOrder.BIG_ENDIAN);
        new VirtioNetHeader().wrap(slot, H - VirtioNetHeader.LENGTH_MRG)
            .write(VirtioNetHeader.F_NEEDS_CSUM, gsoType, 54, gsoType == 0 ? 0 : 1448, 34, TcpHeader.CHECKSUM_OFFSET);
        return len;
    }

    @Test
    void shouldCompletePartialChecksumWhenDeliveringToEndpoint()
    {
        final UnsafeBuffer slot = Frames.directBuffer(FrameBatch.SLOT_CAPACITY);
        final int len = partialFrame(slot, VirtioNetHeader.GSO_NONE);
        assertThat(OffloadSupport.needsChecksum(slot, H)).isTrue();
        assertThat(OffloadSupport.isGso(slot, H)).isFalse();
        final EndpointPort port = new EndpointPort("e", 1 << 16);
        port.attach(1, 1);
        assertThat(port.transmit(0, slot, H, len, true)).isTrue();
        final List<byte[]> got = new ArrayList<>();
        port.receive((b, o, l) ->
        {
            final byte[] copy = new byte[l];
            b.getBytes(o, copy);
            got.add(copy);
        }, 10);
        final UnsafeBuffer out = new UnsafeBuffer(got.get(0));
        final Ipv4Header ip = new Ipv4Header().wrap(out, 14, len - 14);
        final TcpHeader tcp = new TcpHeader().wrap(out, 34, len - 34);
        assertThat(tcp.isChecksumValid(ip.pseudoHeaderSum(), ip.payloadLength())).isTrue();
        assertThat(slot.getShort(H + 34 + TcpHeader.CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF)
            .as("source keeps its partial sum for other ports").isEqualTo(ip.pseudoHeaderSum());
    }

    @Test
    void shouldDropGsoFramesAtEndpoints()
    {
        final UnsafeBuffer slot = Frames.directBuffer(FrameBatch.SLOT_CAPACITY);
        final int len = partialFrame(slot, VirtioNetHeader.GSO_TCPV4);
        final EndpointPort port = new EndpointPort("e", 1 << 16);
        port.attach(1, 1);
        assertThat(port.transmit(0, slot, H, len, true)).isFalse();
        assertThat(port.counters().txDropped()).isEqualTo(1);
        assertThat(port.hasFrames()).isFalse();
    }
}
