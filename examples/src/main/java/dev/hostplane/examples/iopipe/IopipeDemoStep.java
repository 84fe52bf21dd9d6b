package dev.hostplane.examples.iopipe;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import dev.hostplane.examples.DemoStep;
import dev.hostplane.iopipe.server.HttpFileServer;

/**
 * Demo: serves a temporary 1 MiB file on 127.0.0.1 through iopipe's HTTP file server, fetches it
 * and a Range of it with Java's HttpClient over one keep-alive connection, and checks the bytes and
 * that sendfile moved them.
 */
public final class IopipeDemoStep implements DemoStep
{
    @Override
    public String name()
    {
        return "iopipe: HTTP file server via sendfile";
    }

    @Override
    public String run() throws Exception
    {
        final Path dir = Files.createTempDirectory("hostplane-iopipe-demo");
        final byte[] data = new byte[(1 << 20) + 3];
        new Random(6).nextBytes(data);
        final Path file = Files.write(dir.resolve("demo.bin"), data);
        try (HttpFileServer server = HttpFileServer.builder(dir).bind(new InetSocketAddress("127.0.0.1", 0))
            .eventLoops(1).threadName("demo-http").start())
        {
            final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            final URI uri = URI.create("http://127.0.0.1:" + server.port() + "/demo.bin");
            final HttpResponse<byte[]> whole = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
            check(200 == whole.statusCode(), "GET status=" + whole.statusCode());
            check(Arrays.equals(data, whole.body()), "GET body differs, length=" + whole.body().length);
            final HttpResponse<byte[]> part = client.send(HttpRequest.newBuilder(uri).header("Range", "bytes=1000-1999")
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
            check(206 == part.statusCode(), "Range status=" + part.statusCode());
            check(Arrays.equals(Arrays.copyOfRange(data, 1000, 2000), part.body()), "Range body differs");
            final long expected = data.length + 1000L;
            final long sent = awaitSendfileBytes(server, expected);
            check(sent == expected, "sendfile bytes=" + sent + " expected=" + expected);
            return "GET " + data.length + " B + Range 1000 B, byte-exact, sendfile moved " + sent + " B";
        }
        finally
        {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    /**
     * The server adds to its counter after sendfile returns on its event loop, which can be after the
     * client has read the last byte, so the count is awaited (briefly) rather than read once.
     */
    private static long awaitSendfileBytes(final HttpFileServer server, final long expected)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        long sent = server.stats().sendfileBytes();
        while (sent < expected && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
            sent = server.stats().sendfileBytes();
        }
        return sent;
    }

    private static void check(final boolean ok, final String what)
    {
        if (!ok)
        {
            throw new IllegalStateException("iopipe demo: " + what);
        }
    }
}
