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
import java.util.function.Consumer;

import dev.hostplane.vswitch.action.Actions;
import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.flow.FlowKey;
import dev.hostplane.vswitch.flow.FlowKeyExtractor;
import dev.hostplane.vswitch.policy.internal.FrameActions;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the embedded runtime and the OpenFlow controller share: compiling the policy and watching
 * its dynamic parts, numbering rules for flow cookies, handing packets the switch sent up to the
 * queries or to the interpreter, turning the interpreter's output headers back into frames, the
 * counting timers, and {@code trace}.
 */
final class PolicyEngine implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(PolicyEngine.class);
    private static final FlowField[] WRITABLE = {FlowField.ETH_DST, FlowField.ETH_SRC, FlowField.VLAN_VID,
        FlowField.VLAN_PCP, FlowField.IP_DSCP, FlowField.IP_ECN, FlowField.IP_TTL, FlowField.IPV4_SRC, FlowField.IPV4_DST,
        FlowField.TP_SRC, FlowField.TP_DST, FlowField.ARP_OP, FlowField.IPV6_LABEL, FlowField.IPV6_SRC_HIGH,
        FlowField.IPV6_SRC_LOW, FlowField.IPV6_DST_HIGH, FlowField.IPV6_DST_LOW};

    private final Policy policy;
    private final Runnable onChange;
    private final Set<Object> watched = Collections.newSetFromMap(new IdentityHashMap<>());
    private final ScheduledExecutorService timer;
    private final Map<Rule, Integer> ids = new HashMap<>();
    private final Map<Integer, Rule> byId = new HashMap<>();
    private final FlowKeyExtractor extractor = new FlowKeyExtractor();
    private int nextId = 1;
    private volatile List<Rule> rules = List.of();
    private List<Rule> previous = List.of();
    private Consumer<CountQuery> reporter = q -> { };
    private volatile boolean counting;

    /**
     * An engine for a policy.
     *
     * @param policy the policy.
     * @param onChange called (on the thread that made the change) when a dynamic part changed.
     * @param threadName name of the counting timer's thread.
     */
    PolicyEngine(final Policy policy, final Runnable onChange, final String threadName)
    {
        this.policy = policy;
        this.onChange = onChange;
        this.timer = Executors.newSingleThreadScheduledExecutor(r ->
        {
            final Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Whether the policy has a counting query (then the switches' flow counters are read).
     *
     * @return true once a counting query is part of the policy.
     */
    boolean counting()
    {
        return counting;
    }

    /** Sets how a counting query gets its totals reported (the runtime reads the switches' counters). */
    void reporter(final Consumer<CountQuery> reporter)
    {
        this.reporter = reporter;
    }

    Policy policy()
    {
        return policy;
    }

    /** Compiles the current value of the policy, registering for changes of parts seen for the first time. */
    synchronized List<Rule> compile()
    {
        watch(policy);
        final List<Rule> compiled = policy.compile();
        // Ids of rules gone for two compilations are forgotten; packets still in flight from the
        // previous one find theirs.
        final Set<Rule> keep = new java.util.HashSet<>(compiled);
        keep.addAll(previous);
        ids.keySet().retainAll(keep);
        byId.values().retainAll(keep);
        for (final Rule r : compiled)
        {
            ruleId(r);
        }
        previous = compiled;
        rules = compiled;
        return compiled;
    }

    /** The last compilation. */
    List<Rule> rules()
    {
        return rules;
    }

    /** A stable cookie number for a rule. */
    synchronized int ruleId(final Rule r)
    {
        Integer id = ids.get(r);
        if (id == null)
        {
            id = nextId++;
            if (nextId > Lowering.MAX_RULE_ID)
            {
                nextId = 1;
            }
            ids.put(r, id);
            byId.put(id, r);
        }
        return id;
    }

    /** The rule behind a flow's cookie, or null. */
    synchronized Rule rule(final long cookie)
    {
        if ((cookie & Lowering.COOKIE_MASK) != Lowering.COOKIE)
        {
            return null;
        }
        return byId.get(Lowering.ruleId(cookie));
    }

    /** Where the interpreter sends a frame: a virtual port (the ingress port included) and the frame. */
    record Emission(int port, byte[] frame)
    {
    }

    /**
     * Handles a frame the switch sent up because of a policy flow: the frame goes to the rule's
     * queries, or, for flows that leave the decision to the controller, through the interpreter.
     *
     * @param cookie the flow's cookie.
     * @param frame the whole frame.
     * @param inPort the virtual port it came in on.
     * @param totalLength its length on the wire.
     * @param ports the virtual switch's ports.
     * @return frames to send out (empty unless interpreted).
     */
    List<Emission> packetIn(final long cookie, final byte[] frame, final int inPort, final int totalLength,
        final int[] ports)
    {
        final Rule rule = rule(cookie);
        if (rule == null)
        {
            return List.of();
        }
        final FlowKey key = new FlowKey();
        synchronized (extractor)
        {
            if (extractor.extract(new UnsafeBuffer(frame), 0, frame.length, inPort, key) != FlowKeyExtractor.OK)
            {
                return List.of();
            }
        }
        final Packet packet = Packet.of(key);
        if ((cookie & Lowering.PUNT_FLOW) == 0 && !rule.actions().contains(Mod.PUNT))
        {
            for (final Mod m : rule.actions())
            {
                if (m.query != null && m.countGroup == null)
                {
                    m.query.deliver(m.apply(packet), totalLength);
                }
            }
            return List.of();
        }
        final List<Emission> out = new ArrayList<>();
        for (final Packet p : policy.eval(packet, ports))
        {
            if (p.query() != null)
            {
                p.query().deliver(p, totalLength);
            }
            else if (p.outport() != 0)
            {
                out.add(new Emission(p.outport(), rewrite(frame, inPort, packet, p)));
            }
        }
        return out;
    }

    /** The frame with the header fields the interpreter changed set as the switch would set them. */
    static byte[] rewrite(final byte[] frame, final int inPort, final Packet from, final Packet to)
    {
        final List<dev.hostplane.vswitch.action.Action> sets = new ArrayList<>();
        for (final FlowField f : WRITABLE)
        {
            final long a = from.word(f.word()) & f.wordMask();
            final long b = to.word(f.word()) & f.wordMask();
            if (a != b)
            {
                sets.add(Actions.setField(f, b >>> f.shift()));
            }
        }
        if (sets.isEmpty())
        {
            return frame;
        }
        final FrameActions fa = new FrameActions(frame, inPort, null);
        fa.run(sets);
        return fa.frame();
    }

    /**
     * Explains what the policy does with a packet.
     *
     * @param packet the packet.
     * @param ports the virtual switch's ports.
     * @param flows the flows of one switch (may be empty), to show which one the packet hits.
     * @return text.
     */
    String trace(final Packet packet, final int[] ports, final List<String> flows)
    {
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
                sb.append("Rule ").append(i).append(" of ").append(current.size()).append(" (cookie 0x")
                    .append(Long.toHexString(Lowering.COOKIE | ruleId(current.get(i)))).append("): ")
                    .append(current.get(i)).append('\n');
                break;
            }
        }
        for (final String f : flows)
        {
            sb.append(f).append('\n');
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

    private void watch(final Policy p)
    {
        if (p instanceof Refinable && watched.add(p))
        {
            ((Refinable)p).onChange(onChange);
            if (p instanceof CountQuery)
            {
                final CountQuery q = (CountQuery)p;
                counting = true;
                timer.scheduleAtFixedRate(() ->
                {
                    try
                    {
                        reporter.accept(q);
                    }
                    catch (final RuntimeException ex)
                    {
                        LOG.warn("count query {} failed: {}", q.name(), ex.toString());
                    }
                }, q.intervalMillis(), q.intervalMillis(), TimeUnit.MILLISECONDS);
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

    /**
     * Adds the counters of one flow to the groups its rule counts.
     *
     * @param q the query being reported.
     * @param cookie the flow's cookie.
     * @param packets its packet count.
     * @param bytes its byte count.
     * @param into totals per group: {packets, bytes}.
     */
    void addCounts(final CountQuery q, final long cookie, final long packets, final long bytes,
        final Map<List<Long>, long[]> into)
    {
        addCounts(q, countingRule(cookie), packets, bytes, into);
    }

    /**
     * Adds the counters of one flow to the groups its rule counts.
     *
     * @param q the query being reported.
     * @param r the flow's rule (from {@link #countingRule}), or null.
     * @param packets its packet count.
     * @param bytes its byte count.
     * @param into totals per group: {packets, bytes}.
     */
    void addCounts(final CountQuery q, final Rule r, final long packets, final long bytes,
        final Map<List<Long>, long[]> into)
    {
        if (r == null)
        {
            return;
        }
        for (final Mod m : r.actions())
        {
            if (m.query == q && m.countGroup != null)
            {
                final long[] c = into.computeIfAbsent(m.countGroup, k -> new long[2]);
                c[0] += packets;
                c[1] += bytes;
            }
        }
    }

    /**
     * The rule of a flow whose switch counters count (not a punt flow: its packets are counted as
     * they reach the controller).
     *
     * @param cookie the flow's cookie.
     * @return the rule, or null when the flow's counts are not the queries'.
     */
    Rule countingRule(final long cookie)
    {
        return (cookie & Lowering.PUNT_FLOW) != 0 ? null : rule(cookie);
    }

    /**
     * Reports a counting query's totals as they are now, calling its callbacks on the counting
     * timer's thread (not the caller's, which may be an I/O thread).
     *
     * @param q the query.
     * @param live per group, the counters of the flows now installed: {packets, bytes}.
     */
    void publish(final CountQuery q, final Map<List<Long>, long[]> live)
    {
        final Map<List<Long>, Long> totals = q.totals(live);
        try
        {
            timer.execute(() -> q.fire(totals));
        }
        catch (final java.util.concurrent.RejectedExecutionException closed)
        {
            LOG.debug("count query {} not reported: closed", q.name());
        }
    }

    /** Keeps the counts of a counted flow that went away in its queries' totals. */
    void retire(final long cookie, final long packets, final long bytes)
    {
        retire(countingRule(cookie), packets, bytes);
    }

    /** Keeps the counts of a counted flow that went away in its queries' totals. */
    void retire(final Rule r, final long packets, final long bytes)
    {
        if (r == null)
        {
            return;
        }
        for (final Mod m : r.actions())
        {
            if (m.countGroup != null)
            {
                ((CountQuery)m.query).retire(m.countGroup, packets, bytes);
            }
        }
    }

    @Override
    public void close()
    {
        timer.shutdownNow();
    }
}
