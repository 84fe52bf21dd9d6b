package dev.hostplane.iopipe.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Root containment under a racing attacker, and the nginx-named timeouts. */
class HttpHardeningTest
{
    private static final String SECRET = "outside-the-root";

    @TempDir
    Path tmp;

    @Test
    void shouldNeverServeAFileSwappedForASymlinkOutTheRoot() throws Exception
    {
        final Path root = Files.createDirectories(tmp.resolve("www"));
        final Path outside = Files.writeString(tmp.resolve("secret.txt"), SECRET);
        Files.createDirectories(tmp.resolve("outdir"));
        Files.writeString(tmp.resolve("outdir/f"), SECRET);
        Files.writeString(root.resolve("f"), "inside");
        Files.createDirectories(root.resolve("d"));
        Files.writeString(root.resolve("d/f"), "inside");
        try (HttpFileServer server = HttpFileServer.builder(root).bind(new InetSocketAddress("127.0.0.1", 0)).start();
            RawHttp c = new RawHttp(server.port()))
        {
            c.send("GET /f HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(new String(c.readResponse(false).body(), StandardCharsets.UTF_8)).isEqualTo("inside");
            // Swapped right after a successful request: no check result may be reused for it.
            swap(root.resolve("f"), outside, true);
            c.send("GET /f HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.readResponse(false).status()).isEqualTo(403);

            // Now race it: a thread swaps a file and a directory between real and links out of the root,
            // while requests run as fast as they can.
            final AtomicBoolean stop = new AtomicBoolean();
            final AtomicInteger swaps = new AtomicInteger();
            final Thread attacker = new Thread(() ->
            {
                try
                {
                    for (int i = 0; !stop.get(); i++)
                    {
                        swap(root.resolve("f"), outside, 0 == (i & 1));
                        swapDirectory(root.resolve("d"), tmp.resolve("outdir"), tmp.resolve("real-d"), 0 == (i & 1));
                        swaps.incrementAndGet();
                    }
                }
                catch (final IOException ex)
                {
                    throw new IllegalStateException(ex);
                }
            }, "attacker");
            Files.createDirectories(tmp.resolve("real-d"));
            Files.writeString(tmp.resolve("real-d/f"), "inside");
            attacker.start();
            int inside = 0;
            int refused = 0;
            try
            {
                for (int i = 0; i < 3000; i++)
                {
                    c.send(0 == (i & 1) ? "GET /f HTTP/1.1\r\nHost: x\r\n\r\n" : "GET /d/f HTTP/1.1\r\nHost: x\r\n\r\n");
                    final RawHttp.Response r = c.readResponse(false);
                    final String body = new String(r.body(), StandardCharsets.UTF_8);
                    assertThat(body).as("request %d", i).doesNotContain(SECRET);
                    if (200 == r.status())
                    {
                        assertThat(body).isEqualTo("inside");
                        inside++;
                    }
                    else
                    {
                        assertThat(r.status()).as("request %d", i).isIn(403, 404);
                        refused++;
                    }
                }
            }
            finally
            {
                stop.set(true);
                attacker.join();
            }
            System.out.printf("symlink race: swaps=%d served-inside=%d refused=%d%n", swaps.get(), inside, refused);
            assertThat(swaps.get()).as("the attacker really raced").isGreaterThan(100);
            assertThat(inside).as("both states were seen").isPositive();
            assertThat(refused).as("both states were seen").isPositive();
        }
    }

    /** Replaces {@code at} atomically with a symlink to {@code outside} or with a regular file. */
    private static void swap(final Path at, final Path outside, final boolean link) throws IOException
    {
        final Path staged = at.resolveSibling(at.getFileName() + (link ? ".link" : ".file"));
        Files.deleteIfExists(staged);
        if (link)
        {
            Files.createSymbolicLink(staged, outside);
        }
        else
        {
            Files.writeString(staged, "inside");
        }
        Files.move(staged, at, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void swapDirectory(final Path at, final Path outside, final Path real, final boolean link)
        throws IOException
    {
        final Path staged = at.resolveSibling(at.getFileName() + ".staged");
        Files.deleteIfExists(staged);
        Files.createSymbolicLink(staged, link ? outside : real);
        // rename(2) cannot replace a directory with a link: the first swap moves the real one away.
        if (Files.isDirectory(at, java.nio.file.LinkOption.NOFOLLOW_LINKS))
        {
            Files.move(at, real.resolveSibling("real-d.old"), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(staged, at, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void shouldCloseSlowHeadsIdleConnectionsAndStalledReadersOnTime() throws Exception
    {
        final Path root = Files.createDirectories(tmp.resolve("www"));
        Files.writeString(root.resolve("small"), "x");
        try (RandomAccessFile big = new RandomAccessFile(root.resolve("big").toFile(), "rw"))
        {
            big.setLength(64L << 20);
        }
        try (HttpFileServer server = HttpFileServer.builder(root).bind(new InetSocketAddress("127.0.0.1", 0))
            .headerTimeout(Duration.ofSeconds(2)).keepaliveTimeout(Duration.ofSeconds(1))
            .sendTimeout(Duration.ofSeconds(1)).start())
        {
            // Taken before the connections open: each deadline runs from the server's accept, after this.
            final long start = System.nanoTime();
            try (RawHttp partial = new RawHttp(server.port());
                RawHttp silent = new RawHttp(server.port());
                RawHttp idle = new RawHttp(server.port()))
            {
                timeouts(server, start, partial, silent, idle);
            }
            final HttpFileServer.Stats stats = server.stats();
            assertThat(stats.headerTimeouts()).as(stats.toString()).isEqualTo(2);
            assertThat(stats.keepaliveTimeouts()).as(stats.toString()).isEqualTo(1);
            assertThat(stats.sendTimeouts()).as(stats.toString()).isEqualTo(1);
        }
    }

    @Test
    void shouldCutAResponseWhoseFileShrinksMidSendAndServeTheNextClient() throws Exception
    {
        final Path root = Files.createDirectories(tmp.resolve("www"));
        Files.writeString(root.resolve("small"), "x");
        final Path big = root.resolve("big");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw"))
        {
            f.setLength(32L << 20);
        }
        try (HttpFileServer server = HttpFileServer.builder(root).bind(new InetSocketAddress("127.0.0.1", 0)).start();
            RawHttp c = new RawHttp(server.port()))
        {
            c.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
            final java.io.InputStream in = c.socket.getInputStream();
            final byte[] buf = new byte[65536];
            long got = 0;
            while (got < (1 << 20))
            {
                final int n = in.read(buf);
                assertThat(n).isPositive();
                got += n;
            }
            // The file loses most of what the head announced while its body is being sent.
            try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw"))
            {
                f.setLength(4L << 20);
            }
            c.socket.setSoTimeout(10_000);
            try
            {
                int n;
                while ((n = in.read(buf)) >= 0)
                {
                    got += n;
                }
            }
            catch (final java.net.SocketException reset)
            {
                // closed with a reset: as good as EOF here
            }
            System.out.printf("file shrank to 4 MiB mid-send: the client got %d of %d announced bytes, then EOF%n",
                got, 32L << 20);
            assertThat(got).as("the response is cut short, never padded or hung").isLessThan(32L << 20);
            try (RawHttp next = new RawHttp(server.port()))
            {
                next.socket.setSoTimeout(2000);
                next.send("GET /small HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(next.readResponse(false).status()).isEqualTo(200);
            }
            Eventually.await(() -> server.stats().open() == 0, 5);
            assertThat(server.stats().open()).as("the cut connection is closed, not leaked: " + server.stats())
                .isZero();
        }
    }

    /** Three connections opened after {@code start}, and a stalled reader opened when it is needed. */
    private static void timeouts(final HttpFileServer server, final long start, final RawHttp partial,
        final RawHttp silent, final RawHttp idle) throws Exception
    {
        partial.send("GET /small HTTP/1.1\r\nHo");
        // The keep-alive deadline runs from the request's arrival or the response's last byte, both after this.
        final long requested = System.nanoTime();
        idle.send("GET /small HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(idle.readResponse(false).status()).isEqualTo(200);
        final double responded = (System.nanoTime() - requested) / 1e9;
        // Each close is timed by a reader of its own: looking at one connection after another would
        // add the time spent on the first to the next.
        final CompletableFuture<Double> idleAt = closedAt(idle, requested, 4000);
        final CompletableFuture<Double> partialAt = closedAt(partial, start, 5000);
        final CompletableFuture<Double> silentAt = closedAt(silent, start, 5000);
        try (RawHttp stalled = new RawHttp(server.port()))
        {
            stalled.socket.setReceiveBufferSize(64 * 1024);
            stalled.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(stalled.socket.getInputStream().read(new byte[16])).isPositive();
            // Meanwhile a new client is answered at once: a partial head, a silent connection and a reader
            // that does not read hold no event loop.
            try (RawHttp fresh = new RawHttp(server.port()))
            {
                fresh.socket.setSoTimeout(2000);
                fresh.send("GET /small HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(fresh.readResponse(false).status()).isEqualTo(200);
            }
            // The stalled reader reads nothing for 2 s (twice the send timeout), then finds the connection closed.
            assertThat(drainsToClose(stalled, 4000)).as("send timeout").isTrue();
        }
        System.out.printf("timeouts: keep-alive closed %.2f s after the request (response read after %.2f s), "
            + "partial head %.2f s and silent %.2f s after connecting%n", idleAt.get(), responded, partialAt.get(), silentAt.get());
        assertThat(idleAt.get()).as("keep-alive timeout 1 s").isBetween(0.95, responded + 2.5);
        assertThat(partialAt.get()).as("header timeout 2 s, partial head").isBetween(1.9, 3.5);
        assertThat(silentAt.get()).as("header timeout 2 s, nothing sent").isBetween(1.9, 3.5);
    }

    /** The stalled client has not read; once the server gives up, what is buffered drains and EOF (or a reset) follows. */
    private static boolean drainsToClose(final RawHttp c, final int waitMs) throws Exception
    {
        Thread.sleep(waitMs / 2);
        return c.closedWithin(waitMs);
    }

    /** Seconds after {@code start} at which the server closed {@code c}, or infinity if it stayed open. */
    private static CompletableFuture<Double> closedAt(final RawHttp c, final long start, final int timeoutMs)
    {
        return CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return c.closedWithin(timeoutMs) ? (System.nanoTime() - start) / 1e9 : Double.POSITIVE_INFINITY;
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }, runnable -> new Thread(runnable, "close-watcher").start());
    }
}
