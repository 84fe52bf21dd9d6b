package dev.hostplane.vswitch.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.hostplane.vswitch.action.Action;
import dev.hostplane.vswitch.action.Actions;
import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.flow.FlowKey;
import dev.hostplane.vswitch.flow.Match;
import dev.hostplane.vswitch.policy.internal.Matches;

/**
 * Turns a compiled classifier (ordered rules over virtual ports) into the flow entries of one
 * physical switch: numbered priorities, physical ports, explicit output lists, groups for copies
 * that are rewritten differently, VLAN-tagged transit between the switches of a big switch, and,
 * for OpenFlow, the match prerequisites the protocol demands.
 *
 * <p>Where this class has to decide, it keeps the interpreter's semantics exactly:
 * <ul>
 * <li>{@code fwd(p)} for a packet that came in on {@code p} leaves through {@code p} (OpenFlow's
 * IN_PORT output, since a plain output to the ingress port is dropped by OpenFlow switches); a rule
 * that forwards to local port {@code p} without fixing the in_port gets a twin, one priority above,
 * for packets from {@code p}.</li>
 * <li>{@code flood()} is all virtual ports but the ingress one, written out per ingress port, so it
 * means the interpreter's port set and not whatever a switch floods to.</li>
 * <li>OpenFlow 1.3 accepts a field in a match or a set-field only with its prerequisites
 * ({@code ipv4_dst} needs {@code eth_type=0x0800}, {@code tcp_dst} needs {@code ip_proto=6}...),
 * while a policy says {@code match(ipv4_dst=...)} of any packet. When some rule lacks them, the
 * classifier is emitted once per packet class (IPv4/TCP, IPv4/UDP, ..., ARP, other), in priority
 * bands, most specific first; in each band a field the class does not have reads as zero, as the
 * switch's own flow key has it, and a band ends in a rule for the whole class, so no packet falls
 * through to the next band.</li>
 * <li>What OpenFlow 1.3 cannot match or set (TTL, fragment bits, TCP flags, ARP and VLAN rewrites)
 * and predicates written in Java go to the controller, which evaluates the policy on the
 * packet.</li>
 * </ul>
 */
final class Lowering
{
    /** Cookie bits marking a policy's flows; the rule id is in the low 30 bits. */
    static final long COOKIE = 0x5059_5245_0000_0000L;
    /** The cookie bits compared with {@link #COOKIE}. */
    static final long COOKIE_MASK = 0xFFFF_FFFF_0000_0000L;
    /** Cookie bit of flows that send packets to the controller for interpretation. */
    static final long PUNT_FLOW = 0x8000_0000L;
    /**
     * Cookie bit of a controller's second generation of flows: a reinstall adds the new generation
     * beside the old one and then deletes the old one by this bit, so no packet meets a table without
     * the policy in between.
     */
    static final long GENERATION = 0x4000_0000L;
    /** The largest rule id (the bits below {@link #GENERATION}). */
    static final int MAX_RULE_ID = 0x3FFF_FFFF;
    /**
     * Priority levels one generation may use: the two generations of a reinstall live in separate
     * halves of OpenFlow's 16-bit priorities, so neither replaces the other's flows.
     */
    static final int MAX_LEVELS = 0x7FFF;
    /** Rule id of the transit and drop flows of a big switch. */
    static final int INFRASTRUCTURE = 0;

    private static final int ETH_ANY = -1;
    private static final int ETH_OTHER = -2;
    private static final int PROTO_ANY = -1;
    private static final int PROTO_OTHER = -2;
    private static final int IPV4 = 0x0800;
    private static final int IPV6 = 0x86DD;
    private static final int ARP = 0x0806;
    private static final FlowField[] FIELDS = java.util.Arrays.stream(FlowField.values())
        .filter(f -> f != FlowField.ICMP_TYPE && f != FlowField.ICMP_CODE).toArray(FlowField[]::new);
    private static final FlowField[] WRITABLE = {FlowField.ETH_DST, FlowField.ETH_SRC, FlowField.VLAN_VID,
        FlowField.VLAN_PCP, FlowField.IP_DSCP, FlowField.IP_ECN, FlowField.IP_TTL, FlowField.IPV4_SRC, FlowField.IPV4_DST,
        FlowField.TP_SRC, FlowField.TP_DST, FlowField.ARP_OP, FlowField.IPV6_LABEL, FlowField.IPV6_SRC_HIGH,
        FlowField.IPV6_SRC_LOW, FlowField.IPV6_DST_HIGH, FlowField.IPV6_DST_LOW};

    private Lowering()
    {
    }

    /**
     * One flow entry.
     *
     * @param match match over physical ports.
     * @param priority priority (higher wins).
     * @param actions actions.
     * @param cookie {@link #COOKIE}, the rule id and maybe {@link #PUNT_FLOW}.
     * @param counted whether a counting query reads this flow's counters.
     */
    record Flow(Match match, int priority, List<Action> actions, long cookie, boolean counted)
    {
        @Override
        public String toString()
        {
            return "priority=" + priority + " " + match + " -> " + Actions.toString(actions) + " cookie=0x" +
                Long.toHexString(cookie);
        }
    }

    /**
     * Flow entries and the ALL groups they call.
     *
     * @param flows highest priority first.
     * @param groups group id to buckets.
     */
    record Result(List<Flow> flows, Map<Integer, List<List<Action>>> groups)
    {
    }

    /** Numbers for rules (shared by every switch of a runtime) and groups (per switch). */
    interface Ids
    {
        /**
         * A stable id for a rule, 1..{@link #MAX_RULE_ID}.
         *
         * @param rule the rule.
         * @return id.
         */
        int ruleId(Rule rule);

        /**
         * A stable id for an ALL group with these buckets.
         *
         * @param buckets buckets.
         * @return group id.
         */
        int groupId(List<List<Action>> buckets);
    }

    /** The rule id in a cookie. */
    static int ruleId(final long cookie)
    {
        return (int)(cookie & MAX_RULE_ID);
    }

    /**
     * Lowers a classifier for one switch.
     *
     * @param rules compiled rules, first match wins.
     * @param view the switch.
     * @param openflow true for OpenFlow 1.3 switches (prerequisites, fields the protocol lacks), false
     *                 for an embedded switch, whose classifier matches any flow-key field.
     * @param ids rule and group numbering.
     * @return the flows.
     */
    static Result lower(final List<Rule> rules, final SwitchView view, final boolean openflow, final Ids ids)
    {
        final Map<Integer, List<List<Action>>> groups = new LinkedHashMap<>();
        final List<List<PendingFlow>> levels = new ArrayList<>();
        if (view.tagged() || !view.otherPorts.isEmpty())
        {
            transit(view, levels);
        }
        // A switch with no edge port only carries packets between the others.
        final List<PacketClass> classes = view.edgeToPhysical.isEmpty() ? List.of() : classes(rules, openflow);
        for (final PacketClass k : classes)
        {
            final List<Match> emitted = new ArrayList<>();
            for (final Rule r : rules)
            {
                final Restricted rr = restrict(r, k, openflow);
                if (rr == null || covered(rr.match, emitted))
                {
                    continue;
                }
                emitted.add(rr.match);
                final long cookie = COOKIE | (rr.punt ? PUNT_FLOW : 0) | ids.ruleId(r);
                emit(rr, cookie, view, k, openflow, ids, groups, levels);
            }
        }
        levels.removeIf(List::isEmpty);
        if (levels.size() > MAX_LEVELS)
        {
            throw new IllegalStateException("the policy needs " + levels.size() +
                " priority levels on switch " + Long.toHexString(view.dpid) + "; at most " + MAX_LEVELS +
                " (half of OpenFlow's 65535, so a reinstall can keep old and new flows apart)");
        }
        final List<Flow> flows = new ArrayList<>();
        for (int i = 0; i < levels.size(); i++)
        {
            for (final PendingFlow p : levels.get(i))
            {
                flows.add(new Flow(p.match, levels.size() - i, p.actions, p.cookie, p.counted));
            }
        }
        return new Result(flows, groups);
    }

    /** A flow before priorities are numbered. */
    private record PendingFlow(Match match, List<Action> actions, long cookie, boolean counted)
    {
    }

    /** A rule restricted to one packet class. */
    private record Restricted(Match match, Set<Mod> mods, boolean punt)
    {
    }

    /**
     * A class of packets by VLAN presence, EtherType and IP protocol.
     *
     * @param match the match selecting the class.
     * @param vlan -1 any, 0 untagged, 1 tagged.
     * @param eth EtherType, {@link #ETH_ANY} or {@link #ETH_OTHER} (none of {@code listedEth}).
     * @param proto IP protocol, {@link #PROTO_ANY} or {@link #PROTO_OTHER} (none of the listed ones).
     * @param listedEth the EtherTypes with classes of their own.
     */
    private record PacketClass(Match match, int vlan, int eth, int proto, Set<Integer> listedEth)
    {
        boolean any()
        {
            return eth == ETH_ANY;
        }

        boolean ip()
        {
            return eth == IPV4 || eth == IPV6;
        }

        boolean icmp()
        {
            return eth == IPV4 && proto == 1 || eth == IPV6 && proto == 58;
        }
    }

    private static void transit(final SwitchView view, final List<List<PendingFlow>> levels)
    {
        final long cookie = COOKIE | INFRASTRUCTURE;
        final List<PendingFlow> tagged = new ArrayList<>();
        for (final int link : new TreeSet<>(view.linkPorts))
        {
            for (final int v : view.virtualPorts)
            {
                final Match m = Match.builder().exact(FlowField.IN_PORT, link)
                    .exact(FlowField.VLAN_VID, FlowField.VLAN_PRESENT | v).build();
                final Integer local = view.edgeToPhysical.get(v);
                if (local != null)
                {
                    tagged.add(new PendingFlow(m, List.of(Actions.popVlan(), Actions.output(local)), cookie, false));
                }
                else
                {
                    final Integer hop = view.nextHop.get(v);
                    if (hop != null && hop != link)
                    {
                        tagged.add(new PendingFlow(m, List.of(Actions.output(hop)), cookie, false));
                    }
                }
            }
        }
        levels.add(tagged);
        // Anything else from a link, and anything from a port that is not in the topology, is not
        // a packet entering the big switch: the policy must not see it.
        final List<PendingFlow> drops = new ArrayList<>();
        final Set<Integer> foreign = new TreeSet<>(view.linkPorts);
        foreign.addAll(view.otherPorts);
        for (final int p : foreign)
        {
            if (p >= 1 && p <= 0xFEFF)
            {
                drops.add(new PendingFlow(Match.builder().exact(FlowField.IN_PORT, p).build(), List.of(), cookie, false));
            }
        }
        levels.add(drops);
    }

    private static boolean covered(final Match m, final List<Match> earlier)
    {
        for (final Match e : earlier)
        {
            if (m.isCoveredBy(e))
            {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- packet classes

    private static List<PacketClass> classes(final List<Rule> rules, final boolean openflow)
    {
        if (!openflow || allSelfSufficient(rules))
        {
            return List.of(new PacketClass(Match.ALL, -1, ETH_ANY, PROTO_ANY, Set.of()));
        }
        final Set<FlowField> used = usedFields(rules);
        final Set<Integer> eth = new TreeSet<>();
        boolean protoSplit = false;
        for (final FlowField f : used)
        {
            switch (f)
            {
                case IPV4_SRC:
                case IPV4_DST:
                    eth.add(IPV4);
                    eth.add(ARP);
                    break;
                case ARP_OP:
                    eth.add(ARP);
                    break;
                case IP_PROTO:
                case IP_DSCP:
                case IP_ECN:
                case IP_TTL:
                case IP_FRAG:
                    eth.add(IPV4);
                    eth.add(IPV6);
                    break;
                case TP_SRC:
                case TP_DST:
                case TCP_FLAGS:
                    eth.add(IPV4);
                    eth.add(IPV6);
                    protoSplit = true;
                    break;
                case IPV6_LABEL:
                case IPV6_SRC_HIGH:
                case IPV6_SRC_LOW:
                case IPV6_DST_HIGH:
                case IPV6_DST_LOW:
                    eth.add(IPV6);
                    break;
                default:
                    break;
            }
        }
        final boolean vlanSplit = used.contains(FlowField.VLAN_PCP);
        final List<PacketClass> out = new ArrayList<>();
        for (final int vlan : vlanSplit ? new int[] {1, 0} : new int[] {-1})
        {
            final Match.Builder vb = Match.builder();
            if (vlan == 1)
            {
                vb.masked(FlowField.VLAN_VID, FlowField.VLAN_PRESENT, FlowField.VLAN_PRESENT);
            }
            else if (vlan == 0)
            {
                vb.exact(FlowField.VLAN_VID, 0);
            }
            final Match vlanMatch = vb.build();
            final Set<Integer> listed = Set.copyOf(eth);
            for (final int e : eth)
            {
                final Match em = Matches.intersect(vlanMatch, Match.builder().exact(FlowField.ETH_TYPE, e).build());
                if (protoSplit && (e == IPV4 || e == IPV6))
                {
                    for (final int p : protocols(e))
                    {
                        out.add(new PacketClass(Matches.intersect(em, Match.builder().exact(FlowField.IP_PROTO, p).build()),
                            vlan, e, p, listed));
                    }
                    out.add(new PacketClass(em, vlan, e, PROTO_OTHER, listed));
                }
                else
                {
                    out.add(new PacketClass(em, vlan, e, PROTO_ANY, listed));
                }
            }
            out.add(new PacketClass(vlanMatch, vlan, eth.isEmpty() ? ETH_ANY : ETH_OTHER, PROTO_ANY, listed));
        }
        return out;
    }

    private static int[] protocols(final int eth)
    {
        return eth == IPV4 ? new int[] {6, 17, 1} : new int[] {6, 17, 58};
    }

    private static Set<FlowField> usedFields(final List<Rule> rules)
    {
        final Set<FlowField> used = java.util.EnumSet.noneOf(FlowField.class);
        for (final Rule r : rules)
        {
            for (final FlowField f : FIELDS)
            {
                if ((r.match().mask().word(f.word()) & f.wordMask()) != 0)
                {
                    used.add(f);
                }
            }
            for (final Mod m : r.actions())
            {
                for (final FlowField f : WRITABLE)
                {
                    if ((m.mask[f.word()] & f.wordMask()) != 0)
                    {
                        used.add(f);
                    }
                }
            }
        }
        return used;
    }

    /** Whether every rule's own match carries the prerequisites of every field it matches or sets. */
    private static boolean allSelfSufficient(final List<Rule> rules)
    {
        for (final Rule r : rules)
        {
            final Match m = r.match();
            final long eth = exact(m, FlowField.ETH_TYPE);
            final long proto = exact(m, FlowField.IP_PROTO);
            final boolean ip = eth == IPV4 || eth == IPV6;
            for (final FlowField f : FIELDS)
            {
                final long bits = m.mask().word(f.word()) & f.wordMask();
                if (bits != 0 && !prerequisitesMet(f, eth, proto, ip, m))
                {
                    return false;
                }
            }
            for (final Mod mod : r.actions())
            {
                for (final FlowField f : WRITABLE)
                {
                    if ((mod.mask[f.word()] & f.wordMask()) != 0 && !writePrerequisitesMet(f, eth, proto, ip))
                    {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static boolean prerequisitesMet(final FlowField f, final long eth, final long proto, final boolean ip,
        final Match m)
    {
        switch (f)
        {
            case IP_PROTO:
            case IP_DSCP:
            case IP_ECN:
            case IP_TTL:
            case IP_FRAG:
                return ip;
            case IPV4_SRC:
            case IPV4_DST:
                return eth == IPV4 || eth == ARP;
            case ARP_OP:
                return eth == ARP;
            case IPV6_LABEL:
            case IPV6_SRC_HIGH:
            case IPV6_SRC_LOW:
            case IPV6_DST_HIGH:
            case IPV6_DST_LOW:
                return eth == IPV6;
            case TP_SRC:
            case TP_DST:
                return ip && (proto == 6 || proto == 17 ||
                    (eth == IPV4 && proto == 1 || eth == IPV6 && proto == 58) && icmpExpressible(m, f));
            case TCP_FLAGS:
                return ip && proto == 6;
            case VLAN_PCP:
                return (exact(m, FlowField.VLAN_VID) & FlowField.VLAN_PRESENT) != 0;
            default:
                return true;
        }
    }

    private static boolean writePrerequisitesMet(final FlowField f, final long eth, final long proto, final boolean ip)
    {
        switch (f)
        {
            case IP_DSCP:
            case IP_ECN:
                return ip;
            case IPV4_SRC:
            case IPV4_DST:
                return eth == IPV4;
            case IPV6_LABEL:
            case IPV6_SRC_HIGH:
            case IPV6_SRC_LOW:
            case IPV6_DST_HIGH:
            case IPV6_DST_LOW:
                return eth == IPV6;
            case TP_SRC:
            case TP_DST:
                return ip && (proto == 6 || proto == 17);
            default:
                // Ethernet addresses need nothing; TTL, VLAN and ARP opcode writes go to the controller anyway.
                return true;
        }
    }

    private static boolean icmpExpressible(final Match m, final FlowField f)
    {
        final long bits = (m.mask().word(f.word()) & f.wordMask()) >>> f.shift();
        final long value = (m.value().word(f.word()) & f.wordMask()) >>> f.shift();
        return bits == 0 || bits == f.maxValue() && value <= 0xFF;
    }

    private static long exact(final Match m, final FlowField f)
    {
        return (m.mask().word(f.word()) & f.wordMask()) == f.wordMask() ?
            (m.value().word(f.word()) & f.wordMask()) >>> f.shift() : -1;
    }

    private static boolean present(final FlowField f, final PacketClass k)
    {
        if (k.any())
        {
            return f != FlowField.VLAN_PCP || k.vlan != 0;
        }
        switch (f)
        {
            case VLAN_PCP:
                return k.vlan != 0;
            case IP_PROTO:
            case IP_DSCP:
            case IP_ECN:
            case IP_TTL:
            case IP_FRAG:
                return k.ip();
            case IPV4_SRC:
            case IPV4_DST:
                return k.eth == IPV4 || k.eth == ARP;
            case ARP_OP:
                return k.eth == ARP;
            case IPV6_LABEL:
            case IPV6_SRC_HIGH:
            case IPV6_SRC_LOW:
            case IPV6_DST_HIGH:
            case IPV6_DST_LOW:
                return k.eth == IPV6;
            case TP_SRC:
            case TP_DST:
                return k.ip() && (k.proto == PROTO_ANY || k.proto >= 0);
            case TCP_FLAGS:
                return k.ip() && (k.proto == PROTO_ANY || k.proto == 6);
            default:
                return true;
        }
    }

    /** The rule as it applies to packets of class {@code k}, or null when it applies to none. */
    private static Restricted restrict(final Rule r, final PacketClass k, final boolean openflow)
    {
        final Match x = Matches.intersect(r.match(), k.match);
        if (x == null)
        {
            return null;
        }
        boolean punt = r.actions().contains(Mod.PUNT);
        if (!openflow)
        {
            return new Restricted(x, r.actions(), punt);
        }
        final long[] v = x.value().words().clone();
        final long[] m = x.mask().words().clone();
        for (final FlowField f : FIELDS)
        {
            final int w = f.word();
            final long bits = m[w] & f.wordMask();
            if (bits == 0)
            {
                continue;
            }
            final boolean exactBits = bits == f.wordMask();
            final long value = (v[w] & bits) >>> f.shift();
            if (f == FlowField.ETH_TYPE && k.eth == ETH_OTHER && exactBits && k.listedEth.contains((int)value))
            {
                return null;
            }
            if (f == FlowField.IP_PROTO && k.proto == PROTO_OTHER && exactBits &&
                contains(protocols(k.eth), (int)value))
            {
                return null;
            }
            if (!present(f, k))
            {
                // The switch reads an absent field as zero.
                if ((v[w] & bits) != 0)
                {
                    return null;
                }
                m[w] &= ~f.wordMask();
                continue;
            }
            if (k.icmp() && (f == FlowField.TP_SRC || f == FlowField.TP_DST))
            {
                // ICMP type and code are one byte each, and OpenFlow cannot mask them.
                final long fieldBits = bits >>> f.shift();
                if ((value & ~0xFFL) != 0)
                {
                    return null;
                }
                if ((fieldBits & 0xFF) == 0)
                {
                    m[w] &= ~f.wordMask();
                }
                else if ((fieldBits & 0xFF) != 0xFF)
                {
                    m[w] &= ~f.wordMask();
                    punt = true;
                }
                else
                {
                    // All of the byte OpenFlow carries: an exact match, since the key's high byte is zero for
                    // ICMP (the codec reads a full one-byte ICMP OXM back as exact too).
                    m[w] |= f.wordMask();
                }
                continue;
            }
            if (f == FlowField.IP_TTL || f == FlowField.IP_FRAG || f == FlowField.TCP_FLAGS)
            {
                // No OpenFlow 1.3 match field: match more, and let the controller decide.
                m[w] &= ~f.wordMask();
                punt = true;
            }
        }
        for (int i = 0; i < v.length; i++)
        {
            v[i] &= m[i];
        }
        final Set<Mod> mods = new java.util.LinkedHashSet<>();
        for (final Mod mod : r.actions())
        {
            final Mod adapted = punt ? mod : adaptWrites(mod, k);
            if (adapted == null)
            {
                punt = true;
            }
            else
            {
                mods.add(adapted);
            }
        }
        return new Restricted(Matches.of(v, m), punt ? Set.of(Mod.PUNT) : Set.copyOf(mods), punt);
    }

    private static boolean contains(final int[] values, final int v)
    {
        for (final int x : values)
        {
            if (x == v)
            {
                return true;
            }
        }
        return false;
    }

    /** The mod's writes that mean something for class {@code k}, or null when OpenFlow cannot do one of them. */
    private static Mod adaptWrites(final Mod mod, final PacketClass k)
    {
        if (mod.punt || mod.query != null)
        {
            return mod;
        }
        final long[] v = mod.value.clone();
        final long[] m = mod.mask.clone();
        for (final FlowField f : WRITABLE)
        {
            final int w = f.word();
            if ((m[w] & f.wordMask()) == 0)
            {
                continue;
            }
            final boolean absent = !present(f, k) || k.icmp() && (f == FlowField.TP_SRC || f == FlowField.TP_DST) ||
                k.ip() && k.proto == PROTO_OTHER && (f == FlowField.TP_SRC || f == FlowField.TP_DST);
            if (absent)
            {
                // The frame has no such field: the switch's rewrite would do nothing, so do nothing.
                m[w] &= ~f.wordMask();
                v[w] &= ~f.wordMask();
                continue;
            }
            if (f == FlowField.IP_TTL || f == FlowField.VLAN_VID || f == FlowField.VLAN_PCP || f == FlowField.ARP_OP ||
                k.eth == ARP && (f == FlowField.IPV4_SRC || f == FlowField.IPV4_DST))
            {
                return null;
            }
        }
        return new Mod(v, m, mod.outport, null, null);
    }

    // ---------------------------------------------------------------- flows and actions

    private static void emit(final Restricted rr, final long cookie, final SwitchView view, final PacketClass k,
        final boolean openflow, final Ids ids, final Map<Integer, List<List<Action>>> groups,
        final List<List<PendingFlow>> levels)
    {
        final List<PendingFlow> special = new ArrayList<>();
        final List<PendingFlow> generic = new ArrayList<>();
        final boolean counted = !rr.punt && rr.mods.stream().anyMatch(m -> m.countGroup != null);
        final long inBits = rr.match.mask().word(FlowField.IN_PORT.word()) & FlowField.IN_PORT.wordMask();
        if (inBits != 0)
        {
            final long inValue = rr.match.value().word(FlowField.IN_PORT.word()) & inBits;
            for (final Map.Entry<Integer, Integer> e : new java.util.TreeMap<>(view.edgeToPhysical).entrySet())
            {
                final long vWord = ((long)e.getKey() << FlowField.IN_PORT.shift()) & FlowField.IN_PORT.wordMask();
                if ((vWord & inBits) == inValue)
                {
                    special.add(new PendingFlow(withInPort(rr.match, e.getValue()),
                        actions(rr, e.getKey(), view, k, openflow, ids, groups), cookie, counted));
                }
            }
        }
        else
        {
            final boolean flood = rr.mods.stream().anyMatch(m -> m.outport == Policies.FLOOD_PORT && m.query == null);
            for (final Map.Entry<Integer, Integer> e : new java.util.TreeMap<>(view.edgeToPhysical).entrySet())
            {
                final int virtual = e.getKey();
                final boolean needs = !rr.punt && (flood || rr.mods.stream().anyMatch(m -> m.outport == virtual &&
                    m.query == null));
                if (needs)
                {
                    special.add(new PendingFlow(withInPort(rr.match, e.getValue()),
                        actions(rr, virtual, view, k, openflow, ids, groups), cookie, counted));
                }
            }
            if (!flood || rr.punt)
            {
                generic.add(new PendingFlow(rr.match, actions(rr, 0, view, k, openflow, ids, groups), cookie, counted));
            }
        }
        levels.add(special);
        levels.add(generic);
    }

    private static Match withInPort(final Match m, final int physical)
    {
        final long[] v = m.value().words().clone();
        final long[] mask = m.mask().words().clone();
        final int w = FlowField.IN_PORT.word();
        v[w] = (v[w] & ~FlowField.IN_PORT.wordMask()) | ((long)physical << FlowField.IN_PORT.shift());
        mask[w] |= FlowField.IN_PORT.wordMask();
        return Matches.of(v, mask);
    }

    /**
     * The actions for packets that came in on virtual port {@code ingress} (0: any port the flow's
     * twins do not take).
     */
    private static List<Action> actions(final Restricted rr, final int ingress, final SwitchView view,
        final PacketClass k, final boolean openflow, final Ids ids, final Map<Integer, List<List<Action>>> groups)
    {
        if (rr.punt)
        {
            return List.of(Actions.controller(Actions.CONTROLLER_MAX_LENGTH));
        }
        final List<Action> out = new ArrayList<>();
        final List<Mod> forwarding = new ArrayList<>();
        for (final Mod m : rr.mods)
        {
            if (m.query != null)
            {
                if (m.countGroup == null && out.isEmpty())
                {
                    // The controller applies the query's own rewrites to the frame as it came in.
                    out.add(Actions.controller(Actions.CONTROLLER_MAX_LENGTH));
                }
            }
            else if (m.outport != 0)
            {
                forwarding.add(m);
            }
        }
        boolean sameWrites = true;
        for (final Mod m : forwarding)
        {
            sameWrites &= java.util.Arrays.equals(m.value, forwarding.get(0).value) &&
                java.util.Arrays.equals(m.mask, forwarding.get(0).mask);
        }
        if (sameWrites)
        {
            final List<Integer> targets = new ArrayList<>();
            for (final Mod m : forwarding)
            {
                targets.addAll(targets(m, ingress, view));
            }
            if (!targets.isEmpty())
            {
                writes(forwarding.get(0), out);
                outputs(targets, ingress, view, out);
            }
            return out;
        }
        final List<List<Action>> buckets = new ArrayList<>();
        for (final Mod m : forwarding)
        {
            final List<Integer> targets = targets(m, ingress, view);
            if (!targets.isEmpty())
            {
                final List<Action> b = new ArrayList<>();
                writes(m, b);
                outputs(targets, ingress, view, b);
                buckets.add(b);
            }
        }
        if (!buckets.isEmpty())
        {
            final int id = ids.groupId(buckets);
            groups.put(id, buckets);
            out.add(Actions.group(id));
        }
        return out;
    }

    private static List<Integer> targets(final Mod m, final int ingress, final SwitchView view)
    {
        final List<Integer> out = new ArrayList<>();
        if (m.outport == Policies.FLOOD_PORT)
        {
            for (final int v : view.virtualPorts)
            {
                if (v != ingress)
                {
                    out.add(v);
                }
            }
        }
        else
        {
            out.add(m.outport);
        }
        return out;
    }

    private static void writes(final Mod m, final List<Action> out)
    {
        for (final FlowField f : WRITABLE)
        {
            if ((m.mask[f.word()] & f.wordMask()) != 0)
            {
                out.add(Actions.setField(f, (m.value[f.word()] & f.wordMask()) >>> f.shift()));
            }
        }
    }

    /** Local outputs first, then the tagged copies for other switches (the tag stays on the frame). */
    private static void outputs(final List<Integer> targets, final int ingress, final SwitchView view,
        final List<Action> out)
    {
        final List<int[]> remote = new ArrayList<>();
        for (final int t : new TreeSet<>(targets))
        {
            final Integer local = view.edgeToPhysical.get(t);
            if (local != null)
            {
                out.add(t == ingress ? Actions.inPort() : Actions.output(local));
            }
            else if (view.nextHop.containsKey(t))
            {
                remote.add(new int[] {t, view.nextHop.get(t)});
            }
        }
        if (!remote.isEmpty())
        {
            out.add(Actions.pushVlan(0x8100));
            for (final int[] r : remote)
            {
                out.add(Actions.setField(FlowField.VLAN_VID, FlowField.VLAN_PRESENT | r[0]));
                out.add(Actions.output(r[1]));
            }
        }
    }

    /** The flows' text, one per line, for traces and listings. */
    static List<String> describe(final Result r)
    {
        final List<String> out = new ArrayList<>();
        r.flows().forEach(f -> out.add(f.toString()));
        r.groups().forEach((id, b) -> out.add("group " + Integer.toUnsignedString(id) + " all " + b));
        return out;
    }

    /** All-zero key words, for building matches. */
    static long[] zero()
    {
        return new long[FlowKey.WORDS];
    }
}
