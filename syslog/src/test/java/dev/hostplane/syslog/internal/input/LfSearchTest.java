package dev.hostplane.syslog.internal.input;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import org.junit.jupiter.api.Test;

/**
 * The decoder's word-at-a-time LF search must find exactly what a byte-by-byte scan finds, for any
 * bytes (0x0A neighbours, 0x80+ bytes and 0x0B/0x09 are what break a wrong zero-byte test) and any
 * alignment of the range.
 */
class LfSearchTest
{
    private static int naive(final byte[] a, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            if (a[i] == '\n')
            {
                return i;
            }
        }
        return -1;
    }

    @Property(tries = 2000)
    void shouldFindTheFirstLfLikeAByteScan(@ForAll @Size(max = 80) final byte[] bytes,
        @ForAll @IntRange(max = 80) final int a, @ForAll @IntRange(max = 80) final int b)
    {
        final int from = Math.min(Math.min(a, b), bytes.length);
        final int to = Math.min(Math.max(a, b), bytes.length);
        assertThat(TcpFrameDecoder.indexOfLf(bytes, from, to)).isEqualTo(naive(bytes, from, to));
    }

    @Test
    void shouldFindLfInEveryPositionOfAWordAmongNearMisses()
    {
        for (int len = 0; len < 40; len++)
        {
            for (int at = 0; at < len; at++)
            {
                final byte[] bytes = new byte[len];
                for (int i = 0; i < len; i++)
                {
                    bytes[i] = (byte)(i % 2 == 0 ? 0x0B : 0x8A);
                }
                bytes[at] = '\n';
                assertThat(TcpFrameDecoder.indexOfLf(bytes, 0, len)).as("len=%d at=%d", len, at).isEqualTo(at);
            }
        }
    }
}
