package dev.hostplane.iopipe.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The HTTP file server's behaviour for well-formed requests, against Java's HttpClient and raw sockets. */
class HttpFileServerTest
{
    @TempDir
    Path tmp;

    private Path root;
    private byte[] data;
    private HttpFileServer server;

    @BeforeEach
    void files() throws Exception
    {
        root = Files.createDirectories(tmp.resolve("www"));
        data = new byte[2_000_003];
        new Random(1).nextBytes(data);
        Files.write(root.resolve("a.bin"), data);
        Files.writeString(root.resolve("index.html"), "<h1>hi</h1>");
        Files.createDirectories(root.resolve("sub/dir"));
        Files.write(root.resolve("sub/empty.txt"), new byte[0]);
        Files.writeString(root.resolve("sub/dir/index.html"), "deep");
        Files.writeString(root.resolve("sp ace%.txt"), "odd name");
        Files.writeString(tmp.resolve("secret.txt"), "do not serve");
    }

    @AfterEach
    void stop()
    {
        if (null != server)
        {
            server.close();
        }
    }

    private HttpFileServer start(final boolean copy) throws Exception
    {
        server = HttpFileServer.builder(root).bind(new InetSocketAddress("127.0.0.1", 0)).eventLoops(2).copy(copy)
            .start();
        return server;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldServeFilesRangesAndErrorsToHttpClient(final boolean copy) throws Exception
    {
        start(copy);
        final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        final String base = "http://127.0.0.1:" + server.port();
        final HttpResponse<byte[]> whole = get(client, base + "/a.bin", null);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(Arrays.equals(whole.body(), data)).as("whole body").isTrue();
        assertThat(whole.headers().firstValue("content-type")).hasValue("application/octet-stream");
        assertThat(whole.headers().firstValue("accept-ranges")).hasValue("bytes");
        assertThat(whole.headers().firstValue("last-modified")).isPresent();
        assertThat(whole.headers().firstValue("date")).isPresent();

        final HttpResponse<byte[]> part = get(client, base + "/a.bin", "bytes=1000000-1000099");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("content-range")).hasValue("bytes 1000000-1000099/2000003");
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(data, 1_000_000, 1_000_100));

        final HttpResponse<byte[]> tail = get(client, base + "/a.bin", "bytes=-5");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(data, data.length - 5, data.length));

        assertThat(get(client, base + "/a.bin", "bytes=1999999-").body())
            .isEqualTo(Arrays.copyOfRange(data, 1_999_999, data.length));
        final HttpResponse<byte[]> bad = get(client, base + "/a.bin", "bytes=5000000-");
        assertThat(bad.statusCode()).isEqualTo(416);
        assertThat(bad.headers().firstValue("content-range")).hasValue("bytes */2000003");
        assertThat(get(client, base + "/a.bin", "bytes=0-1,5-6").body()).as("multiple ranges: whole file")
            .hasSize(data.length);

        final HttpResponse<byte[]> index = get(client, base + "/", null);
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(new String(index.body(), StandardCharsets.UTF_8)).isEqualTo("<h1>hi</h1>");
        assertThat(index.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(new String(get(client, base + "/sub/dir/", null).body(), StandardCharsets.UTF_8))
            .isEqualTo("deep");
        assertThat(get(client, base + "/sub/empty.txt", null).body()).isEmpty();
        assertThat(new String(get(client, base + "/sp%20ace%25.txt?x=1", null).body(), StandardCharsets.UTF_8))
            .isEqualTo("odd name");
        assertThat(get(client, base + "/missing", null).statusCode()).isEqualTo(404);
        assertThat(get(client, base + "/a.bin/x", null).statusCode()).isEqualTo(404);
        assertThat(get(client, base + "/sub/", null).statusCode()).as("directory without index").isEqualTo(403);

        final HttpResponse<Void> head = client.send(HttpRequest.newBuilder(URI.create(base + "/a.bin"))
            .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("content-length")).hasValue(data.length);
        final HttpResponse<byte[]> delete = client.send(HttpRequest.newBuilder(URI.create(base + "/a.bin"))
            .DELETE().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(delete.headers().firstValue("allow")).hasValue("GET, HEAD");

        final long bodies = 2L * data.length + 100 + 5 + 4 + 11 + 4 + 8;
        final HttpFileServer.Stats stats = server.stats();
        assertThat(copy ? stats.copyBytes() : stats.sendfileBytes()).as(stats.toString()).isEqualTo(bodies);
        assertThat(copy ? stats.sendfileBytes() : stats.copyBytes()).as(stats.toString()).isZero();
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

    @Test
    void shouldServeEachFileAsItIsNowWhileItsDescriptorIsCached() throws Exception
    {
        server = HttpFileServer.builder(root).bind(new InetSocketAddress("127.0.0.1", 0)).eventLoops(1)
            .openFileValid(Duration.ofMillis(150)).start();
        final String uri = "http://127.0.0.1:" + server.port() + "/c.txt";
        final HttpClient client = HttpClient.newHttpClient();
        final Path c = root.resolve("c.txt");
        Files.writeString(c, "one");
        assertThat(new String(get(client, uri, null).body(), StandardCharsets.US_ASCII)).isEqualTo("one");
        // Changed in place (same inode, new length): the cached descriptor's statx sees it.
        Files.writeString(c, "second!");
        assertThat(new String(get(client, uri, null).body(), StandardCharsets.US_ASCII)).isEqualTo("second!");
        // Renamed over: the cached inode has no name left, so the path is opened again.
        final Path next = root.resolve(".next");
        Files.writeString(next, "third");
        Files.move(next, c, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(new String(get(client, uri, null).body(), StandardCharsets.US_ASCII)).isEqualTo("third");
        // Swapped for a symlink out of the root: never served, cached or not.
        final Path link = root.resolve(".link");
        Files.createSymbolicLink(link, tmp.resolve("secret.txt"));
        Files.move(link, c, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(get(client, uri, null).statusCode()).isEqualTo(403);
        Files.delete(c);
        Files.writeString(c, "four");
        assertThat(new String(get(client, uri, null).body(), StandardCharsets.US_ASCII)).isEqualTo("four");
        Files.delete(c);
        assertThat(get(client, uri, null).statusCode()).isEqualTo(404);
        // Moved away but still linked: served under the old path at most until the entry expires.
        final Path d = root.resolve("d.txt");
        Files.writeString(d, "moving");
        final String dUri = "http://127.0.0.1:" + server.port() + "/d.txt";
        assertThat(get(client, dUri, null).statusCode()).isEqualTo(200);
        Files.move(d, root.resolve("sub/d.txt"));
        final long deadline = System.nanoTime() + 5_000_000_000L;
        int status = 200;
        while (200 == status && System.nanoTime() < deadline)
        {
            Thread.sleep(50);
            status = get(client, dUri, null).statusCode();
        }
        assertThat(status).isEqualTo(404);
        // Expired entries let their descriptors go even when nobody asks again.
        final String rootPrefix = root.toRealPath().toString();
        long open = Long.MAX_VALUE;
        while (open > 0 && System.nanoTime() < deadline + 5_000_000_000L)
        {
            Thread.sleep(100);
            open = openDescriptorsUnder(rootPrefix);
        }
        assertThat(open).as("descriptors of served files still open").isZero();
    }

    private static long openDescriptorsUnder(final String prefix) throws Exception
    {
        try (var fds = Files.list(Path.of("/proc/self/fd")))
        {
            return fds.filter(fd ->
            {
                try
                {
                    return Files.readSymbolicLink(fd).toString().startsWith(prefix + "/");
                }
                catch (final Exception ex)
                {
                    return false;
                }
            }).count();
        }
    }

    @Test
    void shouldAnswerPipelinedRequestsInOrderAndRefuseTraversal() throws Exception
    {
        start(false);
        try (RawHttp c = new RawHttp(server.port()))
        {
            final StringBuilder requests = new StringBuilder();
            for (int i = 0; i < 40; i++)
            {
                requests.append("GET /a.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=").append(i).append('-').append(i + 9)
                    .append("\r\n\r\n");
            }
            requests.append("GET /a.bin HTTP/1.1\r\nHost: x\r\n\r\n")
                .append("GET /sub/../../secret.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            c.send(requests.toString());
            final List<RawHttp.Response> all = RawHttp.parseAll(c.readUntilClose(10_000));
            assertThat(all).hasSize(42);
            for (int i = 0; i < 40; i++)
            {
                assertThat(all.get(i).status()).isEqualTo(206);
                assertThat(all.get(i).body()).isEqualTo(Arrays.copyOfRange(data, i, i + 10));
            }
            assertThat(Arrays.equals(all.get(40).body(), data)).isTrue();
            // A ".." above the root is a bad request, and the connection ends with it.
            assertThat(all.get(41).status()).isEqualTo(400);
            assertThat(all.get(41).header("Connection")).isEqualTo("close");
        }
    }

    @Test
    void shouldNeverServeOutsideTheRootWhateverTheEncoding() throws Exception
    {
        start(false);
        Files.createSymbolicLink(root.resolve("out"), tmp.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("outdir"), tmp);
        Files.createSymbolicLink(root.resolve("abs"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(root.resolve("inside"), Path.of("index.html"));
        Files.createSymbolicLink(root.resolve("proc"), Path.of("/proc/self/root/etc/passwd"));
        final String[] targets = {"/%2e%2e/secret.txt", "/sub/..%2f..%2fsecret.txt", "/out", "/outdir/secret.txt",
            "/abs", "/proc", "/..", "/%2E%2E%2Fsecret.txt", "/sub/%2e%2e/%2e%2e/secret.txt"};
        for (final String t : targets)
        {
            try (RawHttp c = new RawHttp(server.port()))
            {
                c.send("GET " + t + " HTTP/1.1\r\nHost: x\r\n\r\n");
                final RawHttp.Response r = c.readResponse(false);
                assertThat(r.status()).as(t).isIn(400, 403);
                assertThat(new String(r.body(), StandardCharsets.ISO_8859_1)).as(t).doesNotContain("do not serve")
                    .doesNotContain("root:");
            }
        }
        try (RawHttp c = new RawHttp(server.port()))
        {
            c.send("GET /inside HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(new String(c.readResponse(false).body(), StandardCharsets.UTF_8)).as("a link inside the root")
                .isEqualTo("<h1>hi</h1>");
        }
    }

    @Test
    void shouldRefuseEverySymlinkWithNoSymlinks() throws Exception
    {
        server = HttpFileServer.builder(root).bind(new InetSocketAddress("127.0.0.1", 0)).noSymlinks(true).start();
        Files.createSymbolicLink(root.resolve("inside"), Path.of("index.html"));
        Files.createSymbolicLink(root.resolve("linkdir"), Path.of("sub"));
        try (RawHttp c = new RawHttp(server.port()))
        {
            c.send("GET /inside HTTP/1.1\r\nHost: x\r\n\r\nGET /linkdir/dir/index.html HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /sub/dir/index.html HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.readResponse(false).status()).isEqualTo(403);
            assertThat(c.readResponse(false).status()).isEqualTo(403);
            assertThat(new String(c.readResponse(false).body(), StandardCharsets.UTF_8)).isEqualTo("deep");
        }
    }

    @Test
    void shouldRedirectADirectoryWithoutSlashAndKeepHttp10KeepAlive() throws Exception
    {
        start(false);
        try (RawHttp c = new RawHttp(server.port()))
        {
            c.send("GET /sub/dir?q=1 HTTP/1.1\r\nHost: x\r\n\r\n");
            final RawHttp.Response r = c.readResponse(false);
            assertThat(r.status()).isEqualTo(301);
            assertThat(r.header("Location")).isEqualTo("/sub/dir/");
            c.send("GET /index.html HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            final RawHttp.Response keep = c.readResponse(false);
            assertThat(keep.header("Connection")).isEqualTo("keep-alive");
            c.send("GET /index.html HTTP/1.0\r\n\r\n");
            assertThat(c.readResponse(false).header("Connection")).isEqualTo("close");
            assertThat(c.closedWithin(3000)).isTrue();
        }
    }

    @Test
    void shouldLimitConnectionsAndAcceptAgainWhenOneCloses() throws Exception
    {
        server = HttpFileServer.builder(root).bind(new InetSocketAddress("127.0.0.1", 0)).maxConnections(2).start();
        try (RawHttp a = new RawHttp(server.port()); RawHttp b = new RawHttp(server.port()))
        {
            a.send("GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(a.readResponse(false).status()).isEqualTo(200);
            b.send("GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(b.readResponse(false).status()).isEqualTo(200);
            try (RawHttp third = new RawHttp(server.port()))
            {
                // Connected in the kernel's backlog, but not accepted: no answer while two are open.
                third.send("GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n");
                third.socket.setSoTimeout(500);
                assertThat(third.closedWithin(500)).isFalse();
                a.close();
                third.socket.setSoTimeout(5000);
                assertThat(third.readResponse(false).status()).isEqualTo(200);
            }
            assertThat(server.stats().open()).isLessThanOrEqualTo(2);
        }
    }
}
