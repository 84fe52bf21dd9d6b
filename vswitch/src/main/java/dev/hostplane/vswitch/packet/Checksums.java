package dev.hostplane.vswitch.packet;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.agrona.DirectBuffer;

/**
 * Internet checksum (RFC 1071) arithmetic: full computation over a byte range, the TCP/UDP/ICMPv6
 * pseudo-header sums for IPv4 and IPv6, and incremental update (RFC 1624) for when one field of a
 * checksummed header changes.
 *
 * <p>Two kinds of value appear here. A <em>sum</em> is the ones'-complement sum of 16-bit words,
 * folded to 16 bits but not inverted; sums can be added with {@link #add(int, int)}. A
 * <em>checksum</em> is the inverted sum as it is stored on the wire. The usual pattern for a TCP
 * segment is {@code finish(add(pseudoHeaderSumV4(...), sum(buffer, tcpOffset, tcpLength)))} with
 * the checksum field zeroed first, or {@code verify(...) == 0} style checks via
 * {@link #isValid(int)}.
 *
 * <p>Every method is allocation-free and static.
 */
public final class Checksums
{
    private Checksums()
    {
    }

    /**
     * Ones'-complement sum of {@code length} bytes, odd trailing byte padded with zero.
     *
     * @param buffer holding the bytes.
     * @param offset of the first byte.
     * @param length number of bytes.
     * @return the folded 16-bit sum (not inverted).
     */
    public static int sum(final DirectBuffer buffer, final int offset, final int length)
    {
        long acc = 0;
        int i = offset;
        final int end = offset + length;
        // 32-bit words: ones'-complement addition is associative, so summing pairs of 16-bit words
        // into a wide accumulator and folding at the end gives the same result with half the loads.
        while (i + 4 <= end)
        {
            acc += buffer.getInt(i, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
            i += 4;
        }
        if (i + 2 <= end)
        {
            acc += buffer.getShort(i, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            i += 2;
        }
        if (i < end)
        {
            acc += (buffer.getByte(i) & 0xFF) << 8;
        }
        return fold(acc);
    }

    /**
     * Ones'-complement sum of bytes in a {@link ByteBuffer} (absolute offsets; position ignored).
     *
     * @param buffer holding the bytes.
     * @param offset of the first byte.
     * @param length number of bytes.
     * @return the folded 16-bit sum (not inverted).
     */
    public static int sum(final ByteBuffer buffer, final int offset, final int length)
    {
        long acc = 0;
        int i = offset;
        final int end = offset + length;
        final boolean bigEndian = buffer.order() == ByteOrder.BIG_ENDIAN;
        while (i + 4 <= end)
        {
            final int word = buffer.getInt(i);
            acc += (bigEndian ? word : Integer.reverseBytes(word)) & 0xFFFF_FFFFL;
            i += 4;
        }
        if (i + 2 <= end)
        {
            acc += ((buffer.get(i) & 0xFF) << 8) | (buffer.get(i + 1) & 0xFF);
            i += 2;
        }
        if (i < end)
        {
            acc += (buffer.get(i) & 0xFF) << 8;
        }
        return fold(acc);
    }

    /**
     * Folds a wide accumulator of 16-bit words into a 16-bit ones'-complement sum.
     *
     * @param acc accumulated words.
     * @return 0..0xFFFF.
     */
    public static int fold(final long acc)
    {
        long s = acc;
        while ((s >>> 16) != 0)
        {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int)s;
    }

    /**
     * Adds two ones'-complement sums.
     *
     * @param a a folded sum.
     * @param b another folded sum.
     * @return the folded sum of both.
     */
    public static int add(final int a, final int b)
    {
        return fold((long)a + b);
    }

    /**
     * Turns a sum into the checksum stored on the wire.
     *
     * @param sum a folded sum.
     * @return {@code ~sum & 0xFFFF}.
     */
    public static int finish(final int sum)
    {
        return ~sum & 0xFFFF;
    }

    /**
     * Internet checksum of a byte range, ready to store.
     *
     * @param buffer holding the bytes (with the checksum field zeroed).
     * @param offset of the first byte.
     * @param length number of bytes.
     * @return the checksum.
     */
    public static int checksum(final DirectBuffer buffer, final int offset, final int length)
    {
        return finish(sum(buffer, offset, length));
    }

    /**
     * Whether a sum taken over data <em>including</em> its stored checksum verifies.
     *
     * @param sumIncludingChecksum the folded sum over the data and its checksum field.
     * @return true when the data is intact.
     */
    public static boolean isValid(final int sumIncludingChecksum)
    {
        return sumIncludingChecksum == 0xFFFF;
    }

    /**
     * Sum of the IPv4 pseudo header used by TCP and UDP (RFC 793 / 768).
     *
     * @param source IPv4 source address bits.
     * @param destination IPv4 destination address bits.
     * @param protocol IP protocol number (6 TCP, 17 UDP).
     * @param l4Length length of the L4 header plus payload.
     * @return the folded pseudo-header sum.
     */
    public static int pseudoHeaderSumV4(final int source, final int destination, final int protocol, final int l4Length)
    {
        final long acc = (source >>> 16) + (source & 0xFFFF) + (destination >>> 16) + (destination & 0xFFFF) +
            protocol + l4Length;
        return fold(acc);
    }

    /**
     * Sum of the IPv6 pseudo header (RFC 8200 section 8.1) with addresses read from a buffer.
     *
     * @param buffer holding both addresses.
     * @param sourceOffset offset of the 16-byte source address.
     * @param destinationOffset offset of the 16-byte destination address.
     * @param nextHeader upper-layer protocol (6, 17, 58).
     * @param l4Length upper-layer packet length.
     * @return the folded pseudo-header sum.
     */
    public static int pseudoHeaderSumV6(
        final DirectBuffer buffer,
        final int sourceOffset,
        final int destinationOffset,
        final int nextHeader,
        final int l4Length)
    {
        final long acc = sum(buffer, sourceOffset, 16) + (long)sum(buffer, destinationOffset, 16) +
            (l4Length >>> 16) + (l4Length & 0xFFFF) + nextHeader;
        return fold(acc);
    }

    /**
     * Incrementally updates a stored checksum after one 16-bit word changed (RFC 1624 eqn. 3).
     *
     * @param checksum the stored checksum.
     * @param oldWord the word's old value.
     * @param newWord the word's new value.
     * @return the new stored checksum.
     */
    public static int update16(final int checksum, final int oldWord, final int newWord)
    {
        final long acc = (~checksum & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
        return ~fold(acc) & 0xFFFF;
    }

    /**
     * Incrementally updates a stored checksum after one 32-bit field (for example an IPv4
     * address) changed.
     *
     * @param checksum the stored checksum.
     * @param oldValue the field's old bits.
     * @param newValue the field's new bits.
     * @return the new stored checksum.
     */
    public static int update32(final int checksum, final int oldValue, final int newValue)
    {
        return update16(update16(checksum, oldValue >>> 16, newValue >>> 16), oldValue & 0xFFFF, newValue & 0xFFFF);
    }

    /**
     * Incrementally updates a <em>partial</em> checksum field, the non-inverted pseudo-header sum
     * that checksum offload leaves in a TCP/UDP header (virtio {@code NEEDS_CSUM}), after one
     * 16-bit word of the pseudo header changed.
     *
     * @param partialSum the stored partial sum.
     * @param oldWord the word's old value.
     * @param newWord the word's new value.
     * @return the new partial sum.
     */
    public static int updatePartial16(final int partialSum, final int oldWord, final int newWord)
    {
        return fold((long)(partialSum & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF));
    }
}
