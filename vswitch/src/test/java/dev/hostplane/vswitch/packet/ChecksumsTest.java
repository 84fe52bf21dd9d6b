package dev.hostplane.vswitch.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import dev.hostplane.vswitch.testing.Frames;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class ChecksumsTest
{
    private static final byte[] RFC_HEADER = hex("450000730000400040110000c0a80001c0a800c7");

    @Test
    void shouldComputeKnownIpv4HeaderChecksum()
    {
        assertThat(Checksums.checksum(new UnsafeBuffer(RFC_HEADER), 0, 20)).isEqualTo(0xB861);
    }

    @Test
    void shouldSumOddLengthWithZeroPadding()
    {
        final byte[] data = {0x01, 0x02, 0x03};
        assertThat(Checksums.sum(new UnsafeBuffer(data), 0, 3)).isEqualTo(0x0102 + 0x0300);
    }

    @Test
    void shouldComputePseudoHeaderSumV4()
    {
        final int sum = Checksums.pseudoHeaderSumV4(0x0A000001, 0x0A000002, 6, 20);
        assertThat(sum).isEqualTo(0x0A00 + 0x0001 + 0x0A00 + 0x0002 + 6 + 20);
    }

    @Property(tries = 300)
    void shouldMatchReferenceSum(@ForAll @Size(max = 200) final byte[] data, @ForAll @IntRange(max = 3) final int skew)
    {
        final byte[] padded = new byte[data.length + skew];
        System.arraycopy(data, 0, padded, skew, data.length);
        final int expected = Frames.referenceSum(padded, skew, data.length);
        assertThat(Checksums.sum(new UnsafeBuffer(padded), skew, data.length)).isEqualTo(expected);
        assertThat(Checksums.sum(ByteBuffer.wrap(padded), skew, data.length))
            .isEqualTo(Checksums.sum(new UnsafeBuffer(padded), skew, data.length));
        assertThat(Checksums.sum(ByteBuffer.wrap(padded).order(ByteOrder.LITTLE_ENDIAN), skew, data.length))
            .isEqualTo(Checksums.sum(new UnsafeBuffer(padded), skew, data.length));
    }

    @Property(tries = 300)
    void shouldUpdateIncrementallyLikeFullRecompute(
        @ForAll @Size(min = 20, max = 20) final byte[] header, @ForAll final int newValue, @ForAll @IntRange(max = 3) final int word)
    {
        final UnsafeBuffer b = new UnsafeBuffer(header.clone());
        // Version 4, IHL 5, as in every IPv4 header. Without it the generator's all-zero block is drawn, the one
        // input where RFC 1624's update gives the other ones'-complement zero (0x0000 for 0xFFFF), which no IPv4
        // header can produce since its first byte is never zero.
        b.putByte(0, (byte)0x45);
        b.putShort(10, (short)0, ByteOrder.BIG_ENDIAN);
        final int before = Checksums.checksum(b, 0, 20);
        b.putShort(10, (short)before, ByteOrder.BIG_ENDIAN);
        final int fieldOffset = 12 + (word & 1) * 4;
        final int old = b.getInt(fieldOffset, ByteOrder.BIG_ENDIAN);
        b.putInt(fieldOffset, newValue, ByteOrder.BIG_ENDIAN);
        final int incremental = Checksums.update32(before, old, newValue);
        b.putShort(10, (short)incremental, ByteOrder.BIG_ENDIAN);
        // Verifies: the sum over the data including the updated checksum must be all ones.
        assertThat(Checksums.sum(b, 0, 20)).isEqualTo(0xFFFF);
    }

    @Test
    void shouldUpdatePartialSum()
    {
        final int partial = Checksums.pseudoHeaderSumV4(0x0A000001, 0x0A000002, 6, 1000);
        final int updated = Checksums.updatePartial16(partial, 0x0002, 0x0009);
        assertThat(updated).isEqualTo(Checksums.pseudoHeaderSumV4(0x0A000001, 0x0A000009, 6, 1000));
    }

    static byte[] hex(final String s)
    {
        final byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++)
        {
            out[i] = (byte)Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
