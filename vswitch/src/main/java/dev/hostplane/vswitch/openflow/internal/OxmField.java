package dev.hostplane.vswitch.openflow.internal;

import dev.hostplane.vswitch.flow.FlowField;

/**
 * The OpenFlow 1.3 match fields (OXM class OPENFLOW_BASIC) that the classifier can hold, with the
 * flow-key field each lands in and the prerequisite the specification sets for it. Several OXM
 * fields share a key field (TCP, UDP and ICMP ports/types; IPv4 and ARP addresses), as in Open
 * vSwitch; the prerequisite (EtherType, IP protocol) in the same match says which one it is.
 */
enum OxmField
{
    IN_PORT(0, 4, FlowField.IN_PORT, 0, -1),
    ETH_DST(3, 6, FlowField.ETH_DST, 0, -1),
    ETH_SRC(4, 6, FlowField.ETH_SRC, 0, -1),
    ETH_TYPE(5, 2, FlowField.ETH_TYPE, 0, -1),
    VLAN_VID(6, 2, FlowField.VLAN_VID, 0, -1),
    VLAN_PCP(7, 1, FlowField.VLAN_PCP, 0, -1),
    IP_DSCP(8, 1, FlowField.IP_DSCP, Prereq.IP, -1),
    IP_ECN(9, 1, FlowField.IP_ECN, Prereq.IP, -1),
    IP_PROTO(10, 1, FlowField.IP_PROTO, Prereq.IP, -1),
    IPV4_SRC(11, 4, FlowField.IPV4_SRC, Prereq.IPV4, -1),
    IPV4_DST(12, 4, FlowField.IPV4_DST, Prereq.IPV4, -1),
    TCP_SRC(13, 2, FlowField.TP_SRC, Prereq.IP, 6),
    TCP_DST(14, 2, FlowField.TP_DST, Prereq.IP, 6),
    UDP_SRC(15, 2, FlowField.TP_SRC, Prereq.IP, 17),
    UDP_DST(16, 2, FlowField.TP_DST, Prereq.IP, 17),
    ICMPV4_TYPE(19, 1, FlowField.TP_SRC, Prereq.IPV4, 1),
    ICMPV4_CODE(20, 1, FlowField.TP_DST, Prereq.IPV4, 1),
    ARP_OP(21, 2, FlowField.ARP_OP, Prereq.ARP, -1),
    ARP_SPA(22, 4, FlowField.IPV4_SRC, Prereq.ARP, -1),
    ARP_TPA(23, 4, FlowField.IPV4_DST, Prereq.ARP, -1),
    IPV6_SRC(26, 16, FlowField.IPV6_SRC_HIGH, Prereq.IPV6, -1),
    IPV6_DST(27, 16, FlowField.IPV6_DST_HIGH, Prereq.IPV6, -1),
    IPV6_FLABEL(28, 4, FlowField.IPV6_LABEL, Prereq.IPV6, -1),
    ICMPV6_TYPE(29, 1, FlowField.TP_SRC, Prereq.IPV6, 58),
    ICMPV6_CODE(30, 1, FlowField.TP_DST, Prereq.IPV6, 58);

    /** OXM class of the basic fields. */
    static final int CLASS_OPENFLOW_BASIC = 0x8000;

    private static final OxmField[] BY_ID = new OxmField[64];

    static
    {
        for (final OxmField f : values())
        {
            BY_ID[f.oxmId] = f;
        }
    }

    final int oxmId;
    final int bytes;
    final FlowField field;
    final int prereq;
    final int ipProto;

    OxmField(final int oxmId, final int bytes, final FlowField field, final int prereq, final int ipProto)
    {
        this.oxmId = oxmId;
        this.bytes = bytes;
        this.field = field;
        this.prereq = prereq;
        this.ipProto = ipProto;
    }

    /**
     * The field with an OXM id, if the classifier supports it.
     *
     * @param oxmId OXM field id (class OPENFLOW_BASIC).
     * @return the field, or null.
     */
    static OxmField byId(final int oxmId)
    {
        return oxmId >= 0 && oxmId < BY_ID.length ? BY_ID[oxmId] : null;
    }

    /** EtherType prerequisites, as bits of which EtherTypes satisfy them. */
    static final class Prereq
    {
        static final int IPV4 = 1;
        static final int IPV6 = 2;
        static final int IP = IPV4 | IPV6;
        static final int ARP = 4;

        private Prereq()
        {
        }
    }
}
