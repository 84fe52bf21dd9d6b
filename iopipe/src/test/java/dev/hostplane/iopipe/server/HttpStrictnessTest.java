package dev.hostplane.iopipe.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 9112 strictness as nginx applies it: the request smuggling shapes, obs-fold and Host rules get 400
 * and the connection closes (nothing after them is answered); bare LF and absolute-form are accepted.
 */
class HttpStrictnessTest
{
    private static Path root;
    private static HttpFileServer server;

    @BeforeAll
    static void start() throws Exception
    {
        root = Files.createTempDirectory("i15-strict");
        Files.writeString(root.resolve("a.txt"), "hello");
        server = HttpFileServer.builder(root).bind(new InetSocketAddress("127.0.0.1", 0)).eventLoops(1).start();
    }

    @AfterAll
    static void stop() throws Exception
    {
        server.close();
        Files.delete(root.resolve("a.txt"));
        Files.delete(root);
    }

    /** Each request is followed by a complete, valid second request that must not be answered after a 400. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void shouldAnswer400AndClose(final String name, final String request) throws Exception
    {
        try (RawHttp c = new RawHttp(server.port()))
        {
            c.send(request + "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            final List<RawHttp.Response> responses = RawHttp.parseAll(c.readUntilClose(5000));
            assertThat(responses).as(name).hasSize(1);
            assertThat(responses.get(0).status()).as(name).isEqualTo(400);
            assertThat(responses.get(0).header("Connection")).as(name).isEqualTo("close");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptances")
    void shouldAcceptAsNginxDoes(final String name, final String request) throws Exception
    {
        try (RawHttp c = new RawHttp(server.port()))
        {
            c.send(request + "GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            final List<RawHttp.Response> responses = RawHttp.parseAll(c.readUntilClose(5000));
            assertThat(responses).as(name).hasSize(2);
            for (final RawHttp.Response r : responses)
            {
                assertThat(r.status()).as(name).isEqualTo(200);
                assertThat(new String(r.body(), StandardCharsets.UTF_8)).as(name).isEqualTo("hello");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oversized")
    void shouldRefuseOversizedHeads(final String name, final int status) throws Exception
    {
        final String request = 414 == status ? "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n"
            : "GET /a.txt HTTP/1.1\r\nHost: x\r\n" + "X-Pad: 1234567890123456789012345678901234567890\r\n".repeat(800)
                + "\r\n";
        try (RawHttp c = new RawHttp(server.port()))
        {
            c.send(request);
            final List<RawHttp.Response> responses = RawHttp.parseAll(c.readUntilClose(5000));
            assertThat(responses).as(name).hasSize(1);
            assertThat(responses.get(0).status()).as(name).isEqualTo(status);
        }
    }


    static Stream<Arguments> oversized()
    {
        return Stream.of(
            Arguments.of("request line over 8 KiB", "414"),
            Arguments.of("head over 32 KiB", "431"));
    }

    static Stream<Arguments> acceptances()
    {
        return Stream.of(
            Arguments.of("bare LF line ends", "GET /a.txt HTTP/1.1\nHost: x\n\n"),
            Arguments.of("bare LF after the request line only", "GET /a.txt HTTP/1.1\nHost: x\r\n\r\n"),
            Arguments.of("absolute-form", "GET http://example.com/a.txt HTTP/1.1\r\nHost: example.com\r\n\r\n"),
            Arguments.of("absolute-form without Host", "GET http://example.com/a.txt HTTP/1.1\r\n\r\n"),
            Arguments.of("absolute-form, upper-case scheme", "GET HTTP://example.com/a.txt?x HTTP/1.1\r\nHost: x\r\n\r\n"),
            Arguments.of("HTTP/1.0 without Host", "GET /a.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"),
            Arguments.of("body on GET discarded", "GET /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"),
            Arguments.of("chunked body on GET discarded", "GET /a.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"),
            Arguments.of("leading empty lines", "\r\n\r\nGET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n"));
    }

    static Stream<Arguments> refusals()
    {
        return Stream.of(
            Arguments.of("duplicate Content-Length", "GET /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 0\r\n\r\n"),
            Arguments.of("duplicate equal Content-Length", "GET /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n"),
            Arguments.of("Content-Length list", "GET /a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 0, 5\r\n\r\n"),
            Arguments.of("Transfer-Encoding with Content-Length", "GET /a.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n"),
            Arguments.of("chunked not last", "GET /a.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"),
            Arguments.of("Transfer-Encoding in HTTP/1.0", "GET /a.txt HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"),
            Arguments.of("obs-fold", "GET /a.txt HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  folded\r\n\r\n"),
            Arguments.of("obs-fold with tab", "GET /a.txt HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n\tContent-Length: 5\r\n\r\n"),
            Arguments.of("space before first header", "GET /a.txt HTTP/1.1\r\n Host: x\r\n\r\n"),
            Arguments.of("two Host", "GET /a.txt HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
            Arguments.of("no Host in HTTP/1.1", "GET /a.txt HTTP/1.1\r\nAccept: */*\r\n\r\n"),
            Arguments.of("space before colon", "GET /a.txt HTTP/1.1\r\nHost : x\r\n\r\n"),
            Arguments.of("bad header name", "GET /a.txt HTTP/1.1\r\nHost: x\r\nBad[Name]: 1\r\n\r\n"),
            Arguments.of("bare CR in a value", "GET /a.txt HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n"),
            Arguments.of("HTTP/1.1 smuggled in the version", "GET /a.txt HTTP/1.1x\r\nHost: x\r\n\r\n"),
            Arguments.of("NUL in the path", "GET /a.txt%00.jpg HTTP/1.1\r\nHost: x\r\n\r\n"),
            Arguments.of("authority-form", "GET example.com:80 HTTP/1.1\r\nHost: x\r\n\r\n"));
    }
}
