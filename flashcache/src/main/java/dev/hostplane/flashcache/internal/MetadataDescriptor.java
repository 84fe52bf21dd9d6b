package dev.hostplane.flashcache.internal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Layout of one flash metadata record (40 bytes, little-endian) in the append-only metadata log:
 *
 * <pre>
 *   0  int   magic 'FCM1'
 *   4  byte  version (1)
 *   5  byte  type: HEADER, PUT, CLEAN, INVALIDATE, CHECKPOINT, LOST
 *   6  short flags: bit 0 = dirty
 *   8  long  sequence number (strictly increasing in file order)
 *  16  long  block key (file id &lt;&lt; 40 | block number); HEADER: block size &lt;&lt; 32 | segment blocks;
 *            CHECKPOINT: fingerprint of the dirty state
 *  24  int   slot; HEADER: flash blocks; CHECKPOINT: dirty blocks
 *  28  int   CRC32C of the block's data (PUT); CHECKPOINT: lost blocks
 *  32  int   reserved (0)
 *  36  int   CRC32C of bytes 0..35
 * </pre>
 *
 * A record whose magic, version or checksum does not match is torn or corrupt and is never applied.
 */
public final class MetadataDescriptor
{
    /** Record length in bytes. */
    public static final int RECORD_LENGTH = 40;
    /** 'FCM1'. */
    public static final int MAGIC = 0x46434D31;
    /** Record format version. */
    public static final byte VERSION = 1;

    /** First record of every log: the flash geometry. */
    public static final byte TYPE_HEADER = 1;
    /** Block {@code key} now lives in {@code slot} with data checksum {@code dataCrc}. */
    public static final byte TYPE_PUT = 2;
    /** Block {@code key} in {@code slot} has been written back. */
    public static final byte TYPE_CLEAN = 3;
    /** Block {@code key} must not be served from flash any more. */
    public static final byte TYPE_INVALIDATE = 4;

    /**
     * Written at every commit: the dirty state (count, lost count, fingerprint) after every record before it.
     * Lets recovery prove that a damaged record earlier in the log hid no dirty data.
     */
    public static final byte TYPE_CHECKPOINT = 5;
    /** Block {@code key}'s only current copy was lost (damaged flash data): reads of it must fail. */
    public static final byte TYPE_LOST = 6;

    /** Flag: the block is dirty (not yet in the backing store). */
    public static final short FLAG_DIRTY = 1;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 4;
    static final int TYPE_OFFSET = 5;
    static final int FLAGS_OFFSET = 6;
    static final int SEQ_OFFSET = 8;
    static final int KEY_OFFSET = 16;
    static final int SLOT_OFFSET = 24;
    static final int DATA_CRC_OFFSET = 28;
    static final int CRC_OFFSET = 36;

    private MetadataDescriptor()
    {
    }

    /**
     * Writes one record at {@code offset} (buffer must be little-endian).
     *
     * @param buffer  destination.
     * @param offset  where.
     * @param type    record type.
     * @param flags   flags.
     * @param seq     sequence number.
     * @param key     block key.
     * @param slot    slot.
     * @param dataCrc data checksum.
     * @param crc     a checksum object to reuse.
     */
    public static void write(
        final ByteBuffer buffer,
        final int offset,
        final byte type,
        final short flags,
        final long seq,
        final long key,
        final int slot,
        final int dataCrc,
        final CRC32C crc)
    {
        buffer.putInt(offset + MAGIC_OFFSET, MAGIC);
        buffer.put(offset + VERSION_OFFSET, VERSION);
        buffer.put(offset + TYPE_OFFSET, type);
        buffer.putShort(offset + FLAGS_OFFSET, flags);
        buffer.putLong(offset + SEQ_OFFSET, seq);
        buffer.putLong(offset + KEY_OFFSET, key);
        buffer.putInt(offset + SLOT_OFFSET, slot);
        buffer.putInt(offset + DATA_CRC_OFFSET, dataCrc);
        buffer.putInt(offset + 32, 0);
        buffer.putInt(offset + CRC_OFFSET, checksum(buffer, offset, crc));
    }

    /**
     * @param buffer a little-endian buffer.
     * @param offset record start.
     * @param crc    a checksum object to reuse.
     * @return whether magic, version and checksum are right.
     */
    public static boolean isValid(final ByteBuffer buffer, final int offset, final CRC32C crc)
    {
        return buffer.getInt(offset + MAGIC_OFFSET) == MAGIC
            && buffer.get(offset + VERSION_OFFSET) == VERSION
            && buffer.getInt(offset + CRC_OFFSET) == checksum(buffer, offset, crc);
    }

    static int checksum(final ByteBuffer buffer, final int offset, final CRC32C crc)
    {
        // Move the caller's buffer window instead of duplicating it: no allocation per record.
        final int oldPosition = buffer.position();
        final int oldLimit = buffer.limit();
        crc.reset();
        buffer.limit(offset + CRC_OFFSET).position(offset);
        crc.update(buffer);
        buffer.limit(oldLimit).position(oldPosition);
        return (int)crc.getValue();
    }

    /** @param b buffer @param o offset @return the type. */
    public static byte type(final ByteBuffer b, final int o)
    {
        return b.get(o + TYPE_OFFSET);
    }

    /** @param b buffer @param o offset @return the flags. */
    public static short flags(final ByteBuffer b, final int o)
    {
        return b.getShort(o + FLAGS_OFFSET);
    }

    /** @param b buffer @param o offset @return the sequence number. */
    public static long seq(final ByteBuffer b, final int o)
    {
        return b.getLong(o + SEQ_OFFSET);
    }

    /** @param b buffer @param o offset @return the key. */
    public static long key(final ByteBuffer b, final int o)
    {
        return b.getLong(o + KEY_OFFSET);
    }

    /** @param b buffer @param o offset @return the slot. */
    public static int slot(final ByteBuffer b, final int o)
    {
        return b.getInt(o + SLOT_OFFSET);
    }

    /** @param b buffer @param o offset @return the data checksum. */
    public static int dataCrc(final ByteBuffer b, final int o)
    {
        return b.getInt(o + DATA_CRC_OFFSET);
    }
}
