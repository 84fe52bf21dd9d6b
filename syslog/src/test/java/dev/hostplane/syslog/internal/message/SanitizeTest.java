package dev.hostplane.syslog.internal.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Arrays;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * The parser copies the clean prefix of a frame in bulk and escapes byte by byte only after it; the
 * result must be exactly rsyslog's per-byte rule for every combination of the escape options.
 */
class SanitizeTest
{
    private static byte[] reference(final byte[] frame, final boolean control, final boolean tab, final boolean eightBit)
    {
        int len = frame.length;
        while (len > 0 && frame[len - 1] == 0)
        {
            len--;
        }
        if (len > 0 && frame[len - 1] == '\n')
        {
            len--;
        }
        final byte[] out = new byte[len * 4];
        int o = 0;
        for (int i = 0; i < len; i++)
        {
            final int c = frame[i] & 0xFF;
            if ((control && c < 32 && (c != '\t' || tab)) || (eightBit && c >= 128))
            {
                out[o++] = '#';
                out[o++] = (byte)('0' + ((c >> 6) & 7));
                out[o++] = (byte)('0' + ((c >> 3) & 7));
                out[o++] = (byte)('0' + (c & 7));
            }
            else
            {
                out[o++] = (byte)c;
            }
        }
        return Arrays.copyOf(out, o);
    }

    @Property(tries = 3000)
    void shouldEscapeExactlyLikeThePerByteRule(@ForAll @Size(max = 60) final byte[] body,
        @ForAll final boolean control, @ForAll final boolean tab, @ForAll final boolean eightBit)
    {
        final MessageParser parser = new MessageParser().escapeControlCharacters(control).escapeTab(tab)
            .escape8Bit(eightBit);
        final SyslogMessage m = new SyslogMessage();
        final byte[] frame = new byte[body.length + 5];
        System.arraycopy("<13>x".getBytes(), 0, frame, 0, 5);
        System.arraycopy(body, 0, frame, 5, body.length);
        parser.parse(m, frame, 0, frame.length, new byte[0], new byte[0], new byte[0],
            new EngineClock(Clock.systemUTC(), ZoneOffset.UTC, "h"));
        assertThat(Arrays.copyOf(m.raw, m.rawLen)).isEqualTo(reference(frame, control, tab, eightBit));
    }
}
