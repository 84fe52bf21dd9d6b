package dev.hostplane.vswitch.packet;

import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over an Ethernet II frame, with up to two 802.1Q / 802.1ad VLAN tags.
 *
 * <pre>
 *  0                   6                   12      14      16      18
 *  | destination MAC   | source MAC        | type  | [TCI  | type] ...
 * </pre>
 *
 * <p>MAC addresses are returned as the low 48 bits of a {@code long} (first byte most
 * significant), so that they can be compared and hashed without allocation. {@link #isValid()}
 * checks that the frame holds the base header and every VLAN tag it announces.
 */
public final class EthernetFrame extends HeaderFlyweight<EthernetFrame>
{
    /** Offset of the destination MAC. */
    public static final int DESTINATION_OFFSET = 0;
    /** Offset of the source MAC. */
    public static final int SOURCE_OFFSET = 6;
    /** Offset of the (outer) EtherType or TPID. */
    public static final int ETHER_TYPE_OFFSET = 12;
    /** Length of an untagged Ethernet header. */
    public static final int HEADER_LENGTH = 14;
    /** Length of one VLAN tag (TPID + TCI). */
    public static final int VLAN_TAG_LENGTH = 4;
    /** Smallest Ethernet frame on the wire without FCS. */
    public static final int MIN_FRAME_LENGTH = 60;

    /** EtherType of IPv4. */
    public static final int ETHER_TYPE_IPV4 = 0x0800;
    /** EtherType of ARP. */
    public static final int ETHER_TYPE_ARP = 0x0806;
    /** EtherType of IPv6. */
    public static final int ETHER_TYPE_IPV6 = 0x86DD;
    /** TPID of an 802.1Q VLAN tag. */
    public static final int ETHER_TYPE_VLAN = 0x8100;
    /** TPID of an 802.1ad service tag (QinQ). */
    public static final int ETHER_TYPE_QINQ = 0x88A8;
    /** The broadcast MAC address. */
    public static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

    private static final int MAX_TAGS = 2;

    @Override
    public boolean isValid()
    {
        if (length < HEADER_LENGTH)
        {
            return false;
        }
        return length >= headerLength();
    }

    /**
     * Number of VLAN tags (0, 1 or 2) directly after the source MAC.
     *
     * @return the tag count.
     */
    public int vlanTagCount()
    {
        int count = 0;
        int typeOffset = ETHER_TYPE_OFFSET;
        while (count < MAX_TAGS && typeOffset + 2 <= length && isVlanTpid(u16(typeOffset)))
        {
            count++;
            typeOffset += VLAN_TAG_LENGTH;
        }
        return count;
    }

    @Override
    public int headerLength()
    {
        return HEADER_LENGTH + VLAN_TAG_LENGTH * vlanTagCount();
    }

    /**
     * Destination MAC.
     *
     * @return 48-bit address in the low bits.
     */
    public long destination()
    {
        return mac(buffer.getShort(offset, NETWORK_ORDER), buffer.getInt(offset + 2, NETWORK_ORDER));
    }

    /**
     * Sets the destination MAC.
     *
     * @param mac 48-bit address in the low bits.
     * @return this.
     */
    public EthernetFrame destination(final long mac)
    {
        putMac(DESTINATION_OFFSET, mac);
        return this;
    }

    /**
     * Source MAC.
     *
     * @return 48-bit address in the low bits.
     */
    public long source()
    {
        return mac(buffer.getShort(offset + 6, NETWORK_ORDER), buffer.getInt(offset + 8, NETWORK_ORDER));
    }

    /**
     * Sets the source MAC.
     *
     * @param mac 48-bit address in the low bits.
     * @return this.
     */
    public EthernetFrame source(final long mac)
    {
        putMac(SOURCE_OFFSET, mac);
        return this;
    }

    /**
     * The outer EtherType or TPID (0x8100 when tagged).
     *
     * @return the 16-bit value at offset 12.
     */
    public int etherType()
    {
        return u16(ETHER_TYPE_OFFSET);
    }

    /**
     * Sets the outer EtherType.
     *
     * @param etherType the 16-bit value at offset 12.
     * @return this.
     */
    public EthernetFrame etherType(final int etherType)
    {
        putU16(ETHER_TYPE_OFFSET, etherType);
        return this;
    }

    /**
     * EtherType of the payload after all VLAN tags.
     *
     * @return the inner EtherType.
     */
    public int payloadEtherType()
    {
        return u16(headerLength() - 2);
    }

    /**
     * Whether the frame has at least one VLAN tag.
     *
     * @return true when tagged.
     */
    public boolean hasVlan()
    {
        return length >= HEADER_LENGTH + VLAN_TAG_LENGTH && isVlanTpid(etherType());
    }

    /**
     * Tag control information of the outer VLAN tag.
     *
     * @return the 16-bit TCI, or -1 when untagged.
     */
    public int vlanTci()
    {
        return hasVlan() ? u16(ETHER_TYPE_OFFSET + 2) : -1;
    }

    /**
     * Outer VLAN id.
     *
     * @return 0..4095, or -1 when untagged.
     */
    public int vlanId()
    {
        final int tci = vlanTci();
        return tci < 0 ? -1 : tci & 0x0FFF;
    }

    /**
     * Outer VLAN priority code point.
     *
     * @return 0..7, or -1 when untagged.
     */
    public int vlanPcp()
    {
        final int tci = vlanTci();
        return tci < 0 ? -1 : tci >>> 13;
    }

    /**
     * Rewrites the outer VLAN TCI in place.
     *
     * @param tci the new TCI.
     * @return this.
     * @throws IllegalStateException when the frame is untagged.
     */
    public EthernetFrame vlanTci(final int tci)
    {
        if (!hasVlan())
        {
            throw new IllegalStateException("frame has no VLAN tag: etherType=0x" + Integer.toHexString(etherType()));
        }
        putU16(ETHER_TYPE_OFFSET + 2, tci);
        return this;
    }

    /**
     * Whether a 16-bit value is a VLAN TPID (802.1Q or 802.1ad).
     *
     * @param type the EtherType.
     * @return true for 0x8100 and 0x88A8.
     */
    public static boolean isVlanTpid(final int type)
    {
        return type == ETHER_TYPE_VLAN || type == ETHER_TYPE_QINQ;
    }

    /**
     * Whether a MAC is a group (multicast or broadcast) address.
     *
     * @param mac 48-bit address.
     * @return true when the I/G bit is set.
     */
    public static boolean isMulticast(final long mac)
    {
        return (mac & 0x0100_0000_0000L) != 0;
    }

    /**
     * Inserts an outer 802.1Q tag after the source MAC, moving the rest of the frame 4 bytes on.
     * The buffer must have 4 spare bytes after {@code offset + frameLength}.
     *
     * @param buffer holding the frame.
     * @param offset of the frame.
     * @param frameLength current frame length.
     * @param tpid tag protocol identifier (0x8100 or 0x88A8).
     * @param tci tag control information.
     * @return the new frame length.
     */
    public static int pushVlan(
        final MutableDirectBuffer buffer, final int offset, final int frameLength, final int tpid, final int tci)
    {
        if (frameLength < HEADER_LENGTH)
        {
            throw new IllegalArgumentException("frame too short for a VLAN tag: frameLength=" + frameLength);
        }
        final int tail = offset + ETHER_TYPE_OFFSET;
        buffer.putBytes(tail + VLAN_TAG_LENGTH, buffer, tail, frameLength - ETHER_TYPE_OFFSET);
        buffer.putShort(tail, (short)tpid, NETWORK_ORDER);
        buffer.putShort(tail + 2, (short)tci, NETWORK_ORDER);
        return frameLength + VLAN_TAG_LENGTH;
    }

    /**
     * Removes the outer VLAN tag, moving the rest of the frame 4 bytes back.
     *
     * @param buffer holding the frame.
     * @param offset of the frame.
     * @param frameLength current frame length.
     * @return the new frame length, or {@code frameLength} unchanged when the frame is untagged.
     */
    public static int popVlan(final MutableDirectBuffer buffer, final int offset, final int frameLength)
    {
        if (frameLength < HEADER_LENGTH + VLAN_TAG_LENGTH ||
            !isVlanTpid(buffer.getShort(offset + ETHER_TYPE_OFFSET, NETWORK_ORDER) & 0xFFFF))
        {
            return frameLength;
        }
        final int tail = offset + ETHER_TYPE_OFFSET;
        buffer.putBytes(tail, buffer, tail + VLAN_TAG_LENGTH, frameLength - ETHER_TYPE_OFFSET - VLAN_TAG_LENGTH);
        return frameLength - VLAN_TAG_LENGTH;
    }

    /**
     * Formats a MAC as {@code aa:bb:cc:dd:ee:ff} (allocates; for logs and tools).
     *
     * @param mac 48-bit address.
     * @return the text form.
     */
    public static String macToString(final long mac)
    {
        final StringBuilder sb = new StringBuilder(17);
        for (int i = 5; i >= 0; i--)
        {
            final int b = (int)(mac >>> (8 * i)) & 0xFF;
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xF, 16));
            if (i > 0)
            {
                sb.append(':');
            }
        }
        return sb.toString();
    }

    /**
     * Parses {@code aa:bb:cc:dd:ee:ff} (or with '-').
     *
     * @param text the address.
     * @return 48-bit address.
     * @throws IllegalArgumentException when the text is not a MAC.
     */
    public static long parseMac(final CharSequence text)
    {
        final String s = text.toString();
        final String[] parts = s.split("[:-]", -1);
        if (parts.length != 6)
        {
            throw new IllegalArgumentException("not a MAC address (expected 6 hex bytes): value=" + s);
        }
        long mac = 0;
        for (final String part : parts)
        {
            if (part.isEmpty() || part.length() > 2)
            {
                throw new IllegalArgumentException("not a MAC address (bad byte '" + part + "'): value=" + s);
            }
            final int b;
            try
            {
                b = Integer.parseInt(part, 16);
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("not a MAC address (bad byte '" + part + "'): value=" + s, ex);
            }
            mac = (mac << 8) | b;
        }
        return mac;
    }

    private static long mac(final short high, final int low)
    {
        return ((high & 0xFFFFL) << 32) | (low & 0xFFFF_FFFFL);
    }

    private void putMac(final int index, final long mac)
    {
        putU16(index, (int)(mac >>> 32));
        putI32(index + 2, (int)mac);
    }
}
