package dev.hostplane.syslog.internal.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/**
 * {@link MessageParser#parse3164Stamp} reads the usual {@code "Mmm dd hh:mm:ss"} layout at fixed positions and
 * hands every other layout to the general reader; for any bytes the two must agree exactly (index returned and
 * every field set), or received timestamps would differ from rsyslogd's.
 */
class Rfc3164StampLayoutTest
{
    private static final String[] MONTHS = {"Jan", "feb", "MAR", "Apr", "May", "jUn", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec", "Mai", "Ja", "J@n", "1an"};
    private static final String[] DAYS = {" 8", "08", "8", "31", "32", "00", " 0", "9 ", "123", "  8", "x8", " x"};
    private static final String[] TAILS = {"", " ", " web01 sshd: x", ":", ": x", ".123 ", ".5", "x", "0", "::",
        "  ", " \u0080"};

    /** Mostly well-formed stamps (the fixed-layout reader's cases), with every kind of near miss mixed in. */
    @Provide
    Arbitrary<String> stamps()
    {
        final Arbitrary<String> month = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(MONTHS).filter(m -> m.length() == 3
            && Character.isLetter(m.charAt(1)))), Tuple.of(1, Arbitraries.of(MONTHS)));
        final Arbitrary<String> day = Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.integers().between(0, 39).map(i -> String.format("%02d", i))),
            Tuple.of(2, Arbitraries.integers().between(0, 9).map(i -> " " + i)),
            Tuple.of(1, Arbitraries.of(DAYS)));
        final Arbitrary<String> hms = Combinators.combine(number(25), number(61), number(62),
                Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(":")), Tuple.of(1, Arbitraries.of(".", " "))))
            .as((h, m, s, sep) -> h + ":" + m + sep + s);
        final Arbitrary<String> tail = Arbitraries.of(TAILS);
        final Arbitrary<String> prefix = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("")),
            Tuple.of(1, Arbitraries.of("2024 ", " ")));
        final Arbitrary<String> space = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(" ")),
            Tuple.of(1, Arbitraries.of("  ", "x")));
        return Combinators.combine(prefix, month, space, day, hms, tail)
            .as((pre, m, sp, d, t, tl) -> pre + m + sp + d + " " + t + tl);
    }

    /** Two digits, mostly below {@code limit} (valid), sometimes any two digits or not two digits at all. */
    private static Arbitrary<String> number(final int limit)
    {
        return Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.integers().between(0, limit - 1).map(i -> String.format("%02d", i))),
            Tuple.of(1, Arbitraries.integers().between(0, 99).map(i -> String.format("%02d", i))),
            Tuple.of(1, Arbitraries.of("7", "123", "2a", " 5", "-1", "1975")));
    }

    @Property(tries = 3000)
    void shouldReadEveryLayoutAsTheGeneralReaderDoes(@ForAll("stamps") final String stamp)
    {
        assertSameAsGeneralReader(stamp.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Property(tries = 2000)
    void shouldAgreeOnArbitraryBytes(@ForAll final byte[] bytes)
    {
        assertSameAsGeneralReader(bytes);
    }

    @Test
    void shouldReadTheUsualLayoutsAtFixedPositions()
    {
        final SyslogTime t = new SyslogTime();
        final byte[] padded = "May  8 07:05:09 web01".getBytes(StandardCharsets.US_ASCII);
        assertThat(MessageParser.parse3164Stamp(padded, 0, padded.length, t)).isEqualTo(16);
        assertThat(new int[] {t.month, t.day, t.hour, t.minute, t.second}).containsExactly(5, 8, 7, 5, 9);
        final byte[] twoDigitDay = "dec 31 23:59:60".getBytes(StandardCharsets.US_ASCII);
        assertThat(MessageParser.parse3164Stamp(twoDigitDay, 0, twoDigitDay.length, t)).isEqualTo(15);
        assertThat(new int[] {t.month, t.day, t.hour, t.minute, t.second}).containsExactly(12, 31, 23, 59, 60);
        final byte[] badHour = "Dec 31 24:00:00 x".getBytes(StandardCharsets.US_ASCII);
        assertThat(MessageParser.parse3164Stamp(badHour, 0, badHour.length, t)).isEqualTo(-1);
    }

    private static void assertSameAsGeneralReader(final byte[] b)
    {
        for (int start = 0; start <= Math.min(b.length, 6); start++)
        {
            final SyslogTime fast = seeded();
            final SyslogTime general = seeded();
            final int got = MessageParser.parse3164Stamp(b, start, b.length, fast);
            final int want = MessageParser.anyLayout3164Stamp(b, start, b.length, general);
            assertThat(got).as("index after the stamp in %s from %d", Arrays.toString(b), start).isEqualTo(want);
            assertThat(fields(fast)).as("fields of %s from %d", new String(b, StandardCharsets.ISO_8859_1), start)
                .containsExactly(fields(general));
        }
    }

    /** Values no reader writes, so a field one reader leaves alone and the other sets shows up. */
    private static SyslogTime seeded()
    {
        final SyslogTime t = new SyslogTime();
        t.year = 1999;
        t.month = 99;
        t.day = 99;
        t.hour = 99;
        t.minute = 99;
        t.second = 99;
        t.secfrac = 99;
        t.secfracPrecision = 99;
        t.offsetMode = '?';
        t.offsetHour = 99;
        t.offsetMinute = 99;
        return t;
    }

    private static Object[] fields(final SyslogTime t)
    {
        return new Object[] {t.year, t.month, t.day, t.hour, t.minute, t.second, t.secfrac, t.secfracPrecision,
            t.offsetMode, t.offsetHour, t.offsetMinute};
    }
}
