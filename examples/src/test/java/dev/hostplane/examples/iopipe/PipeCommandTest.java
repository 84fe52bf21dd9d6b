package dev.hostplane.examples.iopipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import dev.hostplane.iopipe.server.HttpFileServer;
import dev.hostplane.iopipe.server.TcpProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code hostplane pipe serve} and {@code pipe proxy} flags: each bad value is a usage error (exit 2) that
 * names its flag, the defaults are nginx's and HAProxy's, and each flag reaches the server: one server and
 * a few proxies started with every flag set show each flag's effect at once (the timeouts at 1 s).
 */
class PipeCommandTest
{
    @TempDir
    static Path tmp;

    static Stream<Arguments> badValues()
    {
        final String root = tmp.toString();
        return Stream.of(
            Arguments.of(List.of("serve"), "'--root"),
            Arguments.of(List.of("serve", "--root", root + "/none"), "'--root'"),
            Arguments.of(List.of("serve", "--root", root, "--port", "70000"), "'--bind/--port'"),
            Arguments.of(List.of("serve", "--root", root, "--port", "x"), "'--port'"),
            Arguments.of(List.of("serve", "--root", root, "--header-timeout", "0"), "'--header-timeout'"),
            Arguments.of(List.of("serve", "--root", root, "--header-timeout", "5x"), "'--header-timeout'"),
            Arguments.of(List.of("serve", "--root", root, "--keepalive-timeout", "-1s"), "'--keepalive-timeout'"),
            Arguments.of(List.of("serve", "--root", root, "--send-timeout", "0ms"), "'--send-timeout'"),
            Arguments.of(List.of("serve", "--root", root, "--max-connections", "0"), "'--max-connections'"),
            Arguments.of(List.of("serve", "--root", root, "--max-header-bytes", "100"), "'--max-header-bytes'"),
            Arguments.of(List.of("serve", "--root", root, "--accept-backoff", "2h"), "'--accept-backoff'"),
            Arguments.of(List.of("serve", "--root", root, "--open-file-cache-valid", "2h"), "'--open-file-cache-valid'"),
            Arguments.of(List.of("serve", "--root", root, "--event-loops", "-1"), "'--event-loops'"),
            Arguments.of(List.of("serve", "--root", root, "--event-loops", "1000"), "'--event-loops'"),
            Arguments.of(List.of("serve", "--root", root, "--notsent-lowat", "100"), "'--notsent-lowat'"),
            Arguments.of(List.of("serve", "--root", root, "--congestion-control", "a-name-longer-than-15"),
                "'--congestion-control'"),
            Arguments.of(List.of("serve", "--root", root, "--no-such-flag"), "--no-such-flag"),
            Arguments.of(List.of("proxy", "--listen", "0"), "'--to"),
            Arguments.of(List.of("proxy", "--listen", "0", "--to", "127.0.0.1"), "'--to'"),
            Arguments.of(List.of("proxy", "--listen", "0", "--to", "127.0.0.1:http"), "'--to'"),
            Arguments.of(List.of("proxy", "--listen", "0", "--to", "127.0.0.1:70000"), "'--to'"),
            Arguments.of(List.of("proxy", "--listen", "70000", "--to", "127.0.0.1:1"), "'--bind/--listen'"),
            Arguments.of(List.of("proxy", "--listen", "0", "--to", "127.0.0.1:1", "--connect-timeout", "0"),
                "'--connect-timeout'"),
            Arguments.of(List.of("proxy", "--listen", "0", "--to", "127.0.0.1:1", "--client-timeout", "0"),
                "'--client-timeout'"),
            Arguments.of(List.of("proxy", "--listen", "0", "--to", "127.0.0.1:1", "--server-timeout", "1y"),
                "'--server-timeout'"),
            Arguments.of(List.of("proxy", "--listen", "0", "--to", "127.0.0.1:1", "--max-connections", "-5"),
                "'--max-connections'"),
            Arguments.of(List.of("proxy", "--listen", "0", "--to", "127.0.0.1:1", "--accept-backoff", "0ms"),
                "'--accept-backoff'"),
            Arguments.of(List.of("proxy", "--listen", "0", "--to", "127.0.0.1:1", "--pipe-size", "1"),
                "'--pipe-size'"),
            Arguments.of(List.of("proxy", "--listen", "0", "--to", "127.0.0.1:1", "--event-loops", "300"),
                "'--event-loops'"),
            Arguments.of(List.of("proxy", "--listen", "0", "--to", "127.0.0.1:1", "--notsent-lowat", "-1"),
                "'--notsent-lowat'"),
            Arguments.of(List.of("proxy", "--listen", "0", "--to", "127.0.0.1:1", "--congestion-control", "re no"),
                "'--congestion-control'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void shouldRefuseABadValueNamingTheFlagWithExit2(final List<String> args, final String named)
    {
        final PrintStream saved = System.err;
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        final int exit;
        try
        {
            // The pipe command's own tree: the launcher's whole tree would cost a picocli model of every module.
            exit = new CommandLine(new PipeCommand()).execute(args.toArray(String[]::new));
        }
        finally
        {
            System.setErr(saved);
        }
        final String message = err.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(message).isEqualTo(2);
        assertThat(message.lines().findFirst().orElse("")).as(message).contains(named);
        assertThat(message).as("no stack trace").doesNotContain("\tat ");
    }

    @Test
    void shouldDefaultToNginxAndHaproxyValues()
    {
        final PipeCommand.Serve serve = parsed(PipeCommand.Serve.class, "serve", "--root", tmp.toString());
        assertThat(serve.headerTimeout).isEqualTo(Duration.ofSeconds(60));
        assertThat(serve.keepaliveTimeout).isEqualTo(Duration.ofSeconds(75));
        assertThat(serve.sendTimeout).isEqualTo(Duration.ofSeconds(60));
        assertThat(serve.maxHeaderBytes).isEqualTo(32768);
        assertThat(serve.maxConnections).isEqualTo(16384);
        assertThat(serve.acceptBackoff).isEqualTo(Duration.ofMillis(500));
        assertThat(serve.openFileValid).isEqualTo(Duration.ofSeconds(1));
        assertThat(serve.bind + ":" + serve.port).isEqualTo("127.0.0.1:8080");
        final PipeCommand.Proxy proxy = parsed(PipeCommand.Proxy.class, "proxy", "--listen", "9000", "--to",
            "127.0.0.1:8080");
        assertThat(proxy.connectTimeout).isEqualTo(Duration.ofSeconds(5));
        assertThat(proxy.clientTimeout).isEqualTo(Duration.ofSeconds(60));
        assertThat(proxy.serverTimeout).isEqualTo(Duration.ofSeconds(60));
        assertThat(proxy.maxConnections).isEqualTo(16384);
    }

    @Test
    void shouldApplyEveryServeFlag() throws Exception
    {
        final Path root = Files.createDirectories(tmp.resolve("www"));
        Files.writeString(root.resolve("f"), "hello");
        Files.createSymbolicLink(root.resolve("link"), root.resolve("f"));
        try (RandomAccessFile big = new RandomAccessFile(root.resolve("big").toFile(), "rw"))
        {
            big.setLength(64L << 20);
        }
        final PipeCommand.Serve serve = parsed(PipeCommand.Serve.class, "serve", "--root", root.toString(),
            "--port", "0", "--bind", "127.0.0.1", "--copy", "--event-loops", "1", "--header-timeout", "1s",
            "--keepalive-timeout", "1000ms", "--send-timeout", "1", "--max-connections", "4", "--max-header-bytes",
            "1024", "--accept-backoff", "100ms", "--no-symlinks", "--open-file-cache-valid", "0");
        try (HttpFileServer server = serve.start())
        {
            final int port = server.port();
            assertThat(get(port, "GET /f HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).endsWith("hello");
            assertThat(server.stats().copyBytes()).as("--copy").isEqualTo(5);
            assertThat(server.stats().sendfileBytes()).as("--copy").isZero();
            assertThat(get(port, "GET /link HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).as("--no-symlinks").startsWith("HTTP/1.1 403");
            assertThat(get(port, "GET /f HTTP/1.1\r\nHost: x\r\nX: " + "y".repeat(1100) + "\r\n\r\n"))
                .as("--max-header-bytes").startsWith("HTTP/1.1 431");

            // The timeouts, together: a partial head, an idle keep-alive connection, a client that stops reading.
            final long start = System.nanoTime();
            final Socket partial = connect(port, "GET /f HTTP/1.1\r\nHo");
            final Socket idle = connect(port, "GET /f HTTP/1.1\r\nHost: x\r\n\r\n");
            final Socket stalled = new Socket();
            stalled.setReceiveBufferSize(16 * 1024);
            stalled.connect(new InetSocketAddress("127.0.0.1", port));
            stalled.getOutputStream().write("GET /big HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            final CompletableFuture<Double> partialClosed = closedAfter(partial, start);
            final CompletableFuture<Double> idleClosed = closedAfter(idle, start);
            Thread.sleep(300);
            // --max-connections 4: the fourth connection waits in the backlog until one of the three closes.
            final Socket fourth = connect(port, "");
            final Socket fifth = connect(port, "GET /f HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            final CompletableFuture<Double> fifthAnswered = closedAfter(fifth, start);
            final double stalledClosed = secondsUntil(() -> server.stats().sendTimeouts() > 0, start, 6000);
            stalled.close();
            System.out.printf("pipe serve flags: partial head closed after %.2f s, idle after %.2f s, stalled reader "
                + "after %.2f s; the connection over the limit answered after %.2f s; %s%n", partialClosed.get(),
                idleClosed.get(), stalledClosed, fifthAnswered.get(), server.stats());
            assertThat(partialClosed.get()).as("--header-timeout 1s").isBetween(0.9, 2.5);
            assertThat(idleClosed.get()).as("--keepalive-timeout 1000ms").isBetween(0.9, 2.5);
            assertThat(stalledClosed).as("--send-timeout 1").isBetween(0.9, 3.5);
            assertThat(fifthAnswered.get()).as("--max-connections 4").isGreaterThan(0.8);
            assertThat(server.stats().sendTimeouts()).isEqualTo(1);
            fourth.close();
            assertThat(eventLoopThreads("pipe-serve-")).as("--event-loops 1").isEqualTo(1);
        }
    }

    @Test
    void shouldApplyEveryProxyFlag() throws Exception
    {
        try (ServerSocket backend = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            ServerSocket full = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            final List<Socket> accepted = new ArrayList<>();
            final Thread acceptor = new Thread(() ->
            {
                try
                {
                    while (true)
                    {
                        final Socket s = backend.accept();
                        s.getOutputStream().write("hi".getBytes(StandardCharsets.US_ASCII));
                        synchronized (accepted)
                        {
                            accepted.add(s);
                        }
                    }
                }
                catch (final IOException closed)
                {
                    // the test is over
                }
            }, "backend");
            acceptor.start();
            // A listener whose accept queue is full drops further SYNs: connects to it hang like a blackhole.
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
            final PipeCommand.Proxy flags = parsed(PipeCommand.Proxy.class, "proxy", "--listen", "0", "--bind",
                "127.0.0.1", "--to", "127.0.0.1:" + backend.getLocalPort(), "--event-loops", "1", "--client-timeout",
                "1s", "--server-timeout", "60s", "--max-connections", "2", "--accept-backoff", "100ms", "--pipe-size",
                "65536");
            final PipeCommand.Proxy serverTimeout = parsed(PipeCommand.Proxy.class, "proxy", "--listen", "0",
                "--to", "127.0.0.1:" + backend.getLocalPort(), "--server-timeout", "1s");
            final PipeCommand.Proxy blackholed = parsed(PipeCommand.Proxy.class, "proxy", "--listen", "0",
                "--to", "127.0.0.1:" + full.getLocalPort(), "--connect-timeout", "1s");
            try (TcpProxy proxy = flags.start())
            {
                final long start = System.nanoTime();
                final Socket a = connect(proxy.port(), "");
                final Socket b = connect(proxy.port(), "");
                assertThat(a.getInputStream().readNBytes(2)).isEqualTo("hi".getBytes(StandardCharsets.US_ASCII));
                final CompletableFuture<Double> aClosed = closedAfter(a, start);
                final CompletableFuture<Double> bClosed = closedAfter(b, start);
                Thread.sleep(200);
                // --max-connections 2: the third session starts only once one of the first two has ended.
                final Socket c = connect(proxy.port(), "");
                final double cGreeted;
                try (c)
                {
                    c.getInputStream().readNBytes(2);
                    cGreeted = (System.nanoTime() - start) / 1e9;
                }
                assertThat(eventLoopThreads("pipe-proxy-")).as("--event-loops 1").isEqualTo(1);
                try (TcpProxy silent = serverTimeout.start(); TcpProxy hole = blackholed.start())
                {
                    // --server-timeout 1s: the backend says nothing after its greeting, nor does the client.
                    final long silentStart = System.nanoTime();
                    final CompletableFuture<Double> silentClosed = closedAfter(connect(silent.port(), ""), silentStart);
                    // --connect-timeout 1s against the blackhole.
                    final long holeStart = System.nanoTime();
                    final CompletableFuture<Double> holeClosed = closedAfter(connect(hole.port(), ""), holeStart);
                    System.out.printf("pipe proxy flags: idle sessions closed after %.2f and %.2f s, the session over "
                        + "the limit started after %.2f s, silent backend closed after %.2f s, blackholed connect after "
                        + "%.2f s%n", aClosed.get(), bClosed.get(), cGreeted, silentClosed.get(), holeClosed.get());
                    assertThat(aClosed.get()).as("--client-timeout 1s").isBetween(0.9, 2.5);
                    assertThat(bClosed.get()).as("--client-timeout 1s").isBetween(0.9, 2.5);
                    assertThat(cGreeted).as("--max-connections 2").isGreaterThan(0.8);
                    assertThat(silentClosed.get()).as("--server-timeout 1s").isBetween(0.9, 2.5);
                    assertThat(holeClosed.get()).as("--connect-timeout 1s").isBetween(0.9, 2.5);
                    assertThat(silent.stats().serverTimeouts()).isEqualTo(1);
                    assertThat(hole.stats().connectTimeouts()).isEqualTo(1);
                }
            }
            finally
            {
                backend.close();
                for (final Socket f : fillers)
                {
                    f.close();
                }
                synchronized (accepted)
                {
                    for (final Socket s : accepted)
                    {
                        s.close();
                    }
                }
            }
        }
    }

    private static <T> T parsed(final Class<T> type, final String... args)
    {
        CommandLine.ParseResult r = new CommandLine(new PipeCommand()).parseArgs(args);
        while (r.hasSubcommand())
        {
            r = r.subcommand();
        }
        return type.cast(r.commandSpec().userObject());
    }

    private static Socket connect(final int port, final String send) throws IOException
    {
        final Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        s.setSoTimeout(6000);
        s.getOutputStream().write(send.getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    /** One exchange on a new connection: the first response's bytes (until close or the read times out). */
    private static String get(final int port, final String request) throws IOException
    {
        try (Socket s = connect(port, request))
        {
            s.setSoTimeout(1000);
            final ByteArrayOutputStream all = new ByteArrayOutputStream();
            final byte[] buf = new byte[8192];
            try
            {
                int n;
                while ((n = s.getInputStream().read(buf)) >= 0)
                {
                    all.write(buf, 0, n);
                }
            }
            catch (final SocketTimeoutException | SocketException keptOpenOrReset)
            {
                // a keep-alive connection stays open; what came is the answer
            }
            return all.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** Seconds from {@code start} until the server closes the connection (reads and drops what comes). */
    private static CompletableFuture<Double> closedAfter(final Socket s, final long start)
    {
        return CompletableFuture.supplyAsync(() ->
        {
            try (s)
            {
                final InputStream in = s.getInputStream();
                final byte[] buf = new byte[65536];
                try
                {
                    while (in.read(buf) >= 0)
                    {
                        // drain
                    }
                }
                catch (final SocketException reset)
                {
                    // closed with a reset
                }
                return (System.nanoTime() - start) / 1e9;
            }
            catch (final IOException ex)
            {
                return -1.0;
            }
        });
    }

    private static double secondsUntil(final BooleanSupplier condition, final long start, final long timeoutMs)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static long eventLoopThreads(final String prefix)
    {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
            .filter(t -> t.getName().startsWith(prefix)).count();
    }
}
