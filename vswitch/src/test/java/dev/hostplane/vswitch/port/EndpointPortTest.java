package dev.hostplane.vswitch.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The endpoint side of an {@link EndpointPort} with plain JDK buffers: what goes in through
 * {@code send(byte[])}/{@code send(ByteBuffer)} is what the switch side reads, and what the switch
 * side transmits comes out of {@code receive(ByteBuffer)} unchanged.
 */
class EndpointPortTest
{
    private final EndpointPort port = attached();

    @Test
    void shouldSendFromAByteArrayAndAHeapOrDirectByteBuffer()
    {
        final byte[] frame = frame(60, 1);
        final ByteBuffer heap = ByteBuffer.wrap(frame(70, 2));
        final ByteBuffer direct = ByteBuffer.allocateDirect(80).put(frame(80, 3)).flip();

        assertThat(port.send(frame, 0, frame.length)).isTrue();
        assertThat(port.send(heap)).isTrue();
        assertThat(port.send(direct)).isTrue();

        assertThat(heap.hasRemaining()).isFalse();
        assertThat(direct.hasRemaining()).isFalse();
        final FrameBatch batch = new FrameBatch(FrameBatch.MAX_BATCH);
        assertThat(port.receive(batch, FrameBatch.MAX_BATCH)).isEqualTo(3);
        assertThat(bytes(batch, 0)).isEqualTo(frame(60, 1));
        assertThat(bytes(batch, 1)).isEqualTo(frame(70, 2));
        assertThat(bytes(batch, 2)).isEqualTo(frame(80, 3));
    }

    @Test
    void shouldReceiveIntoAByteBufferOneFrameAtATime()
    {
        transmit(frame(64, 4));
        transmit(frame(100, 5));
        final ByteBuffer target = ByteBuffer.allocate(FrameBatch.MAX_FRAME);

        assertThat(port.receive(target)).isEqualTo(64);
        assertThat(port.receive(target)).isEqualTo(100);
        assertThat(port.receive(target)).isZero();

        target.flip();
        final byte[] first = new byte[64];
        final byte[] second = new byte[100];
        target.get(first).get(second);
        assertThat(first).isEqualTo(frame(64, 4));
        assertThat(second).isEqualTo(frame(100, 5));
    }

    @Test
    void shouldKeepAFrameThatDoesNotFitForALargerBuffer()
    {
        transmit(frame(200, 6));

        assertThatThrownBy(() -> port.receive(ByteBuffer.allocate(100)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("frame does not fit: length=200 remaining=100");

        final ByteBuffer larger = ByteBuffer.allocate(256);
        assertThat(port.receive(larger)).isEqualTo(200);
        assertThat(Arrays.copyOf(larger.array(), 200)).isEqualTo(frame(200, 6));
    }

    private static EndpointPort attached()
    {
        final EndpointPort port = new EndpointPort("vm", 1 << 16);
        port.attach(1, 1);
        return port;
    }

    private void transmit(final byte[] frame)
    {
        assertThat(port.transmit(0, new UnsafeBuffer(frame), 0, frame.length, false)).isTrue();
    }

    private static byte[] frame(final int length, final int seed)
    {
        final byte[] frame = new byte[length];
        for (int i = 0; i < length; i++)
        {
            frame[i] = (byte)(seed * 31 + i);
        }
        return frame;
    }

    private static byte[] bytes(final FrameBatch batch, final int i)
    {
        final byte[] out = new byte[batch.length(i)];
        batch.buffer(i).getBytes(FrameBatch.HEADROOM, out);
        return out;
    }
}
