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
     * Hash of the whole key.
     *
     * @return 32-bit hash.
     */
    public int fullHash()
    {
        long h = 0x9E37_79B9_7F4A_7C15L;
        for (int i = 0; i < WORDS; i++)
        {
            h = mix(h ^ words[i]);
        }
        return (int)(h ^ (h >>> 32));
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
