package dev.hostplane.iopipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every source/sink pair with its zero-copy strategy and with the copy fallback, content checked byte for byte. */
class TransferPairsTest
{
    private static final int[] SIZES = {0, 1, 4093, 1_234_567, 3 * (1 << 20) + 17};

    private static PipeService pipes;

    @TempDir
    Path dir;

    @BeforeAll
    static void start()
    {
        assertThat(PipeService.zeroCopyUnavailableReason()).as("zero-copy access in this JVM").isNull();
        pipes = PipeService.builder().workers(2).build();
    }

    @AfterAll
    static void stop()
    {
        pipes.close();
    }

    private static TransferOptions forced(final Strategy strategy)
    {
        return TransferOptions.builder().strategy(strategy).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"AUTO", "COPY"})
    void shouldMoveFileToSocket(final String strategy) throws Exception
    {
        for (final int size : SIZES)
        {
            final byte[] data = Loopback.bytes(size, size);
            final Path file = Loopback.file(dir, "f2s-" + size, data);
            try (Loopback link = Loopback.open())
            {
                final var received = Loopback.drain(link.client);
                final TransferResult result = pipes.transfer(
                    Source.file(file), Sink.socket(link.server), forced(Strategy.valueOf(strategy)));
                link.server.shutdownOutput();
                assertThat(result.bytes()).isEqualTo(size);
                assertThat(received.get()).as("size=%d", size).isEqualTo(data);
                assertThat(result.strategy()).isEqualTo("AUTO".equals(strategy) ? Strategy.SENDFILE : Strategy.COPY);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"AUTO", "COPY"})
    void shouldMoveSocketToFile(final String strategy) throws Exception
    {
        for (final int size : SIZES)
        {
            final byte[] data = Loopback.bytes(size, size + 1);
            final Path out = dir.resolve("s2f-" + strategy + size);
            try (Loopback link = Loopback.open())
            {
                final var fed = Loopback.feed(link.client, data, true);
                final TransferResult result = pipes.transfer(
                    Source.socket(link.server), Sink.file(out), forced(Strategy.valueOf(strategy)));
                fed.get();
                assertThat(result.bytes()).isEqualTo(size);
                assertThat(Files.readAllBytes(out)).as("size=%d", size).isEqualTo(data);
                assertThat(result.strategy()).isEqualTo("AUTO".equals(strategy) ? Strategy.SPLICE : Strategy.COPY);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"AUTO", "COPY"})
    void shouldMoveKnownLengthFromSocketAndLeaveTheRest(final String strategy) throws Exception
    {
        final byte[] data = Loopback.bytes(2_000_003, 7);
        final Path out = dir.resolve("s2f-len");
        try (Loopback link = Loopback.open())
        {
            final var fed = Loopback.feed(link.client, data, true);
            final TransferResult result = pipes.transfer(
                Source.socket(link.server, 1_500_001), Sink.file(out), forced(Strategy.valueOf(strategy)));
            assertThat(result.bytes()).isEqualTo(1_500_001);
            assertThat(Files.readAllBytes(out)).isEqualTo(Arrays.copyOf(data, 1_500_001));
            // The socket is the application's again and holds exactly the bytes after the piped body.
            final byte[] rest = Loopback.drain(link.server).get();
            fed.get();
            assertThat(rest).isEqualTo(Arrays.copyOfRange(data, 1_500_001, data.length));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"AUTO", "COPY"})
    void shouldMoveSocketToSocket(final String strategy) throws Exception
    {
        for (final int size : SIZES)
        {
            final byte[] data = Loopback.bytes(size, size + 2);
            try (Loopback in = Loopback.open(); Loopback out = Loopback.open())
            {
                final var fed = Loopback.feed(in.client, data, true);
                final var received = Loopback.drain(out.client);
                final TransferResult result = pipes.transfer(
                    Source.socket(in.server), Sink.socket(out.server), forced(Strategy.valueOf(strategy)));
                out.server.shutdownOutput();
                fed.get();
                assertThat(result.bytes()).isEqualTo(size);
                assertThat(received.get()).as("size=%d", size).isEqualTo(data);
                assertThat(result.strategy()).isEqualTo("AUTO".equals(strategy) ? Strategy.SPLICE : Strategy.COPY);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"AUTO", "COPY", "SPLICE"})
    void shouldMoveFileToFile(final String strategy) throws Exception
    {
        for (final int size : SIZES)
        {
            final byte[] data = Loopback.bytes(size, size + 3);
            final Path in = Loopback.file(dir, "f2f-in-" + size, data);
            final Path out = dir.resolve("f2f-out-" + strategy + size);
            final TransferResult result = pipes.transfer(Source.file(in), Sink.file(out),
                forced(Strategy.valueOf(strategy)));
            assertThat(result.bytes()).isEqualTo(size);
            assertThat(Files.readAllBytes(out)).as("size=%d", size).isEqualTo(data);
            assertThat(result.strategy()).isEqualTo("AUTO".equals(strategy) ? Strategy.COPY_FILE_RANGE
                : Strategy.valueOf(strategy));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"AUTO", "COPY"})
    void shouldHonourOffsetsOnFileChannels(final String strategy) throws Exception
    {
        final byte[] data = Loopback.bytes(3_000_001, 11);
        final Path in = Loopback.file(dir, "region-in", data);
        final Path out = dir.resolve("region-out");
        Files.write(out, new byte[100]);
        try (FileChannel src = FileChannel.open(in, StandardOpenOption.READ);
            FileChannel dst = FileChannel.open(out, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final TransferResult result = pipes.transfer(Source.file(src, 999_999, 1_000_003), Sink.file(dst, 50),
                forced(Strategy.valueOf(strategy)));
            assertThat(result.bytes()).isEqualTo(1_000_003);
            assertThat(src.position()).as("caller's position untouched").isZero();
        }
        final byte[] written = Files.readAllBytes(out);
        assertThat(written.length).isEqualTo(50 + 1_000_003);
        assertThat(Arrays.copyOf(written, 50)).isEqualTo(new byte[50]);
        assertThat(Arrays.copyOfRange(written, 50, written.length))
            .isEqualTo(Arrays.copyOfRange(data, 999_999, 999_999 + 1_000_003));
    }

    @ParameterizedTest
    @ValueSource(strings = {"AUTO", "COPY"})
    void shouldSendFileRegionUntilEof(final String strategy) throws Exception
    {
        final byte[] data = Loopback.bytes(777_777, 13);
        final Path in = Loopback.file(dir, "eof-in", data);
        try (Loopback link = Loopback.open())
        {
            final var received = Loopback.drain(link.client);
            final TransferResult result = pipes.transfer(Source.file(in, 77_777, Source.UNTIL_EOF),
                Sink.socket(link.server), forced(Strategy.valueOf(strategy)));
            link.server.shutdownOutput();
            assertThat(result.bytes()).isEqualTo(700_000);
            assertThat(received.get()).isEqualTo(Arrays.copyOfRange(data, 77_777, data.length));
        }
    }
}
