package dev.hostplane.iopipe.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The splice proxy against real peers: bytes both ways, half-close, HAProxy's timeouts, the connection limit. */
class TcpProxyTest
{
    @TempDir
    Path tmp;

    /** A backend that answers every connection with the length and SHA-256 of what it received until EOF. */
    private static final class DigestBackend implements AutoCloseable
    {
        final ServerSocket listener = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        final ExecutorService pool = Executors.newCachedThreadPool();

        DigestBackend() throws IOException
        {
            pool.submit(() ->
            {
                while (!listener.isClosed())
                {
                    final Socket s = listener.accept();
                    pool.submit(() -> answer(s));
                }
                return null;
            });
        }

        private static Void answer(final Socket s) throws Exception
        {
            try (s)
            {
                final MessageDigest md = MessageDigest.getInstance("SHA-256");
                final InputStream in = s.getInputStream();
                final byte[] buf = new byte[65536];
                long total = 0;
                int n;
                while ((n = in.read(buf)) >= 0)
                {
                    md.update(buf, 0, n);
                    total += n;
                }
                final DataOutputStream out = new DataOutputStream(s.getOutputStream());
                out.writeLong(total);
                out.write(md.digest());
                out.flush();
            }
            return null;
        }

        InetSocketAddress address()
        {
            return new InetSocketAddress("127.0.0.1", listener.getLocalPort());
        }

        @Override
        public void close() throws IOException
        {
            listener.close();
            pool.shutdownNow();
        }
    }

    @Test
    void shouldCarryBytesBothWaysAndPassTheHalfClose() throws Exception
    {
        final byte[] upload = new byte[24 << 20];
        new Random(3).nextBytes(upload);
        final Path root = Files.createDirectories(tmp.resolve("www"));
        final byte[] file = Arrays.copyOf(upload, 9_000_001);
        Files.write(root.resolve("f"), file);
        try (DigestBackend digest = new DigestBackend();
            HttpFileServer web = HttpFileServer.builder(root).bind(new InetSocketAddress("127.0.0.1", 0)).start();
            TcpProxy toDigest = TcpProxy.builder(digest.address()).bind(new InetSocketAddress("127.0.0.1", 0)).start();
            TcpProxy toWeb = TcpProxy.builder(new InetSocketAddress("127.0.0.1", web.port()))
                .bind(new InetSocketAddress("127.0.0.1", 0)).pipeSize(64 * 1024).start())
        {
            // Upload 24 MiB, half-close: the backend sees EOF only through the proxy's shutdown, and answers.
            final ExecutorService clients = Executors.newFixedThreadPool(4);
            final List<Future<Boolean>> uploads = new ArrayList<>();
            for (int i = 0; i < 4; i++)
            {
                uploads.add(clients.submit(() ->
                {
                    try (Socket s = new Socket("127.0.0.1", toDigest.port()))
                    {
                        s.setSoTimeout(20_000);
                        s.getOutputStream().write(upload);
                        s.shutdownOutput();
                        final DataInputStream in = new DataInputStream(s.getInputStream());
                        final long length = in.readLong();
                        final byte[] sha = in.readNBytes(32);
                        return length == upload.length
                            && Arrays.equals(sha, MessageDigest.getInstance("SHA-256").digest(upload))
                            && in.read() < 0;
                    }
                }));
            }
            for (final Future<Boolean> u : uploads)
            {
                assertThat(u.get(60, TimeUnit.SECONDS)).as("upload through the proxy, byte-exact").isTrue();
            }
            clients.shutdown();

            // Download through the proxy: keep-alive HTTP, several requests on one connection.
            try (RawHttp c = new RawHttp(toWeb.port()))
            {
                for (int i = 0; i < 3; i++)
                {
                    c.send("GET /f HTTP/1.1\r\nHost: x\r\n\r\n");
                    assertThat(Arrays.equals(c.readResponse(false).body(), file)).as("download %d", i).isTrue();
                }
            }
            assertThat(toDigest.stats().bytesUp()).isEqualTo(4L * upload.length);
            Eventually.await(() -> toDigest.stats().open() == 0, 5);
            assertThat(toDigest.stats().open()).as(toDigest.stats().toString()).isZero();
        }
    }

    @Test
    void shouldGiveUpOnABlackholedBackendWithoutBlockingOtherClients() throws Exception
    {
        // A listener whose accept queue is full drops further SYNs: connects to it hang like a blackhole.
        try (ServerSocket full = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            final List<Socket> fillers = new ArrayList<>();
            for (int i = 0; i < 3; i++)
            {
                final Socket f = new Socket();
                try
                {
                    f.connect(full.getLocalSocketAddress(), 200);
                }
                catch (final IOException timedOut)
                {
                    // the queue is full already
                }
                fillers.add(f);
            }
            try (TcpProxy proxy = TcpProxy.builder(new InetSocketAddress("127.0.0.1", full.getLocalPort()))
                .bind(new InetSocketAddress("127.0.0.1", 0)).connectTimeout(Duration.ofSeconds(1)).start())
            {
                final long start = System.nanoTime();
                final List<Socket> clients = new ArrayList<>();
                for (int i = 0; i < 5; i++)
                {
                    final Socket c = new Socket("127.0.0.1", proxy.port());
                    c.setSoTimeout(5000);
                    c.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
                    clients.add(c);
                }
                for (final Socket c : clients)
                {
                    try (c)
                    {
                        assertThat(readToEnd(c)).as("closed by the connect timeout").isTrue();
                    }
                }
                final double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("blackholed backend: 5 clients closed after %.2f s%n", seconds);
                // All five in about one timeout: the connects run in parallel on the event loops.
                assertThat(seconds).isBetween(0.9, 2.5);
                assertThat(proxy.stats().connectTimeouts()).isEqualTo(5);
                assertThat(proxy.stats().accepted()).isEqualTo(5);
            }
            for (final Socket f : fillers)
            {
                f.close();
            }
        }
    }

    /** True when the peer closed (EOF or reset) before the socket's timeout. */
    private static boolean readToEnd(final Socket s) throws IOException
    {
        try
        {
            while (s.getInputStream().read() >= 0)
            {
                // discard
            }
            return true;
        }
        catch (final java.net.SocketTimeoutException ex)
        {
            return false;
        }
        catch (final java.net.SocketException reset)
        {
            return true;
        }
    }

    @Test
    void shouldCloseIdleSessionsAndHonourTheConnectionLimit() throws Exception
    {
        try (ServerSocket backend = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            TcpProxy proxy = TcpProxy.builder(new InetSocketAddress("127.0.0.1", backend.getLocalPort()))
                .bind(new InetSocketAddress("127.0.0.1", 0)).clientTimeout(Duration.ofSeconds(1))
                .serverTimeout(Duration.ofSeconds(1)).maxConnections(2).start())
        {
            final long start = System.nanoTime();
            try (Socket a = new Socket("127.0.0.1", proxy.port()); Socket b = new Socket("127.0.0.1", proxy.port());
                Socket third = new Socket("127.0.0.1", proxy.port()))
            {
                a.setSoTimeout(5000);
                b.setSoTimeout(5000);
                third.setSoTimeout(5000);
                // Two sessions, then the limit: the third waits in the backlog until a session ends (by timeout).
                assertThat(readToEnd(a)).isTrue();
                assertThat(readToEnd(b)).isTrue();
                final double idleClosed = (System.nanoTime() - start) / 1e9;
                assertThat(idleClosed).as("idle sessions closed by timeout client/server").isBetween(0.9, 2.5);
                assertThat(readToEnd(third)).as("the third got its session, then its timeout").isTrue();
                final double thirdClosed = (System.nanoTime() - start) / 1e9;
                // It waited for a session to end (about 1 s), then idled through its own timeout (1 s more).
                assertThat(thirdClosed).isGreaterThan(1.9);
            }
            final TcpProxy.Stats stats = proxy.stats();
            assertThat(stats.accepted()).isEqualTo(3);
            assertThat(stats.clientTimeouts() + stats.serverTimeouts()).isEqualTo(3);
        }
    }
}
