package dev.hostplane.vswitch.policy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A network policy in the style of Pyretic: a function from a located packet to the set of
 * packets it becomes (none = drop, several = copies). Build policies with {@link Policies}, combine
 * them with {@link #plus} (parallel composition: both run on the packet, outputs united) and
 * {@link #then} (sequential composition: the second runs on each output of the first), and run
 * them with a {@link PolicyRuntime}, which compiles them to prioritized classifier rules.
 *
 * <p>{@link #eval} is the reference interpreter the compiler is checked against.
 */
public abstract class Policy
{
    /**
     * Parallel composition (Pyretic {@code +}).
     *
     * @param other the other policy.
     * @return both, outputs united.
     */
    public Policy plus(final Policy other)
    {
        return new Parallel(List.of(this, other));
    }

    /**
     * Sequential composition (Pyretic {@code >>}).
     *
     * @param next runs on every output of this one.
     * @return the composition.
     */
    public Policy then(final Policy next)
    {
        return new Sequential(List.of(this, next));
    }

    /**
     * Interprets the policy on one packet.
     *
     * @param packet input (its in_port field says where it came from).
     * @param ports the switch's ports (flood sends to all but the in_port).
     * @return output packets.
     */
    public abstract Set<Packet> eval(Packet packet, int[] ports);

    /**
     * Compiles to an ordered rule list (first match wins, the last rule matches everything).
     *
     * @return rules.
     */
    abstract List<Rule> compile();

    /**
     * Like {@link #eval}, recording which parts of the policy the packet went through.
     *
     * @param packet input.
     * @param ports the switch's ports.
     * @param path where this part is, e.g. "+[0] >>[1]".
     * @param log receives one line per part that passed the packet on or dropped it.
     * @return output packets.
     */
    Set<Packet> trace(final Packet packet, final int[] ports, final String path, final List<String> log)
    {
        final Set<Packet> out = eval(packet, ports);
        log.add(path + " " + this + " -> " + (out.isEmpty() ? "drop" : out.size() + " packet(s)"));
        return out;
    }

    /** Parallel composition. */
    static final class Parallel extends Policy
    {
        final List<Policy> parts;

        Parallel(final List<Policy> parts)
        {
            this.parts = List.copyOf(parts);
        }

        @Override
        public Policy plus(final Policy other)
        {
            final List<Policy> l = new ArrayList<>(parts);
            l.add(other);
            return new Parallel(l);
        }

        @Override
        public Set<Packet> eval(final Packet packet, final int[] ports)
        {
            final Set<Packet> out = new LinkedHashSet<>();
            for (final Policy p : parts)
            {
                out.addAll(p.eval(packet, ports));
            }
            return out;
        }

        @Override
        Set<Packet> trace(final Packet packet, final int[] ports, final String path, final List<String> log)
        {
            final Set<Packet> out = new LinkedHashSet<>();
            for (int i = 0; i < parts.size(); i++)
            {
                out.addAll(parts.get(i).trace(packet, ports, path + "+[" + i + "]", log));
            }
            return out;
        }

        @Override
        List<Rule> compile()
        {
            List<Rule> c = parts.get(0).compile();
            for (int i = 1; i < parts.size(); i++)
            {
                c = Compiler.parallel(c, parts.get(i).compile());
            }
            return c;
        }

        @Override
        public String toString()
        {
            final StringBuilder sb = new StringBuilder("(");
            for (int i = 0; i < parts.size(); i++)
            {
                sb.append(i == 0 ? "" : " + ").append(parts.get(i));
            }
            return sb.append(')').toString();
        }
    }

    /** Sequential composition. */
    static final class Sequential extends Policy
    {
        final List<Policy> parts;

        Sequential(final List<Policy> parts)
        {
            this.parts = List.copyOf(parts);
        }

        @Override
        public Policy then(final Policy next)
        {
            final List<Policy> l = new ArrayList<>(parts);
            l.add(next);
            return new Sequential(l);
        }

        @Override
        public Set<Packet> eval(final Packet packet, final int[] ports)
        {
            Set<Packet> current = Set.of(packet);
            for (final Policy p : parts)
            {
                final Set<Packet> next = new LinkedHashSet<>();
                for (final Packet q : current)
                {
                    if (q.query() != null)
                    {
                        next.add(q);
                    }
                    else
                    {
                        next.addAll(p.eval(q, ports));
                    }
                }
                current = next;
            }
            return current;
        }

        @Override
        Set<Packet> trace(final Packet packet, final int[] ports, final String path, final List<String> log)
        {
            Set<Packet> current = Set.of(packet);
            for (int i = 0; i < parts.size() && !current.isEmpty(); i++)
            {
                final Set<Packet> next = new LinkedHashSet<>();
                for (final Packet q : current)
                {
                    if (q.query() != null)
                    {
                        next.add(q);
                    }
                    else
                    {
                        next.addAll(parts.get(i).trace(q, ports, path + ">>[" + i + "]", log));
                    }
                }
                current = next;
            }
            return current;
        }

        @Override
        List<Rule> compile()
        {
            List<Rule> c = parts.get(0).compile();
            for (int i = 1; i < parts.size(); i++)
            {
                c = Compiler.sequential(c, parts.get(i).compile());
            }
            return c;
        }

        @Override
        public String toString()
        {
            final StringBuilder sb = new StringBuilder("(");
            for (int i = 0; i < parts.size(); i++)
            {
                sb.append(i == 0 ? "" : " >> ").append(parts.get(i));
            }
            return sb.append(')').toString();
        }
    }

    /** A policy that writes header fields and/or sets the outport. */
    static final class Modification extends Policy
    {
        final Mod mod;
        private final String text;

        Modification(final Mod mod, final String text)
        {
            this.mod = mod;
            this.text = text;
        }

        @Override
        public Set<Packet> eval(final Packet packet, final int[] ports)
        {
            if (mod.outport == Policies.FLOOD_PORT)
            {
                final Set<Packet> out = new LinkedHashSet<>();
                for (final int p : ports)
                {
                    if (p != packet.inport())
                    {
                        out.add(packet.modified(mod.value, mod.mask, p));
                    }
                }
                return out;
            }
            return Set.of(mod.apply(packet));
        }

        @Override
        List<Rule> compile()
        {
            return Compiler.all(Set.of(mod));
        }

        @Override
        public String toString()
        {
            return text;
        }
    }
}
