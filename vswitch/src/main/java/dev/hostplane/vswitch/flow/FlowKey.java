package dev.hostplane.vswitch.flow;

import java.util.Arrays;

/**
 * Compact flow key: every match field of a frame packed into {@link #WORDS} 64-bit words (layout
 * in {@link FlowField}). The same type serves as a mask (1-bits are significant).
 *
 * <p>Mutable and reused: the data plane extracts into one preallocated key per batch slot. Keys are
 * compared and hashed word by word, without allocation.
 */
public final class FlowKey
{
    /** Number of 64-bit words in a key. */
    public static final int WORDS = 9;

    // Odd 64-bit constants with mixed bit patterns (digits of pi and e), one per folded word.
    private static final long K0 = 0x243F_6A88_85A3_08D3L;
    private static final long K1 = 0x1319_8A2E_0370_7345L;
    private static final long K2 = 0xA409_3822_299F_31D1L;
    private static final long K3 = 0x082E_FA98_EC4E_6C89L;
    private static final long K4 = 0x4528_21E6_38D0_1377L;
    private static final long K5 = 0xBE54_66CF_34E9_0C6DL;
    private static final long K6 = 0xC0AC_29B7_C97C_50DDL;
    private static final long K7 = 0x3F84_D5B5_B547_0917L;
    private static final long K8 = 0x9216_D5D9_8979_FB1BL;
    private static final long K9 = 0xB7E1_5162_8AED_2A6BL;
    private static final long K10 = 0x9E37_79B9_7F4A_7C15L;

    private final long[] words = new long[WORDS];

    /**
     * The key's words (live array; callers in the data plane read it directly).
     *
     * @return the words.
     */
    public long[] words()
    {
        return words;
    }

    /**
     * One word.
     *
     * @param index word index.
     * @return its bits.
     */
    public long word(final int index)
    {
        return words[index];
    }

    /**
     * Reads a field.
     *
     * @param field which field.
     * @return its value, right-aligned.
     */
    public long get(final FlowField field)
    {
        final long w = words[field.word()];
        return field.width() == 64 ? w : (w >>> field.shift()) & field.maxValue();
    }

    /**
     * Writes a field.
     *
     * @param field which field.
     * @param value right-aligned value; bits beyond the width are ignored.
     * @return this.
     */
    public FlowKey set(final FlowField field, final long value)
    {
        final int i = field.word();
        words[i] = (words[i] & ~field.wordMask()) | ((value << field.shift()) & field.wordMask());
        return this;
    }

    /**
     * Zeroes every word.
     *
     * @return this.
     */
    public FlowKey clear()
    {
        Arrays.fill(words, 0L);
        return this;
    }

    /**
     * Copies another key into this one.
     *
     * @param other source.
     * @return this.
     */
    public FlowKey copyFrom(final FlowKey other)
    {
        System.arraycopy(other.words, 0, words, 0, WORDS);
        return this;
    }

    /**
     * Hash of the whole key, computed once per frame for the exact-match cache.
     *
     * <p>The words are folded in pairs by full 64x64-to-128-bit multiplies (low half xor high half,
     * each word first offset by its own constant) that do not depend on each other, so the CPU runs
     * them side by side; one more fold mixes the result. A chain of one mixer round per word would put
     * nine dependent multiply pairs on every frame's critical path.
     *
     * @return 32-bit hash.
     */
    public int fullHash()
    {
        final long[] w = words;
        final long h = fold(w[0] ^ K0, w[1] ^ K1) ^ fold(w[2] ^ K2, w[3] ^ K3) ^ fold(w[4] ^ K4, w[5] ^ K5) ^
            fold(w[6] ^ K6, w[7] ^ K7) ^ fold(w[8] ^ K8, K9);
        final long z = fold(h, K10);
        return (int)(z ^ (z >>> 32));
    }

    private static long fold(final long a, final long b)
    {
        return a * b ^ Math.multiplyHigh(a, b);
    }

    /**
     * Mixes a word into a running hash (the splitmix64 finaliser).
     *
     * @param x value.
     * @return mixed value.
     */
    public static long mix(final long x)
    {
        long z = x * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Whether this key, masked, equals {@code value} (which is already masked).
     *
     * @param mask the mask.
     * @param value masked value.
     * @return true when every masked bit agrees.
     */
    public boolean matches(final FlowKey mask, final FlowKey value)
    {
        for (int i = 0; i < WORDS; i++)
        {
            if ((words[i] & mask.words[i]) != value.words[i])
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof FlowKey && Arrays.equals(words, ((FlowKey)o).words);
    }

    @Override
    public int hashCode()
    {
        return fullHash();
    }

    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder("FlowKey{");
        for (int i = 0; i < WORDS; i++)
        {
            sb.append(i == 0 ? "" : ",").append(Long.toHexString(words[i]));
        }
        return sb.append('}').toString();
    }
}
