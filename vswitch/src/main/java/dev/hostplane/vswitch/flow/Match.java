package dev.hostplane.vswitch.flow;

import java.util.Arrays;

import dev.hostplane.vswitch.packet.EthernetFrame;
import dev.hostplane.vswitch.packet.Ipv4Header;

/**
 * An immutable flow match: a value and a mask over {@link FlowKey} words. A frame matches when
 * {@code (key & mask) == value}; the value is stored already masked so equal matches compare
 * equal. Build one with {@link #builder()}.
 */
public final class Match
{
    /** The match that matches every frame. */
    public static final Match ALL = builder().build();

    private final FlowKey value;
    private final FlowKey mask;
    private final int hash;

    private Match(final FlowKey value, final FlowKey mask)
    {
        this.value = value;
        this.mask = mask;
        this.hash = 31 * Arrays.hashCode(value.words()) + Arrays.hashCode(mask.words());
    }

    /**
     * A new builder.
     *
     * @return an empty (match-all) builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * The masked value; do not modify.
     *
     * @return value key.
     */
    public FlowKey value()
    {
        return value;
    }

    /**
     * The mask; do not modify.
     *
     * @return mask key.
     */
    public FlowKey mask()
    {
        return mask;
    }

    /**
     * Whether a key matches.
     *
     * @param key extracted key.
     * @return true when every masked bit agrees.
     */
    public boolean matches(final FlowKey key)
    {
        return key.matches(mask, value);
    }

    /**
     * Whether this match is at least as specific as {@code other} and agrees with it wherever
     * {@code other} cares: every frame this matches, {@code other} matches too. Used by
     * non-strict modify/delete (OpenFlow: "all flows that match or are more specific").
     *
     * @param other the broader match.
     * @return true when this is covered by {@code other}.
     */
    public boolean isCoveredBy(final Match other)
    {
        for (int i = 0; i < FlowKey.WORDS; i++)
        {
            final long om = other.mask.word(i);
            if ((mask.word(i) & om) != om || (value.word(i) & om) != other.value.word(i))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a field is fully wildcarded.
     *
     * @param field the field.
     * @return true when no bit of it is matched.
     */
    public boolean isWildcarded(final FlowField field)
    {
        return (mask.word(field.word()) & field.wordMask()) == 0;
    }

    /**
     * Whether the mask has the same bits as another match's mask.
     *
     * @param other another match.
     * @return true when both masks are equal.
     */
    public boolean sameMask(final Match other)
    {
        return Arrays.equals(mask.words(), other.mask.words());
    }

    @Override
    public boolean equals(final Object o)
    {
        if (!(o instanceof Match))
        {
            return false;
        }
        final Match m = (Match)o;
        return hash == m.hash && Arrays.equals(value.words(), m.value.words()) &&
            Arrays.equals(mask.words(), m.mask.words());
    }

    @Override
    public int hashCode()
    {
        return hash;
    }

    /**
     * Text in the style of {@code ovs-ofctl dump-flows} (fields that are matched only).
     *
     * @return e.g. "in_port=1,dl_dst=02:00:00:00:00:01".
     */
    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder();
        for (final FlowField f : FlowField.values())
        {
            if (f == FlowField.ICMP_TYPE || f == FlowField.ICMP_CODE)
            {
                continue;
            }
            final long m = (mask.word(f.word()) & f.wordMask());
            if (m == 0)
            {
                continue;
            }
            final long v = value.get(f);
            final long fm = f.width() == 64 ? m : m >>> f.shift();
            if (sb.length() > 0)
            {
                sb.append(',');
            }
            sb.append(f.displayName()).append('=');
            switch (f)
            {
                case ETH_DST:
                case ETH_SRC:
                    sb.append(EthernetFrame.macToString(v));
                    if (fm != f.maxValue())
                    {
                        sb.append('/').append(EthernetFrame.macToString(fm));
                    }
                    break;
                case IPV4_SRC:
                case IPV4_DST:
                    sb.append(Ipv4Header.addressToString((int)v));
                    if (fm != f.maxValue())
                    {
                        sb.append('/').append(Long.bitCount(fm));
                    }
                    break;
                case VLAN_VID:
                    sb.append(v & 0xFFF);
                    break;
                case ETH_TYPE:
                    sb.append("0x").append(String.format("%04x", v));
                    break;
                default:
                    sb.append(f.width() == 64 ? "0x" + Long.toHexString(v) : Long.toString(v));
                    if (fm != f.maxValue())
                    {
                        sb.append("/0x").append(Long.toHexString(fm));
                    }
            }
        }
        return sb.length() == 0 ? "any" : sb.toString();
    }

    /**
     * Builds a {@link Match}; later settings of the same field replace earlier ones.
     */
    public static final class Builder
    {
        private final FlowKey value = new FlowKey();
        private final FlowKey mask = new FlowKey();

        private Builder()
        {
        }

        /**
         * Matches a field exactly.
         *
         * @param field the field.
         * @param fieldValue its value.
         * @return this.
         */
        public Builder exact(final FlowField field, final long fieldValue)
        {
            return masked(field, fieldValue, field.maxValue());
        }

        /**
         * Matches the 1-bits of {@code fieldMask} of a field.
         *
         * @param field the field.
         * @param fieldValue its value.
         * @param fieldMask significant bits, right-aligned.
         * @return this.
         */
        public Builder masked(final FlowField field, final long fieldValue, final long fieldMask)
        {
            if (field.width() < 64 && (fieldValue & ~field.maxValue()) != 0)
            {
                throw new IllegalArgumentException("value too wide for field: field=" + field.displayName() +
                    " value=" + fieldValue + " max=" + field.maxValue());
            }
            mask.set(field, fieldMask);
            value.set(field, fieldValue & fieldMask);
            return this;
        }

        /**
         * Stops matching a field.
         *
         * @param field the field.
         * @return this.
         */
        public Builder wildcard(final FlowField field)
        {
            mask.set(field, 0);
            value.set(field, 0);
            return this;
        }

        /**
         * Matches an IPv4 field by prefix.
         *
         * @param field {@link FlowField#IPV4_SRC} or {@link FlowField#IPV4_DST}.
         * @param address address bits.
         * @param prefixLength 0..32.
         * @return this.
         */
        public Builder ipv4Prefix(final FlowField field, final int address, final int prefixLength)
        {
            if (prefixLength < 0 || prefixLength > 32)
            {
                throw new IllegalArgumentException("bad IPv4 prefix length (expected 0..32): prefixLength=" +
                    prefixLength);
            }
            final long m = prefixLength == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefixLength)) & 0xFFFF_FFFFL;
            return masked(field, address & 0xFFFF_FFFFL, m);
        }

        /**
         * Matches an IPv6 address by prefix.
         *
         * @param source true for source, false for destination.
         * @param high top 64 bits.
         * @param low bottom 64 bits.
         * @param prefixLength 0..128.
         * @return this.
         */
        public Builder ipv6Prefix(final boolean source, final long high, final long low, final int prefixLength)
        {
            if (prefixLength < 0 || prefixLength > 128)
            {
                throw new IllegalArgumentException("bad IPv6 prefix length (expected 0..128): prefixLength=" +
                    prefixLength);
            }
            final long mh = prefixLength == 0 ? 0 : prefixLength >= 64 ? -1L : -1L << (64 - prefixLength);
            final long ml = prefixLength <= 64 ? 0 : prefixLength == 128 ? -1L : -1L << (128 - prefixLength);
            masked(source ? FlowField.IPV6_SRC_HIGH : FlowField.IPV6_DST_HIGH, high, mh);
            return masked(source ? FlowField.IPV6_SRC_LOW : FlowField.IPV6_DST_LOW, low, ml);
        }

        /**
         * Builds the immutable match.
         *
         * @return the match.
         */
        public Match build()
        {
            return new Match(new FlowKey().copyFrom(value), new FlowKey().copyFrom(mask));
        }
    }
}
