package dev.hostplane.flashcache.sim;

/**
 * The statistical workload, like the paper's generator: how many hosts and threads, how big the working set
 * is, how often they read and write, how skewed, how sequential, and how much falls outside the working set.
 * Sizes are at full scale; the simulator divides them by its scale factor.
 *
 * @param hosts               hosts issuing I/O.
 * @param threadsPerHost      threads per host, each a closed loop (the next I/O is issued at its trace time
 *                            or when the previous one completed, whichever is later).
 * @param workingSetBytes     the working set (full scale).
 * @param writeFraction       share of I/Os that are writes (the paper's default: 0.3).
 * @param zipfTheta           popularity skew over the working set (Zipf exponent).
 * @param outsideFraction     share of I/Os to blocks outside the working set (cold, one-off).
 * @param sequentialFraction  share of I/Os that start a sequential run.
 * @param runBlocks           blocks in a sequential run.
 * @param opsPerSecondPerThread mean I/O rate of one thread (exponential gaps).
 * @param sharedWorkingSet    whether all hosts use the same working set (else each its own).
 * @param seed                random seed: the same seed gives the same trace.
 */
public record WorkloadSpec(
    int hosts,
    int threadsPerHost,
    long workingSetBytes,
    double writeFraction,
    double zipfTheta,
    double outsideFraction,
    double sequentialFraction,
    int runBlocks,
    double opsPerSecondPerThread,
    boolean sharedWorkingSet,
    long seed)
{
    /**
     * Defaults: one host, 8 threads of 100 I/O/s each (800 block I/Os a second, which a plain array of 8
     * disks can serve without saturating), 30 % writes, Zipf 0.8, 5 % outside, 10 % sequential runs of 8.
     *
     * @param workingSetBytes the working set at full scale.
     * @return the workload.
     */
    public static WorkloadSpec of(final long workingSetBytes)
    {
        return new WorkloadSpec(1, 8, workingSetBytes, 0.3, 0.8, 0.05, 0.1, 8, 100, true, 1);
    }

    /**
     * A copy of this workload spread over another number of hosts.
     *
     * @param n hosts
     * @return a copy with {@code n} hosts
     */
    public WorkloadSpec withHosts(final int n)
    {
        return new WorkloadSpec(n, threadsPerHost, workingSetBytes, writeFraction, zipfTheta, outsideFraction,
            sequentialFraction, runBlocks, opsPerSecondPerThread, sharedWorkingSet, seed);
    }

    /**
     * A copy of this workload with another working set size.
     *
     * @param bytes working set
     * @return a copy with that working set
     */
    public WorkloadSpec withWorkingSet(final long bytes)
    {
        return new WorkloadSpec(hosts, threadsPerHost, bytes, writeFraction, zipfTheta, outsideFraction,
            sequentialFraction, runBlocks, opsPerSecondPerThread, sharedWorkingSet, seed);
    }

    /**
     * A copy of this workload with another random seed.
     *
     * @param s seed
     * @return a copy with that seed
     */
    public WorkloadSpec withSeed(final long s)
    {
        return new WorkloadSpec(hosts, threadsPerHost, workingSetBytes, writeFraction, zipfTheta, outsideFraction,
            sequentialFraction, runBlocks, opsPerSecondPerThread, sharedWorkingSet, s);
    }
}
