package dev.hostplane.iopipe.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A backend process killed with SIGKILL in the middle of a response, as HAProxy (TCP mode) handles it: every
 * byte the backend sent before it died reaches the client, byte-exact, then the client sees a clean end of
 * stream (FIN), while a download from a healthy backend through the same proxy goes on undisturbed and every
 * event loop keeps serving new sessions. Killed while the client's request is unread, the kernel answers
 * with a reset ({@code unread}); with the request read, with a FIN ({@code read}).
 */
class ProxyBackendDeathTest
{
    private static final int SENT = 150_000;

    /**
     * The backend: answers one connection with {@code SENT} patterned bytes, waits until the kernel has
     * passed them all on (SIOCOUTQ is 0), says so and sleeps until killed.
     */
    private static final String BACKEND = String.join("\n",
        "import fcntl, socket, struct, sys, termios, time",
        "l = socket.socket(); l.bind(('127.0.0.1', 0)); l.listen(4)",
        "print('port', l.getsockname()[1], flush=True)",
        "c, _ = l.accept()",
        "if sys.argv[1] == 'read': c.recv(4)",
        "c.sendall(bytes(i * 7 % 251 for i in range(" + SENT + ")))",
        "while struct.unpack('i', fcntl.ioctl(c, termios.TIOCOUTQ, b'\\0\\0\\0\\0'))[0] > 0: time.sleep(0.01)",
        "print('sent', flush=True)",
        "time.sleep(600)");

    @ParameterizedTest(name = "request {0}")
    @ValueSource(strings = {"unread", "read"})
    void shouldPassOnWhatTheBackendSentThenCloseCleanlyAndKeepServing(final String request) throws Exception
    {
        Assumptions.assumeTrue(python3(), "skipped: no python3 on the PATH to run the backend process");
        final Process backend = new ProcessBuilder("python3", "-c", BACKEND, request).redirectErrorStream(true).start();
        final byte[] healthyFile = new byte[4 << 20];
        new Random(5).nextBytes(healthyFile);
        final ExecutorService pool = Executors.newCachedThreadPool();
        try (ServerSocket healthy = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            BufferedReader out = new BufferedReader(new InputStreamReader(backend.getInputStream(), StandardCharsets.UTF_8)))
        {
            pool.submit(() -> serveForever(healthy, healthyFile, pool));
            final String[] port = out.readLine().split(" ");
            assertThat(port[0]).isEqualTo("port");
            final InetSocketAddress dying = new InetSocketAddress("127.0.0.1", Integer.parseInt(port[1]));
            try (TcpProxy toDying = TcpProxy.builder(dying).bind(new InetSocketAddress("127.0.0.1", 0))
                    .eventLoops(2).threadName("dying-proxy").start();
                TcpProxy toHealthy = TcpProxy.builder(new InetSocketAddress("127.0.0.1", healthy.getLocalPort()))
                    .bind(new InetSocketAddress("127.0.0.1", 0)).eventLoops(2).threadName("healthy-proxy").start();
                Socket client = slowReader(toDying.port()))
            {
                final Set<String> loopsBefore = threads("dying-proxy");
                client.setSoTimeout(10_000);
                client.getOutputStream().write("GET\n".getBytes(StandardCharsets.US_ASCII));
                // A download through the other proxy runs while the backend dies.
                final CompletableFuture<byte[]> download = CompletableFuture.supplyAsync(
                    () -> fetch(toHealthy.port(), 2), pool);
                // The client reads nothing yet, through a small receive buffer: most of the backend's bytes sit
                // in the proxy's pipe when the backend dies.
                assertThat(out.readLine()).isEqualTo("sent");
                backend.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                Thread.sleep(200);

                final ByteArrayOutputStream got = new ByteArrayOutputStream();
                final InputStream in = client.getInputStream();
                final byte[] buf = new byte[8192];
                String end = "EOF";
                try
                {
                    int n;
                    while ((n = in.read(buf)) >= 0)
                    {
                        got.write(buf, 0, n);
                    }
                }
                catch (final SocketException reset)
                {
                    end = reset.getMessage();
                }
                // The client's own side is still open (a half-closed session): it closes it now.
                client.close();
                System.out.printf("backend killed (request %s): the client got %d of %d bytes, then %s; %s%n",
                    request, got.size(), SENT, end, toDying.stats());
                assertThat(end).as("a clean end of stream, as HAProxy gives").isEqualTo("EOF");
                assertThat(got.toByteArray()).as("every byte the backend sent, in order").isEqualTo(pattern());
                assertThat(Arrays.equals(download.get(30, TimeUnit.SECONDS), healthyFile))
                    .as("the download through the other proxy").isTrue();

                // Every loop of the proxy that lost its backend still serves: a new backend on the same port is
                // gone, so each new session is refused by the kernel and closed, never hung, and no thread died.
                for (int i = 0; i < 4; i++)
                {
                    try (Socket again = new Socket("127.0.0.1", toDying.port()))
                    {
                        again.setSoTimeout(5000);
                        assertThat(again.getInputStream().read()).as("refused backend: closed at once").isEqualTo(-1);
                    }
                    catch (final SocketException reset)
                    {
                        // closed with a reset: as prompt as EOF
                    }
                }
                assertThat(threads("dying-proxy")).as("event loops alive").hasSize(2).containsAll(loopsBefore);
                Eventually.await(() -> toDying.stats().open() == 0, 5);
                final TcpProxy.Stats stats = toDying.stats();
                assertThat(stats.open()).as(stats.toString()).isZero();
                assertThat(stats.bytesDown()).as(stats.toString()).isEqualTo(SENT);
                assertThat(stats.connectFailures()).as(stats.toString()).isEqualTo(4);
                if ("unread".equals(request))
                {
                    assertThat(stats.backendAborts()).as("the reset is counted: " + stats).isEqualTo(1);
                }
                for (int i = 0; i < 4; i++)
                {
                    assertThat(fetch(toHealthy.port(), 0)).hasSize(healthyFile.length);
                }
            }
        }
        finally
        {
            backend.destroyForcibly();
            pool.shutdownNow();
        }
    }

    private static Socket slowReader(final int port) throws IOException
    {
        final Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return s;
    }

    private static byte[] pattern()
    {
        final byte[] p = new byte[SENT];
        for (int i = 0; i < SENT; i++)
        {
            p[i] = (byte)(i * 7 % 251);
        }
        return p;
    }

    /** The healthy backend: each connection gets the file, then a close. */
    private static Void serveForever(final ServerSocket listener, final byte[] file, final ExecutorService pool)
    {
        while (!listener.isClosed())
        {
            try
            {
                final Socket s = listener.accept();
                pool.submit(() ->
                {
                    try (s)
                    {
                        s.getOutputStream().write(file);
                    }
                    return null;
                });
            }
            catch (final IOException closed)
            {
                return null;
            }
        }
        return null;
    }

    /** Reads one whole answer, slowly at first ({@code pauses} short pauses) so it spans the backend's death. */
    private static byte[] fetch(final int port, final int pauses)
    {
        try (Socket s = new Socket("127.0.0.1", port))
        {
            s.setSoTimeout(20_000);
            final DataInputStream in = new DataInputStream(s.getInputStream());
            final ByteArrayOutputStream all = new ByteArrayOutputStream();
            final byte[] buf = new byte[65536];
            int n;
            int i = 0;
            while ((n = in.read(buf)) >= 0)
            {
                all.write(buf, 0, n);
                if (i++ < pauses)
                {
                    Thread.sleep(150);
                }
            }
            return all.toByteArray();
        }
        catch (final IOException | InterruptedException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static Set<String> threads(final String prefix)
    {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
            .filter(n -> n.startsWith(prefix)).collect(Collectors.toSet());
    }

    private static boolean python3()
    {
        try
        {
            return 0 == new ProcessBuilder("python3", "-c", "pass").start().waitFor();
        }
        catch (final IOException | InterruptedException ex)
        {
            return false;
        }
    }
}
