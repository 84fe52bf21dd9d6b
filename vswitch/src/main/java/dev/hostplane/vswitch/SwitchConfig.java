package dev.hostplane.vswitch;

import dev.hostplane.vswitch.port.EndpointPort;
import dev.hostplane.vswitch.port.FrameBatch;

/**
 * Immutable configuration of a {@link VirtualSwitch}. Build with {@link #builder()}; every value
 * has a default suited to a small host.
 *
 * @param workers number of switching threads (1..64).
 * @param batchSize frames per port per poll, 1..32.
 * @param idleMode what an idle worker does ({@link IdleMode#BLOCKING} for shared machines).
 * @param emcEntries exact-match cache entries per worker (power of two), 0 disables the cache.
 * @param ringCapacity bytes per endpoint ring (power of two).
 * @param packetInRingCapacity bytes of the packet-in ring (power of two).
 * @param expiryIntervalMillis how often idle/hard timeouts are checked.
 * @param batchedNotification Hyper-Switch's batched, state-aware notification (VS-D9): a worker wakes a
 *                            receiving endpoint at most once per batch and only when it is parked, and
 *                            an endpoint wakes its worker only when that worker is parked. Off: every
 *                            frame wakes its receiver (and the worker) unconditionally, like one
 *                            interrupt per packet.
 * @param preemptiveCopy Hyper-Switch's preemptive copy (VS-D9): the worker copies each frame into the
 *                       receiving endpoint's ring when it switches it, so the frame is there before the
 *                       receiver wakes and the worker's buffer is free at once. Off: the worker lends
 *                       the receiver a reference to the frame in its own buffers and the receiver
 *                       copies it when it reads (deferred copy); the worker cannot reuse a buffer
 *                       until every receiver copied out of it.
 * @param offloadToIdleWorkers Hyper-Switch's offload to idle cores (VS-D9): a worker that keeps
 *                             getting full batches from two or more ports hands one of them to a worker
 *                             that has been idle. Has no effect with one worker.
 */
public record SwitchConfig(
    int workers,
    int batchSize,
    IdleMode idleMode,
    int emcEntries,
    int ringCapacity,
    int packetInRingCapacity,
    int expiryIntervalMillis,
    boolean batchedNotification,
    boolean preemptiveCopy,
    boolean offloadToIdleWorkers)
{
    /** Default idle mode. */
    public static final IdleMode DEFAULT_IDLE_MODE = IdleMode.BACKOFF;

    /**
     * Validates.
     *
     * @param workers workers.
     * @param batchSize batch size.
     * @param idleMode what an idle worker does.
     * @param emcEntries cache entries.
     * @param ringCapacity ring bytes.
     * @param packetInRingCapacity packet-in ring bytes.
     * @param expiryIntervalMillis expiry interval.
     * @param batchedNotification batched, state-aware notification.
     * @param preemptiveCopy preemptive copy into the receiver's ring.
     * @param offloadToIdleWorkers offload of a busy worker's ports to idle workers.
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
        if (idleMode == null)
        {
            throw new IllegalArgumentException("idleMode must not be null");
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
     * A configuration with the Hyper-Switch mechanisms on (as before they were switchable).
     *
     * @param workers workers.
     * @param batchSize batch size.
     * @param idleMode what an idle worker does.
     * @param emcEntries cache entries.
     * @param ringCapacity ring bytes.
     * @param packetInRingCapacity packet-in ring bytes.
     * @param expiryIntervalMillis expiry interval.
     */
    public SwitchConfig(
        final int workers,
        final int batchSize,
        final IdleMode idleMode,
        final int emcEntries,
        final int ringCapacity,
        final int packetInRingCapacity,
        final int expiryIntervalMillis)
    {
        this(workers, batchSize, idleMode, emcEntries, ringCapacity, packetInRingCapacity, expiryIntervalMillis,
            true, true, true);
    }

    /**
     * A builder with defaults: 1 worker, batch 32, backoff, 8192 cache entries, 1 MiB rings,
     * 4 MiB packet-in ring, expiry every 100 ms, every Hyper-Switch mechanism on.
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
        private IdleMode idleMode = DEFAULT_IDLE_MODE;
        private int emcEntries = 8192;
        private int ringCapacity = EndpointPort.DEFAULT_RING_CAPACITY;
        private int packetInRingCapacity = 4 << 20;
        private int expiryIntervalMillis = 100;
        private boolean batchedNotification = true;
        private boolean preemptiveCopy = true;
        private boolean offloadToIdleWorkers = true;

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
         * Sets what an idle worker does.
         *
         * @param idleMode the mode; {@link IdleMode#fromAlias(String)} reads one from text.
         * @return this.
         */
        public Builder idleMode(final IdleMode idleMode)
        {
            this.idleMode = idleMode;
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
         * Turns batched, state-aware notification on or off (see {@link SwitchConfig}).
         *
         * @param batchedNotification true for once per batch and only when parked; false for every frame.
         * @return this.
         */
        public Builder batchedNotification(final boolean batchedNotification)
        {
            this.batchedNotification = batchedNotification;
            return this;
        }

        /**
         * Turns preemptive copy on or off (see {@link SwitchConfig}).
         *
         * @param preemptiveCopy true to copy at switching time; false for a copy by the receiver.
         * @return this.
         */
        public Builder preemptiveCopy(final boolean preemptiveCopy)
        {
            this.preemptiveCopy = preemptiveCopy;
            return this;
        }

        /**
         * Turns offload of a busy worker's ports to idle workers on or off (see {@link SwitchConfig}).
         *
         * @param offloadToIdleWorkers true to let idle workers take ports of busy ones.
         * @return this.
         */
        public Builder offloadToIdleWorkers(final boolean offloadToIdleWorkers)
        {
            this.offloadToIdleWorkers = offloadToIdleWorkers;
            return this;
        }

        /**
         * Sets all three Hyper-Switch mechanisms at once (for ablation runs).
         *
         * @param on true for all on, false for all off.
         * @return this.
         */
        public Builder hyperSwitchMechanisms(final boolean on)
        {
            return batchedNotification(on).preemptiveCopy(on).offloadToIdleWorkers(on);
        }

        /**
         * Builds and validates.
         *
         * @return config.
         */
        public SwitchConfig build()
        {
            return new SwitchConfig(workers, batchSize, idleMode, emcEntries, ringCapacity, packetInRingCapacity,
                expiryIntervalMillis, batchedNotification, preemptiveCopy, offloadToIdleWorkers);
        }
    }
}
