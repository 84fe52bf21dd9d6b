package dev.hostplane.flashcache;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import dev.hostplane.flashcache.internal.BlockKeys;
import dev.hostplane.flashcache.internal.FileRegistry;
import dev.hostplane.flashcache.internal.FlashTier;
import dev.hostplane.flashcache.internal.RamShards;
import dev.hostplane.flashcache.internal.RamTier;
import dev.hostplane.flashcache.internal.StripedLocks;
import dev.hostplane.flashcache.policy.ReplacementPolicy;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A block cache over a {@link BackingStore}: an off-heap RAM tier and an optional persistent flash tier,
 * each with its own {@link WritePolicy}, arranged {@link Architecture#NAIVE naive} or
 * {@link Architecture#UNIFIED unified}. Thread-safe; allocation-free on the hit paths. Concurrency: one block's
 * operations are serialized by a striped key lock; the RAM tier is split into shards by key hash
 * ({@link CacheConfig.Builder#ramShards(int)}), each with its own policy and lock; flash write-back runs on
 * {@link CacheConfig.Builder#flashWriteBackThreads(int)} threads, never two write-backs of one block at once.
 *
 * <pre>{@code
 * try (BlockCache cache = BlockCache.open(CacheConfig.builder().flashDirectory(dir).build(), store))
 * {
 *     CachedFile volume = cache.open("volume0");
 *     volume.write(7, block, 0);
 *     volume.read(7, buffer, 0);
 * }
 * }</pre>
 *
 * <p>Durability contract: with the RAM tier in {@link WritePolicy#SYNC_WRITE_THROUGH} (the default), a
 * {@link #write} returns only when the block is durable in flash (flash write-back and asynchronous
 * write-through policies) or in the backing store (flash synchronous write-through, or no flash tier).
 * With a RAM write-back policy, a write is durable only once written back (as in the paper). After a crash
 * the flash tier comes back warm, without torn, stale or invalidated blocks.
 *
 * <p>Integrity contract: a read never returns an older version than was acknowledged. When the only
 * current copy of a block (a dirty flash copy) is found damaged, reads of it throw
 * {@link FlashDataLossException} until it is written again or invalidated, and {@link #flush()} reports it;
 * {@link #open(CacheConfig, BackingStore)} refuses ({@link FlashRecoveryException}) a flash tier whose metadata cannot prove that it lost
 * no dirty block, unless {@link CacheConfig.Builder#acceptDataLoss(boolean)} accepts the loss.
 *
 * <p>Threads and closing: a cache with a flash tier owns {@link CacheConfig.Builder#flashWriteBackThreads(int)}
 * write-back threads ({@code hostplane-flashcache-flash-writeback-N}), and one with a RAM write-back or
 * asynchronous policy a RAM writer ({@code hostplane-flashcache-ram-writeback-0}); with
 * {@link CacheConfig.Builder#callerRunsBackgroundWork(boolean)} it owns none. They are daemon threads, so
 * {@link #close()} is what writes dirty blocks down and ends them: always close a cache (try-with-resources).
 * Closing the cache does not close its {@link BackingStore}.
 */
public final class BlockCache implements AutoCloseable
{
    private static final long MAX_LATENCY_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final CacheConfig config;
    private final BackingStore store;
    private final int blockSize;
    private final Clock clock;
    private final RamShards ram;
    private final FlashTier flash;
    private final FileRegistry files;
    private final StripedLocks keyLocks = new StripedLocks(1024);
    private final boolean unified;
    private final WritePolicy ramPolicy;
    private final int ramDirtyLimit;
    private final InvalidationBus bus;

    private final LongAdder ramHits = new LongAdder();
    private final LongAdder ramMisses = new LongAdder();
    private final LongAdder flashHits = new LongAdder();
    private final LongAdder flashMisses = new LongAdder();
    private final LongAdder backingReads = new LongAdder();
    private final LongAdder backingWrites = new LongAdder();
    private final LongAdder writes = new LongAdder();
    private final LongAdder invalidationsSent = new LongAdder();
    private final LongAdder invalidationsReceived = new LongAdder();
    private final LongAdder invalidationsApplied = new LongAdder();
    private final Recorder readRecorder = new Recorder(1, MAX_LATENCY_NANOS, 3);
    private final Recorder writeRecorder = new Recorder(1, MAX_LATENCY_NANOS, 3);
    private final Histogram readTotal = new Histogram(1, MAX_LATENCY_NANOS, 3);
    private final Histogram writeTotal = new Histogram(1, MAX_LATENCY_NANOS, 3);

    private final Thread[] flashWriters;
    private final Thread ramWriter;
    private volatile boolean closed;
    private volatile Throwable lastWriteBackError;
    /** When periodic RAM write-back is next due (written by the RAM writer only). */
    private long ramNextDue;
    private ByteBuffer backgroundBuffer;
    /** Caller-runs RAM write-back: where the next step looks for a dirty block, and whether a periodic pass runs. */
    private int ramCursorShard;
    private int ramCursorSlot;
    private boolean ramPassActive;

    private BlockCache(final CacheConfig config, final BackingStore store) throws IOException
    {
        this.config = config;
        this.store = store;
        this.blockSize = config.blockSize();
        this.clock = config.clock();
        if (store.blockSize() != blockSize)
        {
            throw new IllegalArgumentException(
                "store blockSize=" + store.blockSize() + " differs from cache blockSize=" + blockSize);
        }
        this.unified = Architecture.UNIFIED == config.architecture();
        this.ramPolicy = config.ramWritePolicy();
        this.ramDirtyLimit = Math.max(1, Math.min(config.dirtyLimitBlocks(), config.ramBlocks() / 2));
        this.ram = new RamShards(config.ramShards(), config.ramBlocks(), config.ramEviction()::create, blockSize);
        if (null != config.flashDirectory())
        {
            final java.nio.file.Path registryPath =
                config.persistent() ? config.flashDirectory().resolve("files.registry") : null;
            final FileRegistry.Reading registry = null == registryPath ?
                new FileRegistry.Reading(java.util.List.of(), null) : FileRegistry.read(registryPath);
            flash = new FlashTier(config.flashDirectory(), blockSize, config.flashBlocks(), config.segmentBlocks(),
                config.persistent(), config.fsync(), config.flashWritePolicy(), config.writeBackPeriod().toNanos(),
                config.dirtyLimitBlocks(), clock, store, registry.names().size(), registry.issue(),
                config.acceptDataLoss(), config.flashIoListener());
            if (config.callerRunsBackgroundWork())
            {
                flash.callerRuns();
            }
            try
            {
                files = new FileRegistry(registryPath, registry);
                for (final String name : files.names())
                {
                    store.open(files.idOf(name), name);
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                flash.close();
                throw ex;
            }
            flashWriters = new Thread[config.callerRunsBackgroundWork() ? 0 : config.flashWriteBackThreads()];
            for (int i = 0; i < flashWriters.length; i++)
            {
                flashWriters[i] = new Thread(this::runFlashWriter, "hostplane-flashcache-flash-writeback-" + i);
                flashWriters[i].setDaemon(true);
            }
        }
        else
        {
            flash = null;
            files = new FileRegistry(null);
            flashWriters = new Thread[0];
        }
        ramNextDue = clock.nanoTime() + config.writeBackPeriod().toNanos();
        if (WritePolicy.SYNC_WRITE_THROUGH != ramPolicy && !config.callerRunsBackgroundWork())
        {
            ramWriter = new Thread(this::runRamWriter, "hostplane-flashcache-ram-writeback-0");
            ramWriter.setDaemon(true);
        }
        else
        {
            ramWriter = null;
        }
        this.bus = config.invalidationBus();
    }

    /**
     * Opens a cache; a persistent flash tier found in the flash directory is recovered (warm restart).
     * Starts the write-back threads, which {@link #close()} stops.
     *
     * @param config the configuration (validated here).
     * @param store  the backing store (not closed by the cache).
     * @return the cache.
     * @throws FlashRecoveryException when the flash tier cannot prove that it lost no dirty block.
     * @throws IOException when the flash files cannot be opened or recovered.
     */
    public static BlockCache open(final CacheConfig config, final BackingStore store) throws IOException
    {
        final BlockCache cache = new BlockCache(Objects.requireNonNull(config, "config"), store);
        for (final Thread writer : cache.flashWriters)
        {
            writer.start();
        }
        if (null != cache.ramWriter)
        {
            cache.ramWriter.start();
        }
        if (null != cache.bus)
        {
            cache.bus.join(cache);
        }
        return cache;
    }

    /**
     * Opens a file of the backing store through this cache, registering it (durably, with a persistent flash
     * tier). Opening the same name again returns a handle with the same {@link CachedFile#id() id}.
     *
     * @param name the file's name in the store.
     * @return a handle for its blocks, usable until this cache is closed.
     * @throws IOException when the registry or the store fails.
     */
    public CachedFile open(final String name) throws IOException
    {
        final int id = files.idOf(name);
        store.open(id, name);
        return new CachedFile(this, name, id);
    }

    /**
     * @return the block size in bytes.
     */
    public int blockSize()
    {
        return blockSize;
    }

    /**
     * Reads one block into {@code dst} at {@code offset}.
     *
     * @param file    file id: {@link CachedFile#id()} of a file from {@link #open(String)}.
     * @param blockNo block number.
     * @param dst     destination with at least {@code offset + blockSize} bytes.
     * @param offset  where the block goes.
     * @throws FlashDataLossException when the block's only current copy was lost.
     * @throws IOException when the backing store or flash fails.
     */
    public void read(final int file, final long blockNo, final ByteBuffer dst, final int offset) throws IOException
    {
        final long start = clock.nanoTime();
        final long key = key(file, blockNo);
        final ReentrantLock keyLock = keyLocks.forKey(key);
        keyLock.lock();
        try
        {
            final RamTier shard = ram.forKey(key);
            final ReentrantLock ramLock = shard.lock();
            ramLock.lock();
            try
            {
                final int slot = shard.get(key);
                if (slot >= 0)
                {
                    shard.copyOut(slot, dst, offset);
                    ramHits.increment();
                    return;
                }
            }
            finally
            {
                ramLock.unlock();
            }
            ramMisses.increment();
            boolean fromFlash = false;
            if (null != flash)
            {
                final int status = flash.read(key, dst, offset);
                if (FlashTier.LOST == status)
                {
                    flashMisses.increment();
                    throw new FlashDataLossException(files.nameOf(file), blockNo, flash.lostCause(key));
                }
                fromFlash = FlashTier.HIT == status;
                (fromFlash ? flashHits : flashMisses).increment();
            }
            if (!fromFlash)
            {
                store.read(file, blockNo, dst, offset);
                backingReads.increment();
                if (null != flash && !unified)
                {
                    flash.put(key, dst, offset, false);
                }
            }
            else if (unified && !flash.isDirty(key))
            {
                // Exclusive: the block moves up; its flash copy goes (a dirty copy stays until written back).
                flash.invalidate(key, false);
            }
            ramLock.lock();
            try
            {
                fillLocked(shard, key, dst, offset, false);
            }
            finally
            {
                ramLock.unlock();
            }
        }
        catch (final InterruptedException ex)
        {
            throw interrupted(ex);
        }
        finally
        {
            keyLock.unlock();
            readRecorder.recordValue(Math.min(MAX_LATENCY_NANOS, Math.max(1, clock.nanoTime() - start)));
        }
    }

    /**
     * Writes one block from {@code src} at {@code offset}; returns when the block is as durable as the write
     * policies promise (see the class comment), after every other host on the bus invalidated it.
     *
     * @param file    file id.
     * @param blockNo block number.
     * @param src     source with at least {@code offset + blockSize} bytes.
     * @param offset  where the block is.
     * @throws IOException when the backing store or flash fails.
     */
    public void write(final int file, final long blockNo, final ByteBuffer src, final int offset) throws IOException
    {
        final long start = clock.nanoTime();
        final long key = key(file, blockNo);
        final ReentrantLock keyLock = keyLocks.forKey(key);
        keyLock.lock();
        try
        {
            final RamTier shard = ram.forKey(key);
            final ReentrantLock ramLock = shard.lock();
            boolean through = WritePolicy.SYNC_WRITE_THROUGH == ramPolicy;
            ramLock.lock();
            try
            {
                // Backpressure: past the dirty limit (whole tier) a RAM write-back write is written through.
                through |= ram.dirtyCount() >= ramDirtyLimit;
                fillLocked(shard, key, src, offset, !through);
            }
            finally
            {
                ramLock.unlock();
            }
            if (through)
            {
                writeLower(key, src, offset);
            }
            else if (WritePolicy.ASYNC_WRITE_THROUGH == ramPolicy)
            {
                LockSupport.unpark(ramWriter);
            }
            writes.increment();
        }
        catch (final InterruptedException ex)
        {
            throw interrupted(ex);
        }
        finally
        {
            keyLock.unlock();
        }
        if (null != bus)
        {
            invalidationsSent.add(bus.publish(this, files.nameOf(file), blockNo));
        }
        writeRecorder.recordValue(Math.min(MAX_LATENCY_NANOS, Math.max(1, clock.nanoTime() - start)));
    }

    private void writeLower(final long key, final ByteBuffer src, final int offset)
        throws IOException, InterruptedException
    {
        if (null != flash)
        {
            final long seq = flash.put(key, src, offset, true);
            flash.commit(seq);
            if (WritePolicy.SYNC_WRITE_THROUGH == config.flashWritePolicy())
            {
                flash.awaitClean(key, seq);
            }
        }
        else
        {
            store.write(BlockKeys.file(key), BlockKeys.block(key), src, offset);
            backingWrites.increment();
        }
    }

    /**
     * Puts a block into its shard; the caller holds the key's lock and the shard's lock. The victim, if any,
     * hashes to the same shard, so the shard's lock alone keeps readers of the victim out until its data
     * reached the tier below.
     */
    private void fillLocked(
        final RamTier shard, final long key, final ByteBuffer src, final int offset, final boolean dirty)
        throws IOException, InterruptedException
    {
        int slot = shard.peek(key);
        if (slot < 0)
        {
            slot = shard.admit(key);
            final long victim = shard.evictedKey();
            if (ReplacementPolicy.NO_KEY != victim)
            {
                evictLocked(shard, victim, slot);
            }
        }
        shard.copyIn(slot, src, offset);
        shard.dirty(slot, dirty);
    }

    private void evictLocked(final RamTier shard, final long victim, final int slot)
        throws IOException, InterruptedException
    {
        final boolean dirty = shard.isDirty(slot);
        if (null != flash)
        {
            if (dirty)
            {
                flash.put(victim, shard.buffer(slot), shard.offset(slot), true);
            }
            else if (unified && !flash.contains(victim))
            {
                // A lost flash copy makes this clean RAM copy the only current one: put() keeps it dirty.
                flash.put(victim, shard.buffer(slot), shard.offset(slot), false);
            }
            else if (null != flash.lostCause(victim))
            {
                // The flash copy of this block was lost; the RAM copy is current: save it instead of dropping it.
                flash.put(victim, shard.buffer(slot), shard.offset(slot), true);
            }
        }
        else if (dirty)
        {
            store.write(BlockKeys.file(victim), BlockKeys.block(victim), shard.buffer(slot), shard.offset(slot));
            backingWrites.increment();
        }
        shard.dirty(slot, false);
    }

    /**
     * Drops any cached copy of a block (RAM and flash, durably), including data not yet written back: use it
     * when the backing store was changed behind the cache's back.
     *
     * @param file    file id.
     * @param blockNo block number.
     * @throws IOException when the invalidation cannot be persisted.
     */
    public void invalidate(final int file, final long blockNo) throws IOException
    {
        invalidateKey(key(file, blockNo));
    }

    private boolean invalidateKey(final long key) throws IOException
    {
        final ReentrantLock keyLock = keyLocks.forKey(key);
        keyLock.lock();
        try
        {
            boolean present;
            final RamTier shard = ram.forKey(key);
            final ReentrantLock ramLock = shard.lock();
            ramLock.lock();
            try
            {
                present = shard.remove(key) >= 0;
            }
            finally
            {
                ramLock.unlock();
            }
            if (null != flash)
            {
                present |= flash.contains(key);
                flash.commit(flash.invalidate(key, true));
            }
            return present;
        }
        finally
        {
            keyLock.unlock();
        }
    }

    boolean onRemoteInvalidation(final String fileName, final long blockNo) throws IOException
    {
        invalidationsReceived.increment();
        final int file = files.find(fileName);
        if (file < 0)
        {
            return false;
        }
        final boolean applied = invalidateKey(key(file, blockNo));
        if (applied)
        {
            invalidationsApplied.increment();
        }
        return applied;
    }

    /**
     * Writes every dirty block down to the backing store and flushes the store.
     *
     * @throws IOException on failure.
     */
    public void flush() throws IOException
    {
        try
        {
            flushRam();
            flushFlash();
            store.flush();
        }
        catch (final InterruptedException ex)
        {
            throw interrupted(ex);
        }
        if (null != flash && flash.lostCount() > 0)
        {
            final long key = flash.anyLost();
            throw new FlashDataLossException(files.nameOf(BlockKeys.file(key)), BlockKeys.block(key),
                flash.lostCount() + " block(s) could not be written back because their only current copy was lost;"
                + " this one: " + flash.lostCause(key));
        }
    }

    private void flushFlash() throws IOException, InterruptedException
    {
        if (null == flash)
        {
            return;
        }
        final ByteBuffer buffer = ByteBuffer.allocateDirect(blockSize);
        while (true)
        {
            if (0 != flash.writeBackStep(buffer, true, 0))
            {
                backingWrites.increment();
            }
            else if (0 == flash.dirtyCount())
            {
                break;
            }
            else
            {
                // What is left dirty is being written back by other threads right now: wait for it.
                flash.awaitCleaned(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
        flash.commit(Long.MAX_VALUE);
    }

    private int flushRam() throws IOException, InterruptedException
    {
        if (0 == ram.dirtyCount())
        {
            return 0;
        }
        int written = 0;
        for (int i = 0, n = ram.shardCount(); i < n; i++)
        {
            written += flushRamShard(ram.shard(i));
        }
        return written;
    }

    private int flushRamShard(final RamTier shard) throws IOException, InterruptedException
    {
        int written = 0;
        final ReentrantLock ramLock = shard.lock();
        ramLock.lock();
        try
        {
            if (0 == shard.dirtyCount())
            {
                return 0;
            }
            for (int slot = 0, n = shard.capacity(); slot < n && shard.dirtyCount() > 0; slot++)
            {
                if (shard.isDirty(slot))
                {
                    writeDownRamSlot(shard, slot);
                    written++;
                }
            }
        }
        finally
        {
            ramLock.unlock();
        }
        return written;
    }

    /** Writes one dirty RAM block to the tier below and marks it clean; the caller holds the shard's lock. */
    private void writeDownRamSlot(final RamTier shard, final int slot) throws IOException, InterruptedException
    {
        final long key = shard.keyAt(slot);
        if (null != flash)
        {
            flash.put(key, shard.buffer(slot), shard.offset(slot), true);
        }
        else
        {
            store.write(BlockKeys.file(key), BlockKeys.block(key), shard.buffer(slot), shard.offset(slot));
            backingWrites.increment();
        }
        shard.dirty(slot, false);
    }

    /**
     * The next dirty RAM block at or after the RAM writer's cursor, written down; the cursor moves past it.
     *
     * @param wrap whether to continue from the first shard after the last (asynchronous write-through), or end
     *             the pass there (periodic write-back).
     * @return 1 if a block was written down, 0 if none was found.
     */
    private int writeDownNextDirtyRamBlock(final boolean wrap) throws IOException, InterruptedException
    {
        final int shards = ram.shardCount();
        for (int visited = 0; visited <= shards; visited++)
        {
            if (ramCursorShard >= shards)
            {
                if (!wrap)
                {
                    return 0;
                }
                ramCursorShard = 0;
                ramCursorSlot = 0;
            }
            final RamTier shard = ram.shard(ramCursorShard);
            final ReentrantLock ramLock = shard.lock();
            ramLock.lock();
            try
            {
                for (int slot = ramCursorSlot, n = shard.capacity(); slot < n && shard.dirtyCount() > 0; slot++)
                {
                    if (shard.isDirty(slot))
                    {
                        writeDownRamSlot(shard, slot);
                        ramCursorSlot = slot + 1;
                        return 1;
                    }
                }
            }
            finally
            {
                ramLock.unlock();
            }
            ramCursorShard++;
            ramCursorSlot = 0;
        }
        return 0;
    }

    /**
     * Unified (exclusive) caches keep clean blocks in RAM only; on a clean close move them down to flash so
     * the restart is as warm as the cache was.
     */
    private void demoteRam() throws IOException, InterruptedException
    {
        for (int i = 0, n = ram.shardCount(); i < n; i++)
        {
            demoteRamShard(ram.shard(i));
        }
    }

    private void demoteRamShard(final RamTier shard) throws IOException, InterruptedException
    {
        final ReentrantLock ramLock = shard.lock();
        ramLock.lock();
        try
        {
            for (int slot = 0, n = shard.capacity(); slot < n; slot++)
            {
                final long key = shard.keyAt(slot);
                if (shard.peek(key) == slot && !flash.contains(key))
                {
                    flash.put(key, shard.buffer(slot), shard.offset(slot), false);
                }
            }
        }
        finally
        {
            ramLock.unlock();
        }
    }

    private void runFlashWriter()
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(blockSize);
        while (!closed)
        {
            try
            {
                final int done = flash.writeBackStep(buffer, false, 0);
                if (0 == done)
                {
                    flash.awaitWork(flash.nanosUntilDue());
                }
                else
                {
                    backingWrites.increment();
                }
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            catch (final Throwable t)
            {
                // Keep running: the block stays dirty and is retried; the error is visible to callers.
                lastWriteBackError = t;
                clock.sleepNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }

    private void runRamWriter()
    {
        while (!closed)
        {
            try
            {
                ramWriterStep();
                final long wait = WritePolicy.PERIODIC_WRITE_BACK == ramPolicy ?
                    Math.max(1, ramNextDue - clock.nanoTime()) : TimeUnit.MILLISECONDS.toNanos(1);
                LockSupport.parkNanos(this, wait);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            catch (final Throwable t)
            {
                lastWriteBackError = t;
                clock.sleepNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }

    /** One pass of RAM write-back, if the policy says one is due; returns the blocks written down. */
    private int ramWriterStep() throws IOException, InterruptedException
    {
        switch (ramPolicy)
        {
            case ASYNC_WRITE_THROUGH:
                return flushRam();
            case PERIODIC_WRITE_BACK:
                if (clock.nanoTime() >= ramNextDue)
                {
                    final int written = flushRam();
                    ramNextDue = clock.nanoTime() + config.writeBackPeriod().toNanos();
                    return written;
                }
                return 0;
            default:
                return 0;
        }
    }

    /**
     * With {@link CacheConfig.Builder#callerRunsBackgroundWork(boolean)}: does one round of the background work the
     * write-back threads would otherwise do (the RAM writer's pass if due, then one flash write-back step), on the
     * caller's thread. Not thread-safe against itself. An owner that models the threads separately (the
     * simulator: one actor per thread) calls {@link #doRamWriteBack()} and {@link #doFlashWriteBack()} instead.
     *
     * @return how much was done (blocks written down); 0 when nothing was due.
     * @throws IOException when the backing store or flash fails.
     */
    public int doBackgroundWork() throws IOException
    {
        return doRamWriteBack() + doFlashWriteBack();
    }

    /**
     * With {@link CacheConfig.Builder#callerRunsBackgroundWork(boolean)}: one block of the RAM tier's write-back
     * thread's pass, if its policy says one is due. The thread writes a pass's blocks one after another; taking
     * them one per call lets the owner run other threads' work between them in time order (a whole pass at once
     * would reserve the devices below for its duration ahead of everyone else). Not thread-safe against the other
     * background-work methods.
     *
     * @return 1 if a block was written down; 0 when nothing was due (which also ends a periodic pass).
     * @throws IOException when the backing store or flash fails.
     */
    public int doRamWriteBack() throws IOException
    {
        try
        {
            switch (ramPolicy)
            {
                case ASYNC_WRITE_THROUGH:
                    return writeDownNextDirtyRamBlock(true);
                case PERIODIC_WRITE_BACK:
                    if (!ramPassActive)
                    {
                        if (clock.nanoTime() < ramNextDue)
                        {
                            return 0;
                        }
                        ramPassActive = true;
                        ramCursorShard = 0;
                        ramCursorSlot = 0;
                    }
                    final int written = writeDownNextDirtyRamBlock(false);
                    if (0 == written)
                    {
                        ramPassActive = false;
                        ramNextDue = clock.nanoTime() + config.writeBackPeriod().toNanos();
                    }
                    return written;
                default:
                    return 0;
            }
        }
        catch (final InterruptedException ex)
        {
            throw interrupted(ex);
        }
    }

    /**
     * With {@link CacheConfig.Builder#callerRunsBackgroundWork(boolean)}: one step of one flash write-back thread
     * (one due dirty block written to the backing store), as each of the
     * {@link CacheConfig.Builder#flashWriteBackThreads(int)} threads does per turn of its loop. Not thread-safe
     * against the other background-work methods.
     *
     * @return 1 if a block was written back (or found lost), 0 when none was due or there is no flash tier.
     * @throws IOException when the backing store or flash fails.
     */
    public int doFlashWriteBack() throws IOException
    {
        if (null == flash)
        {
            return 0;
        }
        if (null == backgroundBuffer)
        {
            backgroundBuffer = ByteBuffer.allocateDirect(blockSize);
        }
        try
        {
            final int step = flash.writeBackStep(backgroundBuffer, false, 0);
            if (step > 0)
            {
                backingWrites.increment();
            }
            return step;
        }
        catch (final InterruptedException ex)
        {
            throw interrupted(ex);
        }
    }

    /**
     * With {@link CacheConfig.Builder#callerRunsBackgroundWork(boolean)}: when {@link #doBackgroundWork()} should run
     * next.
     *
     * @return 0 when it has work now, else the nanoseconds until periodic write-back is due, or
     *         {@link Long#MAX_VALUE} when nothing will be due until the next write.
     */
    public long nanosUntilBackgroundWork()
    {
        return Math.min(nanosUntilRamWriteBack(), nanosUntilFlashWriteBack());
    }

    /**
     * @return when {@link #doRamWriteBack()} has work: 0 now, else the nanoseconds until the RAM tier's periodic
     *         write-back is due, or {@link Long#MAX_VALUE} when nothing will be due until the next write.
     */
    public long nanosUntilRamWriteBack()
    {
        if (ram.dirtyCount() > 0)
        {
            if (WritePolicy.ASYNC_WRITE_THROUGH == ramPolicy || ramPassActive)
            {
                return 0;
            }
            if (WritePolicy.PERIODIC_WRITE_BACK == ramPolicy)
            {
                return Math.max(0, ramNextDue - clock.nanoTime());
            }
        }
        return ramPassActive ? 0 : Long.MAX_VALUE;
    }

    /**
     * @return when {@link #doFlashWriteBack()} has work: 0 now, else the nanoseconds until the flash tier's
     *         periodic write-back is due, or {@link Long#MAX_VALUE} when nothing will be due until the next write
     *         (or there is no flash tier).
     */
    public long nanosUntilFlashWriteBack()
    {
        return null == flash ? Long.MAX_VALUE : flash.nanosUntilWriteBack();
    }

    /**
     * @return the last error of a write-back thread, or {@code null}.
     */
    public Throwable lastWriteBackError()
    {
        return lastWriteBackError;
    }

    /**
     * @return a snapshot of the counters and latency histograms.
     */
    public CacheStats stats()
    {
        final long[] f = new long[11];
        if (null != flash)
        {
            flash.stats(f);
        }
        final long ramDirty = ram.dirtyCount();
        final LatencyHistogram reads;
        final LatencyHistogram writesHistogram;
        synchronized (readTotal)
        {
            readTotal.add(readRecorder.getIntervalHistogram());
            writeTotal.add(writeRecorder.getIntervalHistogram());
            reads = LatencyHistogram.copyOf(readTotal);
            writesHistogram = LatencyHistogram.copyOf(writeTotal);
        }
        return new CacheStats(ramHits.sum(), ramMisses.sum(), flashHits.sum(), flashMisses.sum(), backingReads.sum(),
            backingWrites.sum(), writes.sum(), ramDirty, f[0], f[1], f[2], f[3], f[4], f[6], f[7], f[8], f[9],
            invalidationsSent.sum(), invalidationsReceived.sum(), invalidationsApplied.sum(), reads, writesHistogram);
    }

    private static long key(final int file, final long blockNo)
    {
        return BlockKeys.key(file, blockNo);
    }

    private static InterruptedIOException interrupted(final InterruptedException ex)
    {
        Thread.currentThread().interrupt();
        final InterruptedIOException io = new InterruptedIOException("interrupted while waiting for write-back");
        io.initCause(ex);
        return io;
    }

    /**
     * Writes RAM's dirty blocks down, commits flash, stops the write-back threads and closes the flash
     * files. Dirty blocks of a persistent flash tier stay dirty in flash (durable) and are written back after
     * the next open; a non-persistent flash tier writes them back first. A unified cache moves its RAM blocks
     * to flash so the restart is warm. The backing store is not closed.
     *
     * @throws IOException on failure.
     */
    @Override
    public void close() throws IOException
    {
        if (closed)
        {
            return;
        }
        if (null != bus)
        {
            bus.leave(this);
        }
        try
        {
            flushRam();
            if (unified && null != flash && config.persistent())
            {
                demoteRam();
            }
            if (null != flash && !config.persistent())
            {
                // A non-persistent flash tier forgets its blocks: write the dirty ones back first.
                flushFlash();
            }
        }
        catch (final InterruptedException ex)
        {
            throw interrupted(ex);
        }
        finally
        {
            closed = true;
            if (null != flash)
            {
                flash.stop();
            }
            join(ramWriter);
            for (final Thread writer : flashWriters)
            {
                join(writer);
            }
            try
            {
                if (null != flash)
                {
                    flash.close();
                }
            }
            finally
            {
                files.close();
            }
        }
    }

    private static void join(final Thread thread)
    {
        if (null == thread)
        {
            return;
        }
        LockSupport.unpark(thread);
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
