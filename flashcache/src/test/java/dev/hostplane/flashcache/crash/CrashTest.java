package dev.hostplane.flashcache.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.hostplane.flashcache.Architecture;
import dev.hostplane.flashcache.BlockCache;
import dev.hostplane.flashcache.CacheStats;
import dev.hostplane.flashcache.WritePolicy;
import dev.hostplane.flashcache.store.FileBackingStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kill -9 during write load, many times per write policy: after every restart each acknowledged write reads
 * back exactly (never torn, never older), no invalidated block comes back, and the flash tier is warm.
 * Iterations per policy: {@code -Dflashcache.crash.iterations=N} (default 12); architecture:
 * {@code -Dflashcache.crash.architecture=UNIFIED} (default NAIVE).
 */
class CrashTest
{
    private static final int ITERATIONS = Integer.getInteger("flashcache.crash.iterations", 12);
    private static final Architecture ARCHITECTURE =
        Architecture.valueOf(System.getProperty("flashcache.crash.architecture", "NAIVE"));

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(WritePolicy.class)
    void shouldKeepEveryAcknowledgedWriteAcrossKillDashNine(final WritePolicy policy) throws Exception
    {
        final Map<Long, Long> acked = new HashMap<>();
        final Map<Long, Long> started = new HashMap<>();
        final SplittableRandom random = new SplittableRandom(policy.ordinal() * 1000L + 17);
        long version = 0;
        long totalAcks = 0;
        double hitRatioSum = 0;
        for (int iteration = 0; iteration < ITERATIONS; iteration++)
        {
            final long firstVersion = version;
            final Process child = startChild(dir, policy, random.nextLong(), firstVersion, ARCHITECTURE);
            final long[] lastVersion = {firstVersion};
            final long acksThisRun = readUntilKilled(child, acked, started, lastVersion, 150 + random.nextInt(350));
            totalAcks += acksThisRun;
            version = lastVersion[0] + 1_000;

            final Verification v = verify(policy, acked, started);
            hitRatioSum += v.hitRatio;
            System.out.printf("crash policy=%s iteration=%d acks=%d recovered=%d verified=%d flash-hit-ratio=%.1f%%%n",
                policy, iteration, acksThisRun, v.recovered, v.checked, 100 * v.hitRatio);
        }
        assertThat(totalAcks).as("acknowledged writes over all runs").isGreaterThan(ITERATIONS);
        System.out.printf("crash policy=%s architecture=%s iterations=%d acks=%d mean warm flash hit ratio=%.1f%%%n",
            policy, ARCHITECTURE, ITERATIONS, totalAcks, 100 * hitRatioSum / ITERATIONS);
        assertThat(hitRatioSum / ITERATIONS).as("restarts come back warm").isGreaterThan(0.3);
    }

    static Process startChild(
        final Path dir, final WritePolicy policy, final long seed, final long firstVersion,
        final Architecture architecture) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            // Same flags as this JVM (hostplane.jvm.flags), but no debugger/agent and a small heap.
            if (!arg.startsWith("-agentlib") && !arg.startsWith("-javaagent") && !arg.startsWith("-Xmx"))
            {
                command.add(arg);
            }
        }
        command.add("-Xmx128m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CrashWorkload.class.getName());
        command.add(dir.toString());
        command.add(policy.name());
        command.add(Long.toString(seed));
        command.add(Long.toString(firstVersion));
        command.add(architecture.name());
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    static long readUntilKilled(
        final Process child, final Map<Long, Long> acked, final Map<Long, Long> started, final long[] lastVersion,
        final long runMillis) throws Exception
    {
        final BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
        final String ready = in.readLine();
        assertThat(ready).as("child started (see stderr)").startsWith("READY");
        final long readyNanos = System.nanoTime();
        final CountDownLatch firstAck = new CountDownLatch(1);
        final Thread killer = new Thread(() ->
        {
            try
            {
                // Kill after runMillis, but not before the first acknowledged write: on a loaded machine the
                // child may need longer than that to get going, and a run without acks tests nothing.
                firstAck.await(60, TimeUnit.SECONDS);
                Thread.sleep(Math.max(0, runMillis - (System.nanoTime() - readyNanos) / 1_000_000));
            }
            catch (final InterruptedException ignored)
            {
                // Kill now.
            }
            // SIGKILL through the handle: Process.destroyForcibly would also close our end of the pipe.
            child.toHandle().destroyForcibly();
        });
        killer.start();
        long acks = 0;
        String line;
        while (null != (line = in.readLine()))
        {
            final String[] f = line.split(" ");
            if (f.length != 4 || !".".equals(f[3]))
            {
                // A line cut short by the kill: not a complete report.
                continue;
            }
            final long block = Long.parseLong(f[1]);
            final long version = Long.parseLong(f[2]);
            lastVersion[0] = Math.max(lastVersion[0], version);
            if ("S".equals(f[0]))
            {
                started.merge(block, version, Math::max);
            }
            else
            {
                acked.merge(block, version, Math::max);
                acks++;
                firstAck.countDown();
            }
        }
        killer.join();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("killed by SIGKILL, not failed").isEqualTo(137);
        return acks;
    }

    private record Verification(long recovered, long checked, double hitRatio)
    {
    }

    private Verification verify(final WritePolicy policy, final Map<Long, Long> acked, final Map<Long, Long> started)
        throws Exception
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(CrashWorkload.BLOCK_SIZE);
        final FileBackingStore store = new FileBackingStore(dir.resolve("store"), CrashWorkload.BLOCK_SIZE);
        long checked = 0;
        final CacheStats stats;
        final long recovered;
        try (BlockCache cache = BlockCache.open(CrashWorkload.config(dir, policy, ARCHITECTURE).build(), store))
        {
            recovered = cache.stats().recoveredBlocks();
            final int file = cache.open(CrashWorkload.FILE).id();
            final List<Long> blocks = new ArrayList<>();
            for (long b = 0; b < CrashWorkload.WRITE_BLOCKS; b++)
            {
                blocks.add(b);
            }
            for (long b = CrashWorkload.INVALIDATION_BASE;
                b < CrashWorkload.INVALIDATION_BASE + CrashWorkload.INVALIDATION_BLOCKS; b++)
            {
                blocks.add(b);
            }
            for (final long block : blocks)
            {
                cache.read(file, block, buffer, 0);
                final long got = CrashWorkload.version(buffer, block);
                final long ack = acked.getOrDefault(block, 0L);
                final long start = started.getOrDefault(block, 0L);
                assertThat(got).as("policy=%s block=%d torn or foreign data", policy, block).isNotNegative();
                assertThat(got).as("policy=%s block=%d acked=%d started=%d: lost or stale", policy, block, ack, start)
                    .isGreaterThanOrEqualTo(ack).isLessThanOrEqualTo(Math.max(ack, start));
                if (got > ack)
                {
                    // An unacknowledged write that did land is now the block's durable content.
                    acked.put(block, got);
                }
                checked++;
            }
            stats = cache.stats();
        }
        finally
        {
            store.close();
        }
        return new Verification(recovered, checked, (double)stats.flashHits() / Math.max(1, stats.reads()));
    }
}
