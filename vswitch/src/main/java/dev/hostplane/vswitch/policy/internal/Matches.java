package dev.hostplane.vswitch.policy.internal;

import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.flow.FlowKey;
import dev.hostplane.vswitch.flow.Match;

/** Word-level operations on matches that the policy compiler needs (intersection, pull-back). */
public final class Matches
{
    private static final FlowField[] FIELDS;

    static
    {
        // ICMP type/code alias the transport ports' bits; the ports cover them.
        FIELDS = java.util.Arrays.stream(FlowField.values())
            .filter(f -> f != FlowField.ICMP_TYPE && f != FlowField.ICMP_CODE).toArray(FlowField[]::new);
    }

    private Matches()
    {
    }

    /**
     * A match from raw words.
     *
     * @param value masked value words.
     * @param mask mask words.
     * @return the match.
     */
    public static Match of(final long[] value, final long[] mask)
    {
        final Match.Builder b = Match.builder();
        for (final FlowField f : FIELDS)
        {
            final long m = mask[f.word()] & f.wordMask();
            if (m != 0)
            {
                final long fm = f.width() == 64 ? m : m >>> f.shift();
                final long fv = f.width() == 64 ? value[f.word()] & m : (value[f.word()] & m) >>> f.shift();
                b.masked(f, fv, fm);
            }
        }
        return b.build();
    }

    /**
     * The frames both matches match, or null when none.
     *
     * @param a one match.
     * @param b another.
     * @return the intersection or null.
     */
    public static Match intersect(final Match a, final Match b)
    {
        final long[] v = new long[FlowKey.WORDS];
        final long[] m = new long[FlowKey.WORDS];
        for (int i = 0; i < FlowKey.WORDS; i++)
        {
            final long ma = a.mask().word(i);
            final long mb = b.mask().word(i);
            final long va = a.value().word(i);
            final long vb = b.value().word(i);
            if (((va ^ vb) & ma & mb) != 0)
            {
                return null;
            }
            v[i] = va | vb;
            m[i] = ma | mb;
        }
        return of(v, m);
    }

    /**
     * What a match requires of a packet before fields are set: null when the set values
     * contradict it, otherwise the match without the set bits.
     *
     * @param match the match applied after the modification.
     * @param setValue values written.
     * @param setMask bits written.
     * @return the pulled-back match or null.
     */
    public static Match pullBack(final Match match, final long[] setValue, final long[] setMask)
    {
        final long[] v = new long[FlowKey.WORDS];
        final long[] m = new long[FlowKey.WORDS];
        for (int i = 0; i < FlowKey.WORDS; i++)
        {
            final long mm = match.mask().word(i);
            if (((setValue[i] ^ match.value().word(i)) & mm & setMask[i]) != 0)
            {
                return null;
            }
            m[i] = mm & ~setMask[i];
            v[i] = match.value().word(i) & m[i];
        }
        return of(v, m);
    }

    /**
     * Fields of a header, in text.
     *
     * @param words header words.
     * @return e.g. "in_port=1,eth_dst=...".
     */
    public static String describe(final long[] words)
    {
        final long[] all = new long[FlowKey.WORDS];
        for (final FlowField f : FIELDS)
        {
            if ((words[f.word()] & f.wordMask()) != 0 || f == FlowField.IN_PORT)
            {
                all[f.word()] |= f.wordMask();
            }
        }
        final long[] v = new long[FlowKey.WORDS];
        for (int i = 0; i < v.length; i++)
        {
            v[i] = words[i] & all[i];
        }
        return of(v, all).toString();
    }
}
