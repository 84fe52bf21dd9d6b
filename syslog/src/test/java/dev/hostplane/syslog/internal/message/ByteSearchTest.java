package dev.hostplane.syslog.internal.message;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import org.junit.jupiter.api.Test;

/**
 * The word-at-a-time scans must find exactly what a byte-by-byte scan finds, for any bytes (0x80+
 * bytes and the target's neighbours are what break a wrong bit trick) and any alignment of the range.
 */
class ByteSearchTest
{
    private static int naiveIndexOf(final byte[] a, final int from, final int to, final byte b)
    {
        for (int i = from; i < to; i++)
        {
            if (a[i] == b)
            {
                return i;
            }
        }
        return -1;
    }

    private static int naiveFirstControl(final byte[] a, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            if ((a[i] & 0xFF) < 0x20)
            {
                return i;
            }
        }
        return to;
    }

    @Property(tries = 3000)
    void shouldFindAByteLikeAByteScan(@ForAll @Size(max = 80) final byte[] bytes, @ForAll final byte b,
        @ForAll @IntRange(max = 80) final int x, @ForAll @IntRange(max = 80) final int y)
    {
        final int from = Math.min(Math.min(x, y), bytes.length);
        final int to = Math.min(Math.max(x, y), bytes.length);
        assertThat(ByteSearch.indexOf(bytes, from, to, b)).isEqualTo(naiveIndexOf(bytes, from, to, b));
        assertThat(ByteSearch.firstControl(bytes, from, to)).isEqualTo(naiveFirstControl(bytes, from, to));
    }

    @Test
    void shouldFindTheTargetInEveryPositionAmongNearMisses()
    {
        // target, then the two bytes around it; the last case is the control-character one (0x20 and
        // 0x9F are not control characters, 0x1F is).
        final byte[][] cases = {{'\n', 0x0B, (byte)0x8A}, {'e', 'f', (byte)0xE5}, {0x1F, 0x20, (byte)0x9F}};
        for (final byte[] c : cases)
        {
            for (int len = 0; len < 40; len++)
            {
                for (int at = 0; at < len; at++)
                {
                    final byte[] bytes = new byte[len];
                    for (int i = 0; i < len; i++)
                    {
                        bytes[i] = i % 2 == 0 ? c[1] : c[2];
                    }
                    bytes[at] = c[0];
                    assertThat(ByteSearch.indexOf(bytes, 0, len, c[0])).as("len=%d at=%d", len, at).isEqualTo(at);
                    if (c[0] == 0x1F)
                    {
                        assertThat(ByteSearch.firstControl(bytes, 0, len)).as("len=%d at=%d", len, at).isEqualTo(at);
                    }
                }
            }
        }
    }
}
