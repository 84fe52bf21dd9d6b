package dev.hostplane.vswitch.classifier;

import dev.hostplane.vswitch.flow.FlowKey;

/**
 * An immutable snapshot of the flow table organised for lookup by tuple-space search (VS-D3):
 * one {@link Subtable} per distinct mask, sorted by the highest priority they hold, probed in that
 * order with early exit once no remaining subtable can beat the best match found, as Open vSwitch's
 * classifier does.
 *
 * <p>The data plane reads the current snapshot through one volatile load per batch; the control
 * plane builds a new snapshot per change and publishes it, so a frame always sees one whole table
 * version. {@link #version()} increases with every publication and is what the exact-match cache
 * keys its validity on.
 */
public final class Classifier
{
    /** The empty table. */
    public static final Classifier EMPTY = new Classifier(new Subtable[0], 0, 0);

    private final Subtable[] subtables;
    private final long version;
    private final int ruleCount;

    Classifier(final Subtable[] subtables, final long version, final int ruleCount)
    {
        this.subtables = subtables;
        this.version = version;
        this.ruleCount = ruleCount;
    }

    /**
     * Finds the highest-priority rule matching a key.
     *
     * @param key frame key.
     * @return the rule, or null on a table miss.
     */
    public FlowRule lookup(final FlowKey key)
    {
        final long[] words = key.words();
        final Subtable[] subtables = this.subtables;
        FlowRule best = null;
        for (final Subtable subtable : subtables)
        {
            if (best != null && subtable.maxPriority() <= best.priority())
            {
                break;
            }
            final FlowRule rule = subtable.find(words);
            if (rule != null && (best == null || rule.priority() > best.priority()))
            {
                best = rule;
            }
        }
        return best;
    }

    /**
     * Like {@link #lookup(FlowKey)} but reports each probed subtable to a tracer (allocates; for
     * {@code trace} only).
     *
     * @param key frame key.
     * @param out receives one line per subtable probed.
     * @return the rule, or null.
     */
    public FlowRule lookupTraced(final FlowKey key, final StringBuilder out)
    {
        final long[] words = key.words();
        FlowRule best = null;
        int probed = 0;
        for (final Subtable subtable : subtables)
        {
            if (best != null && subtable.maxPriority() <= best.priority())
            {
                out.append("  early exit: remaining subtables have max priority <= ").append(best.priority())
                    .append('\n');
                break;
            }
            probed++;
            final FlowRule rule = subtable.find(words);
            out.append("  subtable ").append(probed).append(" (").append(subtable.size()).append(" rules, max priority ")
                .append(subtable.maxPriority()).append("): ").append(rule == null ? "no match" : "hit priority=" +
                rule.priority()).append('\n');
            if (rule != null && (best == null || rule.priority() > best.priority()))
            {
                best = rule;
            }
        }
        return best;
    }

    /**
     * Publication number of this snapshot.
     *
     * @return version, 0 for the empty table.
     */
    public long version()
    {
        return version;
    }

    /**
     * Number of subtables (distinct masks).
     *
     * @return count.
     */
    public int subtableCount()
    {
        return subtables.length;
    }

    /**
     * Number of rules reachable by lookup.
     *
     * @return count.
     */
    public int ruleCount()
    {
        return ruleCount;
    }
}
