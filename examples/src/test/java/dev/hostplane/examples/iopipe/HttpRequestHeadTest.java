package dev.hostplane.examples.iopipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Request-head parsing and Range selection, including fuzzing with arbitrary input. */
class HttpRequestHeadTest
{
    private static HttpRequestHead parse(final String s) throws HttpRequestHead.BadRequest
    {
        final byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return HttpRequestHead.parse(b, b.length);
    }

    @Test
    void shouldParseARequestHead() throws Exception
    {
        final HttpRequestHead h = parse("GET /a/b?x=1 HTTP/1.1\r\nHost: x\r\nRange: bytes=1-2\r\nConnection: close");
        assertThat(h.method).isEqualTo("GET");
        assertThat(h.target).isEqualTo("/a/b?x=1");
        assertThat(h.range).isEqualTo("bytes=1-2");
        assertThat(h.keepAlive()).isFalse();
        assertThat(parse("GET / HTTP/1.0").keepAlive()).isFalse();
        assertThat(parse("GET / HTTP/1.0\r\nConnection: keep-alive").keepAlive()).isTrue();
    }

    @Test
    void shouldSayWhereARequestIsMalformed()
    {
        assertThatThrownBy(() -> parse("GET /")).isInstanceOf(HttpRequestHead.BadRequest.class)
            .hasMessageContaining("request line 1:");
        assertThatThrownBy(() -> parse("GET / HTTP/2.0")).hasMessageContaining("1:7 unsupported version");
        assertThatThrownBy(() -> parse("GET x HTTP/1.1")).hasMessageContaining("1:5 target must start with '/'");
        assertThatThrownBy(() -> parse("GET / HTTP/1.1\r\nHost x")).hasMessageContaining("header line 2:1");
    }

    @Test
    void shouldSelectRanges()
    {
        assertThat(ByteRange.parse("bytes=0-9", 100).length).isEqualTo(10);
        assertThat(ByteRange.parse("bytes=90-200", 100).length).isEqualTo(10);
        assertThat(ByteRange.parse("bytes=-10", 100).first).isEqualTo(90);
        assertThat(ByteRange.parse("bytes=-1000", 100).first).isZero();
        assertThat(ByteRange.parse("bytes=100-", 100)).isSameAs(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.parse("bytes=0-0", 0)).isSameAs(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.parse("bytes=5-3", 100)).isSameAs(ByteRange.WHOLE);
        assertThat(ByteRange.parse("bytes=0-1,5-6", 100)).isSameAs(ByteRange.WHOLE);
        assertThat(ByteRange.parse("items=0-1", 100)).isSameAs(ByteRange.WHOLE);
        assertThat(ByteRange.parse(null, 100)).isSameAs(ByteRange.WHOLE);
    }

    @Property(tries = 2000)
    void shouldEitherParseOrRejectWithBadRequest(@ForAll final String input)
    {
        try
        {
            final HttpRequestHead h = parse(input);
            assertThat(h.target).startsWith("/");
        }
        catch (final HttpRequestHead.BadRequest ex)
        {
            assertThat(ex.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 2000)
    void shouldKeepRangesInsideTheFile(@ForAll final String spec, @ForAll final long rawSize)
    {
        final long size = Math.abs(rawSize % 1_000_000_000_000L);
        final ByteRange r = ByteRange.parse("bytes=" + spec, size);
        if (ByteRange.WHOLE != r && ByteRange.UNSATISFIABLE != r)
        {
            assertThat(r.first).isBetween(0L, size - 1);
            assertThat(r.length).isPositive();
            assertThat(r.first + r.length).isLessThanOrEqualTo(size);
        }
    }
}
