package dev.hostplane.flashcache;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import dev.hostplane.flashcache.internal.RamShards;

/**
 * Configuration of a {@link BlockCache}, immutable and validated: made by {@link #builder()}, whose
 * {@link Builder#build()} names the first bad value. Sizes are in blocks.
 *
 * <pre>{@code
 * CacheConfig config = CacheConfig.builder().ramBlocks(1024).flashDirectory(dir).flashBlocks(4096).build();
 * }</pre>
 */
public final class CacheConfig
{
    /** Default block size: 4 KiB, as in the paper. */
    public static final int BLOCK_SIZE_DEFAULT = 4096;
    /** Default flash segment: 256 blocks (1 MiB with 4 KiB blocks), written sequentially. */
    public static final int SEGMENT_BLOCKS_DEFAULT = 256;

    /** Default flash write-back threads: two, so one slow backing-store write does not stall the next. */
    public static final int FLASH_WRITE_BACK_THREADS_DEFAULT = 2;

    private final int blockSize;
    private final int ramBlocks;
    private final int ramShards;
    private final EvictionPolicy ramEviction;
    private final WritePolicy ramWritePolicy;
    private final Path flashDirectory;
    private final int flashBlocks;
    private final int segmentBlocks;
    private final WritePolicy flashWritePolicy;
    private final int flashWriteBackThreads;
    private final Duration writeBackPeriod;
    private final Architecture architecture;
    private final int dirtyLimitBlocks;
    private final boolean persistent;
    private final boolean fsync;
    private final boolean acceptDataLoss;
    private final boolean callerRunsBackgroundWork;
    private final FlashIoListener flashIoListener;
    private final Clock clock;
    private final InvalidationBus invalidationBus;
    private final String hostName;

    private CacheConfig(final Builder builder)
    {
        int ramShards = builder.ramShards;
        int flashBlocks = builder.flashBlocks;
        int dirtyLimitBlocks = builder.dirtyLimitBlocks;
        if (builder.blockSize < 512 || builder.blockSize > (1 << 20) || Integer.bitCount(builder.blockSize) != 1)
        {
            throw new IllegalArgumentException(
                "blockSize=" + builder.blockSize + " must be a power of two in [512, 1048576]");
        }
        if (builder.ramBlocks < 1)
        {
            throw new IllegalArgumentException("ramBlocks=" + builder.ramBlocks + " must be >= 1");
        }
        if (0 == ramShards)
        {
            ramShards = RamShards.defaultShardCount(builder.ramBlocks, Runtime.getRuntime().availableProcessors());
        }
        if (ramShards < 1 || Integer.bitCount(ramShards) != 1 || ramShards > builder.ramBlocks)
        {
            throw new IllegalArgumentException(
                "ramShards=" + ramShards + " must be a power of two in [1, ramBlocks=" + builder.ramBlocks + "] or 0");
        }
        if (null != builder.flashDirectory)
        {
            if (builder.segmentBlocks < 1 || (long)builder.segmentBlocks * builder.blockSize > (1 << 30))
            {
                throw new IllegalArgumentException(
                    "segmentBlocks=" + builder.segmentBlocks + " must be >= 1 and <= 1 GiB");
            }
            if (flashBlocks / builder.segmentBlocks < 2)
            {
                throw new IllegalArgumentException(
                    "flashBlocks=" + flashBlocks + " must hold at least 2 segments of segmentBlocks="
                    + builder.segmentBlocks);
            }
            flashBlocks = flashBlocks / builder.segmentBlocks * builder.segmentBlocks;
            if (builder.flashWriteBackThreads < 1 || builder.flashWriteBackThreads > 64)
            {
                throw new IllegalArgumentException(
                    "flashWriteBackThreads=" + builder.flashWriteBackThreads + " must be in [1, 64]");
            }
        }
        if (builder.writeBackPeriod.isNegative() || builder.writeBackPeriod.isZero())
        {
            throw new IllegalArgumentException("writeBackPeriod=" + builder.writeBackPeriod + " must be > 0");
        }
        if (dirtyLimitBlocks == -1)
        {
            dirtyLimitBlocks = Math.max(1, (null != builder.flashDirectory ? flashBlocks : builder.ramBlocks) / 4);
        }
        if (dirtyLimitBlocks < 1)
        {
            throw new IllegalArgumentException("dirtyLimitBlocks=" + dirtyLimitBlocks + " must be >= 1");
        }
        this.blockSize = builder.blockSize;
        this.ramBlocks = builder.ramBlocks;
        this.ramShards = ramShards;
        this.ramEviction = builder.ramEviction;
        this.ramWritePolicy = builder.ramWritePolicy;
        this.flashDirectory = builder.flashDirectory;
        this.flashBlocks = flashBlocks;
        this.segmentBlocks = builder.segmentBlocks;
        this.flashWritePolicy = builder.flashWritePolicy;
        this.flashWriteBackThreads = builder.flashWriteBackThreads;
        this.writeBackPeriod = builder.writeBackPeriod;
        this.architecture = builder.architecture;
        this.dirtyLimitBlocks = dirtyLimitBlocks;
        this.persistent = builder.persistent;
        this.fsync = builder.fsync;
        this.acceptDataLoss = builder.acceptDataLoss;
        this.callerRunsBackgroundWork = builder.callerRunsBackgroundWork;
        this.flashIoListener = builder.flashIoListener;
        this.clock = builder.clock;
        this.invalidationBus = builder.invalidationBus;
        this.hostName = builder.hostName;
    }

    /**
     * A builder with the defaults: 1024 RAM blocks of 4 KiB, S3-FIFO, no flash tier.
     *
     * @return a new builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /** @return block size in bytes. */
    public int blockSize()
    {
        return blockSize;
    }

    /** @return RAM tier size in blocks. */
    public int ramBlocks()
    {
        return ramBlocks;
    }

    /** @return RAM tier shards (the chosen count when the builder said 0). */
    public int ramShards()
    {
        return ramShards;
    }

    /** @return RAM tier replacement policy. */
    public EvictionPolicy ramEviction()
    {
        return ramEviction;
    }

    /** @return RAM tier write policy. */
    public WritePolicy ramWritePolicy()
    {
        return ramWritePolicy;
    }

    /** @return flash directory, or {@code null} without a flash tier. */
    public Path flashDirectory()
    {
        return flashDirectory;
    }

    /** @return flash tier size in blocks. */
    public int flashBlocks()
    {
        return flashBlocks;
    }

    /** @return blocks per flash segment. */
    public int segmentBlocks()
    {
        return segmentBlocks;
    }

    /** @return flash tier write policy. */
    public WritePolicy flashWritePolicy()
    {
        return flashWritePolicy;
    }

    /** @return threads writing flash blocks back to the backing store. */
    public int flashWriteBackThreads()
    {
        return flashWriteBackThreads;
    }

    /** @return period of periodic write-back. */
    public Duration writeBackPeriod()
    {
        return writeBackPeriod;
    }

    /** @return the architecture. */
    public Architecture architecture()
    {
        return architecture;
    }

    /** @return the dirty-block limit per tier. */
    public int dirtyLimitBlocks()
    {
        return dirtyLimitBlocks;
    }

    /** @return whether the flash tier persists across restarts. */
    public boolean persistent()
    {
        return persistent;
    }

    /** @return whether commits fsync. */
    public boolean fsync()
    {
        return fsync;
    }

    /** @return whether opening a flash tier that cannot prove it lost nothing drops what it cannot trust. */
    public boolean acceptDataLoss()
    {
        return acceptDataLoss;
    }

    /** @return whether the owner runs the background work ({@link BlockCache#doBackgroundWork()}). */
    public boolean callerRunsBackgroundWork()
    {
        return callerRunsBackgroundWork;
    }

    /** @return the flash I/O listener. */
    public FlashIoListener flashIoListener()
    {
        return flashIoListener;
    }

    /** @return the clock. */
    public Clock clock()
    {
        return clock;
    }

    /** @return the invalidation bus, or {@code null}. */
    public InvalidationBus invalidationBus()
    {
        return invalidationBus;
    }

    /** @return this host's name on the bus. */
    public String hostName()
    {
        return hostName;
    }

    /**
     * Collects the settings of a {@link CacheConfig}; {@link #build()} validates them. Not thread-safe.
     */
    public static final class Builder
    {
        private int blockSize = BLOCK_SIZE_DEFAULT;
        private int ramBlocks = 1024;
        private int ramShards;
        private EvictionPolicy ramEviction = EvictionPolicy.S3FIFO;
        private WritePolicy ramWritePolicy = WritePolicy.SYNC_WRITE_THROUGH;
        private Path flashDirectory;
        private int flashBlocks = 16 * 1024;
        private int segmentBlocks = SEGMENT_BLOCKS_DEFAULT;
        private WritePolicy flashWritePolicy = WritePolicy.ASYNC_WRITE_THROUGH;
        private int flashWriteBackThreads = FLASH_WRITE_BACK_THREADS_DEFAULT;
        private Duration writeBackPeriod = Duration.ofSeconds(1);
        private Architecture architecture = Architecture.NAIVE;
        private int dirtyLimitBlocks = -1;
        private boolean persistent = true;
        private boolean fsync = true;
        private boolean acceptDataLoss;
        private boolean callerRunsBackgroundWork;
        private FlashIoListener flashIoListener = FlashIoListener.NONE;
        private Clock clock = Clock.SYSTEM;
        private InvalidationBus invalidationBus;
        private String hostName = "local";

        private Builder()
        {
        }

        /**
         * @param blockSize block size in bytes, a power of two in [512, 1 MiB]; must match the backing store.
         * @return this.
         */
        public Builder blockSize(final int blockSize)
        {
            this.blockSize = blockSize;
            return this;
        }

        /**
         * @param ramBlocks blocks in the off-heap RAM tier, {@code >= 1}.
         * @return this.
         */
        public Builder ramBlocks(final int ramBlocks)
        {
            this.ramBlocks = ramBlocks;
            return this;
        }

        /**
         * @param shards number of RAM-tier shards (each with its own replacement policy and lock, chosen by key
         *               hash), a power of two in {@code [1, ramBlocks]}; {@code 0} (the default) picks four per
         *               available processor, keeping at least 64 blocks per shard. Use 1 for the exact hit ratios
         *               of the replacement policy (as a trace replay measures them).
         * @return this.
         */
        public Builder ramShards(final int shards)
        {
            this.ramShards = shards;
            return this;
        }

        /**
         * @param policy replacement policy of the RAM tier.
         * @return this.
         */
        public Builder ramEviction(final EvictionPolicy policy)
        {
            this.ramEviction = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * @param policy how writes pass from RAM to the tier below (flash, or the backing store without flash).
         * @return this.
         */
        public Builder ramWritePolicy(final WritePolicy policy)
        {
            this.ramWritePolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * @param directory where the flash tier keeps its data file and metadata log; {@code null} for no flash tier.
         * @return this.
         */
        public Builder flashDirectory(final Path directory)
        {
            this.flashDirectory = directory;
            return this;
        }

        /**
         * @param flashBlocks blocks in the flash tier (rounded down to whole segments; at least 2 segments).
         * @return this.
         */
        public Builder flashBlocks(final int flashBlocks)
        {
            this.flashBlocks = flashBlocks;
            return this;
        }

        /**
         * @param segmentBlocks blocks per flash segment, the unit written sequentially and reclaimed together.
         * @return this.
         */
        public Builder segmentBlocks(final int segmentBlocks)
        {
            this.segmentBlocks = segmentBlocks;
            return this;
        }

        /**
         * @param policy how writes pass from flash to the backing store.
         * @return this.
         */
        public Builder flashWritePolicy(final WritePolicy policy)
        {
            this.flashWritePolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * @param threads threads writing dirty flash blocks back to the backing store concurrently (different
         *                blocks at once; one block's versions always in order), in {@code [1, 64]}. More help when
         *                the store has latency but can take parallel writes (a network filer, an object store).
         * @return this.
         */
        public Builder flashWriteBackThreads(final int threads)
        {
            this.flashWriteBackThreads = threads;
            return this;
        }

        /**
         * @param period write-back period of {@link WritePolicy#PERIODIC_WRITE_BACK}.
         * @return this.
         */
        public Builder writeBackPeriod(final Duration period)
        {
            this.writeBackPeriod = Objects.requireNonNull(period, "period");
            return this;
        }

        /**
         * @param architecture naive (inclusive) or unified (exclusive).
         * @return this.
         */
        public Builder architecture(final Architecture architecture)
        {
            this.architecture = Objects.requireNonNull(architecture, "architecture");
            return this;
        }

        /**
         * @param blocks dirty blocks per tier above which writers wait for write-back (backpressure);
         *               default: a quarter of the tier.
         * @return this.
         */
        public Builder dirtyLimitBlocks(final int blocks)
        {
            this.dirtyLimitBlocks = blocks;
            return this;
        }

        /**
         * @param persistent whether the flash tier survives restarts (metadata log); false starts cold every time.
         * @return this.
         */
        public Builder persistent(final boolean persistent)
        {
            this.persistent = persistent;
            return this;
        }

        /**
         * @param fsync whether commits call fsync (true: durable across power loss; false: across process
         *              crashes only).
         * @return this.
         */
        public Builder fsync(final boolean fsync)
        {
            this.fsync = fsync;
            return this;
        }

        /**
         * @param accept open a persistent flash tier even when its metadata cannot prove that no dirty block was
         *               lost (a log cut short, emptied or damaged, a lost commit seal, a damaged file registry),
         *               dropping whatever cannot be trusted, dirty blocks included, as {@code fsck -y} would. The
         *               default, {@code false}, refuses such a tier with a {@link FlashRecoveryException} and changes
         *               nothing on disk.
         * @return this.
         */
        public Builder acceptDataLoss(final boolean accept)
        {
            this.acceptDataLoss = accept;
            return this;
        }

        /**
         * @param callerRuns start no write-back threads: the owner calls {@link BlockCache#doBackgroundWork()}
         *                   when {@link BlockCache#nanosUntilBackgroundWork()} says so, and a writer that must wait
         *                   for write-back (backpressure, eviction of dirty flash blocks, synchronous
         *                   write-through) does the write-back itself. For single-threaded owners of the cache,
         *                   such as the simulator, which drives the real cache this way on simulated time.
         * @return this.
         */
        public Builder callerRunsBackgroundWork(final boolean callerRuns)
        {
            this.callerRunsBackgroundWork = callerRuns;
            return this;
        }

        /**
         * @param listener told about every I/O of the flash tier (accounting, or a simulator's device model).
         * @return this.
         */
        public Builder flashIoListener(final FlashIoListener listener)
        {
            this.flashIoListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * @param clock time source (the simulator injects its own).
         * @return this.
         */
        public Builder clock(final Clock clock)
        {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param bus channel to the other hosts sharing the backing store, or {@code null}.
         * @param hostName this host's name on the bus.
         * @return this.
         */
        public Builder invalidationBus(final InvalidationBus bus, final String hostName)
        {
            this.invalidationBus = bus;
            this.hostName = Objects.requireNonNull(hostName, "hostName");
            return this;
        }

        /**
         * Validates the settings.
         *
         * @return the configuration.
         * @throws IllegalArgumentException naming the first bad value.
         */
        public CacheConfig build()
        {
            return new CacheConfig(this);
        }
    }
}
