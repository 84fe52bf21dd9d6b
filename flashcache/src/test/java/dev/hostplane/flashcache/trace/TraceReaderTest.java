package dev.hostplane.flashcache.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

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
