package dev.hostplane.vswitch;

import dev.hostplane.vswitch.port.EndpointPort;
import dev.hostplane.vswitch.port.FrameBatch;

/**
 * Immutable configuration of a {@link VirtualSwitch}. Build with {@link #builder()}; every value
 * has a default suited to a small host.
 *
 * @param workers number of switching threads (1..64).
 * @param batchSize frames per port per poll, 1..32.
 * @param idleStrategy what an idle worker does: {@code busy-spin}, {@code yield}, {@code backoff},
 *                     {@code sleep} or {@code blocking} (poll(2)/park, for shared machines).
 * @param emcEntries exact-match cache entries per worker (power of two), 0 disables the cache.
 * @param ringCapacity bytes per endpoint ring (power of two).
 * @param packetInRingCapacity bytes of the packet-in ring (power of two).
 * @param expiryIntervalMillis how often idle/hard timeouts are checked.
 */
public record SwitchConfig(
    int workers,
    int batchSize,
    String idleStrategy,
    int emcEntries,
    int ringCapacity,
    int packetInRingCapacity,
    int expiryIntervalMillis)
{
    /** Default idle strategy. */
    public static final String DEFAULT_IDLE_STRATEGY = "backoff";

    /**
     * Validates.
     *
     * @param workers workers.
     * @param batchSize batch size.
     * @param idleStrategy idle strategy alias.
     * @param emcEntries cache entries.
     * @param ringCapacity ring bytes.
     * @param packetInRingCapacity packet-in ring bytes.
     * @param expiryIntervalMillis expiry interval.
     */
    public SwitchConfig
    {
        if (workers < 1 || workers > 64)
        {
            throw new IllegalArgumentException("workers must be 1..64: workers=" + workers);
        }
        if (batchSize < 1 || batchSize > FrameBatch.MAX_BATCH)
        {
            throw new IllegalArgumentException("batchSize must be 1..32: batchSize=" + batchSize);
        }
        switch (idleStrategy)
        {
            case "busy-spin":
            case "yield":
            case "backoff":
            case "sleep":
            case "blocking":
                break;
            default:
                throw new IllegalArgumentException("unknown idle strategy (expected busy-spin, yield, backoff, sleep, " +
                    "blocking): idleStrategy=" + idleStrategy);
        }
        if (emcEntries < 0 || (emcEntries > 0 && Integer.bitCount(emcEntries) != 1))
        {
            throw new IllegalArgumentException("emcEntries must be 0 or a power of 2: emcEntries=" + emcEntries);
        }
        if (Integer.bitCount(ringCapacity) != 1 || ringCapacity < 4096)
        {
            throw new IllegalArgumentException("ringCapacity must be a power of 2 >= 4096: ringCapacity=" + ringCapacity);
        }
        if (Integer.bitCount(packetInRingCapacity) != 1 || packetInRingCapacity < 4096)
        {
            throw new IllegalArgumentException("packetInRingCapacity must be a power of 2 >= 4096: " +
                "packetInRingCapacity=" + packetInRingCapacity);
        }
        if (expiryIntervalMillis < 1)
        {
            throw new IllegalArgumentException("expiryIntervalMillis must be >= 1: expiryIntervalMillis=" +
                expiryIntervalMillis);
        }
    }

    /**
     * A builder with defaults: 1 worker, batch 32, backoff, 8192 cache entries, 1 MiB rings,
     * 4 MiB packet-in ring, expiry every 100 ms.
     *
     * @return builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /** Builds a {@link SwitchConfig}. */
    public static final class Builder
    {
        private int workers = 1;
        private int batchSize = FrameBatch.MAX_BATCH;
        private String idleStrategy = DEFAULT_IDLE_STRATEGY;
        private int emcEntries = 8192;
        private int ringCapacity = EndpointPort.DEFAULT_RING_CAPACITY;
        private int packetInRingCapacity = 4 << 20;
        private int expiryIntervalMillis = 100;

        private Builder()
        {
        }

        /**
         * Sets the worker count.
         *
         * @param workers 1..64.
         * @return this.
         */
        public Builder workers(final int workers)
        {
            this.workers = workers;
            return this;
        }

        /**
         * Sets the batch size.
         *
         * @param batchSize 1..32.
         * @return this.
         */
        public Builder batchSize(final int batchSize)
        {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Sets the idle strategy.
         *
         * @param idleStrategy alias.
         * @return this.
         */
        public Builder idleStrategy(final String idleStrategy)
        {
            this.idleStrategy = idleStrategy;
            return this;
        }

        /**
         * Sets the exact-match cache size.
         *
         * @param emcEntries power of two, or 0 to disable.
         * @return this.
         */
        public Builder emcEntries(final int emcEntries)
        {
            this.emcEntries = emcEntries;
            return this;
        }

        /**
         * Sets endpoint ring capacity.
         *
         * @param ringCapacity bytes, power of two.
         * @return this.
         */
        public Builder ringCapacity(final int ringCapacity)
        {
            this.ringCapacity = ringCapacity;
            return this;
        }

        /**
         * Sets packet-in ring capacity.
         *
         * @param packetInRingCapacity bytes, power of two.
         * @return this.
         */
        public Builder packetInRingCapacity(final int packetInRingCapacity)
        {
            this.packetInRingCapacity = packetInRingCapacity;
            return this;
        }

        /**
         * Sets the expiry interval.
         *
         * @param expiryIntervalMillis milliseconds.
         * @return this.
         */
        public Builder expiryIntervalMillis(final int expiryIntervalMillis)
        {
            this.expiryIntervalMillis = expiryIntervalMillis;
            return this;
        }

        /**
         * Builds and validates.
         *
         * @return config.
         */
        public SwitchConfig build()
        {
            return new SwitchConfig(workers, batchSize, idleStrategy, emcEntries, ringCapacity, packetInRingCapacity,
                expiryIntervalMillis);
        }
    }
}
