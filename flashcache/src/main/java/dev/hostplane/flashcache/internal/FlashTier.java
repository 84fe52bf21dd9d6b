package dev.hostplane.flashcache.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

import dev.hostplane.flashcache.BackingStore;
import dev.hostplane.flashcache.Clock;
import dev.hostplane.flashcache.FlashCacheException;
import dev.hostplane.flashcache.WritePolicy;
import dev.hostplane.flashcache.policy.LongIntHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flash tier: a preallocated data file of fixed slots, filled log-structured one segment at a time
 * through an in-memory segment buffer (large sequential writes), with an in-memory index block to slot
 * rebuilt at open from the {@link MetadataLog}.
 *
 * <p>Design.
 * <ul>
 * <li>Never overwrite in place: a new version of a block goes to the log head; the old slot just dies.
 *     So a block being written back is never read torn, and a crash can only lose the tail.</li>
 * <li>Eviction is FIFO by segment (the CacheLib BlockCache choice with the lowest write amplification):
 *     before the head enters a segment, its live blocks are dropped; dirty ones must have been written
 *     back first (the writer waits for the write-back thread: that is the write-back-on-eviction policy).</li>
 * <li>Every PUT record carries a CRC32C of the data; a read verifies it, so a slot overwritten after its
 *     record was persisted, or a torn data write, reads as a miss, never as wrong data.</li>
 * <li>Durability: {@link #commit(long)} writes the pending segment data and log records and fsyncs the log
 *     (group commit: one fsync covers every record appended before it). The data file is fsynced first only
 *     when the commit covers a dirty PUT (data the backing store does not have). A clean PUT, CLEAN or
 *     INVALIDATE record needs no data fsync: if a crash loses a clean block's data under a durable record,
 *     its CRC32C fails on read and the block is a miss, re-read from the backing store, never wrong data.
 *     So invalidations and committed cache fills cost one fsync; an acknowledged dirty write still two.</li>
 * <li>Write-back may run on several threads: each picks a different dirty block, and a key with a write-back
 *     in flight is not picked again until that write finished, so for every block the backing store
 *     receives its versions in order (an older version can never land after a newer one); blocks of
 *     different keys are independent and their order towards the store is not promised anyway.</li>
 * <li>Recovery: records are applied in order; a torn tail is ignored; a corrupt record in the middle makes
 *     every entry not re-confirmed after it suspect (it might have been an invalidation), so those are
 *     dropped. Then the log is compacted to the live entries.</li>
 * </ul>
 * Lock order: callers' key locks, then one RAM shard lock, then {@link #commitLock}, then {@link #lock}.
 */
public final class FlashTier implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(FlashTier.class);
    private static final byte FREE = 0;
    private static final byte CLEAN = 1;
    private static final byte DIRTY = 2;
    /** Most write-backs in flight at once (write-back threads plus flushing callers); more callers wait. */
    public static final int MAX_IN_FLIGHT = 64;

    private final int blockSize;
    private final int segmentBlocks;
    private final int segments;
    private final int slots;
    private final boolean persistent;
    private final boolean fsync;
    private final WritePolicy policy;
    private final long periodNanos;
    private final int dirtyLimit;
    private final Clock clock;
    private final BackingStore store;
    private final Path dataPath;
    private final FileChannel data;
    private final MetadataLog log;
    private final long compactThreshold;

    private final LongIntHashMap index;
    private final long[] slotKey;
    private final int[] slotCrc;
    private final long[] slotSeq;
    private final long[] slotDirtySince;
    private final byte[] slotState;
    private final int[] segmentDirty;
    private final long[] inFlightKeys = new long[MAX_IN_FLIGHT];
    private int inFlightCount;
    private final ByteBuffer segmentBuffer;
    private static final ThreadLocal<CRC32C> READ_CRC = ThreadLocal.withInitial(CRC32C::new);

    private final CRC32C crc = new CRC32C();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition cleaned = lock.newCondition();
    private final Condition work = lock.newCondition();
    private final ReentrantLock commitLock = new ReentrantLock();

    private int currentSegment;
    private int fill;
    private int flushedUpTo;
    private boolean bufferValid;
    private int dirtyCount;
    private int liveCount;
    private int urgentSegment = -1;
    private long periodEndMarker = -1;
    private long localSeq;
    private long nextPeriodNanos;
    private volatile long durableSeq;
    private long bytesWrittenData;
    private long recoveredEntries;
    private long droppedOnRecovery;
    private long corruptRecords;
    private long checksumMisses;
    private long writeBacks;
    /** Sequence of the newest dirty PUT record; its data must be fsynced before a commit covering it. */
    private long lastDirtyPutSeq;
    /** Every dirty PUT up to this sequence has its data fsynced (guarded by {@link #commitLock}). */
    private long dataSyncedSeq;
    private long dataSyncs;
    private long logSyncs;
    private volatile boolean running = true;

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
     * @throws IOException when the files cannot be created or read.
     */
    public FlashTier(
        final Path directory,
        final int blockSize,
        final int flashBlocks,
        final int segmentBlocks,
        final boolean persistent,
        final boolean fsync,
        final WritePolicy policy,
        final long periodNanos,
        final int dirtyLimit,
        final Clock clock,
        final BackingStore store) throws IOException
    {
        this.blockSize = blockSize;
        this.segmentBlocks = segmentBlocks;
        this.slots = flashBlocks;
        this.segments = flashBlocks / segmentBlocks;
        this.persistent = persistent;
        this.fsync = fsync;
        this.policy = policy;
        this.periodNanos = periodNanos;
        this.dirtyLimit = dirtyLimit;
        this.clock = clock;
        this.store = store;
        this.compactThreshold = Math.max(4L << 20, 4L * slots * MetadataDescriptor.RECORD_LENGTH);
        index = new LongIntHashMap(slots);
        slotKey = new long[slots];
        slotCrc = new int[slots];
        slotSeq = new long[slots];
        slotDirtySince = new long[slots];
        slotState = new byte[slots];
        segmentDirty = new int[segments];
        segmentBuffer = ByteBuffer.allocateDirect(segmentBlocks * blockSize);

        Files.createDirectories(directory);
        dataPath = directory.resolve("flash.data");
        final Path metaPath = directory.resolve("flash.meta");
        if (!persistent)
        {
            Files.deleteIfExists(metaPath);
            Files.deleteIfExists(dataPath);
        }
        data = FileChannel.open(dataPath, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        preallocate();
        if (persistent)
        {
            final Recovery recovery = new Recovery();
            log = new MetadataLog(metaPath, blockSize, segmentBlocks, flashBlocks, recovery);
            recovery.finish();
            durableSeq = log.lastSeq();
        }
        else
        {
            log = null;
            // Same starting point as after recovery: the first put opens a fresh segment.
            currentSegment = segments - 1;
            fill = segmentBlocks;
            flushedUpTo = segmentBlocks;
            bufferValid = false;
        }
        nextPeriodNanos = clock.nanoTime() + periodNanos;
    }

    private void preallocate() throws IOException
    {
        // Write real zeros, not a sparse file: the slots are then allocated on the device up front.
        final long size = (long)slots * blockSize;
        long position = data.size();
        if (position >= size)
        {
            return;
        }
        final ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
        while (position < size)
        {
            zeros.clear().limit((int)Math.min(zeros.capacity(), size - position));
            position += data.write(zeros, position);
        }
        data.force(true);
    }

    /** Applies recovered records to the index. */
    private final class Recovery implements MetadataLog.RecoveryHandler
    {
        private final int[] slotRecord = new int[slots];
        private int lastCorrupt = -1;
        private int lastValid = -1;
        private long maxPutSeq = -1;
        private int maxPutSlot = -1;

        @Override
        public void onRecord(
            final int recordIndex, final byte type, final short flags, final long seq, final long key, final int slot,
            final int dataCrc)
        {
            lastValid = recordIndex;
            if (MetadataDescriptor.TYPE_HEADER == type)
            {
                return;
            }
            if (MetadataDescriptor.TYPE_INVALIDATE == type)
            {
                final int old = index.remove(key);
                if (old >= 0)
                {
                    slotState[old] = FREE;
                }
                return;
            }
            if (slot < 0 || slot >= slots)
            {
                lastCorrupt = recordIndex;
                return;
            }
            if (MetadataDescriptor.TYPE_PUT == type)
            {
                final int old = index.remove(key);
                if (old >= 0)
                {
                    slotState[old] = FREE;
                }
                if (FREE != slotState[slot])
                {
                    // The slot was reused: whoever lived there before is gone.
                    index.remove(slotKey[slot]);
                }
                index.put(key, slot);
                slotKey[slot] = key;
                slotCrc[slot] = dataCrc;
                slotSeq[slot] = seq;
                slotState[slot] = 0 != (flags & MetadataDescriptor.FLAG_DIRTY) ? DIRTY : CLEAN;
                slotRecord[slot] = recordIndex;
                if (seq > maxPutSeq)
                {
                    maxPutSeq = seq;
                    maxPutSlot = slot;
                }
            }
            else if (MetadataDescriptor.TYPE_CLEAN == type)
            {
                if (index.get(key) == slot && slotSeq[slot] <= seq)
                {
                    slotState[slot] = CLEAN;
                    slotRecord[slot] = recordIndex;
                }
            }
        }

        @Override
        public void onCorrupt(final int recordIndex)
        {
            corruptRecords++;
            lastCorrupt = recordIndex;
        }

        void finish() throws IOException
        {
            final boolean corruptInMiddle = lastCorrupt >= 0 && lastValid > lastCorrupt;
            for (int slot = 0; slot < slots; slot++)
            {
                if (FREE == slotState[slot])
                {
                    continue;
                }
                if (corruptInMiddle && slotRecord[slot] < lastCorrupt)
                {
                    // The lost record might have invalidated this block: do not trust it.
                    index.remove(slotKey[slot]);
                    slotState[slot] = FREE;
                    droppedOnRecovery++;
                    continue;
                }
                liveCount++;
                if (DIRTY == slotState[slot])
                {
                    dirtyCount++;
                    segmentDirty[slot / segmentBlocks]++;
                    slotDirtySince[slot] = clock.nanoTime();
                }
            }
            recoveredEntries = liveCount;
            if (corruptRecords > 0)
            {
                LOG.warn("flash metadata: corrupt or torn records={} (last at record {}), blocks dropped={}, "
                    + "blocks recovered={}", corruptRecords, lastCorrupt, droppedOnRecovery, liveCount);
            }
            // Continue after the newest block: its segment is treated as full and read from the file.
            currentSegment = maxPutSlot < 0 ? segments - 1 : maxPutSlot / segmentBlocks;
            fill = segmentBlocks;
            flushedUpTo = segmentBlocks;
            bufferValid = false;
            log.rewrite(FlashTier.this::appendLiveRecords);
        }
    }

    private void appendLiveRecords()
    {
        for (int slot = 0; slot < slots; slot++)
        {
            if (FREE != slotState[slot])
            {
                // Keep slotSeq: it identifies the version for write-back and waiting writers.
                log.append(MetadataDescriptor.TYPE_PUT,
                    DIRTY == slotState[slot] ? MetadataDescriptor.FLAG_DIRTY : 0, slotKey[slot], slot, slotCrc[slot]);
            }
        }
    }

    private static int crcOf(final CRC32C crc, final ByteBuffer buffer, final int offset, final int length)
    {
        final int oldPosition = buffer.position();
        final int oldLimit = buffer.limit();
        crc.reset();
        buffer.limit(offset + length).position(offset);
        crc.update(buffer);
        buffer.limit(oldLimit).position(oldPosition);
        return (int)crc.getValue();
    }

    /**
     * Reads a block if flash holds it and its checksum verifies. The device read happens outside the tier's
     * lock, so flash reads of different threads overlap; the caller must hold the block's key lock (no newer
     * version of this block can appear meanwhile). If the slot was reclaimed and overwritten during the read,
     * the checksum says so and the read counts as a miss.
     *
     * @param key    block key.
     * @param dst    destination.
     * @param offset where in {@code dst}.
     * @return whether the block was found and copied.
     * @throws IOException when the data file cannot be read.
     */
    public boolean read(final long key, final ByteBuffer dst, final int offset) throws IOException
    {
        final int slot;
        final int expectedCrc;
        final long seq;
        lock.lock();
        try
        {
            slot = index.get(key);
            if (slot < 0)
            {
                return false;
            }
            if (inBuffer(slot))
            {
                dst.put(offset, segmentBuffer, (slot % segmentBlocks) * blockSize, blockSize);
                return true;
            }
            expectedCrc = slotCrc[slot];
            seq = slotSeq[slot];
        }
        finally
        {
            lock.unlock();
        }
        final int oldPosition = dst.position();
        final int oldLimit = dst.limit();
        final int actualCrc;
        try
        {
            dst.limit(offset + blockSize).position(offset);
            final long position = (long)slot * blockSize - offset;
            while (dst.hasRemaining())
            {
                if (data.read(dst, position + dst.position()) < 0)
                {
                    break;
                }
            }
            actualCrc = crcOf(READ_CRC.get(), dst, offset, blockSize);
        }
        finally
        {
            dst.limit(oldLimit).position(oldPosition);
        }
        if (actualCrc == expectedCrc)
        {
            return true;
        }
        lock.lock();
        try
        {
            if (index.get(key) == slot && slotSeq[slot] == seq)
            {
                // Torn or corrupt data under a live entry: drop it for good, never serve it.
                checksumMisses++;
                dropLocked(key, slot);
                if (null != log)
                {
                    log.append(MetadataDescriptor.TYPE_INVALIDATE, (short)0, key, slot, 0);
                }
            }
            // Otherwise the slot was reclaimed and reused while we read: an ordinary miss.
            return false;
        }
        finally
        {
            lock.unlock();
        }
    }

    private boolean inBuffer(final int slot)
    {
        return bufferValid && slot / segmentBlocks == currentSegment && slot % segmentBlocks < fill;
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
            return index.get(key) >= 0;
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
            final int slot = index.get(key);
            return slot >= 0 && DIRTY == slotState[slot];
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Writes a block at the log head. If flash already holds the block dirty, the new copy stays dirty.
     *
     * @param key    block key.
     * @param src    source.
     * @param offset where in {@code src}.
     * @param dirty  whether the backing store does not have this data yet.
     * @return the record's sequence number (pass to {@link #commit(long)}), or 0 when not persistent.
     * @throws IOException on a data-file failure.
     * @throws InterruptedException when interrupted while waiting for write-back.
     */
    public long put(final long key, final ByteBuffer src, final int offset, final boolean dirty)
        throws IOException, InterruptedException
    {
        lock.lock();
        try
        {
            while (dirty && dirtyCount >= dirtyLimit && running)
            {
                // Backpressure: the writer waits until write-back brings dirty data under the limit.
                work.signalAll();
                cleaned.await(10, TimeUnit.MILLISECONDS);
            }
            boolean wasDirty = false;
            final int old = index.get(key);
            if (old >= 0)
            {
                wasDirty = DIRTY == slotState[old];
                dropLocked(key, old);
            }
            while (fill == segmentBlocks)
            {
                advanceSegment();
            }
            final int slot = currentSegment * segmentBlocks + fill;
            final int bufferOffset = fill * blockSize;
            segmentBuffer.put(bufferOffset, src, offset, blockSize);
            fill++;
            final boolean isDirty = dirty || wasDirty;
            slotKey[slot] = key;
            slotCrc[slot] = crcOf(crc, segmentBuffer, bufferOffset, blockSize);
            slotState[slot] = isDirty ? DIRTY : CLEAN;
            index.put(key, slot);
            liveCount++;
            final long seq = null == log ? ++localSeq : log.append(MetadataDescriptor.TYPE_PUT,
                isDirty ? MetadataDescriptor.FLAG_DIRTY : 0, key, slot, slotCrc[slot]);
            slotSeq[slot] = seq;
            if (isDirty)
            {
                lastDirtyPutSeq = seq;
                dirtyCount++;
                segmentDirty[currentSegment]++;
                slotDirtySince[slot] = clock.nanoTime();
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

    private void dropLocked(final long key, final int slot)
    {
        index.remove(key);
        if (DIRTY == slotState[slot])
        {
            dirtyCount--;
            segmentDirty[slot / segmentBlocks]--;
            cleaned.signalAll();
        }
        slotState[slot] = FREE;
        liveCount--;
    }

    private void advanceSegment() throws IOException, InterruptedException
    {
        // Re-read the head after every wait: while this thread waited (lock released), other writers may have
        // advanced into the next segment and filled it. Acting on a stale "next" would move the head back
        // onto a segment and reuse the segment buffer without flushing the blocks just written to it, so
        // their slots would later be read from the file with another block's old data in them.
        flushSegmentLocked();
        int next = (currentSegment + 1) % segments;
        while (segmentDirty[next] > 0)
        {
            // Write-back on eviction: the blocks about to be evicted must reach the backing store first.
            urgentSegment = next;
            work.signalAll();
            cleaned.await(10, TimeUnit.MILLISECONDS);
            if (fill != segmentBlocks)
            {
                return;
            }
            if (!running)
            {
                throw new FlashCacheException("flash tier closed while waiting for write-back: segment=" + next);
            }
            flushSegmentLocked();
            next = (currentSegment + 1) % segments;
        }
        if (fill != segmentBlocks)
        {
            return;
        }
        final int base = next * segmentBlocks;
        for (int slot = base; slot < base + segmentBlocks; slot++)
        {
            if (FREE != slotState[slot])
            {
                dropLocked(slotKey[slot], slot);
            }
        }
        currentSegment = next;
        fill = 0;
        flushedUpTo = 0;
        bufferValid = true;
        if (urgentSegment == next)
        {
            urgentSegment = -1;
        }
    }

    private void flushSegmentLocked() throws IOException
    {
        if (!bufferValid || flushedUpTo >= fill)
        {
            return;
        }
        final ByteBuffer buffer = segmentBuffer;
        final int oldLimit = buffer.limit();
        buffer.limit(fill * blockSize).position(flushedUpTo * blockSize);
        long position = ((long)currentSegment * segmentBlocks + flushedUpTo) * blockSize;
        while (buffer.hasRemaining())
        {
            final int n = data.write(buffer, position);
            position += n;
            bytesWrittenData += n;
        }
        buffer.limit(oldLimit).position(0);
        flushedUpTo = fill;
    }

    /**
     * Drops a block from flash and persists the invalidation (call {@link #commit(long)} to make it durable).
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
            final int slot = index.get(key);
            if (slot >= 0)
            {
                dropLocked(key, slot);
            }
            if (null != log && (slot >= 0 || evenIfAbsent))
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
     * Makes every record up to {@code seq} durable: writes pending segment data, then the log, then fsyncs
     * both. Concurrent committers share one fsync.
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
                flushSegmentLocked();
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
                    data.force(false);
                    dataSyncedSeq = target;
                    dataSyncs++;
                }
                log.force();
                logSyncs++;
            }
            durableSeq = target;
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
            flushSegmentLocked();
            data.force(false);
            log.rewrite(this::appendLiveRecords);
            durableSeq = log.lastSeq();
            // Sequence numbers continue across the rewrite; every record so far has its data forced.
            dataSyncedSeq = durableSeq;
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
     * @throws InterruptedException when interrupted.
     */
    public void awaitClean(final long key, final long seq) throws InterruptedException
    {
        lock.lock();
        try
        {
            work.signalAll();
            while (running)
            {
                final int slot = index.get(key);
                if (slot < 0 || DIRTY != slotState[slot] || slotSeq[slot] != seq)
                {
                    return;
                }
                cleaned.await(10, TimeUnit.MILLISECONDS);
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
     * changed meanwhile. Safe to call from several threads at once (see the class comment).
     *
     * @param buffer   a block-sized scratch buffer owned by the caller.
     * @param all      write back everything dirty now (flush).
     * @param waitNanos how long to wait for work when there is none.
     * @return 1 if a block was written back, 0 otherwise.
     * @throws IOException when the backing store fails.
     * @throws InterruptedException when interrupted.
     */
    public int writeBackStep(final ByteBuffer buffer, final boolean all, final long waitNanos)
        throws IOException, InterruptedException
    {
        final long key;
        final int slot;
        final long seq;
        lock.lock();
        try
        {
            final int victim = pickDirtyLocked(all);
            if (victim < 0)
            {
                if (waitNanos > 0)
                {
                    work.awaitNanos(waitNanos);
                }
                return 0;
            }
            slot = victim;
            key = slotKey[slot];
            seq = slotSeq[slot];
            if (inBuffer(slot))
            {
                buffer.put(0, segmentBuffer, (slot % segmentBlocks) * blockSize, blockSize);
            }
            else
            {
                buffer.clear();
                final long position = (long)slot * blockSize;
                while (buffer.hasRemaining())
                {
                    if (data.read(buffer, position + buffer.position()) < 0)
                    {
                        break;
                    }
                }
                buffer.clear();
            }
            if (crcOf(crc, buffer, 0, blockSize) != slotCrc[slot])
            {
                // Corrupt flash data under a dirty entry: never send it to the store (that would spread the
                // damage), drop the entry like a failed read does (retrying could never succeed and the
                // head would wait for it forever), and report the lost block.
                checksumMisses++;
                dropLocked(key, slot);
                if (null != log)
                {
                    log.append(MetadataDescriptor.TYPE_INVALIDATE, (short)0, key, slot, 0);
                }
                throw new FlashCacheException("write-back checksum mismatch, dirty block dropped: key=" + key
                    + " slot=" + slot + " seq=" + seq);
            }
            // From here until the store write ends no other thread picks this key (see class comment).
            inFlightKeys[inFlightCount++] = key;
        }
        finally
        {
            lock.unlock();
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
                lock.lock();
                try
                {
                    removeInFlightLocked(key);
                    work.signalAll();
                }
                finally
                {
                    lock.unlock();
                }
            }
        }
        lock.lock();
        try
        {
            removeInFlightLocked(key);
            // Another write-back thread may be waiting for this key's newer version.
            work.signalAll();
            writeBacks++;
            if (index.get(key) == slot && DIRTY == slotState[slot] && slotSeq[slot] == seq)
            {
                slotState[slot] = CLEAN;
                dirtyCount--;
                segmentDirty[slot / segmentBlocks]--;
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

    private boolean inFlightLocked(final long key)
    {
        for (int i = 0; i < inFlightCount; i++)
        {
            if (inFlightKeys[i] == key)
            {
                return true;
            }
        }
        return false;
    }

    private void removeInFlightLocked(final long key)
    {
        for (int i = 0; i < inFlightCount; i++)
        {
            if (inFlightKeys[i] == key)
            {
                inFlightKeys[i] = inFlightKeys[--inFlightCount];
                return;
            }
        }
    }

    private int pickDirtyLocked(final boolean all)
    {
        if (0 == dirtyCount || MAX_IN_FLIGHT == inFlightCount)
        {
            return -1;
        }
        final boolean everything = all
            || WritePolicy.SYNC_WRITE_THROUGH == policy
            || WritePolicy.ASYNC_WRITE_THROUGH == policy
            || dirtyCount >= dirtyLimit;
        if (everything)
        {
            return oldestDirtyLocked(Long.MAX_VALUE);
        }
        if (urgentSegment >= 0 && segmentDirty[urgentSegment] > 0)
        {
            return firstDirtyIn(urgentSegment, Long.MAX_VALUE);
        }
        if (WritePolicy.PERIODIC_WRITE_BACK == policy)
        {
            final long now = clock.nanoTime();
            if (now >= nextPeriodNanos)
            {
                // Everything dirty at the start of the period is written back in this pass.
                nextPeriodNanos = now + periodNanos;
                periodEndMarker = lastAssignedSeqLocked();
            }
            final int slot = oldestDirtyLocked(periodEndMarker);
            if (slot < 0)
            {
                periodEndMarker = -1;
            }
            return slot;
        }
        // Write-back on eviction: only the segment the head enters next, once the head is half way.
        final int next = (currentSegment + 1) % segments;
        if (fill * 2 >= segmentBlocks && segmentDirty[next] > 0)
        {
            return firstDirtyIn(next, Long.MAX_VALUE);
        }
        return -1;
    }

    private long lastAssignedSeqLocked()
    {
        return null == log ? localSeq : log.lastSeq();
    }

    private int oldestDirtyLocked(final long maxSeq)
    {
        for (int i = 1; i <= segments; i++)
        {
            final int segment = (currentSegment + i) % segments;
            if (segmentDirty[segment] > 0)
            {
                final int slot = firstDirtyIn(segment, maxSeq);
                if (slot >= 0)
                {
                    return slot;
                }
            }
        }
        return -1;
    }

    private int firstDirtyIn(final int segment, final long maxSeq)
    {
        final int base = segment * segmentBlocks;
        for (int slot = base; slot < base + segmentBlocks; slot++)
        {
            if (DIRTY == slotState[slot] && slotSeq[slot] <= maxSeq && !inFlightLocked(slotKey[slot]))
            {
                return slot;
            }
        }
        return -1;
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
            if (running && 0 == dirtyCount)
            {
                work.awaitNanos(nanos);
            }
            else if (running && pickDirtyLocked(false) < 0)
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
            if (running && dirtyCount > 0)
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
        if (WritePolicy.PERIODIC_WRITE_BACK != policy)
        {
            return TimeUnit.MILLISECONDS.toNanos(100);
        }
        return Math.max(TimeUnit.MILLISECONDS.toNanos(1), nextPeriodNanos - clock.nanoTime());
    }

    /**
     * Fills a statistics snapshot.
     *
     * @param out where to put the numbers: live, dirty, lag nanos, data bytes, meta bytes, write-backs,
     *            recovered, dropped on recovery, corrupt records, checksum misses.
     */
    public void stats(final long[] out)
    {
        lock.lock();
        try
        {
            long oldest = Long.MAX_VALUE;
            if (dirtyCount > 0)
            {
                for (int slot = 0; slot < slots; slot++)
                {
                    if (DIRTY == slotState[slot] && slotDirtySince[slot] < oldest)
                    {
                        oldest = slotDirtySince[slot];
                    }
                }
            }
            out[0] = liveCount;
            out[1] = dirtyCount;
            out[2] = Long.MAX_VALUE == oldest ? 0 : clock.nanoTime() - oldest;
            out[3] = bytesWrittenData;
            out[4] = null == log ? 0 : log.bytesWritten();
            out[5] = writeBacks;
            out[6] = recoveredEntries;
            out[7] = droppedOnRecovery;
            out[8] = corruptRecords;
            out[9] = checksumMisses;
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
            return dirtyCount;
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
            }
        }
        finally
        {
            data.close();
        }
    }

    /**
     * @return the data file's path.
     */
    public Path dataPath()
    {
        return dataPath;
    }

    /**
     * @return the metadata log's path, or {@code null} when not persistent.
     */
    public Path metaPath()
    {
        return null == log ? null : log.path();
    }

    /**
     * @return the byte order of metadata records.
     */
    public static ByteOrder metadataOrder()
    {
        return ByteOrder.LITTLE_ENDIAN;
    }
}
