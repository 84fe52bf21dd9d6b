package dev.hostplane.vswitch.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.hostplane.vswitch.PacketIn;
import dev.hostplane.vswitch.PacketInListener;
import dev.hostplane.vswitch.PortStatusListener;
import dev.hostplane.vswitch.VirtualSwitch;
import dev.hostplane.vswitch.action.Action;
import dev.hostplane.vswitch.action.Actions;
import dev.hostplane.vswitch.classifier.FlowRule;
import dev.hostplane.vswitch.classifier.GroupTable;
import dev.hostplane.vswitch.internal.LibraryThreads;
import dev.hostplane.vswitch.port.Port;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Policy} on an embedded {@link VirtualSwitch}: compiles it to prioritized rules,
 * installs them in one atomic step (replacing the previous compilation), hands packets sent to
 * queries to their callbacks, reports counting queries from the switch's rule counters, evaluates
 * packets of policy parts the compiler cannot turn into rules (Java predicates) in the
 * interpreter and sends the results out, and recompiles whenever a dynamic part or the set of
 * ports changes. The policy owns the flow table: rules it did not install are left alone but
 * shadowed by the policy's catch-all.
 *
 * <p>Threads: the runtime owns one daemon timer thread for counting queries
 * ({@code hostplane-vswitch-policy-counts-0}) until {@link #close()}, which must be called; it does not close
 * the switch.
 */
public final class PolicyRuntime implements AutoCloseable, PacketInListener, PortStatusListener
{
    /** Cookie bits marking the runtime's rules; the rule's id is in the low 31 bits. */
    public static final long COOKIE = Lowering.COOKIE;
    private static final int GROUP_BASE = 0x5000_0000;
    private static final Logger LOG = LoggerFactory.getLogger(PolicyRuntime.class);

    private final VirtualSwitch sw;
    private final PolicyEngine engine;
    private final Map<List<List<Action>>, Integer> groupIds = new HashMap<>();
    private volatile List<FlowRule> installed = List.of();
    private volatile List<String> flowText = List.of();
    private volatile int[] ports = new int[0];
    private Map<Integer, List<List<Action>>> groups = Map.of();
    private int nextGroup = GROUP_BASE;
    private long compilations;
    private volatile boolean closed;

    private PolicyRuntime(final VirtualSwitch sw, final Policy policy)
    {
        this.sw = sw;
        this.engine = new PolicyEngine(policy, this::recompile, LibraryThreads.name("policy-counts", 0));
        engine.reporter(this::report);
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
        sw.addPortStatusListener(rt);
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
        for (final Rule r : engine.rules())
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
     * the compiled rule and the switch flow it hits, and the outputs.
     *
     * @param packet the packet (in_port set).
     * @return text.
     */
    public String trace(final Packet packet)
    {
        final List<String> hit = new ArrayList<>();
        for (final FlowRule r : installed)
        {
            if (new Predicate.MatchPredicate(r.match()).test(packet))
            {
                hit.add("Flow: " + r);
                break;
            }
        }
        return engine.trace(packet, ports, hit);
    }

    /** Recompiles and reinstalls now (called automatically when a dynamic part or a port changes). */
    public synchronized void recompile()
    {
        if (closed)
        {
            return;
        }
        final List<Integer> numbers = new ArrayList<>();
        for (final Port p : sw.ports())
        {
            numbers.add(p.number());
        }
        final List<Rule> compiled = engine.compile();
        final Lowering.Result lowered = Lowering.lower(compiled, SwitchView.standalone(0, numbers), false,
            new Lowering.Ids()
            {
                @Override
                public int ruleId(final Rule rule)
                {
                    return engine.ruleId(rule);
                }

                @Override
                public int groupId(final List<List<Action>> buckets)
                {
                    return groupIds.computeIfAbsent(buckets, b -> nextGroup++);
                }
            });
        final long now = System.nanoTime();
        final List<FlowRule> adds = new ArrayList<>(lowered.flows().size());
        for (final Lowering.Flow f : lowered.flows())
        {
            adds.add(new FlowRule(f.match(), f.priority(), f.cookie(), f.actions(), 0, 0, false, now));
        }
        for (final Map.Entry<Integer, List<List<Action>>> g : lowered.groups().entrySet())
        {
            if (!groups.containsKey(g.getKey()))
            {
                sw.groups().put(new GroupTable.Group(g.getKey(), GroupTable.Type.ALL, g.getValue()));
            }
        }
        final List<FlowRule> old = installed;
        // Counting flows about to go keep their counts in the query's totals.
        for (final FlowRule r : old)
        {
            engine.retire(r.cookie(), r.packetCount(), r.byteCount());
        }
        sw.commit(adds, old);
        installed = List.copyOf(adds);
        flowText = Lowering.describe(lowered);
        ports = numbers.stream().mapToInt(Integer::intValue).toArray();
        for (final Map.Entry<Integer, List<List<Action>>> g : groups.entrySet())
        {
            if (!lowered.groups().containsKey(g.getKey()))
            {
                sw.groups().remove(g.getKey());
                groupIds.remove(g.getValue());
            }
        }
        groups = Map.copyOf(lowered.groups());
        compilations++;
        LOG.debug("policy compiled to {} rules, {} flows", compiled.size(), adds.size());
    }

    /**
     * The flows of the current compilation as text, highest priority first.
     *
     * @return one line per flow or group.
     */
    public List<String> flows()
    {
        return flowText;
    }

    private void report(final CountQuery q)
    {
        final Map<List<Long>, long[]> live = new HashMap<>();
        synchronized (this)
        {
            for (final FlowRule r : installed)
            {
                engine.addCounts(q, r.cookie(), r.packetCount(), r.byteCount(), live);
            }
        }
        q.report(live);
    }

    @Override
    public void onPacketIn(final PacketIn packetIn)
    {
        final List<PolicyEngine.Emission> out = engine.packetIn(packetIn.cookie(), packetIn.copyFrame(),
            packetIn.inPort(), packetIn.totalLength(), ports);
        for (final PolicyEngine.Emission e : out)
        {
            final Action a = e.port() == packetIn.inPort() ? Actions.inPort() : Actions.output(e.port());
            if (!sw.packetOut(e.frame(), packetIn.inPort(), List.of(a)))
            {
                LOG.debug("packet-out queue full: interpreted frame for port {} dropped", e.port());
            }
        }
    }

    @Override
    public void onPortStatus(final Port port, final int reason)
    {
        if (reason != REASON_MODIFY)
        {
            recompile();
        }
    }

    @Override
    public synchronized void close()
    {
        closed = true;
        engine.close();
        sw.removePacketInListener(this);
        sw.removePortStatusListener(this);
    }
}
