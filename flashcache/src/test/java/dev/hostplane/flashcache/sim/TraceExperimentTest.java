package dev.hostplane.flashcache.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.hostplane.flashcache.EvictionPolicy;
import dev.hostplane.flashcache.trace.TraceFormat;
import dev.hostplane.flashcache.trace.TraceReplay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code traces} experiment on tiny inputs: a loop trace whose per-tier hit ratios are known in advance,
 * and the first accesses of the ARC OLTP trace, where the RAM tier of the real cache must make exactly the
 * decisions of its replacement policy replayed alone.
 */
class TraceExperimentTest
{
    @TempDir
    Path dir;

    private static Experiments experiments()
    {
        return new Experiments(256, DeviceParameters.PAPER_ERA, Duration.ofHours(1), line -> { });
    }

    private static double value(final Table t, final String policy, final int flashBlocks, final String column)
    {
        for (final Object[] row : t.rows())
        {
            if (row[1].equals(policy) && ((Number)row[3]).intValue() == flashBlocks)
            {
                return ((Number)row[t.column(column)]).doubleValue();
            }
        }
        throw new AssertionError("no row for policy=" + policy + " flash=" + flashBlocks);
    }

    @Test
    void shouldServeALoopFromFlashOnlyWhenFlashHoldsIt() throws Exception
    {
        // Blocks 0..99, ten times: a 10-block LRU RAM tier never hits; a flash tier of 256 blocks holds the
        // whole loop after the first round (900 of 1000 reads), a FIFO flash tier of 64 blocks never does.
        final StringBuilder trace = new StringBuilder();
        for (int round = 0; round < 10; round++)
        {
            for (int block = 0; block < 100; block++)
            {
                trace.append(block).append('\n');
            }
        }
        Files.writeString(dir.resolve("loop.trace"), trace);
        final ExperimentResult result = experiments().traceReplay(dir,
            List.of(new Experiments.TraceSpec("loop.trace", TraceFormat.LIRS, 4096, 10, new int[] {64, 256})),
            Long.MAX_VALUE);
        final Table t = result.table();

        assertThat(t.rows()).hasSize(EvictionPolicy.values().length * 2);
        assertThat(value(t, "lru", 256, "ram_hit_ratio")).isZero();
        assertThat(value(t, "lru", 256, "flash_hit_ratio")).isCloseTo(0.9, within(1e-9));
        assertThat(value(t, "lru", 64, "total_hit_ratio")).isZero();
        for (final EvictionPolicy policy : EvictionPolicy.values())
        {
            final String name = policy.name().toLowerCase(java.util.Locale.ROOT);
            // Flash is inclusive: whatever RAM misses after the first round, flash has.
            assertThat(value(t, name, 256, "total_hit_ratio")).as(name).isCloseTo(0.9, within(1e-9));
            assertThat(value(t, name, 64, "flash_hit_ratio")).as(name).isZero();
        }
        assertThat(result.summary()).hasSize(EvictionPolicy.values().length);
    }

    @Test
    void shouldMakeThePolicysOwnDecisionsInTheRamTierOfTheRealCache() throws Exception
    {
        final Path traces = Path.of(System.getProperty("hostplane.shared", "../../shared"), "traces");
        final Path oltp = traces.resolve("arc/OLTP.lis.gz");
        if (!Files.isReadable(oltp))
        {
            System.out.println("SKIP: trace not readable: " + oltp.toAbsolutePath());
        }
        assumeTrue(Files.isReadable(oltp), "trace not readable: " + oltp);
        final long accesses = 30_000;
        final ExperimentResult result = experiments().traceReplay(traces,
            List.of(new Experiments.TraceSpec("arc/OLTP.lis.gz", TraceFormat.ARC, 512, 1024, new int[] {2048, 8192})),
            accesses);
        final Table t = result.table();
        for (final EvictionPolicy policy : EvictionPolicy.values())
        {
            final String name = policy.name().toLowerCase(java.util.Locale.ROOT);
            final TraceReplay.Result alone = TraceReplay.replay(oltp, TraceFormat.ARC, policy.create(1024), accesses);
            final double expected = (double)alone.hits() / alone.accesses();
            // Naive (inclusive) tiers: the RAM tier sees every access whatever the flash size.
            assertThat(value(t, name, 2048, "ram_hit_ratio")).as(name).isCloseTo(expected, within(1e-12));
            assertThat(value(t, name, 8192, "ram_hit_ratio")).as(name).isCloseTo(expected, within(1e-12));
            // A larger flash tier catches more of the RAM misses.
            assertThat(value(t, name, 8192, "flash_hit_ratio")).as(name)
                .isGreaterThan(value(t, name, 2048, "flash_hit_ratio"));
        }
    }

    @Test
    void shouldNameAMissingTracesDirectory()
    {
        assertThatThrownBy(() -> experiments().traces(dir.resolve("nowhere")).run("traces"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("nowhere")
            .hasMessageContaining("--traces");
    }
}
