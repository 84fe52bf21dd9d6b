package dev.hostplane.flashcache.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.hostplane.flashcache.FlashRecoveryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the flash tier's {@link SlotTable} from its metadata log at open, and decides whether the log
 * proves that no dirty block (acknowledged, not yet in the backing store) went missing. Reads only: nothing
 * on disk changes until the verdict is accepted.
 *
 * <p>What counts as proof:
 * <ul>
 * <li>The log reaches its {@link CommitSeal}: every committed record is there (a log emptied, deleted or
 *     cut short ends before its seal). A torn, never-committed tail after the last valid record is normal.</li>
 * <li>A damaged record in the middle of the log is followed by a CHECKPOINT whose dirty fingerprint
 *     matches the state rebuilt without it: then the damaged record changed no dirty state, and only clean
 *     blocks are in doubt (they might have been invalidated), which are dropped and re-read from the store.</li>
 * <li>Every block flash holds (or lost) belongs to a file the registry still names.</li>
 * </ul>
 * Without proof, the open is refused ({@link FlashRecoveryException}) unless the caller accepts the loss;
 * then whatever cannot be trusted is dropped, dirty or not, and the loss is logged.
 */
final class FlashRecovery implements MetadataLog.RecoveryHandler
{
    private static final Logger LOG = LoggerFactory.getLogger(FlashRecovery.class);

    private final SlotTable table;
    private final int[] slotRecord;
    private int lastCorrupt = -1;
    private int lastValid = -1;
    private int corruptRecords;
    private int lastMatchedCheckpoint = -1;
    private int lastMismatchedCheckpoint = -1;
    private int checkpoints;
    private int maxPutSlot = -1;
    private long maxPutSeq = -1;

    /** Outcome, read by the flash tier. */
    long lastSeq;
    long recovered;
    long dropped;
    long droppedDirty;
    long corrupt;

    FlashRecovery(final SlotTable table)
    {
        this.table = table;
        this.slotRecord = new int[table.slots];
    }

    @Override
    public void onRecord(
        final int recordIndex, final byte type, final short flags, final long seq, final long key, final int slot,
        final int dataCrc)
    {
        lastValid = recordIndex;
        switch (type)
        {
            case MetadataDescriptor.TYPE_HEADER:
                return;
            case MetadataDescriptor.TYPE_INVALIDATE:
            {
                final int old = table.slotOf(key);
                if (old >= 0)
                {
                    table.drop(old);
                }
                table.clearLost(key);
                return;
            }
            case MetadataDescriptor.TYPE_LOST:
            {
                final int old = table.slotOf(key);
                if (old >= 0)
                {
                    table.drop(old);
                }
                table.markLost(key, "its flash copy was found damaged (metadata record " + recordIndex + ")");
                return;
            }
            case MetadataDescriptor.TYPE_CHECKPOINT:
                checkpoints++;
                if (table.dirtyFingerprint() == key && table.dirtyCount() == slot && table.lost().size() == dataCrc)
                {
                    lastMatchedCheckpoint = recordIndex;
                }
                else
                {
                    lastMismatchedCheckpoint = recordIndex;
                }
                return;
            default:
                break;
        }
        if (slot < 0 || slot >= table.slots)
        {
            onCorrupt(recordIndex);
            return;
        }
        if (MetadataDescriptor.TYPE_PUT == type)
        {
            table.place(key, slot, dataCrc, seq, 0 != (flags & MetadataDescriptor.FLAG_DIRTY), 0);
            slotRecord[slot] = recordIndex;
            if (seq > maxPutSeq)
            {
                maxPutSeq = seq;
                maxPutSlot = slot;
            }
        }
        else if (MetadataDescriptor.TYPE_CLEAN == type)
        {
            if (table.slotOf(key) == slot && table.seq[slot] <= seq)
            {
                table.markClean(slot);
                slotRecord[slot] = recordIndex;
            }
        }
        else
        {
            onCorrupt(recordIndex);
        }
    }

    @Override
    public void onCorrupt(final int recordIndex)
    {
        corruptRecords++;
        lastCorrupt = recordIndex;
    }

    /**
     * Replays the log, checks the proof, and either throws or leaves the table holding what can be trusted.
     *
     * @param directory     the flash directory.
     * @param logPath       the metadata log.
     * @param geometry      block size, segment blocks, flash blocks.
     * @param dataExists    whether the data file exists.
     * @param knownFiles    file ids below this are named by the registry.
     * @param registryIssue what is wrong with the registry, or {@code null}.
     * @param acceptLoss    open anyway, dropping what cannot be trusted.
     * @return the slot of the newest block (the head continues after its segment), or -1.
     */
    int recover(
        final Path directory, final Path logPath, final int[] geometry, final boolean dataExists,
        final int knownFiles, final String registryIssue, final boolean acceptLoss) throws IOException
    {
        final CommitSeal.Reading seal = CommitSeal.read(directory);
        final MetadataLog.Replay replay = MetadataLog.replay(logPath, geometry[0], geometry[1], geometry[2], this);
        lastSeq = replay.lastSeq();
        corrupt = corruptRecords;
        final List<String> problems = new ArrayList<>();
        boolean logTrusted = true;
        final boolean midCorrupt = lastCorrupt >= 0 && lastCorrupt < lastValid;
        if (!seal.exists())
        {
            if (replay.headerSeen() && 0 == checkpoints && !midCorrupt)
            {
                problems.add(describeBeforeSeal(logPath));
                logTrusted = false;
            }
            else if (replay.exists() || dataExists)
            {
                problems.add("commit seal " + CommitSeal.FILE_NAME + " is missing, so a cut-short log cannot be told"
                    + " from a whole one");
                logTrusted = false;
            }
        }
        else if (!seal.readable())
        {
            problems.add("commit seal " + CommitSeal.FILE_NAME + " is unreadable");
            logTrusted = false;
        }
        else if (seal.seq() > Math.max(replay.lastSeq(), 1))
        {
            problems.add(describeShortLog(logPath, replay, seal.seq()));
            logTrusted = false;
        }
        if (logTrusted && midCorrupt && lastMatchedCheckpoint < lastCorrupt)
        {
            problems.add("metadata record " + lastCorrupt + " of " + logPath.getFileName()
                + " is damaged and no later checkpoint proves it held no dirty block");
        }
        if (logTrusted && lastMismatchedCheckpoint > Math.max(lastCorrupt, -1))
        {
            problems.add("checkpoint record " + lastMismatchedCheckpoint + " of " + logPath.getFileName()
                + " does not match the blocks recorded before it");
        }
        final int unknownFiles = countUnknownFiles(knownFiles);
        if (unknownFiles > 0)
        {
            problems.add(unknownFiles + " flash blocks belong to file ids the registry does not name ("
                + (null == registryIssue ? "ids >= " + knownFiles : registryIssue) + ")");
        }
        if (!problems.isEmpty() && !acceptLoss)
        {
            throw new FlashRecoveryException(directory, problems);
        }
        if (!logTrusted)
        {
            dropAll();
        }
        else
        {
            // Clean blocks last confirmed before a damaged record might have been invalidated by it: drop them.
            // Dirty ones go too unless a checkpoint proved them (then the loss was not accepted, it was proven).
            final boolean dirtyProven = !midCorrupt || lastMatchedCheckpoint > lastCorrupt;
            if (midCorrupt)
            {
                dropConfirmedBefore(lastCorrupt, !dirtyProven);
            }
            if (unknownFiles > 0)
            {
                dropUnknownFiles(knownFiles);
            }
        }
        if (!dataExists)
        {
            // The data file is gone: clean blocks are refetched; dirty ones are lost and reads of them fail.
            markDirtyLost("the flash data file " + SlotTableFiles.DATA + " was missing at open");
        }
        recovered = table.liveCount();
        if (!problems.isEmpty())
        {
            LOG.warn("flash tier at {}: opened with acceptDataLoss after: {}; dropped blocks={} of which dirty={}"
                + " (those writes are lost; the backing store has older versions)", directory,
                String.join("; ", problems), dropped, droppedDirty);
        }
        else if (corruptRecords > 0)
        {
            LOG.warn("flash metadata at {}: corrupt or torn records={} (last at record {}), clean blocks dropped={}, "
                + "blocks recovered={}", logPath, corruptRecords, lastCorrupt, dropped, recovered);
        }
        return maxPutSlot;
    }

    /**
     * Every log this version writes has a checkpoint (the open-time rewrite ends with one) and a seal beside
     * it; a whole log with neither was written by a version from before both existed. It may be whole, but
     * nothing proves it, so say how to upgrade without losing unwritten data rather than call it damaged.
     */
    private static String describeBeforeSeal(final Path logPath)
    {
        return "metadata log " + logPath.getFileName() + " was written by an older flashcache, from before the"
            + " commit seal " + CommitSeal.FILE_NAME + " existed (no seal, no checkpoint record), so nothing proves"
            + " that the log is whole. To upgrade without losing writes: open the cache once more with the version"
            + " that wrote it, call BlockCache.flush() (every dirty block reaches the backing store) and close it;"
            + " then open it with this version and CacheConfig.acceptDataLoss(true) once: only clean copies are"
            + " dropped, and later opens need no option";
    }

    private static String describeShortLog(final Path logPath, final MetadataLog.Replay replay, final long sealed)
    {
        if (!replay.exists())
        {
            return "metadata log " + logPath.getFileName() + " is missing but records up to seq " + sealed
                + " were committed";
        }
        if (!replay.headerSeen())
        {
            return "metadata log " + logPath.getFileName() + " is empty or has no valid header (" + replay.fileSize()
                + " bytes) but records up to seq " + sealed + " were committed";
        }
        return "metadata log " + logPath.getFileName() + " ends at seq " + replay.lastSeq() + " (" + replay.fileSize()
            + " bytes) but records up to seq " + sealed + " were committed: cut short or damaged at its end";
    }

    private int countUnknownFiles(final int knownFiles)
    {
        int unknown = 0;
        for (int slot = 0; slot < table.slots; slot++)
        {
            if (SlotTable.FREE != table.state[slot] && BlockKeys.file(table.key[slot]) >= knownFiles)
            {
                unknown++;
            }
        }
        for (final long key : table.lost().keySet())
        {
            if (BlockKeys.file(key) >= knownFiles)
            {
                unknown++;
            }
        }
        return unknown;
    }

    private void dropAll()
    {
        for (int slot = 0; slot < table.slots; slot++)
        {
            dropCounted(slot);
        }
        table.clear();
    }

    private void dropConfirmedBefore(final int recordIndex, final boolean dirtyToo)
    {
        for (int slot = 0; slot < table.slots; slot++)
        {
            if (SlotTable.FREE != table.state[slot] && slotRecord[slot] < recordIndex
                && (dirtyToo || !table.isDirty(slot)))
            {
                dropCounted(slot);
            }
        }
    }

    private void dropUnknownFiles(final int knownFiles)
    {
        for (int slot = 0; slot < table.slots; slot++)
        {
            if (SlotTable.FREE != table.state[slot] && BlockKeys.file(table.key[slot]) >= knownFiles)
            {
                dropCounted(slot);
            }
        }
        final List<Long> unknownLost = new ArrayList<>();
        for (final Map.Entry<Long, String> lost : table.lost().entrySet())
        {
            if (BlockKeys.file(lost.getKey()) >= knownFiles)
            {
                unknownLost.add(lost.getKey());
            }
        }
        for (final long key : unknownLost)
        {
            table.clearLost(key);
        }
    }

    private void dropCounted(final int slot)
    {
        if (SlotTable.FREE == table.state[slot])
        {
            return;
        }
        dropped++;
        if (table.drop(slot))
        {
            droppedDirty++;
        }
    }

    private void markDirtyLost(final String cause)
    {
        for (int slot = 0; slot < table.slots; slot++)
        {
            if (SlotTable.FREE != table.state[slot])
            {
                final long key = table.key[slot];
                final boolean dirty = table.drop(slot);
                dropped++;
                if (dirty)
                {
                    table.markLost(key, cause);
                }
            }
        }
    }

    /** Names of the flash tier's files. */
    static final class SlotTableFiles
    {
        static final String DATA = "flash.data";
        static final String META = "flash.meta";

        private SlotTableFiles()
        {
        }
    }
}
