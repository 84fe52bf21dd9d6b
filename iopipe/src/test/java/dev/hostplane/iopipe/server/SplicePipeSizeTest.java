package dev.hostplane.iopipe.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import dev.hostplane.iopipe.internal.LibC;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy's splice pipes have the size it was given (the kernel's default is 64 KiB: a proxy that forgot
 * to ask would move a large response in many more splices), and a pipe the kernel makes smaller is counted
 * and said once, naming the limit and the fix.
 */
class SplicePipeSizeTest
{
    private static final int ASKED = 128 * 1024;

    @TempDir
    Path tmp;

    @Test
    void shouldSpliceThroughPipesOfTheConfiguredSize() throws Exception
    {
        final Path root = Files.createDirectories(tmp.resolve("www"));
        final byte[] file = new byte[8 << 20];
        new Random(5).nextBytes(file);
        Files.write(root.resolve("f"), file);
        final int before = pipesOfSize(ASKED);
        try (HttpFileServer web = HttpFileServer.builder(root).bind(new InetSocketAddress("127.0.0.1", 0)).start();
            TcpProxy proxy = TcpProxy.builder(new InetSocketAddress("127.0.0.1", web.port()))
                .bind(new InetSocketAddress("127.0.0.1", 0)).eventLoops(1).pipeSize(ASKED).start())
        {
            try (RawHttp c = new RawHttp(proxy.port()))
            {
                c.send("GET /f HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(Arrays.equals(c.readResponse(false).body(), file)).as("response through the proxy").isTrue();
            }
            Eventually.await(() -> proxy.stats().open() == 0, 5);
            // The session gave its pipes back to the loop's pool, where they stay open until the proxy closes.
            assertThat(pipesOfSize(ASKED)).as("pipes of %d bytes open in this process", ASKED).isGreaterThan(before);
            assertThat(proxy.stats().smallPipes()).isZero();
        }
    }

    @Test
    void shouldReportEveryPipeTheKernelMadeSmaller()
    {
        final List<int[]> reported = new ArrayList<>();
        // Far beyond what F_SETPIPE_SZ grants: EPERM without CAP_SYS_RESOURCE (above fs.pipe-max-size), and
        // ENOMEM with it (the kernel cannot allocate half a million pipe slots in one piece).
        final SplicePipes pipes = new SplicePipes(Integer.MAX_VALUE, (w, g, e) -> reported.add(new int[] {w, g, e}));
        final SplicePipes.Pipe first = pipes.take();
        final SplicePipes.Pipe second = pipes.take();
        try
        {
            assertThat(first).isNotNull();
            assertThat(second).isNotNull();
            assertThat(reported).hasSize(2);
            for (final int[] r : reported)
            {
                assertThat(r[0]).isEqualTo(Integer.MAX_VALUE);
                assertThat(r[2]).as("errno of the refused F_SETPIPE_SZ").isPositive();
            }
            // The pipe works with what it has, and knows it.
            assertThat(first.capacity).isEqualTo(LibC.fcntl(first.writeFd, LibC.F_GETPIPE_SZ, 0)).isPositive();
            assertThat(reported.get(0)[1]).isEqualTo(first.capacity);
        }
        finally
        {
            first.close();
            second.close();
        }
    }

    @Test
    void shouldCountEverySmallPipeAndSayItOnce() throws Exception
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final PrintStream saved = System.err;
        try (TcpProxy proxy = TcpProxy.builder(new InetSocketAddress("127.0.0.1", 9))
            .bind(new InetSocketAddress("127.0.0.1", 0)).eventLoops(1).start())
        {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            try
            {
                proxy.smallerPipe(1 << 20, 8192, 1);
                proxy.smallerPipe(1 << 20, 8192, 1);
            }
            finally
            {
                System.setErr(saved);
            }
            assertThat(proxy.stats().smallPipes()).isEqualTo(2);
        }
        final List<String> lines = err.toString(StandardCharsets.UTF_8).lines()
            .filter(l -> l.contains("splice pipes are")).toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("8192 bytes, not the 1048576 asked for").contains("errno=1")
            .contains("fs.pipe-max-size (now ").contains("--pipe-size");
    }

    /** Pipes open in this process whose capacity is {@code size}. */
    private static int pipesOfSize(final int size) throws IOException
    {
        return OwnDescriptors.count("pipe:", fd -> LibC.fcntl(fd, LibC.F_GETPIPE_SZ, 0) == size);
    }
}
