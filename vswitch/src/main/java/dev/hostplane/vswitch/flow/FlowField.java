package dev.hostplane.vswitch.flow;

/**
 * The match fields of a {@link FlowKey}, each a bit range in one of the key's 64-bit words.
 *
 * <p>The layout packs the fields a lookup needs most (port, EtherType, VLAN, protocol) into word 0,
 * so most subtables hash few words. ICMP type/code share the bits of the transport ports and ARP
 * sender/target addresses share those of the IPv4 addresses, as in Open vSwitch: the EtherType and
 * protocol in the same key say which meaning applies. IPv6 addresses span two words each.
 */
public enum FlowField
{
    /** Ingress port number. */
    IN_PORT(0, 48, 16),
    /** EtherType after any VLAN tags. */
    ETH_TYPE(0, 32, 16),
    /** VLAN id with the "present" bit 0x1000 (0 = untagged), as OpenFlow's OFPVID_PRESENT. */
    VLAN_VID(0, 16, 13),
    /** VLAN priority code point (0 when untagged). */
    VLAN_PCP(0, 29, 3),
    /** IP protocol / IPv6 upper-layer next header. */
    IP_PROTO(0, 8, 8),
    /** DSCP (upper 6 bits of TOS / traffic class). */
    IP_DSCP(0, 2, 6),
    /** ECN (lower 2 bits of TOS / traffic class). */
    IP_ECN(0, 0, 2),
    /** Destination MAC. */
    ETH_DST(1, 0, 48),
    /** IPv4 TTL / IPv6 hop limit. */
    IP_TTL(1, 48, 8),
    /** Fragment state: 0 not a fragment, 1 first fragment, 3 later fragment. */
    IP_FRAG(1, 56, 2),
    /** Source MAC. */
    ETH_SRC(2, 0, 48),
    /** TCP flags (12 bits). */
    TCP_FLAGS(2, 48, 12),
    /** IPv4 source (also ARP sender protocol address). */
    IPV4_SRC(3, 32, 32),
    /** IPv4 destination (also ARP target protocol address). */
    IPV4_DST(3, 0, 32),
    /** TCP/UDP source port. */
    TP_SRC(4, 48, 16),
    /** TCP/UDP destination port. */
    TP_DST(4, 32, 16),
    /** ICMP / ICMPv6 type (same bits as the low byte of {@link #TP_SRC}). */
    ICMP_TYPE(4, 48, 16),
    /** ICMP / ICMPv6 code (same bits as {@link #TP_DST}). */
    ICMP_CODE(4, 32, 16),
    /** ARP opcode. */
    ARP_OP(4, 16, 16),
    /** IPv6 flow label. */
    IPV6_LABEL(4, 0, 20),
    /** IPv6 source, top 64 bits. */
    IPV6_SRC_HIGH(5, 0, 64),
    /** IPv6 source, bottom 64 bits. */
    IPV6_SRC_LOW(6, 0, 64),
    /** IPv6 destination, top 64 bits. */
    IPV6_DST_HIGH(7, 0, 64),
    /** IPv6 destination, bottom 64 bits. */
    IPV6_DST_LOW(8, 0, 64);

    /** ARP sender protocol address (alias of {@link #IPV4_SRC}). */
    public static final FlowField ARP_SPA = IPV4_SRC;
    /** ARP target protocol address (alias of {@link #IPV4_DST}). */
    public static final FlowField ARP_TPA = IPV4_DST;
    /** The VLAN "present" bit in {@link #VLAN_VID}. */
    public static final int VLAN_PRESENT = 0x1000;

    private final int word;
    private final int shift;
    private final int width;
    private final long fieldMask;

    FlowField(final int word, final int shift, final int width)
    {
        this.word = word;
        this.shift = shift;
        this.width = width;
        this.fieldMask = width == 64 ? -1L : ((1L << width) - 1) << shift;
    }

    /**
     * Index of the key word holding this field.
     *
     * @return 0..{@link FlowKey#WORDS}-1.
     */
    public int word()
    {
        return word;
    }

    /**
     * Bit position of the field's least significant bit.
     *
     * @return shift.
     */
    public int shift()
    {
        return shift;
    }

    /**
     * Width in bits.
     *
     * @return bits.
     */
    public int width()
    {
        return width;
    }

    /**
     * The field's bits within its word.
     *
     * @return mask in word position.
     */
    public long wordMask()
    {
        return fieldMask;
    }

    /**
     * Largest value the field holds.
     *
     * @return all-ones of the field's width.
     */
    public long maxValue()
    {
        return width == 64 ? -1L : (1L << width) - 1;
    }

    /**
     * Lower-case name as used in text output.
     *
     * @return e.g. "ipv4_dst".
     */
    public String displayName()
    {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
