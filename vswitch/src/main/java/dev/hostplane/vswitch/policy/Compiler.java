package dev.hostplane.vswitch.policy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.hostplane.vswitch.flow.Match;
import dev.hostplane.vswitch.policy.internal.Matches;

/**
 * The classifier algebra of the Pyretic/NetKAT compilers. A classifier is an ordered rule list
 * where the first matching rule applies and the last rule matches everything. Parallel composition
 * is the cross product (each packet's first match in the product is the pair of its first matches,
 * so the action sets just unite); sequential composition pulls the second classifier back through
 * each action of the first; negation swaps drop and identity. Shadowed rules are removed as they
 * appear, which keeps the products small.
 */
final class Compiler
{
    private Compiler()
    {
    }

    static List<Rule> all(final Set<Mod> actions)
    {
        return List.of(new Rule(Match.ALL, actions));
    }

    static List<Rule> filter(final Match m)
    {
        final List<Rule> rules = new ArrayList<>();
        if (!m.equals(Match.ALL))
        {
            rules.add(new Rule(m, Set.of(Mod.IDENTITY)));
            rules.add(new Rule(Match.ALL, Set.of()));
            return rules;
        }
        rules.add(new Rule(Match.ALL, Set.of(Mod.IDENTITY)));
        return rules;
    }

    static List<Rule> negate(final List<Rule> c)
    {
        final List<Rule> out = new ArrayList<>(c.size());
        for (final Rule r : c)
        {
            // The negation of what only the controller can decide is decided there too.
            out.add(new Rule(r.match(), r.actions().contains(Mod.PUNT) ? r.actions() :
                r.actions().isEmpty() ? Set.of(Mod.IDENTITY) : Set.of()));
        }
        return optimize(out);
    }

    static List<Rule> parallel(final List<Rule> a, final List<Rule> b)
    {
        final List<Rule> out = new ArrayList<>();
        for (final Rule ra : a)
        {
            for (final Rule rb : b)
            {
                final Match m = Matches.intersect(ra.match(), rb.match());
                if (m != null)
                {
                    out.add(new Rule(m, union(ra.actions(), rb.actions())));
                }
            }
        }
        return optimize(out);
    }

    /** The union of two action sets; {@link Mod#PUNT} absorbs the rest (the controller does it all). */
    static Set<Mod> union(final Set<Mod> a, final Set<Mod> b)
    {
        if (a.contains(Mod.PUNT) || b.contains(Mod.PUNT))
        {
            return Set.of(Mod.PUNT);
        }
        final Set<Mod> acts = new LinkedHashSet<>(a);
        acts.addAll(b);
        return Set.copyOf(acts);
    }

    static List<Rule> sequential(final List<Rule> a, final List<Rule> b)
    {
        final List<Rule> out = new ArrayList<>();
        for (final Rule ra : a)
        {
            if (ra.actions().isEmpty())
            {
                out.add(ra);
                continue;
            }
            List<Rule> combined = null;
            for (final Mod mod : ra.actions())
            {
                final List<Rule> after = mod.terminal() ? all(Set.of(mod)) : pullBack(b, mod);
                combined = combined == null ? after : parallel(combined, after);
            }
            for (final Rule r : combined)
            {
                final Match m = Matches.intersect(ra.match(), r.match());
                if (m != null)
                {
                    out.add(new Rule(m, r.actions()));
                }
            }
        }
        return optimize(out);
    }

    /** Classifier {@code b} as seen by packets that went through {@code mod} first. */
    private static List<Rule> pullBack(final List<Rule> b, final Mod mod)
    {
        final List<Rule> out = new ArrayList<>();
        for (final Rule rb : b)
        {
            final Match m = Matches.pullBack(rb.match(), mod.value, mod.mask);
            if (m == null)
            {
                continue;
            }
            final Set<Mod> acts = new LinkedHashSet<>();
            for (final Mod next : rb.actions())
            {
                acts.add(mod.then(next));
            }
            out.add(new Rule(m, acts.contains(Mod.PUNT) ? Set.of(Mod.PUNT) : Set.copyOf(acts)));
        }
        return out;
    }

    /** Drops rules that an earlier rule fully covers (they can never be the first match). */
    static List<Rule> optimize(final List<Rule> rules)
    {
        final List<Rule> out = new ArrayList<>(rules.size());
        outer:
        for (final Rule r : rules)
        {
            for (final Rule earlier : out)
            {
                if (r.match().isCoveredBy(earlier.match()))
                {
                    continue outer;
                }
            }
            out.add(r);
        }
        // Adjacent rules with the same actions where the later one covers the earlier are one rule.
        final List<Rule> merged = new ArrayList<>(out.size());
        for (int i = 0; i < out.size(); i++)
        {
            final Rule r = out.get(i);
            if (i + 1 < out.size() && out.get(i + 1).actions().equals(r.actions()) &&
                r.match().isCoveredBy(out.get(i + 1).match()))
            {
                continue;
            }
            merged.add(r);
        }
        return merged;
    }
}
