package dev.hostplane.iopipe.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * accept failing with ENFILE (the system-wide file table is full). Filling the real table means raising
 * nothing but lowering {@code fs.file-max}, a host-wide sysctl no test may touch, so the kernel's answer is
 * injected instead: the server runs under {@code strace --inject=accept4:error=ENFILE} for its first
 * {@link #FAILURES} accept calls, and the real syscall returns ENFILE to Netty's native code. The server
 * (and the proxy) must pause accepting for the back-off interval each time, log at most once a second
 * ("Too many open files in system"), then accept the waiting client once the table has room again, and go
 * on serving. Skips with the reason when strace or ptrace is not available.
 */
class AcceptEnfileTest
{
    private static final int FAILURES = 2;
    private static final String REQUEST = "GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    private static final List<String> STRACE = List.of("strace", "-f", "-qq", "-o", "/dev/null", "--seccomp-bpf",
        "-e", "trace=accept4,accept", "-e", "inject=accept4,accept:error=ENFILE:when=1.." + FAILURES);

    @TempDir
    Path tmp;

    private static String skipReason;

    @BeforeAll
    static void probe() throws Exception
    {
        try
        {
            final Process p = new ProcessBuilder("strace", "-qq", "-o", "/dev/null", "-e", "trace=getpid", "-e",
                "inject=getpid:error=ENFILE:when=1", "true").redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            skipReason = 0 == p.waitFor() ? null : "strace cannot inject a syscall error here: " + out;
        }
        catch (final IOException ex)
        {
            skipReason = "no strace on the PATH (apt-get install strace): " + ex.getMessage();
        }
        if (null != skipReason)
        {
            System.out.println("AcceptEnfileTest skipped: " + skipReason);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"serve", "proxy"})
    void shouldPauseOnEnfileLogOnceASecondAndAcceptWhenTheTableHasRoom(final String kind) throws Exception
    {
        Assumptions.assumeTrue(null == skipReason, skipReason);
        final Path root = Files.createDirectories(tmp.resolve("www"));
        Files.writeString(root.resolve("a.txt"), "hello");
        try (HttpFileServer backend = HttpFileServer.builder(root).bind(new InetSocketAddress("127.0.0.1", 0)).start();
            ServerProcess server = ServerProcess.start(tmp, STRACE, 4096, kind,
                "serve".equals(kind) ? root.toString() : Integer.toString(backend.port())))
        {
            final long start = System.nanoTime();
            assertThat(exchange(server.port)).startsWith("HTTP/1.1 200 ").endsWith("hello");
            final double waited = (System.nanoTime() - start) / 1e9;
            final List<String> lines = server.output().lines().filter(l -> l.contains("accept failed")).toList();
            System.out.printf("%s: %d injected ENFILE: the first client was answered after %.2f s; %d log lines: %s%n",
                kind, FAILURES, waited, lines.size(), lines.isEmpty() ? "" : lines.get(0));
            assertThat(waited).as("each failure paused accepting for the 500 ms back-off")
                .isGreaterThan(0.45 * FAILURES);
            assertThat(lines).as("logged with the kernel's reason").isNotEmpty();
            assertThat(lines.get(0)).containsIgnoringCase("too many open files in system");
            assertThat(lines.size()).as("at most one line a second").isLessThanOrEqualTo((int)Math.ceil(waited) + 1);
            for (int i = 0; i < 5; i++)
            {
                assertThat(exchange(server.port)).as("serving as before").endsWith("hello");
            }
            assertThat(server.output().lines().filter(l -> l.contains("accept failed")).count())
                .as("nothing more logged once accept works").isEqualTo(lines.size());
        }
    }

    private static String exchange(final int port) throws IOException
    {
        try (Socket s = new Socket())
        {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout((int)TimeUnit.SECONDS.toMillis(15));
            s.getOutputStream().write(REQUEST.getBytes(StandardCharsets.US_ASCII));
            final ByteArrayOutputStream all = new ByteArrayOutputStream();
            final byte[] buf = new byte[8192];
            int n;
            while ((n = s.getInputStream().read(buf)) >= 0)
            {
                all.write(buf, 0, n);
            }
            return all.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
