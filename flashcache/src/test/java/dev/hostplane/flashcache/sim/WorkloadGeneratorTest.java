package dev.hostplane.flashcache.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The statistical generator produces what its {@link WorkloadSpec} asks for: the write share, the share of
 * accesses outside the working set, Zipf skew over the working set (against a uniform one), every host and thread
 * at the same rate, separate or shared working sets, and another trace for another seed.
 */
class WorkloadGeneratorTest
{
    private static final int SCALE = 256;
    private static final int BLOCK = 4096;
    private static final long GB = 1L << 30;
    /** Working-set blocks of 1 GB at the scale. */
    private static final long WS_BLOCKS = GB / SCALE / BLOCK;
    private static final long SECONDS = 60;

    /** What one generated trace looked like. */
    private static final class Summary
    {
        long events;
        long writes;
        long outside;
        final long[] perBlock = new long[(int)WS_BLOCKS];
        final Map<Long, Long> perThread = new HashMap<>();
        long lowestBlockOfHost1 = Long.MAX_VALUE;
        long highestBlockOfHost0;
        final StringBuilder first = new StringBuilder();
    }

    private static Summary generate(final WorkloadSpec spec)
    {
        final WorkloadGenerator generator = new WorkloadGenerator(spec, BLOCK, SCALE, SECONDS * 1_000_000_000L);
        final TraceEvent event = new TraceEvent();
        final Summary s = new Summary();
        while (generator.next(event))
        {
            final long block = event.file * WorkloadGenerator.BLOCKS_PER_FILE + event.offset / BLOCK;
            s.events++;
            s.writes += event.write ? 1 : 0;
            s.perThread.merge((long)event.host << 32 | event.thread, 1L, Long::sum);
            if (0 == event.host)
            {
                s.highestBlockOfHost0 = Math.max(s.highestBlockOfHost0, block);
            }
            else
            {
                s.lowestBlockOfHost1 = Math.min(s.lowestBlockOfHost1, block);
            }
            if (0 == event.host && block < WS_BLOCKS)
            {
                s.perBlock[(int)block]++;
            }
            else if (0 == event.host)
            {
                s.outside++;
            }
            if (s.events <= 20)
            {
                s.first.append(event).append('\n');
            }
        }
        return s;
    }

    /** Share of the working set's accesses that go to its most accessed tenth. */
    private static double hottestTenthShare(final long[] perBlock)
    {
        final long[] sorted = perBlock.clone();
        Arrays.sort(sorted);
        long hot = 0;
        long all = 0;
        for (int i = 0; i < sorted.length; i++)
        {
            all += sorted[i];
            hot += i >= sorted.length - sorted.length / 10 ? sorted[i] : 0;
        }
        return (double)hot / all;
    }

    @Test
    void shouldGenerateTheWriteShareOutsideShareAndSkewOfTheSpec()
    {
        final WorkloadSpec spec = WorkloadSpec.of(GB);
        final Summary s = generate(spec);

        assertThat(s.events).isGreaterThan(50_000);
        assertThat((double)s.writes / s.events).as("write share").isBetween(0.28, 0.32);
        // A draw is outside the working set with probability outsideFraction; a draw that starts a sequential
        // run adds runBlocks - 1 more events inside it.
        final double expectedOutside =
            spec.outsideFraction() / (1 + spec.sequentialFraction() * (spec.runBlocks() - 1));
        assertThat((double)s.outside / s.events).as("outside share").isBetween(0.9 * expectedOutside,
            1.1 * expectedOutside);

        final double skewed = hottestTenthShare(s.perBlock);
        final WorkloadSpec uniform = new WorkloadSpec(1, 8, GB, 0.3, 0.01, 0.05, 0.1, 8, 100, true, 1);
        final double flat = hottestTenthShare(generate(uniform).perBlock);
        assertThat(skewed).as("hottest tenth's share under Zipf %s", spec.zipfTheta()).isGreaterThan(0.35);
        assertThat(flat).as("hottest tenth's share with almost no skew (Zipf 0.01)").isLessThan(0.15);
    }

    @Test
    void shouldRunEveryThreadOfEveryHostAtTheSameRate()
    {
        final Summary s = generate(WorkloadSpec.of(GB).withHosts(3));

        assertThat(s.perThread).hasSize(3 * 8);
        final long min = s.perThread.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        final long max = s.perThread.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat((double)max / min).as("busiest vs idlest thread").isLessThan(1.15);
        // 100 draws a second per thread, each 1.7 events on average (10 % start a run of 8).
        final double perSecond = (double)s.events / s.perThread.size() / SECONDS;
        assertThat(perSecond).isBetween(0.9 * 170, 1.1 * 170);
    }

    @Test
    void shouldGiveEachHostItsOwnWorkingSetUnlessShared()
    {
        final WorkloadSpec separate = new WorkloadSpec(2, 8, GB, 0.3, 0.8, 0.05, 0.1, 8, 100, false, 1);
        final Summary apart = generate(separate);
        assertThat(apart.lowestBlockOfHost1).as("host 1's blocks start past all of host 0's")
            .isGreaterThan(apart.highestBlockOfHost0);

        final Summary shared = generate(WorkloadSpec.of(GB).withHosts(2));
        assertThat(shared.lowestBlockOfHost1).isLessThan(WS_BLOCKS);
    }

    @Test
    void shouldGiveAnotherTraceForAnotherSeedAndTheSameForTheSame()
    {
        final String one = generate(WorkloadSpec.of(GB)).first.toString();
        assertThat(generate(WorkloadSpec.of(GB)).first.toString()).isEqualTo(one);
        assertThat(generate(WorkloadSpec.of(GB).withSeed(2)).first.toString()).isNotEqualTo(one);
    }
}
