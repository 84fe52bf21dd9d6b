package dev.hostplane.vswitch.packet;

/**
 * Flyweight over an ARP packet for IPv4 over Ethernet (RFC 826): hardware type 1, protocol type
 * 0x0800, hardware length 6, protocol length 4. Other ARP variants are reported invalid.
 */
public final class ArpPacket extends HeaderFlyweight<ArpPacket>
{
    /** Length of an Ethernet/IPv4 ARP packet. */
    public static final int HEADER_LENGTH = 28;
    /** Offset of the operation field. */
    public static final int OPERATION_OFFSET = 6;
    /** Offset of the sender hardware address. */
    public static final int SENDER_HARDWARE_OFFSET = 8;
    /** Offset of the sender protocol address. */
    public static final int SENDER_PROTOCOL_OFFSET = 14;
    /** Offset of the target hardware address. */
    public static final int TARGET_HARDWARE_OFFSET = 18;
    /** Offset of the target protocol address. */
    public static final int TARGET_PROTOCOL_OFFSET = 24;
    /** ARP request. */
    public static final int OP_REQUEST = 1;
    /** ARP reply. */
    public static final int OP_REPLY = 2;

    @Override
    public boolean isValid()
    {
        return length >= HEADER_LENGTH && u16(0) == 1 && u16(2) == EthernetFrame.ETHER_TYPE_IPV4 &&
            u8(4) == 6 && u8(5) == 4;
    }

    @Override
    public int headerLength()
    {
        return HEADER_LENGTH;
    }

    /**
     * Operation (1 request, 2 reply).
     *
     * @return the opcode.
     */
    public int operation()
    {
        return u16(OPERATION_OFFSET);
    }

    /**
     * Sets the operation.
     *
     * @param op the opcode.
     * @return this.
     */
    public ArpPacket operation(final int op)
    {
        putU16(OPERATION_OFFSET, op);
        return this;
    }

    /**
     * Sender hardware address.
     *
     * @return 48-bit MAC.
     */
    public long senderHardwareAddress()
    {
        return mac(SENDER_HARDWARE_OFFSET);
    }

    /**
     * Sender protocol (IPv4) address.
     *
     * @return the address bits.
     */
    public int senderProtocolAddress()
    {
        return i32(SENDER_PROTOCOL_OFFSET);
    }

    /**
     * Sets the sender protocol address.
     *
     * @param address IPv4 address bits.
     * @return this.
     */
    public ArpPacket senderProtocolAddress(final int address)
    {
        putI32(SENDER_PROTOCOL_OFFSET, address);
        return this;
    }

    /**
     * Target hardware address.
     *
     * @return 48-bit MAC.
     */
    public long targetHardwareAddress()
    {
        return mac(TARGET_HARDWARE_OFFSET);
    }

    /**
     * Target protocol (IPv4) address.
     *
     * @return the address bits.
     */
    public int targetProtocolAddress()
    {
        return i32(TARGET_PROTOCOL_OFFSET);
    }

    /**
     * Sets the target protocol address.
     *
     * @param address IPv4 address bits.
     * @return this.
     */
    public ArpPacket targetProtocolAddress(final int address)
    {
        putI32(TARGET_PROTOCOL_OFFSET, address);
        return this;
    }

    /**
     * Writes a complete Ethernet/IPv4 ARP header at the wrapped offset.
     *
     * @param op opcode.
     * @param senderMac sender MAC.
     * @param senderIp sender IPv4.
     * @param targetMac target MAC.
     * @param targetIp target IPv4.
     * @return this.
     */
    public ArpPacket write(
        final int op, final long senderMac, final int senderIp, final long targetMac, final int targetIp)
    {
        putU16(0, 1);
        putU16(2, EthernetFrame.ETHER_TYPE_IPV4);
        putU8(4, 6);
        putU8(5, 4);
        putU16(OPERATION_OFFSET, op);
        putMac(SENDER_HARDWARE_OFFSET, senderMac);
        putI32(SENDER_PROTOCOL_OFFSET, senderIp);
        putMac(TARGET_HARDWARE_OFFSET, targetMac);
        putI32(TARGET_PROTOCOL_OFFSET, targetIp);
        return this;
    }

    private long mac(final int index)
    {
        return ((long)u16(index) << 32) | (i32(index + 2) & 0xFFFF_FFFFL);
    }

    private void putMac(final int index, final long mac)
    {
        putU16(index, (int)(mac >>> 32));
        putI32(index + 2, (int)mac);
    }
}
