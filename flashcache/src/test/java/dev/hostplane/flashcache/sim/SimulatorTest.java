package dev.hostplane.flashcache.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.hostplane.flashcache.Architecture;
import dev.hostplane.flashcache.WritePolicy;
import dev.hostplane.flashcache.trace.TraceFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The simulator on tiny configurations: deterministic for a seed, the real cache under it never serves a
 * stale block, and the paper's first-order effects show (flash cuts read latency when the working set
 * exceeds RAM; synchronous write-through costs the filer's write latency).
 */
class SimulatorTest
{
    private static final long GB = 1L << 30;
    /** 1/4096 of the paper's host: 2 MiB RAM (512 blocks), 16 MiB flash (4096 blocks). */
    private static final int SCALE = 4096;
    private static final Duration HOUR = Duration.ofHours(1);

    @TempDir
    Path dir;

    private static SimResult run(final HostSetup host, final long workingSetGb)
    {
        return new Simulator(SCALE, DeviceParameters.PAPER_ERA, SimStore.Backend.FILER)
            .run(host, WorkloadSpec.of(workingSetGb * GB), Duration.ofHours(8), 0.5);
    }

    @Test
    void shouldGiveTheSameResultsForTheSameSeed()
    {
        final SimResult a = run(HostSetup.BASE, 32);
        final SimResult b = run(HostSetup.BASE, 32);
        assertThat(a.events()).isPositive().isEqualTo(b.events());
        assertThat(a.meanReadNanos()).isEqualTo(b.meanReadNanos());
        assertThat(a.meanWriteNanos()).isEqualTo(b.meanWriteNanos());
        assertThat(a.flashHitRatio()).isEqualTo(b.flashHitRatio());
        assertThat(a.staleReads()).isZero();
    }

    @ParameterizedTest
    @EnumSource(WritePolicy.class)
    void shouldNeverServeAStaleBlockWhateverTheFlashPolicy(final WritePolicy policy)
    {
        for (final Architecture architecture : Architecture.values())
        {
            final SimResult r = run(HostSetup.BASE.withPolicies(WritePolicy.PERIODIC_WRITE_BACK, policy,
                Duration.ofSeconds(30)).withArchitecture(architecture), 48);
            assertThat(r.staleReads()).as("policy=%s architecture=%s", policy, architecture).isZero();
            assertThat(r.reads()).isPositive();
            assertThat(r.flashHitRatio()).isPositive();
        }
    }

    @Test
    void shouldCutReadLatencyWithFlashWhenTheWorkingSetExceedsRam()
    {
        // A plain disk array behind: no filer cache to hide the RAM misses.
        final Simulator simulator = new Simulator(SCALE, DeviceParameters.PAPER_ERA, SimStore.Backend.DISK_ARRAY);
        final SimResult none = simulator.run(HostSetup.BASE.withFlash(0), WorkloadSpec.of(32 * GB), Duration.ofHours(48), 0.5);
        final SimResult flash = simulator.run(HostSetup.BASE, WorkloadSpec.of(32 * GB), Duration.ofHours(48), 0.5);
        System.out.printf("sim disk array ws=32GB: no flash read %.1f us (ram %.2f), flash read %.1f us (ram %.2f flash %.2f)%n",
            none.meanReadNanos() / 1e3, none.ramHitRatio(), flash.meanReadNanos() / 1e3, flash.ramHitRatio(),
            flash.flashHitRatio());
        assertThat(flash.flashHitRatio()).isGreaterThan(0.3);
        assertThat(flash.meanReadNanos()).isLessThan(none.meanReadNanos() / 2);
    }

    @Test
    void shouldMakeSynchronousWriteThroughPayTheFilersWriteLatency()
    {
        final SimResult sync = run(HostSetup.BASE.withPolicies(WritePolicy.SYNC_WRITE_THROUGH,
            WritePolicy.SYNC_WRITE_THROUGH, Duration.ofSeconds(30)), 16);
        final SimResult async = run(HostSetup.BASE, 16);
        final DeviceParameters p = DeviceParameters.PAPER_ERA;
        assertThat(sync.meanWriteNanos()).isGreaterThan(p.networkRoundTripNanos() + p.filerWriteNanos());
        assertThat(async.meanWriteNanos()).isLessThan(sync.meanWriteNanos() / 2);
    }

    /**
     * Each flash write-back thread is an actor doing one step per turn, so N threads overlap their store writes
     * on a disk array of 8 spindles as N threads do: write-only traffic at 800 blocks/s outruns one thread
     * (one 5.4 ms disk write at a time, about 175 blocks/s) but not eight. With one thread the dirty limit is
     * reached and writers do write-back themselves (ms each); with eight, write-back keeps up and a write costs
     * the flash commit. (A single actor taking many steps per turn, as before, made the thread count irrelevant.)
     */
    @Test
    void shouldOverlapTheStoreWritesOfSeveralFlashWriteBackThreads()
    {
        final WorkloadSpec writes = new WorkloadSpec(1, 4, 64 * GB, 1.0, 0.1, 0.0, 0.0, 1, 200, true, 3);
        final HostSetup host = HostSetup.BASE.withPolicies(WritePolicy.SYNC_WRITE_THROUGH,
            WritePolicy.ASYNC_WRITE_THROUGH, Duration.ofSeconds(30));
        final Simulator simulator = new Simulator(SCALE, DeviceParameters.PAPER_ERA, SimStore.Backend.DISK_ARRAY);
        final Duration duration = Duration.ofHours(16);
        final SimResult one = simulator.run(host.withFlashWriteBackThreads(1), writes, duration, 0.5);
        final SimResult eight = simulator.run(host.withFlashWriteBackThreads(8), writes, duration, 0.5);
        final double seconds = duration.toNanos() / SCALE / 2 / 1e9;
        System.out.printf("sim write-back threads 1 vs 8: write %.0f vs %.0f us, store writes %.0f vs %.0f /s%n",
            one.meanWriteNanos() / 1e3, eight.meanWriteNanos() / 1e3, one.backingWrites() / seconds,
            eight.backingWrites() / seconds);
        assertThat(eight.staleReads()).isZero();
        // Eight threads keep up with the offered 800 writes/s; every write costs only the flash commit.
        assertThat(eight.backingWrites() / seconds).isGreaterThan(700);
        assertThat(eight.meanWriteNanos()).isLessThan(1_000_000);
        // One thread cannot: writers wait at the dirty limit and pay disk writes themselves.
        assertThat(one.meanWriteNanos()).isGreaterThan(3 * eight.meanWriteNanos());
    }

    @Test
    void shouldComeBackWarmAfterARestartOfAPersistentFlashTier()
    {
        final WorkloadSpec workload = WorkloadSpec.of(32 * GB);
        final Simulator simulator = new Simulator(SCALE, DeviceParameters.PAPER_ERA, SimStore.Backend.FILER);
        final SimResult cold = simulator.run(HostSetup.BASE, workload, HOUR, 0);
        final SimResult warm = simulator.run(HostSetup.BASE, workload, HOUR, 0, workload.withSeed(7));
        assertThat(warm.staleReads()).isZero();
        assertThat(warm.flashHitRatio()).isGreaterThan(cold.flashHitRatio());
        assertThat(warm.meanReadNanos()).isLessThan(cold.meanReadNanos());
    }

    @Test
    void shouldCountInvalidationsBetweenTwoHostsSharingAWorkingSet()
    {
        final SimResult r = new Simulator(SCALE, DeviceParameters.PAPER_ERA, SimStore.Backend.FILER)
            .run(HostSetup.BASE.withPolicies(WritePolicy.SYNC_WRITE_THROUGH, WritePolicy.SYNC_WRITE_THROUGH,
                Duration.ofSeconds(30)), WorkloadSpec.of(8 * GB).withHosts(2), Duration.ofHours(4), 0.5);
        assertThat(r.invalidatingShare()).isBetween(0.01, 1.0);
    }

    @Test
    void shouldRoundTripTheTraceFormatAndGenerateDeterministically() throws Exception
    {
        final Path trace = dir.resolve("t.trace");
        TraceFile.write(trace, new WorkloadGenerator(WorkloadSpec.of(GB).withHosts(2), 4096, SCALE,
            Duration.ofHours(8).toNanos() / SCALE), 5_000);
        final List<String> lines = new ArrayList<>();
        assertThat(TraceFile.read(trace, e -> lines.add(e.toString()))).isEqualTo(5_000);
        final WorkloadGenerator again = new WorkloadGenerator(WorkloadSpec.of(GB).withHosts(2), 4096, SCALE,
            Duration.ofHours(8).toNanos() / SCALE);
        final TraceEvent event = new TraceEvent();
        long lastTime = -1;
        int writes = 0;
        for (final String line : lines)
        {
            assertThat(again.next(event)).isTrue();
            assertThat(event.toString()).isEqualTo(line);
            assertThat(event.timeNanos).isGreaterThanOrEqualTo(lastTime);
            lastTime = event.timeNanos;
            writes += event.write ? 1 : 0;
        }
        assertThat(writes / 5_000.0).isBetween(0.25, 0.35);
        assertThat(lines).anyMatch(l -> l.startsWith("1 "));
    }

    @Test
    void shouldNameFileLineAndColumnOfABadTraceLine() throws Exception
    {
        final Path trace = dir.resolve("bad.trace");
        Files.writeString(trace, "0 0 10 R 0 0 4096\n0 0 20 X 0 0 4096\n");
        assertThatThrownBy(() -> TraceFile.read(trace, e -> { }))
            .isInstanceOf(TraceFormatException.class)
            .hasMessage("bad.trace:2:8: op=X is not R or W");
    }
}
