package dev.hostplane.vswitch.control;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.hostplane.vswitch.PacketIn;
import dev.hostplane.vswitch.PacketInListener;
import dev.hostplane.vswitch.VirtualSwitch;
import dev.hostplane.vswitch.action.Action;
import dev.hostplane.vswitch.action.Actions;
import dev.hostplane.vswitch.classifier.FlowRule;
import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.flow.Match;
import dev.hostplane.vswitch.packet.EthernetFrame;
import dev.hostplane.vswitch.port.Port;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A MAC-learning L2 switch with VLANs and aging (VS-C2), built only on the switch's control API.
 *
 * <p>It installs a table-miss rule that sends frames to the controller. For each packet-in it
 * learns (VLAN, source MAC) on the ingress port; if the destination is known it installs a pair of
 * exact flows ({@code in_port, vlan, dl_src, dl_dst}) for both directions with an idle timeout
 * equal to the aging time, so the conversation then stays in the data plane; otherwise it floods the
 * frame within the VLAN with a packet-out. Learned entries age out after {@code agingSeconds}
 * without a packet-in; a MAC seen on a new port moves, and flows towards its old port are deleted.
 *
 * <p>VLANs: a port is a trunk for all VLANs by default (frames pass as they are, untagged frames are
 * VLAN 0); {@link #accessPort(int, int)} makes it an access port that carries one VLAN untagged
 * (tagged ingress is dropped); {@link #trunkPort(int, Set)} restricts a trunk to some VLANs.
 */
public final class MacLearningSwitch implements PacketInListener
{
    /** Cookie of every rule this application installs. */
    public static final long COOKIE = 0x4D41_434CL;
    /** Priority of learned flows. */
    public static final int FLOW_PRIORITY = 100;
    /** Default aging time (as Open vSwitch's mac-aging-time). */
    public static final int DEFAULT_AGING_SECONDS = 300;

    private final VirtualSwitch sw;
    private final int agingSeconds;
    private final Map<Long, Entry> table = new HashMap<>();
    private final Map<Integer, Integer> accessVlan = new HashMap<>();
    private final Map<Integer, Set<Integer>> trunkVlans = new HashMap<>();
    private final EthernetFrame eth = new EthernetFrame();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private long learned;
    private long flooded;
    private long flowsInstalled;
    private long dropped;

    private MacLearningSwitch(final VirtualSwitch sw, final int agingSeconds)
    {
        this.sw = sw;
        this.agingSeconds = agingSeconds;
    }

    /**
     * Attaches the application to a switch: installs the table-miss rule and listens for packet-ins.
     *
     * @param sw the switch.
     * @param agingSeconds aging time for learned MACs and learned flows' idle timeout.
     * @return the application.
     */
    public static MacLearningSwitch attach(final VirtualSwitch sw, final int agingSeconds)
    {
        if (agingSeconds < 1 || agingSeconds > 0xFFFF)
        {
            throw new IllegalArgumentException("agingSeconds must be 1..65535: agingSeconds=" + agingSeconds);
        }
        final MacLearningSwitch app = new MacLearningSwitch(sw, agingSeconds);
        sw.addPacketInListener(app);
        sw.addFlow(new FlowRule(Match.ALL, 0, COOKIE, List.of(Actions.controller(Actions.CONTROLLER_MAX_LENGTH)), 0, 0,
            false, System.nanoTime()));
        return app;
    }

    /**
     * Makes a port an access port of one VLAN.
     *
     * @param port port number.
     * @param vlan 1..4095.
     * @return this.
     */
    public synchronized MacLearningSwitch accessPort(final int port, final int vlan)
    {
        if (vlan < 1 || vlan > 4095)
        {
            throw new IllegalArgumentException("access VLAN must be 1..4095: vlan=" + vlan);
        }
        trunkVlans.remove(port);
        accessVlan.put(port, vlan);
        return this;
    }

    /**
     * Makes a port a trunk for some VLANs (empty set = all).
     *
     * @param port port number.
     * @param vlans allowed VLANs.
     * @return this.
     */
    public synchronized MacLearningSwitch trunkPort(final int port, final Set<Integer> vlans)
    {
        accessVlan.remove(port);
        trunkVlans.put(port, Set.copyOf(vlans));
        return this;
    }

    /**
     * Port where a MAC was learned.
     *
     * @param vlan VLAN (0 = untagged).
     * @param mac MAC.
     * @return port number, or -1 when unknown or aged out.
     */
    public synchronized int lookup(final int vlan, final long mac)
    {
        final Entry e = table.get(key(vlan, mac));
        return e == null || isAged(e, System.nanoTime()) ? -1 : e.port;
    }

    /**
     * Live entries in the MAC table.
     *
     * @return count.
     */
    public synchronized int size()
    {
        final long now = System.nanoTime();
        table.values().removeIf(e -> isAged(e, now));
        return table.size();
    }

    /**
     * Counters: MACs learned (including moves), frames flooded, flows installed, frames dropped.
     *
     * @return text.
     */
    public synchronized String stats()
    {
        return "learned=" + learned + " flooded=" + flooded + " flows_installed=" + flowsInstalled + " dropped=" +
            dropped + " entries=" + table.size();
    }

    @Override
    public synchronized void onPacketIn(final PacketIn packetIn)
    {
        if (packetIn.length() < packetIn.totalLength())
        {
            dropped++;
            return;
        }
        view.wrap(packetIn.buffer(), packetIn.offset(), packetIn.length());
        eth.wrap(view, 0, packetIn.length());
        if (!eth.isValid())
        {
            dropped++;
            return;
        }
        final int inPort = packetIn.inPort();
        final boolean tagged = eth.hasVlan();
        final int vlan = ingressVlan(inPort, tagged ? eth.vlanId() : -1);
        if (vlan < 0)
        {
            dropped++;
            return;
        }
        final long src = eth.source();
        final long dst = eth.destination();
        final long now = System.nanoTime();
        if (!EthernetFrame.isMulticast(src))
        {
            learn(vlan, src, inPort, now);
        }
        final byte[] frame = packetIn.copyFrame();
        final Entry target = EthernetFrame.isMulticast(dst) ? null : table.get(key(vlan, dst));
        if (target == null || isAged(target, now))
        {
            flood(frame, inPort, vlan, tagged);
            return;
        }
        if (target.port == inPort)
        {
            dropped++;
            return;
        }
        // Both ends known: keep the conversation in the data plane from now on.
        final boolean targetTagged = wantsTag(target.port, vlan);
        final List<FlowRule> rules = new ArrayList<>(2);
        rules.add(flow(inPort, tagged, vlan, src, dst, target.port, targetTagged, now));
        final Entry back = table.get(key(vlan, src));
        if (back != null && !EthernetFrame.isMulticast(src))
        {
            rules.add(flow(target.port, targetTagged, vlan, dst, src, inPort, tagged, now));
        }
        sw.addFlows(rules);
        flowsInstalled += rules.size();
        sw.packetOut(frame, inPort, translate(tagged, vlan, List.of(target.port), List.of()));
    }

    private FlowRule flow(
        final int inPort,
        final boolean inTagged,
        final int vlan,
        final long src,
        final long dst,
        final int outPort,
        final boolean outTagged,
        final long now)
    {
        final Match match = Match.builder()
            .exact(FlowField.IN_PORT, inPort)
            .exact(FlowField.VLAN_VID, inTagged ? FlowField.VLAN_PRESENT | vlan : 0)
            .exact(FlowField.ETH_SRC, src)
            .exact(FlowField.ETH_DST, dst)
            .build();
        final List<Action> actions = outTagged == inTagged ? List.of(Actions.output(outPort)) :
            translate(inTagged, vlan, outTagged ? List.of() : List.of(outPort), outTagged ? List.of(outPort) : List.of());
        return new FlowRule(match, FLOW_PRIORITY, COOKIE, actions, agingSeconds, 0, false, now);
    }

    private void flood(final byte[] frame, final int inPort, final int vlan, final boolean inTagged)
    {
        final List<Integer> untagged = new ArrayList<>();
        final List<Integer> taggedPorts = new ArrayList<>();
        for (final Port p : sw.ports())
        {
            final int n = p.number();
            if (n == inPort || !p.isFlood() || !carries(n, vlan))
            {
                continue;
            }
            (wantsTag(n, vlan) ? taggedPorts : untagged).add(n);
        }
        flooded++;
        if (untagged.isEmpty() && taggedPorts.isEmpty())
        {
            return;
        }
        sw.packetOut(frame, inPort, translate(inTagged, vlan, untagged, taggedPorts));
    }

    /**
     * Actions that output to untagged ports and tagged ports starting from a frame that is tagged
     * or not: outputs in the frame's current form first, then one tag change, then the rest.
     */
    private static List<Action> translate(
        final boolean inTagged, final int vlan, final List<Integer> untagged, final List<Integer> tagged)
    {
        final List<Action> actions = new ArrayList<>();
        final List<Integer> same = inTagged ? tagged : untagged;
        final List<Integer> other = inTagged ? untagged : tagged;
        for (final int p : same)
        {
            actions.add(Actions.output(p));
        }
        if (!other.isEmpty())
        {
            if (inTagged)
            {
                actions.add(Actions.popVlan());
            }
            else
            {
                actions.add(Actions.pushVlan(EthernetFrame.ETHER_TYPE_VLAN));
                actions.add(Actions.setField(FlowField.VLAN_VID, vlan));
            }
            for (final int p : other)
            {
                actions.add(Actions.output(p));
            }
        }
        return actions;
    }

    private void learn(final int vlan, final long mac, final int port, final long now)
    {
        final Long k = key(vlan, mac);
        final Entry existing = table.get(k);
        if (existing != null && existing.port != port && !isAged(existing, now))
        {
            // The station moved: flows that still send to (or expect it at) the old port are wrong now.
            sw.deleteFlows(Match.builder().exact(FlowField.ETH_DST, mac).build(), 0, false, COOKIE, -1L, 0);
            sw.deleteFlows(Match.builder().exact(FlowField.ETH_SRC, mac).build(), 0, false, COOKIE, -1L, 0);
        }
        if (existing == null || existing.port != port || isAged(existing, now))
        {
            learned++;
        }
        table.put(k, new Entry(port, now));
    }

    private int ingressVlan(final int port, final int frameVlan)
    {
        final Integer access = accessVlan.get(port);
        if (access != null)
        {
            return frameVlan >= 0 ? -1 : access;
        }
        final int vlan = frameVlan < 0 ? 0 : frameVlan;
        return carries(port, vlan) ? vlan : -1;
    }

    private boolean carries(final int port, final int vlan)
    {
        final Integer access = accessVlan.get(port);
        if (access != null)
        {
            return access == vlan;
        }
        final Set<Integer> allowed = trunkVlans.get(port);
        return vlan == 0 || allowed == null || allowed.isEmpty() || allowed.contains(vlan);
    }

    private boolean wantsTag(final int port, final int vlan)
    {
        return vlan != 0 && !accessVlan.containsKey(port);
    }

    private boolean isAged(final Entry e, final long now)
    {
        return now - e.lastSeenNanos >= agingSeconds * 1_000_000_000L;
    }

    private static Long key(final int vlan, final long mac)
    {
        return ((long)vlan << 48) | mac;
    }

    private static final class Entry
    {
        final int port;
        final long lastSeenNanos;

        Entry(final int port, final long lastSeenNanos)
        {
            this.port = port;
            this.lastSeenNanos = lastSeenNanos;
        }
    }
}
