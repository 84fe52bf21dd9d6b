package dev.hostplane.iopipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Transfers and offsets beyond 2 GiB (the per-call limit of sendfile/splice), on sparse files. */
class LargeTransferTest
{
    private static final long SIZE = (2L << 30) + (3 << 20) + 5;
    private static final long[] MARKS = {0, (1L << 31) - 7, (2L << 30) + (1 << 20), SIZE - 100_000};

    @TempDir
    static Path dir;
    private static Path sparse;

    @BeforeAll
    static void makeSparseFile() throws Exception
    {
        sparse = dir.resolve("sparse");
        try (RandomAccessFile raf = new RandomAccessFile(sparse.toFile(), "rw"))
        {
            raf.setLength(SIZE);
            for (final long mark : MARKS)
            {
                raf.seek(mark);
                raf.write(Loopback.bytes(100_000, mark));
            }
        }
    }

    private static long[] expectedCrc(final long offset, final long length) throws Exception
    {
        final CRC32 crc = new CRC32();
        try (FileChannel fc = FileChannel.open(sparse, StandardOpenOption.READ))
        {
            final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
            long pos = offset;
            final long end = offset + length;
            while (pos < end)
            {
                buf.clear().limit((int)Math.min(buf.capacity(), end - pos));
                final int n = fc.read(buf, pos);
                buf.flip();
                crc.update(buf);
                pos += n;
            }
        }
        return new long[] {length, crc.getValue()};
    }

    @Test
    void shouldSendMoreThan2GiBFileToSocket() throws Exception
    {
        try (PipeService pipes = PipeService.builder().workers(2).chunkSize(4 << 20).build();
            Loopback link = Loopback.open())
        {
            final var received = Loopback.crcDrain(link.client);
            final TransferResult result = pipes.transfer(Source.file(sparse), Sink.socket(link.server),
                TransferOptions.DEFAULT);
            link.server.shutdownOutput();
            assertThat(result.bytes()).isEqualTo(SIZE);
            assertThat(result.strategy()).isEqualTo(Strategy.SENDFILE);
            assertThat(received.get()).isEqualTo(expectedCrc(0, SIZE));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"AUTO", "COPY"})
    void shouldUseOffsetsBeyond2GiBForEveryPair(final String strategy) throws Exception
    {
        final long offset = (1L << 31) - 50_000;
        final int length = 3_000_001;
        final TransferOptions options = TransferOptions.builder().strategy(Strategy.valueOf(strategy)).build();
        try (PipeService pipes = PipeService.builder().workers(2).build())
        {
            // file -> socket from an offset past 2 GiB
            try (Loopback link = Loopback.open())
            {
                final var received = Loopback.crcDrain(link.client);
                pipes.transfer(Source.file(sparse, offset, length), Sink.socket(link.server), options);
                link.server.shutdownOutput();
                assertThat(received.get()).isEqualTo(expectedCrc(offset, length));
            }
            // file -> file, source and sink offsets past 2 GiB
            final Path out = dir.resolve("out-" + strategy);
            pipes.transfer(Source.file(sparse, offset, length), Sink.file(out, offset), options);
            try (FileChannel fc = FileChannel.open(out, StandardOpenOption.READ))
            {
                assertThat(fc.size()).isEqualTo(offset + length);
                final ByteBuffer got = ByteBuffer.allocate(length);
                fc.read(got, offset);
                final ByteBuffer want = ByteBuffer.allocate(length);
                try (FileChannel in = FileChannel.open(sparse, StandardOpenOption.READ))
                {
                    in.read(want, offset);
                }
                assertThat(Arrays.equals(got.array(), want.array())).isTrue();
            }
            // socket -> file at a sink offset past 2 GiB
            final byte[] data = Loopback.bytes(length, 99);
            final Path out2 = dir.resolve("out2-" + strategy);
            try (Loopback link = Loopback.open())
            {
                Loopback.feed(link.client, data, true);
                pipes.transfer(Source.socket(link.server), Sink.file(out2, offset + 1), options);
            }
            try (FileChannel fc = FileChannel.open(out2, StandardOpenOption.READ))
            {
                final ByteBuffer got = ByteBuffer.allocate(length);
                fc.read(got, offset + 1);
                assertThat(got.array()).isEqualTo(data);
            }
        }
    }
}
