package dev.hostplane.examples.iopipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import dev.hostplane.iopipe.PipeService;
import dev.hostplane.iopipe.Strategy;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The static file server against real clients (Java HttpClient, raw keep-alive socket, curl), both body modes. */
class StaticFileServerTest
{
    @TempDir
    Path tmp;

    private byte[] data;
    private Path root;

    private StaticFileServer start(final String mode, final PipeService pipes) throws Exception
    {
        root = Files.createDirectories(tmp.resolve("www"));
        data = new byte[2_000_003];
        new Random(1).nextBytes(data);
        Files.write(root.resolve("a.bin"), data);
        Files.writeString(root.resolve("index.html"), "<h1>hi</h1>");
        Files.createDirectories(root.resolve("sub"));
        Files.write(root.resolve("sub/empty.txt"), new byte[0]);
        Files.writeString(tmp.resolve("secret.txt"), "do not serve");
        return new StaticFileServer(root, new InetSocketAddress("127.0.0.1", 0), "pipe".equals(mode) ? pipes : null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "copy"})
    void shouldServeFilesRangesAndErrorsToHttpClient(final String mode) throws Exception
    {
        try (PipeService pipes = PipeService.builder().workers(2).build(); StaticFileServer server = start(mode, pipes))
        {
            final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            final String base = "http://127.0.0.1:" + server.port();
            final HttpResponse<byte[]> whole = get(client, base + "/a.bin", null);
            assertThat(whole.statusCode()).isEqualTo(200);
            assertThat(Arrays.equals(whole.body(), data)).as("whole body").isTrue();
            assertThat(whole.headers().firstValue("content-type")).hasValue("application/octet-stream");
            assertThat(whole.headers().firstValue("accept-ranges")).hasValue("bytes");

            final HttpResponse<byte[]> part = get(client, base + "/a.bin", "bytes=1000000-1000099");
            assertThat(part.statusCode()).isEqualTo(206);
            assertThat(part.headers().firstValue("content-range")).hasValue("bytes 1000000-1000099/2000003");
            assertThat(part.body()).isEqualTo(Arrays.copyOfRange(data, 1_000_000, 1_000_100));

            final HttpResponse<byte[]> tail = get(client, base + "/a.bin", "bytes=-5");
            assertThat(tail.statusCode()).isEqualTo(206);
            assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(data, data.length - 5, data.length));

            final HttpResponse<byte[]> open = get(client, base + "/a.bin", "bytes=1999999-");
            assertThat(open.body()).isEqualTo(Arrays.copyOfRange(data, 1_999_999, data.length));

            final HttpResponse<byte[]> bad = get(client, base + "/a.bin", "bytes=5000000-");
            assertThat(bad.statusCode()).isEqualTo(416);
            assertThat(bad.headers().firstValue("content-range")).hasValue("bytes */2000003");

            final HttpResponse<byte[]> index = get(client, base + "/", null);
            assertThat(index.statusCode()).isEqualTo(200);
            assertThat(new String(index.body(), StandardCharsets.UTF_8)).isEqualTo("<h1>hi</h1>");
            assertThat(index.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");

            final HttpResponse<byte[]> empty = get(client, base + "/sub/empty.txt", null);
            assertThat(empty.statusCode()).isEqualTo(200);
            assertThat(empty.body()).isEmpty();

            assertThat(get(client, base + "/missing", null).statusCode()).isEqualTo(404);

            final HttpResponse<Void> head = client.send(HttpRequest.newBuilder(URI.create(base + "/a.bin"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValueAsLong("content-length")).hasValue(data.length);

            final HttpResponse<byte[]> delete = client.send(HttpRequest.newBuilder(URI.create(base + "/a.bin"))
                .DELETE().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(delete.statusCode()).isEqualTo(405);

            if ("pipe".equals(mode))
            {
                // 2,000,003 + 100 + 5 + 4 body bytes of a.bin plus 11 of index.html went through sendfile.
                assertThat(pipes.strategyStats(Strategy.SENDFILE).bytes()).isEqualTo(2_000_003L + 100 + 5 + 4 + 11);
            }
            else
            {
                assertThat(pipes.strategyStats(Strategy.SENDFILE).bytes()).isZero();
            }
        }
    }

    private static HttpResponse<byte[]> get(final HttpClient client, final String uri, final String range)
        throws Exception
    {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(20));
        if (null != range)
        {
            b.header("Range", range);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "copy"})
    void shouldKeepTheConnectionAliveAcrossPipedBodiesAndRefuseTraversal(final String mode) throws Exception
    {
        try (PipeService pipes = PipeService.builder().workers(2).build(); StaticFileServer server = start(mode, pipes);
            SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port())))
        {
            // Three requests pipelined on one connection: whole file, a range, then a traversal attempt.
            final String requests = "GET /a.bin HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /a.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=7-16\r\n\r\n"
                + "GET /../secret.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /%2e%2e/secret.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /sub/..%2f..%2fsecret.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
            ch.write(ByteBuffer.wrap(requests.getBytes(StandardCharsets.ISO_8859_1)));
            final ByteArrayOutputStream all = new ByteArrayOutputStream();
            final ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            while (ch.read(buf.clear()) >= 0)
            {
                all.write(buf.array(), 0, buf.position());
            }
            final byte[] bytes = all.toByteArray();
            int at = 0;
            at = expectResponse(bytes, at, "HTTP/1.1 200 OK", data);
            at = expectResponse(bytes, at, "HTTP/1.1 206 Partial Content", Arrays.copyOfRange(data, 7, 17));
            at = expectResponse(bytes, at, "HTTP/1.1 403 Forbidden", null);
            at = expectResponse(bytes, at, "HTTP/1.1 403 Forbidden", null);
            at = expectResponse(bytes, at, "HTTP/1.1 403 Forbidden", null);
            assertThat(at).as("nothing after the last response").isEqualTo(bytes.length);
            assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).doesNotContain("do not serve");
            assertThat(server.requests()).isEqualTo(5);
        }
    }

    /** Checks one response at {@code at}; returns the offset after it. */
    private static int expectResponse(final byte[] bytes, final int at, final String statusLine, final byte[] body)
    {
        final String text = new String(bytes, at, Math.min(bytes.length - at, 4096), StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith(statusLine);
        final int headEnd = text.indexOf("\r\n\r\n");
        final String head = text.substring(0, headEnd + 2);
        final int lengthAt = head.indexOf("Content-Length: ") + "Content-Length: ".length();
        final int length = Integer.parseInt(head.substring(lengthAt, head.indexOf("\r\n", lengthAt)));
        final int bodyStart = at + headEnd + 4;
        if (null != body)
        {
            assertThat(length).isEqualTo(body.length);
            assertThat(Arrays.equals(Arrays.copyOfRange(bytes, bodyStart, bodyStart + length), body))
                .as("body of %s", statusLine).isTrue();
        }
        return bodyStart + length;
    }

    @ParameterizedTest
    @ValueSource(strings = {"pipe", "copy"})
    void shouldServeCurlWithRangeAndKeepAlive(final String mode) throws Exception
    {
        final boolean curl = Files.isExecutable(Path.of("/usr/bin/curl"));
        if (!curl)
        {
            System.out.println("SKIP shouldServeCurlWithRangeAndKeepAlive: /usr/bin/curl not installed");
        }
        Assumptions.assumeTrue(curl, "curl not installed");
        try (PipeService pipes = PipeService.builder().workers(2).build(); StaticFileServer server = start(mode, pipes))
        {
            final String url = "http://127.0.0.1:" + server.port() + "/a.bin";
            final Path whole = tmp.resolve("whole");
            final Path part = tmp.resolve("part");
            final Process p = new ProcessBuilder("/usr/bin/curl", "-sS", "-v", "-o", whole.toString(), url,
                "--next", "-sS", "-v", "-r", "100-199", "-o", part.toString(), url).redirectErrorStream(true).start();
            final String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(log).isZero();
            assertThat(Arrays.equals(Files.readAllBytes(whole), data)).as("whole file via curl").isTrue();
            assertThat(Files.readAllBytes(part)).isEqualTo(Arrays.copyOfRange(data, 100, 200));
            // curl reports reusing the connection for the second URL: the socket survived the piped body.
            assertThat(log).containsIgnoringCase("Re-using existing connection");
        }
    }
}
