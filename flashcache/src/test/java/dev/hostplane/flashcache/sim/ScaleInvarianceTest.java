package dev.hostplane.flashcache.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import dev.hostplane.flashcache.WritePolicy;
import org.junit.jupiter.api.Test;

/**
 * The simulator divides sizes, durations and periods by its scale and keeps rates and device times, so a
 * scaled-down run must reach the conclusions of a larger one: each experiment's headline ratio, computed at
 * 1/512 and at 1/1024 of the paper's host, agrees within a tolerance. At these sizes a point samples only tens of
 * thousands of I/Os, so the tolerance (15 %) is mostly sampling noise; the study's own check, every experiment at
 * 1/256 and 1/512, is benchmarks/scripts/flashcache/scale-check.sh (results in flashcache/STUDY.md).
 */
class ScaleInvarianceTest
{
    private static final long GB = 1L << 30;
    private static final int LARGE = 512;
    private static final int SMALL = 1024;
    private static final double TOLERANCE = 0.15;

    private static SimResult run(final int scale, final SimStore.Backend backend, final HostSetup host,
        final WorkloadSpec workload)
    {
        final SimResult r = new Simulator(scale, DeviceParameters.PAPER_ERA, backend)
            .run(host, workload, Duration.ofHours(12), 0.5);
        assertThat(r.staleReads()).isZero();
        return r;
    }

    private static void assertSameWithinTolerance(final String what, final double large, final double small)
    {
        System.out.printf("scale invariance, %s: 1/%d %.3f, 1/%d %.3f%n", what, LARGE, large, SMALL, small);
        assertThat(small).as("%s at 1/%d vs 1/%d", what, SMALL, LARGE)
            .isBetween(large * (1 - TOLERANCE), large * (1 + TOLERANCE));
    }

    /** Working set (Fig. 2): how much 64 GB of flash cuts read latency for a 32 GB working set. */
    @Test
    void shouldGiveTheSameFlashSpeedUpAtTwoScales()
    {
        final double[] speedUp = new double[2];
        final int[] scales = {LARGE, SMALL};
        for (int i = 0; i < 2; i++)
        {
            final WorkloadSpec workload = WorkloadSpec.of(32 * GB);
            final SimResult none = run(scales[i], SimStore.Backend.FILER, HostSetup.BASE.withFlash(0), workload);
            final SimResult flash = run(scales[i], SimStore.Backend.FILER, HostSetup.BASE, workload);
            speedUp[i] = none.meanReadNanos() / flash.meanReadNanos();
        }
        assertThat(speedUp[0]).isGreaterThan(1.1);
        assertSameWithinTolerance("working-set read speed-up of 64 GB flash at 32 GB", speedUp[0], speedUp[1]);
    }

    /** Invalidations (Fig. 4): the share of writes dropping a copy on the other host, with flash. */
    @Test
    void shouldGiveTheSameInvalidatingShareAtTwoScales()
    {
        final HostSetup host = HostSetup.BASE.withPolicies(WritePolicy.SYNC_WRITE_THROUGH,
            WritePolicy.SYNC_WRITE_THROUGH, Duration.ofSeconds(30));
        final WorkloadSpec workload = WorkloadSpec.of(32 * GB).withHosts(2);
        assertSameWithinTolerance("invalidating share, two hosts, 32 GB shared",
            run(LARGE, SimStore.Backend.FILER, host, workload).invalidatingShare(),
            run(SMALL, SimStore.Backend.FILER, host, workload).invalidatingShare());
    }
}
