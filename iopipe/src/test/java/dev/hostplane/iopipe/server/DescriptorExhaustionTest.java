package dev.hostplane.iopipe.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file server and the proxy at their descriptor limit ({@code prlimit --nofile=300}, in a JVM of their
 * own): when accept fails with EMFILE they pause accepting and log once per pause instead of spinning,
 * serve again once clients leave, and close every descriptor they opened, after a flood and after 1,000
 * connections that abort in every state, below the limit and at it.
 */
class DescriptorExhaustionTest
{
    private static final int NOFILE = 300;
    private static final String REQUEST = "GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

    @TempDir
    Path tmp;

    private Path root;

    @BeforeEach
    void files() throws IOException
    {
        root = Files.createDirectories(tmp.resolve("www"));
        Files.writeString(root.resolve("a.txt"), "hello");
        try (RandomAccessFile big = new RandomAccessFile(root.resolve("big").toFile(), "rw"))
        {
            big.setLength(32L << 20);
        }
    }

    @Test
    void shouldPauseAcceptingRecoverAndLeakNothingServe() throws Exception
    {
        try (ServerProcess server = ServerProcess.start(tmp, NOFILE, "serve", root.toString()))
        {
            atTheLimit(server, "serve");
        }
    }

    @Test
    void shouldPauseAcceptingRecoverAndLeakNothingProxy() throws Exception
    {
        try (HttpFileServer backend = HttpFileServer.builder(root).bind(new InetSocketAddress("127.0.0.1", 0)).start();
            ServerProcess proxy = ServerProcess.start(tmp, NOFILE, "proxy", Integer.toString(backend.port())))
        {
            atTheLimit(proxy, "proxy");
        }
    }

    private void atTheLimit(final ServerProcess server, final String name) throws Exception
    {
        // One exchange first, so that what a first request opens for good (the pooled splice pipes, the
        // JDK's own files) is in the baseline.
        assertThat(exchangeRetrying(server.port)).endsWith("hello");
        final ServerProcess.Descriptors baseline = server.awaitSettled();
        final List<Socket> flood = new ArrayList<>();
        final double cpu;
        final long lines;
        try
        {
            for (int i = 0; i < 400; i++)
            {
                final Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", server.port), 2000);
                s.getOutputStream().write("GET /a.txt HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII));
                flood.add(s);
            }
            Thread.sleep(300);
            final double cpuBefore = server.cpuSeconds();
            final long linesBefore = server.output().lines().count();
            Thread.sleep(1000);
            cpu = server.cpuSeconds() - cpuBefore;
            lines = server.output().lines().count() - linesBefore;
            final ServerProcess.Descriptors full = server.descriptors();
            System.out.printf("%s at nofile=%d with %d clients: %.2f CPU-s and %d log lines in 1 s, descriptors %s%n",
                name, NOFILE, flood.size(), cpu, lines, full);
            assertThat(full.total()).as("the server really is at its limit").isGreaterThan(NOFILE - 20);
        }
        finally
        {
            for (final Socket s : flood)
            {
                s.close();
            }
        }
        assertThat(cpu).as("no accept spin").isLessThan(0.25);
        assertThat(lines).as("no log flood").isLessThanOrEqualTo(5L);
        assertThat(server.output()).contains("accept failed").containsIgnoringCase("too many open files");
        assertLeakedNothing(server, baseline, "after the flood");
        assertThat(exchangeRetrying(server.port)).as("serving again").endsWith("hello");

        long t = System.nanoTime();
        abortConnections(server.port, 1000, 32);
        assertLeakedNothing(server, baseline, "after 1,000 aborted connections below the limit");
        System.out.printf("%s: 1,000 aborted below the limit in %.1f s%n", name, (System.nanoTime() - t) / 1e9);
        t = System.nanoTime();

        // At the limit: idle connections hold most descriptors while 1,000 more abort around them.
        final List<Socket> hold = new ArrayList<>();
        try
        {
            for (int i = 0; i < 250; i++)
            {
                hold.add(new Socket("127.0.0.1", server.port));
            }
            abortConnections(server.port, 1000, 64);
            assertThat(server.descriptors().total()).as("at the limit").isGreaterThan(NOFILE - 20);
        }
        finally
        {
            for (final Socket s : hold)
            {
                s.close();
            }
        }
        assertLeakedNothing(server, baseline, "after 1,000 aborted connections at the limit");
        System.out.printf("%s: 1,000 aborted at the limit in %.1f s%n", name, (System.nanoTime() - t) / 1e9);
        assertThat(exchangeRetrying(server.port)).endsWith("hello");
    }

    /**
     * Every socket, file and epoll descriptor is back to the baseline; splice pipes may stay pooled, at most
     * 32 per event loop (64 descriptors each loop, 2 loops by default on this machine's cores or fewer).
     */
    private static void assertLeakedNothing(final ServerProcess server, final ServerProcess.Descriptors baseline,
        final String when) throws Exception
    {
        final ServerProcess.Descriptors now = server.awaitOthers(baseline.others(), 15_000);
        assertThat(now.others()).as("sockets and files " + when + " (baseline " + baseline + ")")
            .isEqualTo(baseline.others());
        assertThat(now.pipes()).as("pooled splice pipes " + when)
            .isLessThanOrEqualTo(64 * Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    /** Connections that go away in every state: before a request, mid-head, after a request, mid-response. */
    private static void abortConnections(final int port, final int n, final int threads) throws Exception
    {
        final ExecutorService pool = Executors.newFixedThreadPool(threads);
        try
        {
            final List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < n; i++)
            {
                final int shape = i % 4;
                done.add(pool.submit(() ->
                {
                    try (Socket s = new Socket())
                    {
                        // A full accept queue drops SYNs until the first retransmission a second later.
                        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                        s.setSoLinger(true, 0);
                        s.setSoTimeout(200);
                        final String request = 0 == shape ? "" : 1 == shape ? "GET /big HTTP/1.1\r\nHo"
                            : "GET /big HTTP/1.1\r\nHost: x\r\n\r\n";
                        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                        if (3 == shape)
                        {
                            // A server pausing its accepts answers nothing: the timeout ends the wait.
                            s.getInputStream().read(new byte[1024]);
                        }
                    }
                    catch (final IOException refusedResetOrTimedOut)
                    {
                        // what a client of a server at its limit meets
                    }
                    return null;
                }));
            }
            for (final Future<?> f : done)
            {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    /** The first exchange after a flood may meet an accept pause: tries for 10 s. */
    private static String exchangeRetrying(final int port) throws Exception
    {
        IOException last = null;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline)
        {
            try (Socket s = new Socket("127.0.0.1", port))
            {
                s.setSoTimeout(2000);
                s.getOutputStream().write(REQUEST.getBytes(StandardCharsets.US_ASCII));
                final ByteArrayOutputStream all = new ByteArrayOutputStream();
                final byte[] buf = new byte[8192];
                int n;
                while ((n = s.getInputStream().read(buf)) >= 0)
                {
                    all.write(buf, 0, n);
                }
                final String r = all.toString(StandardCharsets.ISO_8859_1);
                if (r.startsWith("HTTP/1.1 200 "))
                {
                    return r;
                }
            }
            catch (final IOException ex)
            {
                last = ex;
            }
            Thread.sleep(100);
        }
        throw new IOException("no 200 within 10 s", last);
    }
}
