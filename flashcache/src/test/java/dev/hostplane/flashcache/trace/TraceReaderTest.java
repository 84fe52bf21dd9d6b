package dev.hostplane.flashcache.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceReaderTest
{
    private static List<Long> read(final String text, final TraceFormat format) throws Exception
    {
        final List<Long> blocks = new ArrayList<>();
        TraceReader.read(new BufferedReader(new StringReader(text)), "t", format, (b, w) -> blocks.add(w ? -b - 1 : b),
            Long.MAX_VALUE);
        return blocks;
    }

    @Test
    void shouldExpandArcRequestsIntoPages() throws Exception
    {
        assertThat(read("10 3 0 0\n7 1 0 1\n", TraceFormat.ARC)).containsExactly(10L, 11L, 12L, 7L);
    }

    @Test
    void shouldExpandCloudPhysicsSectorsIntoFourKibBlocksAndMarkWrites() throws Exception
    {
        // 8192 bytes starting at sector 12 (byte 6144) touch 4 KiB blocks 1, 2 and 3.
        assertThat(read("version,time,op,size,lbn\n1,5,2a,8192,12\n1,6,28,512,0\n", TraceFormat.CLOUDPHYSICS))
            .containsExactly(-2L, -3L, -4L, 0L);
    }

    @Test
    void shouldNameFileLineAndColumnOfBadNumber()
    {
        assertThatThrownBy(() -> read("1 1 0 0\n5 x 0 0\n", TraceFormat.ARC))
            .isInstanceOf(TraceFormatException.class)
            .hasMessage("t:2:3: 'x' in number 'x'");
    }

    @Test
    void shouldRejectUnknownCloudPhysicsOp()
    {
        assertThatThrownBy(() -> read("1,5,99,512,0\n", TraceFormat.CLOUDPHYSICS))
            .hasMessageStartingWith("t:1:5: op=99");
    }

    @Test
    void shouldRefuseAbsurdRequestsInsteadOfReplayingThemForHours()
    {
        assertThatThrownBy(() -> read("10 99999999999 0 0\n", TraceFormat.ARC))
            .isInstanceOf(TraceFormatException.class)
            .hasMessage("t:1:4: request of 99999999999 blocks exceeds 65536 per line");
        assertThatThrownBy(() -> read("1\n9223372036854775807\n", TraceFormat.LIRS))
            .hasMessageStartingWith("t:2:1: block 9223372036854775807 is past the largest block");
        assertThatThrownBy(() -> read("1,5,28,999999999999,0\n", TraceFormat.CLOUDPHYSICS))
            .hasMessageStartingWith("t:1:8: size=999999999999 exceeds");
    }

    @Test
    void shouldGiveACleanErrorForATruncatedOrNonGzipFile(@TempDir final Path dir) throws Exception
    {
        final Path notGzip = dir.resolve("plain.lis.gz");
        Files.writeString(notGzip, "1 1 0 0\n");
        assertThatThrownBy(() -> TraceReader.read(notGzip, TraceFormat.ARC, (b, w) -> { }, Long.MAX_VALUE))
            .isInstanceOf(TraceFormatException.class)
            .hasMessageStartingWith("plain.lis.gz:1:1: not a gzip file");

        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes))
        {
            for (int i = 0; i < 20_000; i++)
            {
                gz.write((i + " 1 0 " + i + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        }
        final byte[] whole = bytes.toByteArray();
        final Path cut = dir.resolve("cut.lis.gz");
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
        assertThatThrownBy(() -> TraceReader.read(cut, TraceFormat.ARC, (b, w) -> { }, Long.MAX_VALUE))
            .isInstanceOf(TraceFormatException.class)
            .hasMessageContaining("cut.lis.gz:")
            .hasMessageContaining("gzip stream cut short");
    }

    @Property(tries = 300)
    void shouldEitherParseOrRaiseTraceFormatException(@ForAll final String text)
    {
        for (final TraceFormat format : TraceFormat.values())
        {
            try
            {
                read(text.replace('\r', '\n'), format);
            }
            catch (final TraceFormatException expected)
            {
                assertThat(expected.getMessage()).startsWith("t:");
            }
            catch (final Exception other)
            {
                throw new AssertionError("format=" + format + " text=" + text, other);
            }
        }
    }
}
