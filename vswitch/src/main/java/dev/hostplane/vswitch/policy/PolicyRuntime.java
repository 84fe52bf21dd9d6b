package dev.hostplane.vswitch.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.hostplane.vswitch.PacketIn;
import dev.hostplane.vswitch.PacketInListener;
import dev.hostplane.vswitch.VirtualSwitch;
import dev.hostplane.vswitch.action.Action;
import dev.hostplane.vswitch.action.Actions;
import dev.hostplane.vswitch.classifier.FlowRule;
import dev.hostplane.vswitch.classifier.GroupTable;
import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.flow.FlowKey;
import dev.hostplane.vswitch.flow.FlowKeyExtractor;
import dev.hostplane.vswitch.port.Port;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Policy} on an embedded {@link VirtualSwitch}: compiles it to prioritized rules,
 * installs them in one atomic step (replacing the previous compilation), hands packets sent to
 * queries to their callbacks, reports counting queries from the switch's rule counters, and
 * recompiles whenever a dynamic part changes. The policy owns the flow table: rules it did not
 * install are left alone but shadowed by the policy's catch-all.
 */
public final class PolicyRuntime implements AutoCloseable, PacketInListener
{
    /** Cookie bits marking the runtime's rules; the rule's index is in the low 32 bits. */
    public static final long COOKIE = 0x5059_5245_0000_0000L;
    private static final long COOKIE_MASK = 0xFFFF_FFFF_0000_0000L;
    private static final int GROUP_BASE = 0x5000_0000;
    private static final Logger LOG = LoggerFactory.getLogger(PolicyRuntime.class);
    private static final FlowField[] SETTABLE = {FlowField.ETH_DST, FlowField.ETH_SRC, FlowField.VLAN_VID,
        FlowField.VLAN_PCP, FlowField.IP_DSCP, FlowField.IP_ECN, FlowField.IP_TTL, FlowField.IPV4_SRC, FlowField.IPV4_DST,
        FlowField.TP_SRC, FlowField.TP_DST, FlowField.IPV6_LABEL, FlowField.IPV6_SRC_HIGH, FlowField.IPV6_SRC_LOW,
        FlowField.IPV6_DST_HIGH, FlowField.IPV6_DST_LOW};

    private final VirtualSwitch sw;
    private final Policy policy;
    private final Set<Object> watched = Collections.newSetFromMap(new IdentityHashMap<>());
    private final ScheduledExecutorService timer;
    private final FlowKeyExtractor extractor = new FlowKeyExtractor();
    private volatile List<Rule> rules = List.of();
    private volatile List<FlowRule> installed = List.of();
    private List<Integer> groupIds = List.of();
    private int nextGroup = GROUP_BASE;
    private long compilations;
    private volatile boolean closed;

    private PolicyRuntime(final VirtualSwitch sw, final Policy policy)
    {
        this.sw = sw;
        this.policy = policy;
        this.timer = Executors.newSingleThreadScheduledExecutor(r ->
        {
            final Thread t = new Thread(r, "vswitch-policy-counts");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Compiles and installs a policy, and keeps it installed as it changes.
     *
     * @param sw the switch.
     * @param policy the policy.
     * @return the runtime (close it to stop).
     */
    public static PolicyRuntime attach(final VirtualSwitch sw, final Policy policy)
    {
        final PolicyRuntime rt = new PolicyRuntime(sw, policy);
        sw.addPacketInListener(rt);
        rt.recompile();
        return rt;
    }

    /**
     * The compiled rules, in priority order, as text ({@code match -> actions}).
     *
     * @return one line per rule.
     */
    public List<String> rules()
    {
        final List<String> out = new ArrayList<>();
        for (final Rule r : rules)
        {
            out.add(r.toString());
        }
        return out;
    }

    /**
     * The flow rules installed for the current compilation.
     *
     * @return rules, highest priority first.
     */
    public List<FlowRule> installed()
    {
        return installed;
    }

    /**
     * How many times the policy was compiled and installed.
     *
     * @return count.
     */
    public synchronized long compilations()
    {
        return compilations;
    }

    /**
     * Explains what the policy does with a packet: the policy parts it went through (interpreter),
     * the compiled rule it hits, and the outputs.
     *
     * @param packet the packet (in_port set).
     * @return text.
     */
    public String trace(final Packet packet)
    {
        final int[] ports = portNumbers();
        final List<String> log = new ArrayList<>();
        final Set<Packet> out = policy.trace(packet, ports, "", log);
        final StringBuilder sb = new StringBuilder("Packet: ").append(packet).append('\n').append("Policy:\n");
        for (final String line : log)
        {
            sb.append("  ").append(line.trim()).append('\n');
        }
        final List<Rule> current = rules;
        for (int i = 0; i < current.size(); i++)
        {
            if (new Predicate.MatchPredicate(current.get(i).match()).test(packet))
            {
                sb.append("Rule ").append(i).append(" (priority ").append(current.size() - i).append("): ")
                    .append(current.get(i)).append('\n');
                break;
            }
        }
        sb.append("Outputs:");
        if (out.isEmpty())
        {
            sb.append(" drop");
        }
        for (final Packet p : out)
        {
            sb.append("\n  ").append(p);
        }
        return sb.append('\n').toString();
    }

    /** Recompiles and reinstalls now (called automatically when a dynamic part changes). */
    public synchronized void recompile()
    {
        if (closed)
        {
            return;
        }
        watch(policy);
        final List<Rule> compiled = policy.compile();
        if (compiled.size() > 0xFFFE)
        {
            throw new IllegalStateException("policy compiles to more rules than priorities: " + compiled.size());
        }
        final List<FlowRule> adds = new ArrayList<>(compiled.size());
        final List<Integer> newGroups = new ArrayList<>();
        final long now = System.nanoTime();
        for (int i = 0; i < compiled.size(); i++)
        {
            final Rule r = compiled.get(i);
            adds.add(new FlowRule(r.match(), compiled.size() - i, COOKIE | i, actions(r.actions(), newGroups), 0, 0,
                false, now));
        }
        final List<FlowRule> old = installed;
        final List<Rule> oldRules = rules;
        // Counting rules about to go keep their counts in the query's totals.
        for (int i = 0; i < old.size() && i < oldRules.size(); i++)
        {
            for (final Mod m : oldRules.get(i).actions())
            {
                if (m.countGroup != null)
                {
                    ((CountQuery)m.query).retire(m.countGroup, old.get(i).packetCount(), old.get(i).byteCount());
                }
            }
        }
        rules = compiled;
        sw.commit(adds, old);
        installed = List.copyOf(adds);
        for (final int g : groupIds)
        {
            sw.groups().remove(g);
        }
        groupIds = newGroups;
        compilations++;
        LOG.debug("policy compiled to {} rules", compiled.size());
    }

    private List<Action> actions(final Set<Mod> mods, final List<Integer> groups)
    {
        final List<Mod> forwarding = new ArrayList<>();
        boolean toController = false;
        boolean rewrites = false;
        for (final Mod m : mods)
        {
            if (m.query != null)
            {
                toController |= m.countGroup == null;
            }
            else if (m.outport != 0)
            {
                forwarding.add(m);
                rewrites |= hasWrites(m);
            }
        }
        final List<Action> out = new ArrayList<>();
        if (forwarding.size() == 1 || !rewrites)
        {
            for (final Mod m : forwarding)
            {
                addWrites(m, out);
                out.add(m.outport == Policies.FLOOD_PORT ? Actions.flood() : Actions.output(m.outport));
            }
        }
        else
        {
            // Copies with different rewrites: each bucket of an ALL group works on its own copy.
            final List<List<Action>> buckets = new ArrayList<>();
            for (final Mod m : forwarding)
            {
                final List<Action> b = new ArrayList<>();
                addWrites(m, b);
                b.add(m.outport == Policies.FLOOD_PORT ? Actions.flood() : Actions.output(m.outport));
                buckets.add(b);
            }
            final int id = nextGroup++;
            sw.groups().put(new GroupTable.Group(id, GroupTable.Type.ALL, buckets));
            groups.add(id);
            out.add(Actions.group(id));
        }
        if (toController)
        {
            out.add(Actions.controller(Actions.CONTROLLER_MAX_LENGTH));
        }
        return out;
    }

    private static boolean hasWrites(final Mod m)
    {
        for (final long w : m.mask)
        {
            if (w != 0)
            {
                return true;
            }
        }
        return false;
    }

    private static void addWrites(final Mod m, final List<Action> out)
    {
        for (final FlowField f : SETTABLE)
        {
            if ((m.mask[f.word()] & f.wordMask()) != 0)
            {
                final long v = f.width() == 64 ? m.value[f.word()] : (m.value[f.word()] & f.wordMask()) >>> f.shift();
                out.add(Actions.setField(f, v));
            }
        }
    }

    private void watch(final Policy p)
    {
        if (p instanceof Refinable && watched.add(p))
        {
            ((Refinable)p).onChange(this::recompile);
            if (p instanceof CountQuery)
            {
                final CountQuery q = (CountQuery)p;
                timer.scheduleAtFixedRate(() -> report(q), q.intervalMillis(), q.intervalMillis(), TimeUnit.MILLISECONDS);
            }
        }
        if (p instanceof Policy.Parallel)
        {
            ((Policy.Parallel)p).parts.forEach(this::watch);
        }
        else if (p instanceof Policy.Sequential)
        {
            ((Policy.Sequential)p).parts.forEach(this::watch);
        }
        else if (p instanceof DynamicPolicy)
        {
            watch(((DynamicPolicy)p).get());
        }
    }

    private void report(final CountQuery q)
    {
        try
        {
            final Map<List<Long>, long[]> live = new HashMap<>();
            synchronized (this)
            {
                final List<Rule> rs = rules;
                final List<FlowRule> fr = installed;
                for (int i = 0; i < rs.size() && i < fr.size(); i++)
                {
                    for (final Mod m : rs.get(i).actions())
                    {
                        if (m.query == q && m.countGroup != null)
                        {
                            final long[] c = live.computeIfAbsent(m.countGroup, k -> new long[2]);
                            c[0] += fr.get(i).packetCount();
                            c[1] += fr.get(i).byteCount();
                        }
                    }
                }
            }
            q.report(live);
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("count query {} callback failed: {}", q.name(), ex.toString());
        }
    }

    @Override
    public void onPacketIn(final PacketIn packetIn)
    {
        if ((packetIn.cookie() & COOKIE_MASK) != COOKIE)
        {
            return;
        }
        final int index = (int)packetIn.cookie();
        final List<Rule> rs = rules;
        if (index < 0 || index >= rs.size())
        {
            return;
        }
        final FlowKey key = new FlowKey();
        final byte[] frame = packetIn.copyFrame();
        if (extractor.extract(new UnsafeBuffer(frame), 0, frame.length, packetIn.inPort(), key) != FlowKeyExtractor.OK)
        {
            return;
        }
        final Packet packet = Packet.of(key);
        for (final Mod m : rs.get(index).actions())
        {
            if (m.query != null && m.countGroup == null)
            {
                m.query.deliver(m.apply(packet), packetIn.totalLength());
            }
        }
    }

    private int[] portNumbers()
    {
        final List<Port> ports = sw.ports();
        final int[] out = new int[ports.size()];
        for (int i = 0; i < out.length; i++)
        {
            out[i] = ports.get(i).number();
        }
        return out;
    }

    @Override
    public synchronized void close()
    {
        closed = true;
        timer.shutdownNow();
        sw.removePacketInListener(this);
    }
}
