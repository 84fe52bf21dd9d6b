package dev.hostplane.vswitch.openflow.internal;

import java.util.ArrayList;
import java.util.List;

import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.flow.Match;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMatchV3;
import org.projectfloodlight.openflow.protocol.OFOxmList;
import org.projectfloodlight.openflow.protocol.OFBadMatchCode;
import org.projectfloodlight.openflow.protocol.oxm.OFOxm;

/**
 * Translates between OpenFlow 1.3 matches (lists of OXM TLVs, parsed and written by openflowj) and
 * the classifier's {@link Match}. Every OXM is handled through its wire form (class, field id,
 * value and mask bytes), so one table ({@link OxmField}) describes every supported field instead of
 * one branch per openflowj value type.
 *
 * <p>Refused with the OpenFlow error the specification names: fields the classifier does not
 * hold ({@code BAD_FIELD}), values out of the field's range ({@code BAD_VALUE}), wrong lengths
 * ({@code BAD_LEN}) and missing prerequisites ({@code BAD_PREREQ}).
 */
public final class MatchCodec
{
    private final OFFactory factory;

    /**
     * Creates a codec.
     *
     * @param factory OpenFlow 1.3 factory.
     */
    public MatchCodec(final OFFactory factory)
    {
        this.factory = factory;
    }

    /** One decoded OXM: field, value and mask (IPv6 addresses use both halves). */
    record Oxm(OxmField field, long valueHigh, long valueLow, long maskHigh, long maskLow, boolean masked)
    {
    }

    /**
     * OpenFlow match to classifier match.
     *
     * @param ofMatch the match from a FLOW_MOD or statistics request.
     * @return the classifier match.
     * @throws OfError when the match uses a field, value or mask the switch cannot hold.
     */
    public Match toMatch(final org.projectfloodlight.openflow.protocol.match.Match ofMatch) throws OfError
    {
        if (!(ofMatch instanceof OFMatchV3))
        {
            throw OfError.badMatch(OFBadMatchCode.BAD_TYPE, "only OXM matches are supported: " + ofMatch);
        }
        final Match.Builder builder = Match.builder();
        long ethType = -1;
        long ipProto = -1;
        final List<Oxm> oxms = new ArrayList<>();
        for (final OFOxm<?> raw : ((OFMatchV3)ofMatch).getOxmList())
        {
            final Oxm oxm = decode(raw);
            oxms.add(oxm);
            final boolean exact = !oxm.masked;
            if (oxm.field == OxmField.ETH_TYPE && exact)
            {
                ethType = oxm.valueLow;
            }
            else if (oxm.field == OxmField.IP_PROTO && exact)
            {
                ipProto = oxm.valueLow;
            }
        }
        for (final Oxm oxm : oxms)
        {
            checkPrerequisite(oxm.field, ethType, ipProto);
            if (oxm.field == OxmField.VLAN_PCP && !hasVlan(oxms))
            {
                throw OfError.badMatch(OFBadMatchCode.BAD_PREREQ, "vlan_pcp needs a vlan_vid match with a VLAN present");
            }
            put(builder, oxm);
        }
        return builder.build();
    }

    /**
     * Classifier match to OpenFlow match. Key fields OpenFlow 1.3 has no OXM for (TTL, fragment
     * state, TCP flags) are left out; only rules installed through the Java API or a flow file can
     * have them.
     *
     * @param match the classifier match.
     * @return the OpenFlow match.
     */
    public org.projectfloodlight.openflow.protocol.match.Match fromMatch(final Match match)
    {
        final long ethType = match.isWildcarded(FlowField.ETH_TYPE) ? -1 : match.value().get(FlowField.ETH_TYPE);
        final long ipProto = match.isWildcarded(FlowField.IP_PROTO) ? -1 : match.value().get(FlowField.IP_PROTO);
        final List<OFOxm<?>> out = new ArrayList<>();
        for (final OxmField f : OxmField.values())
        {
            if (match.isWildcarded(f.field) && !(isIpv6Address(f) && !match.isWildcarded(low(f.field))))
            {
                continue;
            }
            if (!owns(f, ethType, ipProto))
            {
                continue;
            }
            final long vHigh;
            final long vLow;
            final long mHigh;
            final long mLow;
            if (isIpv6Address(f))
            {
                vHigh = match.value().get(f.field);
                vLow = match.value().get(low(f.field));
                mHigh = match.mask().get(f.field);
                mLow = match.mask().get(low(f.field));
                out.add(encode(f, vHigh, vLow, mHigh, mLow, mHigh != -1L || mLow != -1L));
                continue;
            }
            vLow = match.value().get(f.field);
            mLow = match.mask().get(f.field);
            out.add(encode(f, 0, vLow, 0, mLow, mLow != f.field.maxValue()));
        }
        return factory.matchV3(OFOxmList.ofList(out));
    }

    /**
     * Decodes one OXM into field, value and mask.
     *
     * @param raw parsed OXM.
     * @return decoded form.
     * @throws OfError when the field is not supported or the value is out of range.
     */
    Oxm decode(final OFOxm<?> raw) throws OfError
    {
        final ByteBuf buf = Unpooled.buffer(40);
        raw.writeTo(buf);
        final int oxmClass = buf.readUnsignedShort();
        final int fieldAndMask = buf.readUnsignedByte();
        final int length = buf.readUnsignedByte();
        final int id = fieldAndMask >>> 1;
        final boolean masked = (fieldAndMask & 1) != 0;
        final OxmField field = oxmClass == OxmField.CLASS_OPENFLOW_BASIC ? OxmField.byId(id) : null;
        if (field == null)
        {
            throw OfError.badMatch(OFBadMatchCode.BAD_FIELD, "match field not supported by this switch: " +
                raw.getMatchField().getName() + " (OXM class 0x" + Integer.toHexString(oxmClass) + " field " + id + ")");
        }
        final int valueLength = masked ? length / 2 : length;
        if (valueLength != field.bytes || buf.readableBytes() < length)
        {
            throw OfError.badMatch(OFBadMatchCode.BAD_LEN, "bad OXM length for " + field + ": " + length);
        }
        final long[] value = readNumber(buf, field.bytes);
        final long[] mask = masked ? readNumber(buf, field.bytes) : full(field.bytes);
        final long maxLow = isIpv6Address(field) ? -1L : field.field.maxValue();
        if (field != OxmField.IN_PORT && (value[1] & ~maxLow) != 0)
        {
            throw OfError.badMatch(OFBadMatchCode.BAD_VALUE, "value out of range for " + field + ": 0x" +
                Long.toHexString(value[1]));
        }
        if (field == OxmField.IN_PORT && (value[1] < 1 || value[1] > 0xFEFF))
        {
            throw OfError.badMatch(OFBadMatchCode.BAD_VALUE, "in_port must be a switch port (1..65279): " + value[1]);
        }
        if (isIpv6Address(field))
        {
            return new Oxm(field, value[0], value[1], mask[0], mask[1], masked);
        }
        // An OXM narrower than its key field (ICMP type and code: 8 bits in the 16-bit port fields) matched
        // on all its bits is an exact match: the key field's other bits are zero in every packet that meets
        // the OXM's prerequisites.
        final long maskLow = mask[1] == full(field.bytes)[1] ? maxLow : mask[1] & maxLow;
        return new Oxm(field, value[0], value[1], mask[0], maskLow, masked);
    }

    /**
     * Encodes a field as an OXM (through its wire form, parsed back by openflowj).
     *
     * @param f field.
     * @param valueHigh top 64 bits (IPv6 addresses only).
     * @param valueLow value (bottom 64 bits of IPv6 addresses).
     * @param maskHigh mask top bits.
     * @param maskLow mask.
     * @param masked whether to send the mask.
     * @return the OXM.
     */
    OFOxm<?> encode(final OxmField f, final long valueHigh, final long valueLow, final long maskHigh,
        final long maskLow, final boolean masked)
    {
        final ByteBuf buf = Unpooled.buffer(4 + 2 * f.bytes);
        buf.writeShort(OxmField.CLASS_OPENFLOW_BASIC);
        buf.writeByte((f.oxmId << 1) | (masked ? 1 : 0));
        buf.writeByte(masked ? 2 * f.bytes : f.bytes);
        writeNumber(buf, f.bytes, valueHigh, valueLow);
        if (masked)
        {
            writeNumber(buf, f.bytes, maskHigh, maskLow);
        }
        try
        {
            return factory.oxms().getReader().readFrom(buf);
        }
        catch (final OFParseError ex)
        {
            throw new IllegalStateException("openflowj could not read an OXM we wrote: " + f, ex);
        }
    }

    private static void put(final Match.Builder builder, final Oxm oxm)
    {
        if (isIpv6Address(oxm.field))
        {
            builder.masked(oxm.field.field, oxm.valueHigh, oxm.maskHigh);
            builder.masked(low(oxm.field.field), oxm.valueLow, oxm.maskLow);
            return;
        }
        builder.masked(oxm.field.field, oxm.valueLow & oxm.maskLow, oxm.maskLow);
    }

    private static void checkPrerequisite(final OxmField f, final long ethType, final long ipProto) throws OfError
    {
        if (f.prereq != 0 && (etherTypeBit(ethType) & f.prereq) == 0)
        {
            throw OfError.badMatch(OFBadMatchCode.BAD_PREREQ, f + " needs an exact eth_type match " +
                (f.prereq == OxmField.Prereq.ARP ? "(0x0806)" : f.prereq == OxmField.Prereq.IPV4 ? "(0x0800)" :
                f.prereq == OxmField.Prereq.IPV6 ? "(0x86dd)" : "(0x0800 or 0x86dd)"));
        }
        if (f.ipProto >= 0 && ipProto != f.ipProto)
        {
            throw OfError.badMatch(OFBadMatchCode.BAD_PREREQ, f + " needs an exact ip_proto=" + f.ipProto + " match");
        }
    }

    /** Whether field {@code f} is the OXM spelling of its key field in a match with these values. */
    private static boolean owns(final OxmField f, final long ethType, final long ipProto)
    {
        switch (f)
        {
            case IPV4_SRC:
            case IPV4_DST:
                return ethType != 0x0806;
            case ARP_SPA:
            case ARP_TPA:
                return ethType == 0x0806;
            case TCP_SRC:
            case TCP_DST:
                return ipProto != 17 && ipProto != 1 && ipProto != 58;
            case UDP_SRC:
            case UDP_DST:
                return ipProto == 17;
            case ICMPV4_TYPE:
            case ICMPV4_CODE:
                return ipProto == 1;
            case ICMPV6_TYPE:
            case ICMPV6_CODE:
                return ipProto == 58;
            default:
                return true;
        }
    }

    private static boolean hasVlan(final List<Oxm> oxms)
    {
        for (final Oxm o : oxms)
        {
            if (o.field == OxmField.VLAN_VID && (o.valueLow & o.maskLow & 0x1000) != 0)
            {
                return true;
            }
        }
        return false;
    }

    private static int etherTypeBit(final long ethType)
    {
        if (ethType == 0x0800)
        {
            return OxmField.Prereq.IPV4;
        }
        if (ethType == 0x86DD)
        {
            return OxmField.Prereq.IPV6;
        }
        return ethType == 0x0806 ? OxmField.Prereq.ARP : 0;
    }

    static boolean isIpv6Address(final OxmField f)
    {
        return f == OxmField.IPV6_SRC || f == OxmField.IPV6_DST;
    }

    static FlowField low(final FlowField high)
    {
        return high == FlowField.IPV6_SRC_HIGH ? FlowField.IPV6_SRC_LOW : FlowField.IPV6_DST_LOW;
    }

    private static long[] readNumber(final ByteBuf buf, final int bytes)
    {
        long high = 0;
        long low = 0;
        for (int i = 0; i < bytes; i++)
        {
            final int b = buf.readUnsignedByte();
            if (bytes > 8 && i < bytes - 8)
            {
                high = (high << 8) | b;
            }
            else
            {
                low = (low << 8) | b;
            }
        }
        return new long[] {high, low};
    }

    private static long[] full(final int bytes)
    {
        return new long[] {bytes > 8 ? -1L : 0, bytes >= 8 ? -1L : (1L << (8 * bytes)) - 1};
    }

    private static void writeNumber(final ByteBuf buf, final int bytes, final long high, final long low)
    {
        for (int i = bytes - 1; i >= 0; i--)
        {
            buf.writeByte((int)(i >= 8 ? high >>> (8 * (i - 8)) : low >>> (8 * i)));
        }
    }
}
