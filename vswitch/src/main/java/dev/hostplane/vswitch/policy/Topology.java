package dev.hostplane.vswitch.policy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Several OpenFlow switches run as one "big switch" (Pyretic's virtualization): the policy sees
 * virtual ports, each of them a port of one physical switch, and is written as if one switch had
 * them all. The {@link PolicyController} evaluates the policy where a packet enters, then carries
 * it across the links between the switches to the switch of its virtual output port, tagged with
 * a VLAN whose id is that port's number (so the switches in between only look at the tag), and
 * takes the tag off there.
 *
 * <pre>{@code
 * Topology t = Topology.builder()
 *     .port(1, 0xA, 1).port(2, 0xA, 2)     // virtual ports 1, 2 on switch 0xa
 *     .port(3, 0xB, 1)                     // virtual port 3 on switch 0xb
 *     .link(0xA, 3, 0xB, 2)                // a cable between them
 *     .build();
 * }</pre>
 *
 * <p>Because the links carry VLAN tags, a policy on a big switch may not match or set VLAN fields;
 * virtual port numbers go up to 4094 (the largest VLAN id). Links form any connected graph;
 * packets take a shortest path.
 */
public final class Topology
{
    private final Map<Integer, long[]> ports;
    private final Map<Long, Map<Integer, long[]>> links;

    private Topology(final Map<Integer, long[]> ports, final Map<Long, Map<Integer, long[]>> links)
    {
        this.ports = ports;
        this.links = links;
    }

    /**
     * A builder.
     *
     * @return builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * The physical switches (datapath ids) the big switch spans.
     *
     * @return ids.
     */
    public Set<Long> switches()
    {
        final Set<Long> out = new TreeSet<>(links.keySet());
        ports.values().forEach(p -> out.add(p[0]));
        return out;
    }

    /**
     * The virtual ports.
     *
     * @return ascending port numbers.
     */
    public int[] virtualPorts()
    {
        return ports.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /**
     * Where a virtual port is.
     *
     * @param virtualPort the virtual port.
     * @return {datapath id, physical port}, or null when there is no such port.
     */
    public long[] locate(final int virtualPort)
    {
        final long[] at = ports.get(virtualPort);
        return at == null ? null : at.clone();
    }

    /**
     * One switch's part: its edge ports, its links and the next hop towards every remote port.
     *
     * @param dpid the switch.
     * @param physicalPorts the ports it reports (ports in no role are dropped).
     * @return the view.
     */
    SwitchView view(final long dpid, final Collection<Integer> physicalPorts)
    {
        final Map<Integer, Integer> edge = new LinkedHashMap<>();
        ports.forEach((v, at) ->
        {
            if (at[0] == dpid)
            {
                edge.put(v, (int)at[1]);
            }
        });
        final Map<Integer, long[]> myLinks = links.getOrDefault(dpid, Map.of());
        // Shortest paths: breadth-first from this switch, remembering the first link taken.
        final Map<Long, Integer> firstHop = new HashMap<>();
        final Deque<Long> queue = new ArrayDeque<>();
        firstHop.put(dpid, -1);
        queue.add(dpid);
        while (!queue.isEmpty())
        {
            final long at = queue.poll();
            for (final Map.Entry<Integer, long[]> l : links.getOrDefault(at, Map.of()).entrySet())
            {
                final long next = l.getValue()[0];
                if (!firstHop.containsKey(next))
                {
                    firstHop.put(next, at == dpid ? l.getKey() : firstHop.get(at));
                    queue.add(next);
                }
            }
        }
        final Map<Integer, Integer> nextHop = new HashMap<>();
        ports.forEach((v, at) ->
        {
            if (at[0] != dpid && firstHop.containsKey(at[0]))
            {
                nextHop.put(v, firstHop.get(at[0]));
            }
        });
        final Set<Integer> other = new HashSet<>();
        for (final int p : physicalPorts)
        {
            if (!edge.containsValue(p) && !myLinks.containsKey(p))
            {
                other.add(p);
            }
        }
        return new SwitchView(dpid, virtualPorts(), edge, nextHop, myLinks.keySet(), other);
    }

    @Override
    public String toString()
    {
        final List<String> parts = new ArrayList<>();
        ports.forEach((v, at) -> parts.add("port " + v + " = " + Long.toHexString(at[0]) + ":" + at[1]));
        links.forEach((d, ls) -> ls.forEach((p, to) ->
        {
            if (d < to[0] || d == to[0] && p < to[1])
            {
                parts.add("link " + Long.toHexString(d) + ":" + p + " - " + Long.toHexString(to[0]) + ":" + to[1]);
            }
        }));
        return String.join(", ", parts);
    }

    /** Builds a {@link Topology}. */
    public static final class Builder
    {
        private final Map<Integer, long[]> ports = new LinkedHashMap<>();
        private final Map<Long, Map<Integer, long[]>> links = new LinkedHashMap<>();

        private Builder()
        {
        }

        /**
         * A virtual port.
         *
         * @param virtualPort its number in the policy, 1..4094.
         * @param dpid the switch it is on.
         * @param physicalPort its number on that switch, 1..65279.
         * @return this.
         */
        public Builder port(final int virtualPort, final long dpid, final int physicalPort)
        {
            if (virtualPort < 1 || virtualPort > 4094)
            {
                throw new IllegalArgumentException("virtual port must be 1..4094 (it travels as a VLAN id): " +
                    virtualPort);
            }
            checkPhysical(physicalPort);
            if (ports.containsKey(virtualPort))
            {
                throw new IllegalArgumentException("virtual port " + virtualPort + " given twice");
            }
            checkFree(dpid, physicalPort);
            ports.put(virtualPort, new long[] {dpid, physicalPort});
            return this;
        }

        /**
         * A cable between two switches.
         *
         * @param dpidA one switch.
         * @param portA its port.
         * @param dpidB the other switch.
         * @param portB its port.
         * @return this.
         */
        public Builder link(final long dpidA, final int portA, final long dpidB, final int portB)
        {
            if (dpidA == dpidB)
            {
                throw new IllegalArgumentException("a link joins two different switches: " + Long.toHexString(dpidA));
            }
            checkPhysical(portA);
            checkPhysical(portB);
            checkFree(dpidA, portA);
            checkFree(dpidB, portB);
            links.computeIfAbsent(dpidA, k -> new LinkedHashMap<>()).put(portA, new long[] {dpidB, portB});
            links.computeIfAbsent(dpidB, k -> new LinkedHashMap<>()).put(portB, new long[] {dpidA, portA});
            return this;
        }

        /**
         * Checks that every switch can reach every other one and builds the topology.
         *
         * @return the topology.
         */
        public Topology build()
        {
            if (ports.isEmpty())
            {
                throw new IllegalArgumentException("a topology needs at least one virtual port");
            }
            final Topology t = new Topology(Map.copyOf(ports), copy(links));
            final Set<Long> all = t.switches();
            final long first = all.iterator().next();
            final SwitchView v = t.view(first, List.of());
            for (final int port : t.virtualPorts())
            {
                final long at = ports.get(port)[0];
                if (at != first && !v.nextHop.containsKey(port))
                {
                    throw new IllegalArgumentException("switch " + Long.toHexString(at) + " (virtual port " + port +
                        ") has no path of links to switch " + Long.toHexString(first));
                }
            }
            return t;
        }

        private static Map<Long, Map<Integer, long[]>> copy(final Map<Long, Map<Integer, long[]>> links)
        {
            final Map<Long, Map<Integer, long[]>> out = new LinkedHashMap<>();
            links.forEach((k, v) -> out.put(k, Map.copyOf(v)));
            return Map.copyOf(out);
        }

        private void checkFree(final long dpid, final int port)
        {
            for (final long[] at : ports.values())
            {
                if (at[0] == dpid && at[1] == port)
                {
                    throw new IllegalArgumentException("port " + port + " of switch " + Long.toHexString(dpid) +
                        " is already a virtual port");
                }
            }
            if (links.getOrDefault(dpid, Map.of()).containsKey(port))
            {
                throw new IllegalArgumentException("port " + port + " of switch " + Long.toHexString(dpid) +
                    " already has a link");
            }
        }

        private static void checkPhysical(final int port)
        {
            if (port < 1 || port > 0xFEFF)
            {
                throw new IllegalArgumentException("physical port must be 1..65279: " + port);
            }
        }
    }
}
