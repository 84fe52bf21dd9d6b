package dev.hostplane.vswitch.classifier;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import dev.hostplane.vswitch.action.Action;
import dev.hostplane.vswitch.action.Actions;
import dev.hostplane.vswitch.flow.FlowKey;
import dev.hostplane.vswitch.flow.Match;

/**
 * The control-plane side of the flow table (VS-C1): add, modify and delete (strict and non-strict,
 * filtered by cookie and out_port), expiry, dump; and publication of immutable {@link Classifier}
 * snapshots to the data plane.
 *
 * <p>Writers are serialised by this object's monitor; readers (workers) never lock. Each operation,
 * including a batch via {@link #addAll(Collection)}, publishes exactly one new snapshot, so the data
 * plane sees either everything before the operation or everything after it. Only the subtables
 * whose mask was touched are rebuilt.
 */
public final class FlowTable
{
    private static final Comparator<FlowRule> BY_PRIORITY_DESC =
        Comparator.comparingInt(FlowRule::priority).reversed();

    private final Map<MaskKey, Map<Match, List<FlowRule>>> byMask = new HashMap<>();
    private final Map<MaskKey, Subtable> subtables = new HashMap<>();
    private volatile Classifier current = Classifier.EMPTY;
    private long version;
    private int ruleCount;

    /**
     * The snapshot the data plane should use now.
     *
     * @return current classifier.
     */
    public Classifier classifier()
    {
        return current;
    }

    /**
     * Adds a rule, replacing one with the same match and priority.
     *
     * @param rule the rule.
     * @return the replaced rule, or null.
     */
    public synchronized FlowRule add(final FlowRule rule)
    {
        final Set<MaskKey> dirty = new HashSet<>();
        final FlowRule replaced = insert(rule, dirty);
        publish(dirty);
        return replaced;
    }

    /**
     * Adds many rules in one publication (atomic for the data plane).
     *
     * @param rules the rules.
     */
    public synchronized void addAll(final Collection<FlowRule> rules)
    {
        final Set<MaskKey> dirty = new HashSet<>();
        for (final FlowRule rule : rules)
        {
            insert(rule, dirty);
        }
        publish(dirty);
    }

    /**
     * Applies deletions (by identity: match and priority) and additions in one publication, like an
     * OpenFlow bundle: the data plane sees the table before or after, never in between.
     *
     * @param adds rules to add (replacing same match and priority).
     * @param deletes rules to remove, identified by match and priority.
     * @return the rules actually removed by {@code deletes}.
     */
    public synchronized List<FlowRule> commit(final Collection<FlowRule> adds, final Collection<FlowRule> deletes)
    {
        final Set<MaskKey> dirty = new HashSet<>();
        final List<FlowRule> removed = new ArrayList<>();
        for (final FlowRule victim : deletes)
        {
            for (final FlowRule rule : select(victim.match(), victim.priority(), true, 0, 0, 0))
            {
                remove(rule, dirty);
                removed.add(rule);
            }
        }
        for (final FlowRule rule : adds)
        {
            insert(rule, dirty);
        }
        publish(dirty);
        return removed;
    }

    /**
     * Replaces the actions of matching rules, keeping their counters.
     *
     * @param match strict: exactly this match; non-strict: this match or anything more specific.
     * @param priority compared only when strict.
     * @param strict strict or non-strict semantics.
     * @param cookie cookie value to filter on.
     * @param cookieMask bits of the cookie that must equal (0 = any cookie).
     * @param actions new action list.
     * @return number of rules modified.
     */
    public synchronized int modify(
        final Match match,
        final int priority,
        final boolean strict,
        final long cookie,
        final long cookieMask,
        final List<Action> actions)
    {
        int n = 0;
        for (final FlowRule rule : select(match, priority, strict, cookie, cookieMask, 0))
        {
            rule.actions(actions);
            n++;
        }
        if (n > 0)
        {
            // Action lists are swapped per rule; a new version also makes caches drop stale entries.
            publish(Set.of());
        }
        return n;
    }

    /**
     * Deletes matching rules.
     *
     * @param match strict: exactly this match; non-strict: this match or anything more specific.
     * @param priority compared only when strict.
     * @param strict strict or non-strict semantics.
     * @param cookie cookie value to filter on.
     * @param cookieMask bits of the cookie that must equal (0 = any cookie).
     * @param outPort only rules with an output to this port (0 = any).
     * @return the deleted rules.
     */
    public synchronized List<FlowRule> delete(
        final Match match,
        final int priority,
        final boolean strict,
        final long cookie,
        final long cookieMask,
        final int outPort)
    {
        final List<FlowRule> victims = select(match, priority, strict, cookie, cookieMask, outPort);
        final Set<MaskKey> dirty = new HashSet<>();
        for (final FlowRule rule : victims)
        {
            remove(rule, dirty);
        }
        if (!victims.isEmpty())
        {
            publish(dirty);
        }
        return victims;
    }

    /**
     * Deletes matching rules that also pass a filter.
     *
     * @param match strict: exactly this match; non-strict: this match or anything more specific.
     * @param priority compared only when strict.
     * @param strict strict or non-strict semantics.
     * @param cookie cookie value to filter on.
     * @param cookieMask bits of the cookie that must equal (0 = any cookie).
     * @param filter further condition on each rule.
     * @return the deleted rules.
     */
    public synchronized List<FlowRule> delete(
        final Match match,
        final int priority,
        final boolean strict,
        final long cookie,
        final long cookieMask,
        final Predicate<FlowRule> filter)
    {
        final List<FlowRule> victims = find(match, priority, strict, cookie, cookieMask, filter);
        final Set<MaskKey> dirty = new HashSet<>();
        for (final FlowRule rule : victims)
        {
            remove(rule, dirty);
        }
        if (!victims.isEmpty())
        {
            publish(dirty);
        }
        return victims;
    }

    /**
     * Rules selected the way modify and delete select them (for statistics requests).
     *
     * @param match strict: exactly this match; non-strict: this match or anything more specific.
     * @param priority compared only when strict.
     * @param strict strict or non-strict semantics.
     * @param cookie cookie value to filter on.
     * @param cookieMask bits of the cookie that must equal (0 = any cookie).
     * @param filter further condition on each rule.
     * @return the rules, highest priority first.
     */
    public synchronized List<FlowRule> find(
        final Match match,
        final int priority,
        final boolean strict,
        final long cookie,
        final long cookieMask,
        final Predicate<FlowRule> filter)
    {
        final List<FlowRule> found = new ArrayList<>();
        for (final FlowRule rule : select(match, priority, strict, cookie, cookieMask, 0))
        {
            if (filter.test(rule))
            {
                found.add(rule);
            }
        }
        found.sort(BY_PRIORITY_DESC);
        return found;
    }

    /**
     * Removes every rule whose idle or hard timeout has passed.
     *
     * @param nowNanos current nanoTime.
     * @param reasons receives the removal reason per removed rule, same order as the result.
     * @return the removed rules.
     */
    public synchronized List<FlowRule> expire(final long nowNanos, final List<Integer> reasons)
    {
        final List<FlowRule> expired = new ArrayList<>();
        for (final Map<Match, List<FlowRule>> byMatch : byMask.values())
        {
            for (final List<FlowRule> chain : byMatch.values())
            {
                for (final FlowRule rule : chain)
                {
                    final int reason = rule.expiry(nowNanos);
                    if (reason >= 0)
                    {
                        expired.add(rule);
                        reasons.add(reason);
                    }
                }
            }
        }
        if (!expired.isEmpty())
        {
            final Set<MaskKey> dirty = new HashSet<>();
            for (final FlowRule rule : expired)
            {
                remove(rule, dirty);
            }
            publish(dirty);
        }
        return expired;
    }

    /**
     * Every rule, highest priority first.
     *
     * @return a new list.
     */
    public synchronized List<FlowRule> rules()
    {
        final List<FlowRule> all = new ArrayList<>(ruleCount);
        for (final Map<Match, List<FlowRule>> byMatch : byMask.values())
        {
            for (final List<FlowRule> chain : byMatch.values())
            {
                all.addAll(chain);
            }
        }
        all.sort(BY_PRIORITY_DESC);
        return all;
    }

    /**
     * Number of rules.
     *
     * @return count.
     */
    public synchronized int size()
    {
        return ruleCount;
    }

    private List<FlowRule> select(
        final Match match,
        final int priority,
        final boolean strict,
        final long cookie,
        final long cookieMask,
        final int outPort)
    {
        final List<FlowRule> selected = new ArrayList<>();
        if (strict)
        {
            final Map<Match, List<FlowRule>> byMatch = byMask.get(new MaskKey(match.mask()));
            final List<FlowRule> chain = byMatch == null ? null : byMatch.get(match);
            if (chain != null)
            {
                for (final FlowRule rule : chain)
                {
                    if (rule.priority() == priority && cookieMatches(rule, cookie, cookieMask) &&
                        outputsTo(rule, outPort))
                    {
                        selected.add(rule);
                    }
                }
            }
            return selected;
        }
        for (final Map<Match, List<FlowRule>> byMatch : byMask.values())
        {
            for (final List<FlowRule> chain : byMatch.values())
            {
                for (final FlowRule rule : chain)
                {
                    if (rule.match().isCoveredBy(match) && cookieMatches(rule, cookie, cookieMask) &&
                        outputsTo(rule, outPort))
                    {
                        selected.add(rule);
                    }
                }
            }
        }
        return selected;
    }

    private static boolean cookieMatches(final FlowRule rule, final long cookie, final long cookieMask)
    {
        return (rule.cookie() & cookieMask) == (cookie & cookieMask);
    }

    private static boolean outputsTo(final FlowRule rule, final int outPort)
    {
        if (outPort == 0)
        {
            return true;
        }
        for (final Action a : rule.actions())
        {
            if (a instanceof Actions.Output && ((Actions.Output)a).port() == outPort)
            {
                return true;
            }
        }
        return false;
    }

    private FlowRule insert(final FlowRule rule, final Set<MaskKey> dirty)
    {
        final MaskKey key = new MaskKey(rule.match().mask());
        final List<FlowRule> chain = byMask.computeIfAbsent(key, k -> new HashMap<>())
            .computeIfAbsent(rule.match(), m -> new ArrayList<>(1));
        FlowRule replaced = null;
        for (final Iterator<FlowRule> it = chain.iterator(); it.hasNext(); )
        {
            final FlowRule existing = it.next();
            if (existing.priority() == rule.priority())
            {
                it.remove();
                replaced = existing;
                ruleCount--;
                break;
            }
        }
        chain.add(rule);
        chain.sort(BY_PRIORITY_DESC);
        ruleCount++;
        dirty.add(key);
        return replaced;
    }

    private void remove(final FlowRule rule, final Set<MaskKey> dirty)
    {
        final MaskKey key = new MaskKey(rule.match().mask());
        final Map<Match, List<FlowRule>> byMatch = byMask.get(key);
        if (byMatch == null)
        {
            return;
        }
        final List<FlowRule> chain = byMatch.get(rule.match());
        if (chain != null && chain.remove(rule))
        {
            ruleCount--;
            dirty.add(key);
            if (chain.isEmpty())
            {
                byMatch.remove(rule.match());
                if (byMatch.isEmpty())
                {
                    byMask.remove(key);
                }
            }
        }
    }

    private void publish(final Set<MaskKey> dirty)
    {
        for (final MaskKey key : dirty)
        {
            final Map<Match, List<FlowRule>> byMatch = byMask.get(key);
            if (byMatch == null)
            {
                subtables.remove(key);
                continue;
            }
            final List<FlowRule> heads = new ArrayList<>(byMatch.size());
            for (final List<FlowRule> chain : byMatch.values())
            {
                heads.add(chain.get(0));
            }
            final FlowKey mask = new FlowKey();
            System.arraycopy(key.words, 0, mask.words(), 0, FlowKey.WORDS);
            subtables.put(key, new Subtable(mask, heads));
        }
        final Subtable[] sorted = subtables.values().toArray(new Subtable[0]);
        Arrays.sort(sorted, Comparator.comparingInt(Subtable::maxPriority).reversed());
        version++;
        current = new Classifier(sorted, version, ruleCount);
    }

    private static final class MaskKey
    {
        private final long[] words;
        private final int hash;

        MaskKey(final FlowKey mask)
        {
            this.words = mask.words().clone();
            this.hash = Arrays.hashCode(words);
        }

        @Override
        public boolean equals(final Object o)
        {
            return o instanceof MaskKey && Arrays.equals(words, ((MaskKey)o).words);
        }

        @Override
        public int hashCode()
        {
            return hash;
        }
    }
}
