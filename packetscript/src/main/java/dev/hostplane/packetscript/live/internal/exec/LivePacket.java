package dev.hostplane.packetscript.live.internal.exec;

import java.util.ArrayList;
import java.util.List;

/**
 * A read-only view of a sniffed IPv4/IPv6 packet carrying TCP (or anything else, then only the IP
 * fields are meaningful): the fields packetdrill's outbound verification compares.
 */
final class LivePacket
{
    static final int TCP = 6;

    final byte[] bytes;
    final int ipVersion;
    final int ipHeaderLength;
    final int protocol;
    final int totalLength;
    final int tos;
    final int ttl;
    final int flowLabel;
    final int l4;

    LivePacket(final byte[] bytes)
    {
        this.bytes = bytes;
        this.ipVersion = (bytes[0] >> 4) & 0xF;
        if (4 == ipVersion)
        {
            ipHeaderLength = (bytes[0] & 0xF) * 4;
            tos = bytes[1] & 0xFF;
            totalLength = u16(2);
            ttl = bytes[8] & 0xFF;
            protocol = bytes[9] & 0xFF;
            flowLabel = 0;
        }
        else
        {
            ipHeaderLength = 40;
            tos = ((bytes[0] & 0xF) << 4) | ((bytes[1] >> 4) & 0xF);
            flowLabel = ((bytes[1] & 0xF) << 16) | u16(2);
            totalLength = 40 + u16(4);
            protocol = bytes[6] & 0xFF;
            ttl = bytes[7] & 0xFF;
        }
        l4 = ipHeaderLength;
    }

    int u16(final int offset)
    {
        return ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
    }

    long u32(final int offset)
    {
        return ((long)u16(offset) << 16) | u16(offset + 2);
    }

    boolean isTcp()
    {
        return TCP == protocol && bytes.length >= l4 + 20;
    }

    int srcPort()
    {
        return u16(l4);
    }

    int dstPort()
    {
        return u16(l4 + 2);
    }

    long seq()
    {
        return u32(l4 + 4);
    }

    long ack()
    {
        return u32(l4 + 8);
    }

    int dataOffset()
    {
        return ((bytes[l4 + 12] >> 4) & 0xF) * 4;
    }

    /** Flags byte plus the AE bit as bit 8. */
    int flags()
    {
        return (bytes[l4 + 13] & 0xFF) | ((bytes[l4 + 12] & 0x1) << 8);
    }

    int window()
    {
        return u16(l4 + 14);
    }

    int urgentPointer()
    {
        return u16(l4 + 18);
    }

    int payloadOffset()
    {
        return l4 + dataOffset();
    }

    int payloadLength()
    {
        return Math.max(0, Math.min(totalLength, bytes.length) - payloadOffset());
    }

    int ecn()
    {
        return tos & 0x3;
    }

    /** TCP options as (kind, whole option bytes) in wire order, NOP and EOL included. */
    List<byte[]> options()
    {
        final List<byte[]> options = new ArrayList<>();
        int i = l4 + 20;
        final int end = Math.min(l4 + dataOffset(), bytes.length);
        while (i < end)
        {
            final int kind = bytes[i] & 0xFF;
            if (0 == kind || 1 == kind)
            {
                options.add(new byte[] {(byte)kind});
                i++;
                if (0 == kind)
                {
                    break;
                }
                continue;
            }
            if (i + 1 >= end)
            {
                break;
            }
            final int length = bytes[i + 1] & 0xFF;
            if (length < 2 || i + length > end)
            {
                break;
            }
            final byte[] option = new byte[length];
            System.arraycopy(bytes, i, option, 0, length);
            options.add(option);
            i += length;
        }
        return options;
    }

    /** Live TS val, or -1 when the packet has no timestamp option. */
    long timestampValue()
    {
        for (final byte[] option : options())
        {
            if (8 == (option[0] & 0xFF) && option.length == 10)
            {
                return ((option[2] & 0xFFL) << 24) | ((option[3] & 0xFFL) << 16) | ((option[4] & 0xFFL) << 8) |
                    (option[5] & 0xFFL);
            }
        }
        return -1;
    }

    static String flagsText(final int flags)
    {
        final StringBuilder text = new StringBuilder();
        if (0 != (flags & 0x02))
        {
            text.append('S');
        }
        if (0 != (flags & 0x01))
        {
            text.append('F');
        }
        if (0 != (flags & 0x04))
        {
            text.append('R');
        }
        if (0 != (flags & 0x08))
        {
            text.append('P');
        }
        if (0 != (flags & 0x10))
        {
            text.append('.');
        }
        if (0 != (flags & 0x20))
        {
            text.append('U');
        }
        if (0 != (flags & 0x40))
        {
            text.append('E');
        }
        if (0 != (flags & 0x80))
        {
            text.append('W');
        }
        if (0 != (flags & 0x100))
        {
            text.append('A');
        }
        return text.toString();
    }

    /** Script flag letters to the flags() bit layout. */
    static int flagBits(final String letters)
    {
        int bits = 0;
        for (int i = 0; i < letters.length(); i++)
        {
            switch (letters.charAt(i))
            {
                case 'F':
                    bits |= 0x01;
                    break;
                case 'S':
                    bits |= 0x02;
                    break;
                case 'R':
                    bits |= 0x04;
                    break;
                case 'P':
                    bits |= 0x08;
                    break;
                case '.':
                    bits |= 0x10;
                    break;
                case 'U':
                    bits |= 0x20;
                    break;
                case 'E':
                    bits |= 0x40;
                    break;
                case 'W':
                    bits |= 0x80;
                    break;
                case 'A':
                    bits |= 0x100;
                    break;
                default:
                    bits |= aceBits(letters.charAt(i));
                    break;
            }
        }
        return bits;
    }

    /**
     * Header bits of an AccECN ACE digit: bit 0 is ECE, bit 1 CWR, bit 2 AE, as packetdrill sets them.
     *
     * @param digit {@code '0'} to {@code '7'}; any other character has none.
     * @return the bits in {@link #flagBits} form.
     */
    static int aceBits(final char digit)
    {
        if (digit < '0' || digit > '7')
        {
            return 0;
        }
        final int ace = digit - '0';
        return ((ace & 1) != 0 ? 0x40 : 0) | ((ace & 2) != 0 ? 0x80 : 0) | ((ace & 4) != 0 ? 0x100 : 0);
    }

    /**
     * The AccECN ACE field of header flags: AE, CWR and ECE as a 3-bit number.
     *
     * @param flags bits in {@link #flagBits} form.
     * @return 0 to 7.
     */
    static int ace(final int flags)
    {
        return ((flags & 0x100) != 0 ? 4 : 0) | ((flags & 0x80) != 0 ? 2 : 0) | ((flags & 0x40) != 0 ? 1 : 0);
    }
}
