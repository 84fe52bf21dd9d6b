package dev.hostplane.flashcache.trace;

/**
 * Draws ranks {@code 0..n-1} with Zipf popularity (rank r has weight 1/(r+1)^theta) in constant time per
 * draw after an O(n) setup, by the inverse-CDF approximation of Gray et al. Rank 0 is the most popular.
 * Allocation-free; not thread-safe (one per thread).
 *
 * <p>[1] J. Gray, P. Sundaresan, S. Englert, K. Baclawski, P. J. Weinberger, "Quickly generating
 * billion-record synthetic databases", SIGMOD'94.
 */
public final class ZipfGenerator
{
    private final long n;
    private final double theta;
    private final double zetaN;
    private final double alpha;
    private final double eta;
    private final double halfPowTheta;
    private long state;

    /**
     * @param n     number of items, {@code >= 2}.
     * @param theta skew in (0, 1) or (1, 5]; 0.99 is the classic "Zipf".
     * @param seed  random seed.
     */
    public ZipfGenerator(final long n, final double theta, final long seed)
    {
        if (n < 2)
        {
            throw new IllegalArgumentException("n=" + n + " must be >= 2");
        }
        if (!(theta > 0) || theta == 1.0 || theta > 5)
        {
            throw new IllegalArgumentException("theta=" + theta + " must be in (0, 1) or (1, 5]");
        }
        this.n = n;
        this.theta = theta;
        double zeta = 0;
        for (long i = 1; i <= n; i++)
        {
            zeta += 1.0 / Math.pow(i, theta);
        }
        zetaN = zeta;
        final double zeta2 = 1.0 + 1.0 / Math.pow(2, theta);
        alpha = 1.0 / (1.0 - theta);
        eta = (1 - Math.pow(2.0 / n, 1 - theta)) / (1 - zeta2 / zetaN);
        halfPowTheta = 1.0 + Math.pow(0.5, theta);
        state = seed ^ 0x9E3779B97F4A7C15L;
    }

    private double nextUniform()
    {
        // SplitMix64: fast, good enough for workload generation, and no allocation.
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }

    /**
     * @return the next rank in {@code [0, n)}.
     */
    public long next()
    {
        final double u = nextUniform();
        final double uz = u * zetaN;
        if (uz < 1.0)
        {
            return 0;
        }
        if (uz < halfPowTheta)
        {
            return 1;
        }
        final long rank = (long)(n * Math.pow(eta * u - eta + 1, alpha));
        return Math.min(n - 1, Math.max(0, rank));
    }

    /**
     * @return a uniform double in [0, 1) from the same stream.
     */
    public double uniform()
    {
        return nextUniform();
    }

    /**
     * @return the skew.
     */
    public double theta()
    {
        return theta;
    }
}
