package dev.hostplane.flashcache.sim;

import java.time.Duration;

import dev.hostplane.flashcache.Architecture;
import dev.hostplane.flashcache.CacheConfig;
import dev.hostplane.flashcache.EvictionPolicy;
import dev.hostplane.flashcache.WritePolicy;

/**
 * One simulated host's cache, at full scale (the simulator divides sizes and periods by its scale).
 *
 * @param ramBytes        RAM tier size.
 * @param flashBytes      flash tier size; 0 for no flash tier.
 * @param ramPolicy       RAM tier write policy.
 * @param flashPolicy     flash tier write policy.
 * @param period          period of periodic write-back (both tiers).
 * @param architecture    naive or unified.
 * @param ramEviction     RAM tier replacement policy.
 * @param persistent      whether the flash tier keeps its metadata log (persistence costs metadata writes).
 * @param flashWriteBackThreads flash write-back threads (the simulator runs one actor per thread).
 */
public record HostSetup(
    long ramBytes,
    long flashBytes,
    WritePolicy ramPolicy,
    WritePolicy flashPolicy,
    Duration period,
    Architecture architecture,
    EvictionPolicy ramEviction,
    boolean persistent,
    int flashWriteBackThreads)
{
    /**
     * The paper's base host: 8 GB RAM, 64 GB flash, asynchronous write-through, naive, LRU, persistent, and the
     * cache's default number of flash write-back threads.
     */
    public static final HostSetup BASE = new HostSetup(8L << 30, 64L << 30, WritePolicy.ASYNC_WRITE_THROUGH,
        WritePolicy.ASYNC_WRITE_THROUGH, Duration.ofSeconds(30), Architecture.NAIVE, EvictionPolicy.LRU, true,
        CacheConfig.FLASH_WRITE_BACK_THREADS_DEFAULT);

    /**
     * A copy of this setup with another RAM size.
     *
     * @param bytes the RAM tier's size in bytes
     * @return a copy
     */
    public HostSetup withRam(final long bytes)
    {
        return new HostSetup(bytes, flashBytes, ramPolicy, flashPolicy, period, architecture, ramEviction,
            persistent, flashWriteBackThreads);
    }

    /**
     * A copy of this setup with another flash size.
     *
     * @param bytes the flash tier's size in bytes (0: no flash tier)
     * @return a copy
     */
    public HostSetup withFlash(final long bytes)
    {
        return new HostSetup(ramBytes, bytes, ramPolicy, flashPolicy, period, architecture, ramEviction,
            persistent, flashWriteBackThreads);
    }

    /**
     * A copy of this setup with other write policies for RAM and flash and another write-back period.
     *
     * @param ram RAM policy
     * @param flash flash policy
     * @param p period
     * @return a copy
     */
    public HostSetup withPolicies(final WritePolicy ram, final WritePolicy flash, final Duration p)
    {
        return new HostSetup(ramBytes, flashBytes, ram, flash, p, architecture, ramEviction,
            persistent, flashWriteBackThreads);
    }

    /**
     * A copy of this setup with another cache architecture.
     *
     * @param a architecture
     * @return a copy
     */
    public HostSetup withArchitecture(final Architecture a)
    {
        return new HostSetup(ramBytes, flashBytes, ramPolicy, flashPolicy, period, a, ramEviction,
            persistent, flashWriteBackThreads);
    }

    /**
     * A copy of this setup with another RAM eviction policy.
     *
     * @param e RAM eviction policy
     * @return a copy
     */
    public HostSetup withEviction(final EvictionPolicy e)
    {
        return new HostSetup(ramBytes, flashBytes, ramPolicy, flashPolicy, period, architecture, e,
            persistent, flashWriteBackThreads);
    }

    /**
     * A copy of this setup whose flash tier is, or is not, persistent across a restart.
     *
     * @param p persistent
     * @return a copy
     */
    public HostSetup withPersistent(final boolean p)
    {
        return new HostSetup(ramBytes, flashBytes, ramPolicy, flashPolicy, period, architecture, ramEviction, p,
            flashWriteBackThreads);
    }

    /**
     * A copy of this setup with another number of flash write-back threads.
     *
     * @param threads flash write-back threads
     * @return a copy
     */
    public HostSetup withFlashWriteBackThreads(final int threads)
    {
        return new HostSetup(ramBytes, flashBytes, ramPolicy, flashPolicy, period, architecture, ramEviction,
            persistent, threads);
    }
}
