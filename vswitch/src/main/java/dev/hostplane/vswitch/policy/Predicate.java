package dev.hostplane.vswitch.policy;

import java.util.List;
import java.util.Set;

import dev.hostplane.vswitch.flow.Match;

/**
 * A policy that passes a packet on unchanged or drops it (Pyretic's filters): {@code match(...)},
 * {@code identity()}, {@code drop()}, and their combinations with {@link #and}, {@link #or} and
 * {@link #not}.
 */
public abstract class Predicate extends Policy
{
    /**
     * Whether the packet passes.
     *
     * @param packet the packet.
     * @return true to pass it on.
     */
    public abstract boolean test(Packet packet);

    /**
     * Both (Pyretic {@code &}).
     *
     * @param other the other predicate.
     * @return the conjunction.
     */
    public Predicate and(final Predicate other)
    {
        return new Combined(this, other, true);
    }

    /**
     * Either (Pyretic {@code |}).
     *
     * @param other the other predicate.
     * @return the disjunction.
     */
    public Predicate or(final Predicate other)
    {
        return new Combined(this, other, false);
    }

    /**
     * Negation (Pyretic {@code ~}).
     *
     * @return the complement.
     */
    public Predicate not()
    {
        return new Not(this);
    }

    @Override
    public Set<Packet> eval(final Packet packet, final int[] ports)
    {
        return test(packet) ? Set.of(packet) : Set.of();
    }

    /** Header match. */
    static final class MatchPredicate extends Predicate
    {
        final Match match;

        MatchPredicate(final Match match)
        {
            this.match = match;
        }

        @Override
        public boolean test(final Packet packet)
        {
            for (int i = 0; i < dev.hostplane.vswitch.flow.FlowKey.WORDS; i++)
            {
                if ((packet.word(i) & match.mask().word(i)) != match.value().word(i))
                {
                    return false;
                }
            }
            return true;
        }

        @Override
        List<Rule> compile()
        {
            return Compiler.filter(match);
        }

        @Override
        public String toString()
        {
            return Match.ALL.equals(match) ? "identity" : "match(" + match + ")";
        }
    }

    /**
     * A test written in Java. The compiler cannot see into it, so its rules send packets to the
     * controller, which runs the interpreter on them (Pyretic's reactive mode, for this part only).
     */
    static final class Opaque extends Predicate
    {
        private final String name;
        private final java.util.function.Predicate<Packet> test;

        Opaque(final String name, final java.util.function.Predicate<Packet> test)
        {
            this.name = name;
            this.test = test;
        }

        @Override
        public boolean test(final Packet packet)
        {
            return test.test(packet);
        }

        @Override
        List<Rule> compile()
        {
            return Compiler.all(Set.of(Mod.PUNT));
        }

        @Override
        public String toString()
        {
            return name;
        }
    }

    /** The predicate that drops everything. */
    static final class Nothing extends Predicate
    {
        @Override
        public boolean test(final Packet packet)
        {
            return false;
        }

        @Override
        List<Rule> compile()
        {
            return Compiler.all(Set.of());
        }

        @Override
        public String toString()
        {
            return "drop";
        }
    }

    /** And / or. */
    static final class Combined extends Predicate
    {
        final Predicate a;
        final Predicate b;
        final boolean and;

        Combined(final Predicate a, final Predicate b, final boolean and)
        {
            this.a = a;
            this.b = b;
            this.and = and;
        }

        @Override
        public boolean test(final Packet packet)
        {
            return and ? a.test(packet) && b.test(packet) : a.test(packet) || b.test(packet);
        }

        @Override
        List<Rule> compile()
        {
            return and ? Compiler.sequential(a.compile(), b.compile()) : Compiler.parallel(a.compile(), b.compile());
        }

        @Override
        public String toString()
        {
            return "(" + a + (and ? " & " : " | ") + b + ")";
        }
    }

    /** Negation. */
    static final class Not extends Predicate
    {
        final Predicate inner;

        Not(final Predicate inner)
        {
            this.inner = inner;
        }

        @Override
        public boolean test(final Packet packet)
        {
            return !inner.test(packet);
        }

        @Override
        List<Rule> compile()
        {
            return Compiler.negate(inner.compile());
        }

        @Override
        public String toString()
        {
            return "~" + inner;
        }
    }
}
