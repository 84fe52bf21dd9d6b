package dev.hostplane.flashcache.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

import dev.hostplane.flashcache.BackingStore;
import dev.hostplane.flashcache.Clock;
import dev.hostplane.flashcache.FlashCacheException;
import dev.hostplane.flashcache.FlashIoListener;
import dev.hostplane.flashcache.WritePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flash tier: blocks in a preallocated file of fixed slots, an in-memory index from block to slot, and
 * a metadata log that makes the index survive crashes. It ties together four mechanisms, each in its own
 * class:
 * <ul>
 * <li><b>Slot log</b> ({@link SegmentLog}, {@link SlotTable}): never overwrite in place; a new version of a
 *     block goes to the log head, the old slot just dies, so a block being written back is never read torn
 *     and a crash can only lose the tail. Eviction is FIFO by segment (the CacheLib BlockCache choice with
 *     the lowest write amplification): before the head enters a segment its live blocks are dropped, and
 *     dirty ones must have been written back first (the writer waits: write-back on eviction).</li>
 * <li><b>Group commit</b> (here, {@link #commit(long)}): writes pending segment data and log records, then
 *     fsyncs: the data file first, and only when the commit covers a dirty PUT (data the backing store does
 *     not have), then the log; one fsync covers every record appended before it. A clean PUT, CLEAN or
 *     INVALIDATE needs no data fsync: if a crash loses a clean block's data under a durable record, its
 *     CRC32C fails on read and the block is a miss, never wrong data. Each commit ends with a CHECKPOINT
 *     record (the dirty state's fingerprint) and then updates the {@link CommitSeal}.</li>
 * <li><b>Write-back</b> ({@link WriteBackPicker}, {@link #writeBackStep}): may run on several threads; each
 *     picks a different dirty block and a key in flight is not picked again until its write ended, so the
 *     store receives each block's versions in order.</li>
 * <li><b>Recovery</b> ({@link FlashRecovery}): rebuilds the index from the log at open and refuses a log that
 *     cannot prove it lost no dirty block, unless the caller accepts the loss.</li>
 * </ul>
 * Integrity rule: a dirty block's flash copy is its only current copy. When that copy fails its checksum
 * and the backing store does not hold the same bytes, the block is marked lost (durably, a LOST record):
 * reads fail with a typed error, never serve the store's older version.
 *
 * <p>Lock order: callers' key locks, then one RAM shard lock, then {@link #commitLock}, then {@link #lock}.
 */
public final class FlashTier implements AutoCloseable
{
    /** {@link #read} found the block and copied it. */
    public static final int HIT = 1;
    /** {@link #read}: flash does not hold the block. */
    public static final int MISS = 0;
    /** {@link #read}: the block's only current copy was lost; see {@link #lostCause(long)}. */
    public static final int LOST = -1;

    private static final Logger LOG = LoggerFactory.getLogger(FlashTier.class);
    private static final ThreadLocal<CRC32C> READ_CRC = ThreadLocal.withInitial(CRC32C::new);

    private final int blockSize;
    private final int segmentBlocks;
    private final boolean fsync;
    private final WritePolicy policy;
    private final Clock clock;
    private final BackingStore store;
    private final SlotTable table;
    private final SegmentLog slotLog;
    private final WriteBackPicker picker;
    private final MetadataLog log;
    private final CommitSeal seal;
    private final long compactThreshold;
    private final CRC32C crc = new CRC32C();
    private final int[] crcOut = new int[1];

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition cleaned = lock.newCondition();
    private final Condition work = lock.newCondition();
    private final ReentrantLock commitLock = new ReentrantLock();

    private long localSeq;
    private volatile long durableSeq;
    private long lastCheckpointSeq;
    private final long recoveredEntries;
    private final long droppedOnRecovery;
    private final long corruptRecords;
    private long checksumMisses;
    private long lostBlocks;
    private long writeBacks;
    /** Sequence of the newest dirty PUT record; its data must be fsynced before a commit covering it. */
    private long lastDirtyPutSeq;
    /** Every dirty PUT up to this sequence has its data fsynced (guarded by {@link #commitLock}). */
    private long dataSyncedSeq;
    private long dataSyncs;
    private long logSyncs;
    private volatile boolean running = true;
    /** No write-back threads: a writer that must wait for write-back does it itself (see callerRuns). */
    private ByteBuffer inlineBuffer;

    /**
     * Opens or creates the flash tier in {@code directory}, without a file registry to check against and
     * refusing a damaged tier.
     *
     * @param directory     where {@code flash.data} and {@code flash.meta} live.
     * @param blockSize     block size.
     * @param flashBlocks   slots (a multiple of {@code segmentBlocks}).
     * @param segmentBlocks slots per segment.
     * @param persistent    recover from and keep the metadata log.
     * @param fsync         fsync on commit.
     * @param policy        write policy towards the backing store.
     * @param periodNanos   period of periodic write-back.
     * @param dirtyLimit    dirty blocks above which writers wait.
     * @param clock         time source.
     * @param store         backing store.
     * @throws IOException when the files cannot be created or read, or recovery refuses them.
     */
    public FlashTier(
        final Path directory, final int blockSize, final int flashBlocks, final int segmentBlocks,
        final boolean persistent, final boolean fsync, final WritePolicy policy, final long periodNanos,
        final int dirtyLimit, final Clock clock, final BackingStore store) throws IOException
    {
        this(directory, blockSize, flashBlocks, segmentBlocks, persistent, fsync, policy, periodNanos, dirtyLimit,
            clock, store, BlockKeys.MAX_FILE + 1, null, false, FlashIoListener.NONE);
    }

    /**
     * Opens or creates the flash tier in {@code directory}.
     *
     * @param directory     where {@code flash.data} and {@code flash.meta} live.
     * @param blockSize     block size.
     * @param flashBlocks   slots (a multiple of {@code segmentBlocks}).
     * @param segmentBlocks slots per segment.
     * @param persistent    recover from and keep the metadata log.
     * @param fsync         fsync on commit.
     * @param policy        write policy towards the backing store.
     * @param periodNanos   period of periodic write-back.
     * @param dirtyLimit    dirty blocks above which writers wait.
     * @param clock         time source.
     * @param store         backing store.
     * @param knownFiles    file ids below this are named by the file registry.
     * @param registryIssue what is wrong with the file registry, or {@code null}.
     * @param acceptLoss    open a tier that cannot prove it lost nothing, dropping what cannot be trusted.
     * @param io            told about every device I/O.
     * @throws IOException when the files cannot be created or read, or recovery refuses them.
     */
    public FlashTier(
        final Path directory, final int blockSize, final int flashBlocks, final int segmentBlocks,
        final boolean persistent, final boolean fsync, final WritePolicy policy, final long periodNanos,
        final int dirtyLimit, final Clock clock, final BackingStore store, final int knownFiles,
        final String registryIssue, final boolean acceptLoss, final FlashIoListener io) throws IOException
    {
        this.blockSize = blockSize;
        this.segmentBlocks = segmentBlocks;
        this.fsync = fsync;
        this.policy = policy;
        this.clock = clock;
        this.store = store;
        this.compactThreshold = Math.max(4L << 20, 4L * flashBlocks * MetadataDescriptor.RECORD_LENGTH);
        this.table = new SlotTable(flashBlocks, segmentBlocks);

        Files.createDirectories(directory);
        final Path dataPath = directory.resolve(FlashRecovery.SlotTableFiles.DATA);
        final Path metaPath = directory.resolve(FlashRecovery.SlotTableFiles.META);
        final Path sealPath = directory.resolve(CommitSeal.FILE_NAME);
        int newest = -1;
        long lastSeq = 0;
        if (persistent)
        {
            final boolean dataExists = Files.exists(dataPath);
            if (!dataExists && !Files.exists(metaPath) && !Files.exists(sealPath))
            {
                // A new tier: the seal comes first, so a crash while creating the rest is not taken for damage.
                CommitSeal.create(directory, 0).close();
            }
            final FlashRecovery recovery = new FlashRecovery(table);
            newest = recovery.recover(directory, metaPath, new int[] {blockSize, segmentBlocks, flashBlocks},
                dataExists, knownFiles, registryIssue, acceptLoss);
            lastSeq = recovery.lastSeq;
            recoveredEntries = recovery.recovered;
            droppedOnRecovery = recovery.dropped;
            corruptRecords = recovery.corrupt;
        }
        else
        {
            Files.deleteIfExists(metaPath);
            Files.deleteIfExists(dataPath);
            Files.deleteIfExists(sealPath);
            recoveredEntries = 0;
            droppedOnRecovery = 0;
            corruptRecords = 0;
        }
        slotLog = new SegmentLog(dataPath, blockSize, flashBlocks, segmentBlocks, io);
        MetadataLog openedLog = null;
        CommitSeal openedSeal = null;
        try
        {
            slotLog.preallocate();
            if (newest >= 0)
            {
                // Continue after the newest block: its segment is treated as full and read from the file.
                slotLog.continueAfter(newest / segmentBlocks);
            }
            final long now = clock.nanoTime();
            picker = new WriteBackPicker(policy, periodNanos, dirtyLimit, table, slotLog, now);
            if (persistent)
            {
                for (int slot = 0; slot < flashBlocks; slot++)
                {
                    table.dirtySince[slot] = now;
                }
                openedLog = MetadataLog.create(metaPath, blockSize, segmentBlocks, flashBlocks, lastSeq,
                    this::appendLiveRecords);
                openedSeal = CommitSeal.create(directory, openedLog.lastSeq());
                openedLog.listener(io);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            slotLog.close();
            if (null != openedLog)
            {
                openedLog.close();
            }
            throw ex;
        }
        log = openedLog;
        seal = openedSeal;
        durableSeq = null == log ? 0 : log.lastSeq();
        dataSyncedSeq = durableSeq;
        lastCheckpointSeq = durableSeq;
    }

    /** Writes the live state as records: a PUT per block, a LOST per lost block, then a checkpoint. */
    private void appendLiveRecords(final MetadataLog target)
    {
        for (int slot = 0; slot < table.slots; slot++)
        {
            if (SlotTable.FREE != table.state[slot])
            {
                // Keep the table's seq: it identifies the version for write-back and waiting writers.
                target.append(MetadataDescriptor.TYPE_PUT,
                    table.isDirty(slot) ? MetadataDescriptor.FLAG_DIRTY : 0, table.key[slot], slot, table.crc[slot]);
            }
        }
        for (final Map.Entry<Long, String> lost : table.lost().entrySet())
        {
            target.append(MetadataDescriptor.TYPE_LOST, (short)0, lost.getKey(), -1, 0);
        }
        appendCheckpoint(target);
    }

    private long appendCheckpoint(final MetadataLog target)
    {
        lastCheckpointSeq = target.append(MetadataDescriptor.TYPE_CHECKPOINT, (short)0, table.dirtyFingerprint(),
            table.dirtyCount(), table.lost().size());
        return lastCheckpointSeq;
    }

    /**
     * Switches to caller-runs write-back: there are no write-back threads, so a writer that would wait for
     * one (backpressure, the head entering a dirty segment, synchronous write-through) runs write-back steps
     * itself, holding the tier's lock as a waiting thread would not; only for single-threaded owners (the
     * simulator drives the cache this way, on simulated time).
     */
    public void callerRuns()
    {
        inlineBuffer = ByteBuffer.allocateDirect(blockSize);
    }

    /** Waits for write-back to make progress (the caller holds {@link #lock}), or makes it itself. */
    private void awaitWriteBackLocked() throws IOException, InterruptedException
    {
        if (null == inlineBuffer)
        {
            work.signalAll();
            cleaned.await(10, TimeUnit.MILLISECONDS);
            return;
        }
        if (0 == writeBackStep(inlineBuffer, false, 0) && 0 == writeBackStep(inlineBuffer, true, 0))
        {
            throw new FlashCacheException("caller-runs write-back found nothing to write back while waiting for it:"
                + " dirty=" + table.dirtyCount());
        }
    }

    /**
     * Reads a block if flash holds it and its checksum verifies. The device read happens outside the tier's
     * lock, so flash reads of different threads overlap; the caller must hold the block's key lock (no newer
     * version of this block can appear meanwhile). If the slot was reclaimed and overwritten during the read,
     * the checksum says so and the read counts as a miss. A damaged clean copy is dropped (a miss); a damaged
     * dirty copy whose bytes the backing store does not hold makes the block lost.
     *
     * @param key    block key.
     * @param dst    destination.
     * @param offset where in {@code dst}.
     * @return {@link #HIT}, {@link #MISS} or {@link #LOST}.
     * @throws IOException when the data file cannot be read.
     */
    public int read(final long key, final ByteBuffer dst, final int offset) throws IOException
    {
        final int slot;
        final int expectedCrc;
        final long seq;
        final boolean dirty;
        lock.lock();
        try
        {
            slot = table.slotOf(key);
            if (slot < 0)
            {
                return null == table.lostCause(key) ? MISS : LOST;
            }
            if (slotLog.inBuffer(slot))
            {
                slotLog.copyFromBuffer(slot, dst, offset);
                return HIT;
            }
            expectedCrc = table.crc[slot];
            seq = table.seq[slot];
            dirty = table.isDirty(slot);
        }
        finally
        {
            lock.unlock();
        }
        slotLog.readSlot(slot, dst, offset);
        final int actualCrc = Checksums.crcOf(READ_CRC.get(), dst, offset, blockSize);
        if (actualCrc == expectedCrc)
        {
            return HIT;
        }
        return damaged(key, slot, seq, dirty, expectedCrc, actualCrc) ? LOST : MISS;
    }

    /**
     * A checksum failed under a live entry: drop a clean one (the store has it); for a dirty one check whether
     * the store holds the same bytes after all (its write-back finished but the CLEAN record did not reach
     * the log), else mark the block lost. Returns whether it is lost.
     */
    private boolean damaged(
        final long key, final int slot, final long seq, final boolean dirty, final int expectedCrc, final int actualCrc)
        throws IOException
    {
        boolean storeHasIt = !dirty;
        if (dirty)
        {
            final ByteBuffer scratch = ByteBuffer.allocateDirect(blockSize);
            store.read(BlockKeys.file(key), BlockKeys.block(key), scratch, 0);
            storeHasIt = Checksums.crcOf(new CRC32C(), scratch, 0, blockSize) == expectedCrc;
        }
        lock.lock();
        try
        {
            if (table.slotOf(key) != slot || table.seq[slot] != seq)
            {
                // The slot was reclaimed and reused while we read (an ordinary miss), or another thread (a
                // write-back that met the same damage) has dealt with it meanwhile: then it may be lost.
                return null != table.lostCause(key);
            }
            checksumMisses++;
            final boolean wasDirty = table.drop(slot);
            if (wasDirty)
            {
                cleaned.signalAll();
            }
            if (!wasDirty || storeHasIt)
            {
                appendLocked(MetadataDescriptor.TYPE_INVALIDATE, key, slot);
                return false;
            }
            final String cause = String.format("its only current copy, flash slot %d of %s, is damaged (checksum"
                + " %08x, expected %08x) and the backing store holds an older version", slot,
                slotLog.path().getFileName(), actualCrc, expectedCrc);
            table.markLost(key, cause);
            lostBlocks++;
            appendLocked(MetadataDescriptor.TYPE_LOST, key, -1);
            LOG.error("flash tier: block lost: file id={} block={}: {}", BlockKeys.file(key), BlockKeys.block(key),
                cause);
            return true;
        }
        finally
        {
            lock.unlock();
        }
    }

    private long appendLocked(final byte type, final long key, final int slot)
    {
        return null == log ? ++localSeq : log.append(type, (short)0, key, slot, 0);
    }

    /**
     * @param key block key.
     * @return why the block's only current copy was lost, or {@code null} when it is not lost.
     */
    public String lostCause(final long key)
    {
        lock.lock();
        try
        {
            return table.lostCause(key);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * @return blocks currently marked lost.
     */
    public int lostCount()
    {
        lock.lock();
        try
        {
            return table.lost().size();
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * @return the key of some lost block, or -1 when none is lost.
     */
    public long anyLost()
    {
        lock.lock();
        try
        {
            return table.lost().isEmpty() ? -1 : table.lost().keySet().iterator().next();
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * @param key block key.
     * @return whether flash holds the block.
     */
    public boolean contains(final long key)
    {
        lock.lock();
        try
        {
            return table.slotOf(key) >= 0;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * @param key block key.
     * @return whether flash holds the block dirty.
     */
    public boolean isDirty(final long key)
    {
        lock.lock();
        try
        {
            final int slot = table.slotOf(key);
            return slot >= 0 && table.isDirty(slot);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Writes a block at the log head. If flash already holds the block dirty, or the block was lost, the new
     * copy is dirty (it is the only current copy).
     *
     * @param key    block key.
     * @param src    source.
     * @param offset where in {@code src}.
     * @param dirty  whether the backing store does not have this data yet.
     * @return the record's sequence number (pass to {@link #commit(long)}).
     * @throws IOException on a data-file failure.
     * @throws InterruptedException when interrupted while waiting for write-back.
     */
    public long put(final long key, final ByteBuffer src, final int offset, final boolean dirty)
        throws IOException, InterruptedException
    {
        lock.lock();
        try
        {
            while (true)
            {
                if (dirty && table.dirtyCount() >= picker.dirtyLimit() && running)
                {
                    // Backpressure: the writer waits until write-back brings dirty data under the limit.
                    awaitWriteBackLocked();
                }
                else if (slotLog.full())
                {
                    advanceSegment();
                }
                else
                {
                    break;
                }
            }
            // Both waits above release the lock. Every decision about this block is taken after the last wait
            // and holds, under the lock, until its record is appended: so a commit by another thread only ever
            // checkpoints a dirty state the log's records explain, and a version another writer placed while
            // this one waited is seen (a clean fill never lands over a newer dirty version).
            final int old = table.slotOf(key);
            final boolean wasDirty = old >= 0 && table.drop(old);
            if (wasDirty)
            {
                cleaned.signalAll();
            }
            final boolean isDirty = dirty || wasDirty || null != table.lostCause(key);
            final int slot = slotLog.append(src, offset, crc, crcOut);
            final long seq = null == log ? ++localSeq : log.append(MetadataDescriptor.TYPE_PUT,
                isDirty ? MetadataDescriptor.FLAG_DIRTY : 0, key, slot, crcOut[0]);
            table.place(key, slot, crcOut[0], seq, isDirty, clock.nanoTime());
            if (isDirty)
            {
                lastDirtyPutSeq = seq;
                if (WritePolicy.SYNC_WRITE_THROUGH == policy || WritePolicy.ASYNC_WRITE_THROUGH == policy)
                {
                    work.signalAll();
                }
            }
            return seq;
        }
        finally
        {
            lock.unlock();
        }
    }

    private void advanceSegment() throws IOException, InterruptedException
    {
        // Re-read the head after every wait: while this thread waited (lock released), other writers may have
        // advanced into the next segment and filled it. Acting on a stale "next" would move the head back
        // onto a segment and reuse the segment buffer without flushing the blocks just written to it, so
        // their slots would later be read from the file with another block's old data in them.
        slotLog.flush();
        int next = slotLog.nextSegment();
        while (table.segmentDirty[next] > 0)
        {
            // Write-back on eviction: the blocks about to be evicted must reach the backing store first.
            picker.urgent(next);
            awaitWriteBackLocked();
            if (!slotLog.full())
            {
                return;
            }
            if (!running)
            {
                throw new FlashCacheException("flash tier closed while waiting for write-back: segment=" + next);
            }
            slotLog.flush();
            next = slotLog.nextSegment();
        }
        if (!slotLog.full())
        {
            return;
        }
        final int base = next * segmentBlocks;
        for (int slot = base; slot < base + segmentBlocks; slot++)
        {
            table.drop(slot);
        }
        slotLog.open(next);
        picker.headEntered(next);
    }

    /**
     * Drops a block from flash and persists the invalidation (call {@link #commit(long)} to make it durable);
     * a lost mark goes too (the caller accepts the backing store's version).
     *
     * @param key          block key.
     * @param evenIfAbsent record the invalidation even if flash does not hold the block (an old record might).
     * @return the record's sequence number, or 0 if nothing was recorded.
     */
    public long invalidate(final long key, final boolean evenIfAbsent)
    {
        lock.lock();
        try
        {
            final int slot = table.slotOf(key);
            final boolean wasLost = null != table.lostCause(key);
            if (slot >= 0 && table.drop(slot))
            {
                cleaned.signalAll();
            }
            table.clearLost(key);
            if (null != log && (slot >= 0 || wasLost || evenIfAbsent))
            {
                return log.append(MetadataDescriptor.TYPE_INVALIDATE, (short)0, key, Math.max(slot, 0), 0);
            }
            return 0;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Makes every record up to {@code seq} durable (group commit): writes pending segment data, then the log
     * with a closing checkpoint, then fsyncs (data first when dirty data is covered) and updates the seal.
     * Concurrent committers share one fsync.
     *
     * @param seq sequence number returned by {@link #put} or {@link #invalidate}.
     * @throws IOException on failure.
     */
    public void commit(final long seq) throws IOException
    {
        if (null == log || seq <= durableSeq)
        {
            return;
        }
        commitLock.lock();
        try
        {
            if (seq <= durableSeq)
            {
                return;
            }
            final long target;
            final boolean compact;
            final boolean syncData;
            lock.lock();
            try
            {
                slotLog.flush();
                if (log.lastSeq() > lastCheckpointSeq)
                {
                    appendCheckpoint(log);
                }
                target = log.lastSeq();
                syncData = lastDirtyPutSeq > dataSyncedSeq;
                log.writeOut();
                compact = log.fileSize() > compactThreshold;
            }
            finally
            {
                lock.unlock();
            }
            if (fsync)
            {
                if (syncData)
                {
                    // Dirty data first: a durable dirty record must never point at data a crash can lose.
                    slotLog.force();
                    dataSyncedSeq = target;
                    dataSyncs++;
                }
                log.force();
                logSyncs++;
            }
            durableSeq = target;
            seal.write(target);
            if (compact)
            {
                compact();
            }
        }
        finally
        {
            commitLock.unlock();
        }
    }

    private void compact() throws IOException
    {
        lock.lock();
        try
        {
            slotLog.flush();
            slotLog.force();
            log.rewrite(this::appendLiveRecords);
            durableSeq = log.lastSeq();
            // Sequence numbers continue across the rewrite; every record so far has its data forced.
            dataSyncedSeq = durableSeq;
            seal.write(durableSeq);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Waits until the version of {@code key} written with {@code seq} is clean or superseded
     * (synchronous write-through).
     *
     * @param key block key.
     * @param seq the write's sequence number.
     * @throws IOException when caller-runs write-back fails.
     * @throws InterruptedException when interrupted.
     */
    public void awaitClean(final long key, final long seq) throws IOException, InterruptedException
    {
        lock.lock();
        try
        {
            work.signalAll();
            while (running)
            {
                final int slot = table.slotOf(key);
                if (slot < 0 || !table.isDirty(slot) || table.seq[slot] != seq)
                {
                    return;
                }
                awaitWriteBackLocked();
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * One step of a write-back thread: picks one dirty block that the policy says is due and whose key has no
     * write-back in flight, writes it to the backing store outside the lock, then marks it clean unless it
     * changed meanwhile. Safe to call from several threads at once (see the class comment). A dirty copy
     * that fails its checksum is never sent to the store (that would spread the damage): the block is lost.
     *
     * @param buffer    a block-sized scratch buffer owned by the caller.
     * @param all       write back everything dirty now (flush).
     * @param waitNanos how long to wait for work when there is none.
     * @return 1 if a block was written back or found lost, 0 otherwise.
     * @throws IOException when the backing store fails.
     * @throws InterruptedException when interrupted.
     */
    public int writeBackStep(final ByteBuffer buffer, final boolean all, final long waitNanos)
        throws IOException, InterruptedException
    {
        final long key;
        final int slot;
        final long seq;
        final int expectedCrc;
        lock.lock();
        try
        {
            final int victim = picker.pick(all, null == log ? localSeq : log.lastSeq(), clock.nanoTime());
            if (victim < 0)
            {
                if (waitNanos > 0)
                {
                    work.awaitNanos(waitNanos);
                }
                return 0;
            }
            slot = victim;
            key = table.key[slot];
            seq = table.seq[slot];
            expectedCrc = table.crc[slot];
            if (slotLog.inBuffer(slot))
            {
                slotLog.copyFromBuffer(slot, buffer, 0);
            }
            else
            {
                slotLog.readSlot(slot, buffer, 0);
            }
            // From here until the store write ends no other thread picks this key (see class comment).
            picker.startFlight(key);
        }
        finally
        {
            lock.unlock();
        }
        final int actualCrc = Checksums.crcOf(READ_CRC.get(), buffer, 0, blockSize);
        if (actualCrc != expectedCrc)
        {
            try
            {
                damaged(key, slot, seq, true, expectedCrc, actualCrc);
            }
            finally
            {
                endFlight(key);
            }
            return 1;
        }
        boolean written = false;
        try
        {
            store.write(BlockKeys.file(key), BlockKeys.block(key), buffer, 0);
            written = true;
        }
        finally
        {
            if (!written)
            {
                // The block stays dirty and may be picked again (by any write-back thread).
                endFlight(key);
            }
        }
        lock.lock();
        try
        {
            picker.endFlight(key);
            // Another write-back thread may be waiting for this key's newer version.
            work.signalAll();
            writeBacks++;
            if (table.slotOf(key) == slot && table.isDirty(slot) && table.seq[slot] == seq)
            {
                table.markClean(slot);
                if (null != log)
                {
                    log.append(MetadataDescriptor.TYPE_CLEAN, (short)0, key, slot, 0);
                }
            }
            cleaned.signalAll();
        }
        finally
        {
            lock.unlock();
        }
        return 1;
    }

    private void endFlight(final long key)
    {
        lock.lock();
        try
        {
            picker.endFlight(key);
            work.signalAll();
            cleaned.signalAll();
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Waits until a writer signals work or the timeout passes (called by the write-back thread between steps).
     *
     * @param nanos the longest wait.
     * @throws InterruptedException when interrupted.
     */
    public void awaitWork(final long nanos) throws InterruptedException
    {
        lock.lock();
        try
        {
            if (running && 0 == table.dirtyCount())
            {
                work.awaitNanos(nanos);
            }
            else if (running && picker.pick(false, null == log ? localSeq : log.lastSeq(), clock.nanoTime()) < 0)
            {
                work.awaitNanos(Math.min(nanos, TimeUnit.MILLISECONDS.toNanos(5)));
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * @return 0 when a write-back step would find work now, else how long until periodic write-back is due
     *         ({@link Long#MAX_VALUE} when nothing is dirty or waits for an eviction).
     */
    public long nanosUntilWriteBack()
    {
        lock.lock();
        try
        {
            if (0 == table.dirtyCount())
            {
                return Long.MAX_VALUE;
            }
            final long now = clock.nanoTime();
            if (picker.pick(false, null == log ? localSeq : log.lastSeq(), now) >= 0)
            {
                return 0;
            }
            return WritePolicy.PERIODIC_WRITE_BACK == policy ? picker.nanosUntilDue(now) : Long.MAX_VALUE;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Waits until a write-back marks a block clean (or the timeout passes): a flushing caller that found
     * nothing to pick while other threads still have write-backs in flight.
     *
     * @param nanos the longest wait.
     * @throws InterruptedException when interrupted.
     */
    public void awaitCleaned(final long nanos) throws InterruptedException
    {
        lock.lock();
        try
        {
            if (running && table.dirtyCount() > 0)
            {
                cleaned.awaitNanos(nanos);
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Wakes the write-back threads.
     */
    public void wake()
    {
        lock.lock();
        try
        {
            work.signalAll();
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * @return how long until periodic write-back is next due, in nanoseconds (at least 1 ms).
     */
    public long nanosUntilDue()
    {
        lock.lock();
        try
        {
            return picker.nanosUntilDue(clock.nanoTime());
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Fills a statistics snapshot.
     *
     * @param out where to put the numbers: live, dirty, lag nanos, data bytes, meta bytes, write-backs,
     *            recovered, dropped on recovery, corrupt records, checksum misses, lost blocks.
     */
    public void stats(final long[] out)
    {
        lock.lock();
        try
        {
            long oldest = Long.MAX_VALUE;
            if (table.dirtyCount() > 0)
            {
                for (int slot = 0; slot < table.slots; slot++)
                {
                    if (table.isDirty(slot) && table.dirtySince[slot] < oldest)
                    {
                        oldest = table.dirtySince[slot];
                    }
                }
            }
            out[0] = table.liveCount();
            out[1] = table.dirtyCount();
            out[2] = Long.MAX_VALUE == oldest ? 0 : clock.nanoTime() - oldest;
            out[3] = slotLog.bytesWritten();
            out[4] = null == log ? 0 : log.bytesWritten();
            out[5] = writeBacks;
            out[6] = recoveredEntries;
            out[7] = droppedOnRecovery;
            out[8] = corruptRecords;
            out[9] = checksumMisses;
            if (out.length > 10)
            {
                out[10] = table.lost().size();
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * @return data-file fsyncs done by commits (only commits covering dirty data sync the data file).
     */
    public long dataSyncs()
    {
        commitLock.lock();
        try
        {
            return dataSyncs;
        }
        finally
        {
            commitLock.unlock();
        }
    }

    /**
     * @return metadata-log fsyncs done by commits.
     */
    public long logSyncs()
    {
        commitLock.lock();
        try
        {
            return logSyncs;
        }
        finally
        {
            commitLock.unlock();
        }
    }

    /**
     * @return dirty blocks in flash.
     */
    public int dirtyCount()
    {
        lock.lock();
        try
        {
            return table.dirtyCount();
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Stops waiting writers and the write-back thread (they return).
     */
    public void stop()
    {
        lock.lock();
        try
        {
            running = false;
            work.signalAll();
            cleaned.signalAll();
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Commits everything and compacts the log so the next open is fast, then closes the files.
     *
     * @throws IOException on failure.
     */
    @Override
    public void close() throws IOException
    {
        try
        {
            if (null != log)
            {
                commit(log.lastSeq());
                commitLock.lock();
                try
                {
                    compact();
                }
                finally
                {
                    commitLock.unlock();
                }
                log.close();
                seal.close();
            }
        }
        finally
        {
            slotLog.close();
        }
    }

    /**
     * @return the data file's path.
     */
    public Path dataPath()
    {
        return slotLog.path();
    }

    /**
     * @return the metadata log's path, or {@code null} when not persistent.
     */
    public Path metaPath()
    {
        return null == log ? null : log.path();
    }
}
