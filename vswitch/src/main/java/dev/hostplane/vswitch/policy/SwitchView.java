package dev.hostplane.vswitch.policy;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One physical switch as the policy compiler lowers rules for it: which of its ports are ports of
 * the policy's (virtual) switch and under which number, which ports lead to other switches of the
 * same big switch and the way to each remote virtual port, and the ports that belong to neither
 * (their traffic is dropped). A switch on its own is a big switch of one: every port is an edge
 * port under its own number.
 */
final class SwitchView
{
    final long dpid;
    /** Every port of the virtual switch, ascending: the interpreter's port set and what flood means. */
    final int[] virtualPorts;
    /** Local edge ports: virtual number to physical number. */
    final Map<Integer, Integer> edgeToPhysical;
    /** Local edge ports: physical number to virtual number. */
    final Map<Integer, Integer> physicalToEdge;
    /** Remote virtual ports: the local link port that leads towards them. */
    final Map<Integer, Integer> nextHop;
    /** Local ports that lead to other switches. */
    final Set<Integer> linkPorts;
    /** Local ports in neither role. */
    final Set<Integer> otherPorts;

    SwitchView(final long dpid, final int[] virtualPorts, final Map<Integer, Integer> edgeToPhysical,
        final Map<Integer, Integer> nextHop, final Set<Integer> linkPorts, final Set<Integer> otherPorts)
    {
        this.dpid = dpid;
        this.virtualPorts = virtualPorts.clone();
        Arrays.sort(this.virtualPorts);
        this.edgeToPhysical = Map.copyOf(edgeToPhysical);
        final Map<Integer, Integer> reverse = new TreeMap<>();
        edgeToPhysical.forEach((v, p) -> reverse.put(p, v));
        this.physicalToEdge = Map.copyOf(reverse);
        this.nextHop = Map.copyOf(nextHop);
        this.linkPorts = Set.copyOf(linkPorts);
        this.otherPorts = Set.copyOf(otherPorts);
    }

    /**
     * A switch that is the whole virtual switch.
     *
     * @param dpid datapath id (0 for an embedded switch).
     * @param ports its port numbers.
     * @return the view.
     */
    static SwitchView standalone(final long dpid, final Iterable<Integer> ports)
    {
        final Map<Integer, Integer> identity = new TreeMap<>();
        for (final int p : ports)
        {
            identity.put(p, p);
        }
        return new SwitchView(dpid, identity.keySet().stream().mapToInt(Integer::intValue).toArray(), identity, Map.of(),
            Set.of(), Set.of());
    }

    /** Whether packets between switches carry VLAN tags here (there are links). */
    boolean tagged()
    {
        return !linkPorts.isEmpty();
    }

    @Override
    public String toString()
    {
        return "switch " + Long.toHexString(dpid) + " edge " + new TreeMap<>(edgeToPhysical) + " links " +
            new TreeSet<>(linkPorts) + " next hops " + new TreeMap<>(nextHop);
    }
}
