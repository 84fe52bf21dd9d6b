package dev.hostplane.iopipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.RandomAccessFile;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Errors carry a reason and the exact byte count that moved; nothing is written twice; sockets come back. */
class TransferErrorsTest
{
    private static PipeService pipes;

    @TempDir
    Path dir;

    @BeforeAll
    static void start()
    {
        pipes = PipeService.builder().workers(2).build();
    }

    @AfterAll
    static void stop()
    {
        pipes.close();
    }

    @Test
    void shouldRejectRangeBeyondFile() throws Exception
    {
        final Path file = Loopback.file(dir, "small", Loopback.bytes(1000, 1));
        try (Loopback link = Loopback.open())
        {
            final PipeException ex = catchThrowableOfType(PipeException.class,
                () -> pipes.transfer(Source.file(file, 900, 101), Sink.socket(link.server)));
            assertThat(ex.reason()).isEqualTo(PipeException.Reason.BAD_RANGE);
            assertThat(ex.bytesTransferred()).isZero();
            assertThat(ex.getMessage()).contains("offset=900").contains("length=101").contains("fileSize=1000");
            assertThat(link.server.isBlocking()).isTrue();
        }
        assertThatThrownBy(() -> Source.file(file, -1, 10)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("offset=-1");
        assertThatThrownBy(() -> Sink.file(file, -5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pipes.transfer(Source.file(dir.resolve("missing")), Sink.file(dir.resolve("x"))))
            .isInstanceOf(NoSuchFileException.class).hasMessageContaining("missing");
    }

    @Test
    void shouldRejectUnknownTenantAndMismatchedStrategy() throws Exception
    {
        final Path file = Loopback.file(dir, "f", Loopback.bytes(10, 1));
        assertThatThrownBy(() -> pipes.transfer(Source.file(file), Sink.file(dir.resolve("o")),
            TransferOptions.builder().tenant("nobody").build()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tenant=nobody");
        assertThatThrownBy(() -> pipes.transfer(Source.file(file), Sink.file(dir.resolve("o")),
            TransferOptions.builder().strategy(Strategy.SENDFILE).build()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strategy=SENDFILE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"AUTO", "COPY"})
    void shouldReportFileThatShrinksUnderThePipe(final String strategy) throws Exception
    {
        final byte[] data = Loopback.bytes(8 << 20, 3);
        final Path file = Loopback.file(dir, "shrinking", data);
        final AtomicBoolean cut = new AtomicBoolean();
        try (Loopback link = Loopback.open(); RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            final var received = Loopback.drain(link.client);
            final TransferOptions options = TransferOptions.builder().strategy(Strategy.valueOf(strategy))
                .progress((done, total) ->
                {
                    if (cut.compareAndSet(false, true))
                    {
                        try
                        {
                            raf.setLength(3 << 20);
                        }
                        catch (final java.io.IOException ex)
                        {
                            throw new java.io.UncheckedIOException(ex);
                        }
                    }
                }).build();
            final PipeException ex = catchThrowableOfType(PipeException.class,
                () -> pipes.transfer(Source.file(file), Sink.socket(link.server), options));
            link.server.shutdownOutput();
            assertThat(ex.reason()).isEqualTo(PipeException.Reason.SOURCE_TRUNCATED);
            assertThat(ex.getMessage()).contains("file shrank");
            final byte[] got = received.get();
            assertThat(ex.bytesTransferred()).isEqualTo(got.length).isEqualTo(3 << 20);
            assertThat(got).isEqualTo(Arrays.copyOf(data, got.length));
        }
    }

    @Test
    void shouldReportPeerThatClosesEarly() throws Exception
    {
        final byte[] data = Loopback.bytes(1 << 20, 4);
        final Path out = dir.resolve("early");
        try (Loopback link = Loopback.open())
        {
            Loopback.feed(link.client, Arrays.copyOf(data, 300_000), true).get();
            final PipeException ex = catchThrowableOfType(PipeException.class,
                () -> pipes.transfer(Source.socket(link.server, data.length), Sink.file(out)));
            assertThat(ex.reason()).isEqualTo(PipeException.Reason.SOURCE_TRUNCATED);
            assertThat(ex.bytesTransferred()).isEqualTo(300_000);
            assertThat(Files.readAllBytes(out)).isEqualTo(Arrays.copyOf(data, 300_000));
        }
    }

    @Test
    void shouldReportPeerReset() throws Exception
    {
        final Path file = Loopback.file(dir, "big", Loopback.bytes(64 << 20, 5));
        try (Loopback link = Loopback.open())
        {
            link.server.setOption(StandardSocketOptions.SO_SNDBUF, 64 * 1024);
            final TransferFuture future = pipes.submit(Source.file(file), Sink.socket(link.server));
            final ByteBuffer buf = ByteBuffer.allocate(100_000);
            while (buf.hasRemaining())
            {
                link.client.read(buf);
            }
            // SO_LINGER 0: close sends RST, so the next write on the server side fails with ECONNRESET/EPIPE.
            link.client.setOption(StandardSocketOptions.SO_LINGER, 0);
            link.client.close();
            final ExecutionException ex = catchThrowableOfType(ExecutionException.class,
                () -> future.get(30, TimeUnit.SECONDS));
            final PipeException cause = (PipeException)ex.getCause();
            assertThat(cause.reason()).isEqualTo(PipeException.Reason.PEER_RESET);
            assertThat(cause.getMessage()).contains("errno=");
            assertThat(cause.bytesTransferred()).isGreaterThanOrEqualTo(100_000).isLessThan(64 << 20);
            assertThat(future.stopped().get()).isEqualTo(cause.bytesTransferred());
        }
    }

    @Test
    void shouldReportDiskFullFromDevFull() throws Exception
    {
        // /dev/full: every write(2) fails with ENOSPC, exactly what a full file system returns.
        final Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(full), "no writable /dev/full");
        final byte[] data = Loopback.bytes(200_000, 6);
        final TransferOptions copy = TransferOptions.builder().strategy(Strategy.COPY).build();
        try (Loopback link = Loopback.open())
        {
            Loopback.feed(link.client, data, true);
            final PipeException ex = catchThrowableOfType(PipeException.class,
                () -> pipes.transfer(Source.socket(link.server), Sink.file(full, 0), copy));
            assertThat(ex.reason()).as(ex.getMessage()).isEqualTo(PipeException.Reason.DISK_FULL);
            assertThat(ex.bytesTransferred()).isZero();
        }
        final Path in = Loopback.file(dir, "to-full", data);
        final PipeException ex = catchThrowableOfType(PipeException.class,
            () -> pipes.transfer(Source.file(in), Sink.file(full, 0)));
        assertThat(ex.reason()).as(ex.getMessage()).isEqualTo(PipeException.Reason.DISK_FULL);
    }

    @Test
    void shouldReportDiskFullOnARealFullFileSystem() throws Exception
    {
        // A 1 MiB tmpfs in a private mount namespace (the host's mounts are not touched), filled by a
        // child JVM through every path: splice and copy_file_range (AUTO) and the copy fallback.
        final boolean root = "root".equals(System.getProperty("user.name"));
        final boolean unshare = Files.isExecutable(Path.of("/usr/bin/unshare"));
        if (!root || !unshare)
        {
            System.out.println("SKIP shouldReportDiskFullOnARealFullFileSystem: needs root and unshare(1), root="
                + root + " unshare=" + unshare);
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(root && unshare, "needs root and /usr/bin/unshare");
        final Path mount = Files.createDirectory(dir.resolve("tiny"));
        final java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("/usr/bin/unshare", "-m",
            "sh", "-c", "mount -t tmpfs -o size=1m tmpfs \"$0\" && exec \"$@\"", mount.toString(),
            Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(a -> a.startsWith("--add-") || a.startsWith("--enable-native")).toList());
        cmd.addAll(java.util.List.of("-cp", System.getProperty("java.class.path"), DiskFullProbe.class.getName(),
            mount.toString(), dir.toString()));
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        final java.util.List<String> lines = out.lines().filter(l -> l.contains("->")).toList();
        assertThat(lines).as(out).hasSize(4);
        for (final String line : lines)
        {
            final String[] f = line.split(" ");
            assertThat(f[2]).as(line).isEqualTo("DISK_FULL");
            final long moved = Long.parseLong(f[3]);
            // What the pipe says moved is exactly what is on the (full) disk: nothing lost, nothing twice.
            assertThat(moved).as(line).isPositive().isLessThan(3 << 20).isEqualTo(Long.parseLong(f[4]));
        }
    }

    @Test
    void shouldCancelBetweenChunksAndHandTheSocketBack() throws Exception
    {
        final Path file = Loopback.file(dir, "cancel", Loopback.bytes(32 << 20, 7));
        try (PipeService slow = PipeService.builder().workers(1).creditRate(4 << 20).build();
            Loopback link = Loopback.open())
        {
            final var received = Loopback.drain(link.client);
            final TransferFuture future = slow.submit(Source.file(file), Sink.socket(link.server));
            while (future.bytesTransferred() < (1 << 20))
            {
                Thread.sleep(5);
            }
            assertThat(future.cancel(true)).isTrue();
            assertThatThrownBy(future::get).isInstanceOf(CancellationException.class);
            final long moved = future.stopped().get(10, TimeUnit.SECONDS);
            assertThat(moved).isGreaterThanOrEqualTo(1 << 20).isLessThan(32 << 20);
            // Control is back: the socket is still blocking and usable for more bytes.
            assertThat(link.server.isBlocking()).isTrue();
            link.server.write(ByteBuffer.wrap("END".getBytes()));
            link.server.shutdownOutput();
            final byte[] got = received.get();
            assertThat(got.length).isEqualTo(moved + 3);
            assertThat(Arrays.copyOf(got, (int)moved)).isEqualTo(Arrays.copyOf(Files.readAllBytes(file), (int)moved));
            assertThat(slow.tenantStats(PipeService.DEFAULT_TENANT).failed()).isEqualTo(1);
        }
    }

    @Test
    void shouldTimeOutWhenPeerStopsReading() throws Exception
    {
        final Path file = Loopback.file(dir, "stuck", Loopback.bytes(16 << 20, 8));
        try (Loopback link = Loopback.open())
        {
            final PipeException ex = catchThrowableOfType(PipeException.class,
                () -> pipes.transfer(Source.file(file), Sink.socket(link.server),
                    TransferOptions.builder().timeout(Duration.ofMillis(300)).build()));
            assertThat(ex.reason()).isEqualTo(PipeException.Reason.TIMEOUT);
            assertThat(ex.bytesTransferred()).isPositive().isLessThan(16 << 20);
            assertThat(link.server.isBlocking()).isTrue();
        }
    }

    @Test
    void shouldKeepTheSocketForHeaderBodyTrailerAndASecondRequest() throws Exception
    {
        final byte[] body = Loopback.bytes(2_500_001, 9);
        final Path file = Loopback.file(dir, "body", body);
        try (Loopback link = Loopback.open(); FileChannel fc = FileChannel.open(file, StandardOpenOption.READ))
        {
            final byte[] header = "HEADER\r\n".getBytes();
            final byte[] trailer = "TRAILER".getBytes();
            for (int round = 0; round < 2; round++)
            {
                final var received = Loopback.readExactly(link.client, header.length + body.length + trailer.length);
                link.server.write(ByteBuffer.wrap(header));
                assertThat(pipes.transfer(Source.file(fc, 0, body.length), Sink.socket(link.server)))
                    .isEqualTo(body.length);
                assertThat(link.server.isBlocking()).isTrue();
                link.server.write(ByteBuffer.wrap(trailer));
                final byte[] got = received.get();
                assertThat(Arrays.copyOf(got, header.length)).isEqualTo(header);
                assertThat(Arrays.copyOfRange(got, header.length, header.length + body.length)).isEqualTo(body);
                assertThat(Arrays.copyOfRange(got, header.length + body.length, got.length)).isEqualTo(trailer);
            }
        }
    }
}
