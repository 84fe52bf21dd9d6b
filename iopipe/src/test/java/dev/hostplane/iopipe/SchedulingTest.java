package dev.hostplane.iopipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tenants, credits, chunking and counters. */
class SchedulingTest
{
    @TempDir
    Path dir;

    private Path sparse(final String name, final long size) throws Exception
    {
        final Path file = dir.resolve(name);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(size);
        }
        return file;
    }

    /**
     * Three tenants 1:2:4 on a service limited to 48 MiB/s: the service is saturated and every tenant stays
     * backlogged for the whole window. Shares are measured over the bytes charged inside that window, not
     * over wall-clock throughput of the transfers, so a loaded machine only shifts when chunks run, not how
     * many bytes each tenant is granted. Credits are per tenant, not per transfer: the weight-1 tenant
     * flooding the service with 24 transfers against one each of the others gets no more than its weight.
     */
    @ParameterizedTest(name = "transfers per tenant {0}/{1}/{2}")
    @CsvSource({"3, 3, 3", "24, 1, 1"})
    void shouldShareBytesByWeightWhileAllTenantsAreBacklogged(final int t0, final int t1, final int t2)
        throws Exception
    {
        final int[] weights = {1, 2, 4};
        final int[] transfers = {t0, t1, t2};
        final Path file = sparse("fair", 256L << 20);
        final List<Loopback> links = new ArrayList<>();
        final List<TransferFuture> futures = new ArrayList<>();
        try (PipeService pipes = PipeService.builder().workers(2).chunkSize(256 * 1024).creditRate(48L << 20).build())
        {
            for (int t = 0; t < weights.length; t++)
            {
                pipes.tenant("t" + t, weights[t]);
            }
            for (int t = 0; t < weights.length; t++)
            {
                for (int i = 0; i < transfers[t]; i++)
                {
                    final Loopback link = Loopback.open();
                    links.add(link);
                    Loopback.crcDrain(link.client);
                    futures.add(pipes.submit(Source.file(file), Sink.socket(link.server),
                        TransferOptions.builder().tenant("t" + t).build()));
                }
            }
            Thread.sleep(500);
            final long[] start = bytes(pipes, weights.length);
            final long windowStart = System.nanoTime();
            Thread.sleep(2000);
            final long[] end = bytes(pipes, weights.length);
            final long windowNanos = System.nanoTime() - windowStart;
            assertThat(futures).as("all transfers still backlogged at the end of the window")
                .noneMatch(TransferFuture::isDone);
            long sum = 0;
            for (int t = 0; t < weights.length; t++)
            {
                sum += end[t] - start[t];
            }
            final double rate = sum / (windowNanos / 1e9);
            System.out.printf("fairness: window=%.2fs total=%.1f MiB/s%n", windowNanos / 1e9, rate / (1 << 20));
            for (int t = 0; t < weights.length; t++)
            {
                final double share = (double)(end[t] - start[t]) / sum;
                final double expected = weights[t] / 7.0;
                System.out.printf("fairness: tenant=t%d weight=%d transfers=%d bytes=%d share=%.4f expected=%.4f%n",
                    t, weights[t], transfers[t], end[t] - start[t], share, expected);
                assertThat(share / expected).as("tenant t%d share %.4f vs %.4f", t, share, expected)
                    .isBetween(0.9, 1.1);
            }
            // The credit rate is a ceiling that the service reaches while everyone is backlogged.
            assertThat(rate).isLessThan(48.0 * (1 << 20) * 1.15);
            futures.forEach(f -> f.cancel(true));
            for (final TransferFuture f : futures)
            {
                f.stopped().get(10, TimeUnit.SECONDS);
            }
        }
        finally
        {
            for (final Loopback link : links)
            {
                link.close();
            }
        }
    }

    private static long[] bytes(final PipeService pipes, final int n)
    {
        final long[] b = new long[n];
        for (int t = 0; t < n; t++)
        {
            b[t] = pipes.tenantStats("t" + t).bytes();
        }
        return b;
    }

    @Test
    void shouldLetASmallTransferPassALargeOneOnOneWorker() throws Exception
    {
        final Path big = sparse("big", 128L << 20);
        final Path small = sparse("small", 1L << 20);
        try (PipeService pipes = PipeService.builder().workers(1).creditRate(32L << 20).build();
            Loopback a = Loopback.open(); Loopback b = Loopback.open())
        {
            pipes.tenant("other", 1);
            Loopback.crcDrain(a.client);
            final var smallReceived = Loopback.crcDrain(b.client);
            final TransferFuture bigFuture = pipes.submit(Source.file(big), Sink.socket(a.server));
            while (bigFuture.bytesTransferred() < (2 << 20))
            {
                Thread.sleep(5);
            }
            final TransferFuture smallFuture = pipes.submit(Source.file(small), Sink.socket(b.server),
                TransferOptions.builder().tenant("other").build());
            final TransferResult result = smallFuture.get(10, TimeUnit.SECONDS);
            assertThat(result.bytes()).isEqualTo(1 << 20);
            assertThat(bigFuture).as("the large transfer is cut into chunks and still running").isNotDone();
            assertThat(bigFuture.bytesTransferred()).isLessThan(128L << 20);
            b.server.shutdownOutput();
            assertThat(smallReceived.get()[0]).isEqualTo(1 << 20);
            bigFuture.cancel(true);
            bigFuture.stopped().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldReportProgressPerChunkAndCountPerTenantAndStrategy() throws Exception
    {
        final Path file = Loopback.file(dir, "p", Loopback.bytes(5 * (1 << 20) + 3, 1));
        final List<long[]> calls = new CopyOnWriteArrayList<>();
        try (PipeService pipes = PipeService.builder().workers(2).chunkSize(1 << 20).build())
        {
            pipes.tenant("acme", 3);
            final TransferResult result = pipes.transfer(Source.file(file), Sink.file(dir.resolve("p-out")),
                TransferOptions.builder().tenant("acme").progress((done, total) -> calls.add(new long[] {done, total}))
                    .build());
            assertThat(result.chunks()).isGreaterThanOrEqualTo(6);
            assertThat(calls).hasSizeGreaterThanOrEqualTo(6);
            long last = 0;
            for (final long[] c : calls)
            {
                assertThat(c[0]).isGreaterThan(last);
                assertThat(c[1]).isEqualTo(5 * (1 << 20) + 3);
                last = c[0];
            }
            assertThat(last).isEqualTo(5 * (1 << 20) + 3);
            final TenantStats acme = pipes.tenantStats("acme");
            assertThat(acme.bytes()).isEqualTo(5 * (1 << 20) + 3);
            assertThat(acme.completed()).isEqualTo(1);
            assertThat(acme.weight()).isEqualTo(3);
            final StrategyStats cfr = pipes.strategyStats(Strategy.COPY_FILE_RANGE);
            assertThat(cfr.bytes()).isEqualTo(5 * (1 << 20) + 3);
            assertThat(cfr.completed()).isEqualTo(1);
            assertThat(pipes.strategyStats(Strategy.SENDFILE).bytes()).isZero();
            assertThat(pipes.tenantStats()).extracting(TenantStats::name).containsExactly("default", "acme");
        }
    }

    @Test
    void shouldFailQueuedTransfersWhenClosed() throws Exception
    {
        final Path file = sparse("close", 64L << 20);
        final PipeService pipes = PipeService.builder().workers(1).creditRate(8L << 20).build();
        try (Loopback link = Loopback.open())
        {
            Loopback.crcDrain(link.client);
            final TransferFuture future = pipes.submit(Source.file(file), Sink.socket(link.server));
            Thread.sleep(200);
            pipes.close();
            final long moved = future.stopped().get(10, TimeUnit.SECONDS);
            assertThat(future).isCompletedExceptionally();
            assertThat(moved).isLessThan(64L << 20);
            assertThat(pipes.activeTransfers()).isZero();
        }
    }
}
