package dev.hostplane.flashcache.internal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * CRC32C of a block inside a buffer, moving the buffer's window instead of duplicating it (no allocation).
 */
final class Checksums
{
    private Checksums()
    {
    }

    static int crcOf(final CRC32C crc, final ByteBuffer buffer, final int offset, final int length)
    {
        final int oldPosition = buffer.position();
        final int oldLimit = buffer.limit();
        crc.reset();
        buffer.limit(offset + length).position(offset);
        crc.update(buffer);
        buffer.limit(oldLimit).position(oldPosition);
        return (int)crc.getValue();
    }
}
