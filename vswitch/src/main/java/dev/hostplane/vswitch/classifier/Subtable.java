package dev.hostplane.vswitch.classifier;

import java.util.List;

import dev.hostplane.vswitch.flow.FlowKey;

/**
 * One subtable of the tuple-space classifier: every rule in it has the same mask, so a lookup
 * masks the frame's key once and probes one hash table (open addressing, linear probing, keys
 * stored flat in a {@code long[]}). Only the words the mask touches are hashed and compared.
 * Immutable once built; the classifier replaces a subtable rather than changing it.
 */
final class Subtable
{
    private final long[] mask;
    private final int[] maskedWords;
    private final long[] keys;
    private final FlowRule[] rules;
    private final int slotMask;
    private final int maxPriority;
    private final int size;

    /**
     * Builds a subtable from the highest-priority rule of each distinct match with this mask.
     *
     * @param mask the common mask.
     * @param heads one rule per distinct match value.
     */
    Subtable(final FlowKey mask, final List<FlowRule> heads)
    {
        this.mask = mask.words().clone();
        int count = 0;
        for (int i = 0; i < FlowKey.WORDS; i++)
        {
            if (this.mask[i] != 0)
            {
                count++;
            }
        }
        maskedWords = new int[count];
        for (int i = 0, j = 0; i < FlowKey.WORDS; i++)
        {
            if (this.mask[i] != 0)
            {
                maskedWords[j++] = i;
            }
        }
        final int capacity = Integer.highestOneBit(Math.max(4, heads.size() * 2 - 1)) << 1;
        slotMask = capacity - 1;
        keys = new long[capacity * FlowKey.WORDS];
        rules = new FlowRule[capacity];
        int max = -1;
        for (final FlowRule rule : heads)
        {
            final long[] v = rule.match().value().words();
            int slot = hash(v) & slotMask;
            while (rules[slot] != null)
            {
                slot = (slot + 1) & slotMask;
            }
            rules[slot] = rule;
            System.arraycopy(v, 0, keys, slot * FlowKey.WORDS, FlowKey.WORDS);
            max = Math.max(max, rule.priority());
        }
        maxPriority = max;
        size = heads.size();
    }

    int maxPriority()
    {
        return maxPriority;
    }

    int size()
    {
        return size;
    }

    long[] mask()
    {
        return mask;
    }

    /**
     * Finds the rule whose value equals the masked key.
     *
     * @param key unmasked frame key.
     * @return the rule, or null.
     */
    FlowRule find(final long[] key)
    {
        final long[] mask = this.mask;
        final int[] words = this.maskedWords;
        long h = 0x9E37_79B9_7F4A_7C15L;
        for (final int w : words)
        {
            h = FlowKey.mix(h ^ (key[w] & mask[w]) ^ w);
        }
        int slot = (int)(h ^ (h >>> 32)) & slotMask;
        final FlowRule[] rules = this.rules;
        final long[] keys = this.keys;
        while (true)
        {
            final FlowRule rule = rules[slot];
            if (rule == null)
            {
                return null;
            }
            final int base = slot * FlowKey.WORDS;
            boolean equal = true;
            for (final int w : words)
            {
                if (keys[base + w] != (key[w] & mask[w]))
                {
                    equal = false;
                    break;
                }
            }
            if (equal)
            {
                return rule;
            }
            slot = (slot + 1) & slotMask;
        }
    }

    private int hash(final long[] maskedValue)
    {
        long h = 0x9E37_79B9_7F4A_7C15L;
        for (final int w : maskedWords)
        {
            h = FlowKey.mix(h ^ maskedValue[w] ^ w);
        }
        return (int)(h ^ (h >>> 32));
    }
}
