package dev.hostplane.vswitch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.hostplane.vswitch.action.Action;
import dev.hostplane.vswitch.classifier.FlowRule;
import dev.hostplane.vswitch.classifier.FlowTable;
import dev.hostplane.vswitch.classifier.GroupTable;
import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.flow.FlowKey;
import dev.hostplane.vswitch.flow.FlowKeyExtractor;
import dev.hostplane.vswitch.flow.Match;
import dev.hostplane.vswitch.internal.BlockingIdleStrategy;
import dev.hostplane.vswitch.internal.LibraryThreads;
import dev.hostplane.vswitch.internal.PacketInRing;
import dev.hostplane.vswitch.internal.PacketOutRequest;
import dev.hostplane.vswitch.internal.PortAssignment;
import dev.hostplane.vswitch.internal.PortTable;
import dev.hostplane.vswitch.internal.SwitchWorker;
import dev.hostplane.vswitch.internal.TracingContext;
import dev.hostplane.vswitch.port.EndpointPort;
import dev.hostplane.vswitch.port.FrameBatch;
import dev.hostplane.vswitch.port.LinkState;
import dev.hostplane.vswitch.port.Port;
import dev.hostplane.vswitch.port.TapPort;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A flow-table software switch (Hyper-Switch style): ports with batched rings, switching workers
 * running a tuple-space classifier behind a per-worker exact-match cache, and a control plane apart
 * from the data plane.
 *
 * <pre>{@code
 * try (VirtualSwitch sw = new VirtualSwitch(SwitchConfig.builder().build()))
 * {
 *     EndpointPort a = sw.addEndpointPort("vm-a");
 *     EndpointPort b = sw.addEndpointPort("vm-b");
 *     sw.addFlow(new FlowRule(Match.ALL, 0, 0, List.of(Actions.flood()), 0, 0, false, System.nanoTime()));
 *     sw.start();
 *     a.send(frame, 0, frame.capacity());
 * }
 * }</pre>
 *
 * <p>Threads: {@link #start()} starts {@link SwitchConfig#workers()} switching threads
 * ({@code hostplane-vswitch-worker-N}) and one control thread ({@code hostplane-vswitch-control-0}: packet-in
 * delivery, timeout expiry); {@link #close()} stops them and closes the ports, so a started switch must be closed.
 * They are daemon threads: an application that runs only a switch keeps its own main thread alive (as
 * {@code hostplane switch} does). Control methods are thread-safe; each one is atomic with respect to the data
 * plane.
 */
public final class VirtualSwitch implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(VirtualSwitch.class);
    /** How often the control thread looks at the ports' link state (ip link set up/down shows within this). */
    private static final long LINK_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    // AgentRunner names each thread after its agent's roleName().
    private static final java.util.concurrent.ThreadFactory DAEMON_THREADS = runnable ->
    {
        final Thread thread = new Thread(runnable);
        thread.setDaemon(true);
        return thread;
    };

    private final SwitchConfig config;
    private final FlowTable table = new FlowTable();
    private final GroupTable groups = new GroupTable();
    private final PortTable ports = new PortTable();
    /** Each port's link state as last reported to port-status listeners (its ADD, then each MODIFY). */
    private final Map<Port, LinkState> linkStates = new ConcurrentHashMap<>();
    /**
     * Orders a link change's MODIFY before the port's DELETE: the poll reports a change only while
     * the port still has a baseline, and removePort drops the baseline under this lock. Not the
     * switch's own monitor, which close() holds while it stops the control thread.
     */
    private final Object linkReportLock = new Object();
    private final PacketInRing packetIns;
    private final SwitchWorker[] workers;
    private final PortAssignment assignment;
    private final List<AgentRunner> runners = new ArrayList<>();
    private final List<PacketInListener> packetInListeners = new CopyOnWriteArrayList<>();
    private final List<FlowRemovedListener> flowRemovedListeners = new CopyOnWriteArrayList<>();
    private final List<PortStatusListener> portStatusListeners = new CopyOnWriteArrayList<>();
    private final ControlAgent controlAgent = new ControlAgent();
    private volatile boolean running;
    private volatile boolean closed;
    private volatile Throwable lastError;
    private final java.util.concurrent.atomic.AtomicLong errorCount = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong lastErrorLogNanos =
        new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - 2_000_000_000L);

    /**
     * Creates a stopped switch.
     *
     * @param config configuration.
     */
    public VirtualSwitch(final SwitchConfig config)
    {
        this.config = config;
        this.packetIns = new PacketInRing(config.packetInRingCapacity());
        this.workers = new SwitchWorker[config.workers()];
        for (int i = 0; i < workers.length; i++)
        {
            workers[i] = new SwitchWorker(i, table, groups, ports, packetIns, config.batchSize(), config.emcEntries(),
                config.preemptiveCopy());
        }
        this.assignment = new PortAssignment(workers, config.offloadToIdleWorkers());
        for (final SwitchWorker worker : workers)
        {
            worker.assignment(assignment);
        }
    }

    /**
     * The configuration.
     *
     * @return config.
     */
    public SwitchConfig config()
    {
        return config;
    }

    // ------------------------------------------------------------------------------------------ ports

    /**
     * Adds an in-process endpoint port.
     *
     * @param name port name.
     * @return the port; the endpoint uses its send/receive methods.
     */
    public EndpointPort addEndpointPort(final String name)
    {
        return addPort(new EndpointPort(name, config.ringCapacity()));
    }

    /**
     * Opens a TAP device and adds it as a port.
     *
     * @param deviceName interface name.
     * @param offload use virtio_net_hdr + GSO/checksum offload.
     * @return the port.
     * @throws IOException when the device cannot be opened.
     */
    public TapPort addTapPort(final String deviceName, final boolean offload) throws IOException
    {
        return addPort(TapPort.open(deviceName, offload));
    }

    /**
     * Adds a port with the lowest free number.
     *
     * @param port the port (the switch takes ownership and closes it).
     * @param <P> port type.
     * @return the port.
     */
    public synchronized <P extends Port> P addPort(final P port)
    {
        return addPort(port, ports.nextFreeNumber());
    }

    /**
     * Adds a port with a given number.
     *
     * @param port the port.
     * @param number port number (1..65279).
     * @param <P> port type.
     * @return the port.
     */
    public synchronized <P extends Port> P addPort(final P port, final int number)
    {
        ensureOpen();
        if (number < 1 || number > 0xFEFF)
        {
            throw new IllegalArgumentException("port number must be 1..65279: number=" + number);
        }
        for (final Port p : ports.all())
        {
            if (p.name().equals(port.name()))
            {
                throw new IllegalArgumentException("port name in use: name=" + port.name() + " number=" + p.number());
            }
        }
        if (port instanceof EndpointPort)
        {
            ((EndpointPort)port).batchedNotification(config.batchedNotification());
        }
        port.attach(number, workers.length);
        // The baseline goes in before the port is visible to the control thread's link poll, so a
        // device set up right after this call is reported as a change, not taken as the start state.
        linkStates.put(port, port.linkState());
        ports.add(port);
        assignment.assign(port);
        portStatus(port, PortStatusListener.REASON_ADD);
        return port;
    }

    /**
     * Removes a port, waits until no worker can still be using it, and closes it.
     *
     * @param number port number.
     * @return true when the port existed.
     */
    public synchronized boolean removePort(final int number)
    {
        final Port port = ports.remove(number);
        if (port == null)
        {
            return false;
        }
        assignment.unassign(port);
        synchronized (linkReportLock)
        {
            linkStates.remove(port);
        }
        awaitQuiescence();
        port.close();
        portStatus(port, PortStatusListener.REASON_DELETE);
        return true;
    }

    /**
     * Tells port-status listeners that a port's configuration changed (for example its flood flag).
     *
     * @param number port number.
     * @return false when there is no such port.
     */
    public boolean portModified(final int number)
    {
        final Port port = ports.get(number);
        if (port == null)
        {
            return false;
        }
        portStatus(port, PortStatusListener.REASON_MODIFY);
        return true;
    }

    /**
     * Registers a port-status listener (called on the thread that adds, removes or modifies a port).
     *
     * @param listener listener.
     */
    public void addPortStatusListener(final PortStatusListener listener)
    {
        portStatusListeners.add(listener);
    }

    /**
     * Unregisters a port-status listener.
     *
     * @param listener listener.
     */
    public void removePortStatusListener(final PortStatusListener listener)
    {
        portStatusListeners.remove(listener);
    }

    private void portStatus(final Port port, final int reason)
    {
        for (final PortStatusListener l : portStatusListeners)
        {
            try
            {
                l.onPortStatus(port, reason);
            }
            catch (final RuntimeException ex)
            {
                onError(ex);
            }
        }
    }

    /**
     * Port by number.
     *
     * @param number port number.
     * @return the port, or null.
     */
    public Port port(final int number)
    {
        return ports.get(number);
    }

    /**
     * Port by name.
     *
     * @param name port name.
     * @return the port, or null.
     */
    public Port port(final String name)
    {
        for (final Port p : ports.all())
        {
            if (p.name().equals(name))
            {
                return p;
            }
        }
        return null;
    }

    /**
     * Every port, by number.
     *
     * @return a new list.
     */
    public List<Port> ports()
    {
        return List.of(ports.all());
    }

    /**
     * Per-port counters as text, one line per port ({@code ovs-ofctl dump-ports} style).
     *
     * @return text.
     */
    public String dumpPorts()
    {
        final StringBuilder sb = new StringBuilder();
        for (final Port p : ports.all())
        {
            sb.append("port ").append(p.number()).append(' ').append(p.name()).append(": ")
                .append(p.counters()).append('\n');
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------------------------ lifecycle

    /**
     * Starts the workers and the control thread.
     *
     * @return this.
     */
    public synchronized VirtualSwitch start()
    {
        ensureOpen();
        if (running)
        {
            return this;
        }
        for (final SwitchWorker worker : workers)
        {
            final AgentRunner runner = new AgentRunner(idleStrategy(worker), this::onError, null, worker);
            runners.add(runner);
            AgentRunner.startOnThread(runner, DAEMON_THREADS);
        }
        final AgentRunner control = new AgentRunner(new BackoffIdleStrategy(1, 1, 1_000, 1_000_000), this::onError,
            null, controlAgent);
        runners.add(control);
        AgentRunner.startOnThread(control, DAEMON_THREADS);
        running = true;
        return this;
    }

    /**
     * Runs one duty cycle of every worker on the calling thread, for embedders that drive the data
     * plane from their own loop (and for deterministic benchmarks). Only allowed while the switch
     * has not been started; control-plane work (packet-in delivery, expiry) is not done here.
     *
     * @return frames and packet-outs processed.
     */
    public int doWork()
    {
        if (running)
        {
            throw new IllegalStateException("switch is running its own threads; doWork() is for unstarted switches");
        }
        ensureOpen();
        int work = 0;
        for (final SwitchWorker worker : workers)
        {
            work += worker.doWork();
        }
        return work;
    }

    /**
     * Whether the switch runs.
     *
     * @return true between start and close.
     */
    public boolean isRunning()
    {
        return running;
    }

    /**
     * The last error a worker or the control thread caught (they keep running), if any.
     *
     * @return throwable or null.
     */
    public Throwable lastError()
    {
        return lastError;
    }

    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        running = false;
        for (final AgentRunner runner : runners)
        {
            runner.close();
        }
        runners.clear();
        for (final Port p : ports.all())
        {
            p.close();
        }
    }

    // --------------------------------------------------------------------------------- control API

    /**
     * The flow table (direct access for bulk operations and tools).
     *
     * @return table.
     */
    public FlowTable flowTable()
    {
        return table;
    }

    /**
     * The group table.
     *
     * @return groups.
     */
    public GroupTable groups()
    {
        return groups;
    }

    /**
     * Adds a rule (replacing one with the same match and priority).
     *
     * @param rule the rule.
     * @return the rule.
     */
    public FlowRule addFlow(final FlowRule rule)
    {
        table.add(rule);
        return rule;
    }

    /**
     * Adds a permanent rule.
     *
     * @param match match.
     * @param priority priority.
     * @param actions actions.
     * @return the rule.
     */
    public FlowRule addFlow(final Match match, final int priority, final List<Action> actions)
    {
        return addFlow(new FlowRule(match, priority, 0, actions, 0, 0, false, System.nanoTime()));
    }

    /**
     * Adds many rules atomically.
     *
     * @param rules rules.
     */
    public void addFlows(final Collection<FlowRule> rules)
    {
        table.addAll(rules);
    }

    /**
     * Deletes and adds rules in one atomic step (bundle).
     *
     * @param adds rules to add.
     * @param deletes rules to delete (by match and priority).
     */
    public void commit(final Collection<FlowRule> adds, final Collection<FlowRule> deletes)
    {
        notifyRemoved(table.commit(adds, deletes));
    }

    /**
     * Modifies the actions of matching rules.
     *
     * @param match match (strict: exact; non-strict: this or more specific).
     * @param priority priority (strict only).
     * @param strict strictness.
     * @param cookie cookie filter value.
     * @param cookieMask cookie filter mask (0 = any).
     * @param actions new actions.
     * @return rules modified.
     */
    public int modifyFlows(
        final Match match,
        final int priority,
        final boolean strict,
        final long cookie,
        final long cookieMask,
        final List<Action> actions)
    {
        return table.modify(match, priority, strict, cookie, cookieMask, actions);
    }

    /**
     * Deletes matching rules and reports them to flow-removed listeners (reason delete).
     *
     * @param match match (strict: exact; non-strict: this or more specific).
     * @param priority priority (strict only).
     * @param strict strictness.
     * @param cookie cookie filter value.
     * @param cookieMask cookie filter mask (0 = any).
     * @param outPort only rules that output to this port (0 = any).
     * @return deleted rules.
     */
    public List<FlowRule> deleteFlows(
        final Match match,
        final int priority,
        final boolean strict,
        final long cookie,
        final long cookieMask,
        final int outPort)
    {
        final List<FlowRule> removed = table.delete(match, priority, strict, cookie, cookieMask, outPort);
        notifyRemoved(removed);
        return removed;
    }

    /**
     * Deletes matching rules that also pass a filter (for example OpenFlow's out_group), and
     * reports them to flow-removed listeners (reason delete).
     *
     * @param match match (strict: exact; non-strict: this or more specific).
     * @param priority priority (strict only).
     * @param strict strictness.
     * @param cookie cookie filter value.
     * @param cookieMask cookie filter mask (0 = any).
     * @param filter further condition on each rule.
     * @return deleted rules.
     */
    public List<FlowRule> deleteFlows(
        final Match match,
        final int priority,
        final boolean strict,
        final long cookie,
        final long cookieMask,
        final java.util.function.Predicate<FlowRule> filter)
    {
        final List<FlowRule> removed = table.delete(match, priority, strict, cookie, cookieMask, filter);
        notifyRemoved(removed);
        return removed;
    }

    /**
     * Unregisters a packet-in listener.
     *
     * @param listener listener.
     */
    public void removePacketInListener(final PacketInListener listener)
    {
        packetInListeners.remove(listener);
    }

    /**
     * Unregisters a flow-removed listener.
     *
     * @param listener listener.
     */
    public void removeFlowRemovedListener(final FlowRemovedListener listener)
    {
        flowRemovedListeners.remove(listener);
    }

    /**
     * Every rule with its counters, highest priority first.
     *
     * @return rules.
     */
    public List<FlowRule> dumpFlows()
    {
        return table.rules();
    }

    /**
     * Sends a frame through actions from the control plane (packet-out), executed by a worker.
     *
     * @param frame frame bytes (copied).
     * @param inPort port the frame is deemed to come from (0 for none).
     * @param actions actions to run.
     * @return false when the packet-out queue is full.
     */
    public boolean packetOut(final byte[] frame, final int inPort, final List<Action> actions)
    {
        if (frame.length > FrameBatch.MAX_FRAME)
        {
            throw new IllegalArgumentException("frame too long: length=" + frame.length);
        }
        return workers[0].offerPacketOut(new PacketOutRequest(frame.clone(), inPort, actions.toArray(new Action[0])));
    }

    /**
     * Registers a packet-in listener (called on the control thread).
     *
     * @param listener listener.
     */
    public void addPacketInListener(final PacketInListener listener)
    {
        packetInListeners.add(listener);
    }

    /**
     * Registers a flow-removed listener.
     *
     * @param listener listener.
     */
    public void addFlowRemovedListener(final FlowRemovedListener listener)
    {
        flowRemovedListeners.add(listener);
    }

    /**
     * Explains what the switch would do with a frame arriving on a port (VS-C3), without sending
     * anything or touching counters.
     *
     * @param frame frame buffer.
     * @param offset frame start.
     * @param length frame length.
     * @param inPort ingress port.
     * @return the trace.
     */
    public TraceResult trace(final DirectBuffer frame, final int offset, final int length, final int inPort)
    {
        final StringBuilder text = new StringBuilder();
        text.append("Frame: ").append(length).append(" bytes, in_port=").append(inPort).append('\n');
        final MutableDirectBuffer copy = new UnsafeBuffer(new byte[FrameBatch.HEADROOM + length + 64]);
        copy.putBytes(FrameBatch.HEADROOM, frame, offset, length);
        final FlowKey key = new FlowKey();
        final int status = new FlowKeyExtractor().extract(copy, FrameBatch.HEADROOM, length, inPort, key);
        if (status != FlowKeyExtractor.OK)
        {
            text.append("Malformed: ").append(FlowKeyExtractor.statusName(status)).append(" -> dropped\n");
            return new TraceResult(text.toString(), null, List.of(), false, FlowKeyExtractor.statusName(status));
        }
        text.append("Flow: ").append(describeKey(key)).append('\n');
        text.append("Classifier (version ").append(table.classifier().version()).append("):\n");
        final FlowRule rule = table.classifier().lookupTraced(key, text);
        if (rule == null)
        {
            text.append("Rule: none (table miss) -> dropped\n");
            return new TraceResult(text.toString(), null, List.of(), false, "table miss");
        }
        text.append("Rule: ").append(rule).append('\n').append("Actions:\n");
        final TracingContext context = new TracingContext(copy, FrameBatch.HEADROOM, length, inPort, ports, groups,
            text);
        context.run(rule.actions(), "  ");
        if (context.outputs().isEmpty() && !context.toController())
        {
            text.append("Datapath: drop\n");
        }
        return new TraceResult(text.toString(), rule, List.copyOf(context.outputs()), context.toController(),
            context.dropReason() != null ? context.dropReason() :
            context.outputs().isEmpty() && !context.toController() ? "no output" : null);
    }

    /**
     * Counters summed over workers.
     *
     * @return stats.
     */
    public SwitchStats stats()
    {
        long frames = 0;
        long malformed = 0;
        long misses = 0;
        long hits = 0;
        long emcMisses = 0;
        long pinDrops = 0;
        long actionDrops = 0;
        for (final SwitchWorker w : workers)
        {
            frames += w.framesProcessed();
            malformed += w.malformed();
            misses += w.tableMisses();
            hits += w.emcHits();
            emcMisses += w.emcMisses();
            pinDrops += w.packetInDropped();
            actionDrops += w.actionDrops();
        }
        return new SwitchStats(frames, malformed, misses, hits, emcMisses, pinDrops, actionDrops, table.size());
    }

    /**
     * What the Hyper-Switch mechanisms (VS-D9) did so far, summed over workers and ports.
     *
     * @return the counts.
     */
    public MechanismStats mechanismStats()
    {
        long stalls = 0;
        long reclaims = 0;
        for (final SwitchWorker w : workers)
        {
            stalls += w.lendStalls();
            reclaims += w.lendReclaims();
        }
        long notifications = 0;
        long workerWakeups = 0;
        long expired = 0;
        for (final Port p : ports.all())
        {
            notifications += p.counters().notifications();
            if (p instanceof EndpointPort)
            {
                final EndpointPort e = (EndpointPort)p;
                workerWakeups += e.workerWakeups();
                expired += e.expiredLoans();
            }
        }
        return new MechanismStats(notifications, workerWakeups, stalls, reclaims, expired, assignment.offloads());
    }

    /**
     * Waits until every worker has finished at least one full duty cycle started after this call,
     * so changes published before the call are visible to all of them.
     */
    public void awaitQuiescence()
    {
        if (!running)
        {
            return;
        }
        final long[] start = new long[workers.length];
        for (int i = 0; i < workers.length; i++)
        {
            start[i] = workers[i].cycles();
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (int i = 0; i < workers.length; i++)
        {
            while (workers[i].cycles() < start[i] + 2 && System.nanoTime() < deadline)
            {
                workers[i].signal().wake();
                Thread.onSpinWait();
            }
        }
    }

    private void notifyRemoved(final List<FlowRule> removed)
    {
        for (final FlowRule rule : removed)
        {
            if (rule.sendFlowRemoved())
            {
                for (final FlowRemovedListener l : flowRemovedListeners)
                {
                    l.onFlowRemoved(rule, FlowRule.REMOVED_DELETE);
                }
            }
        }
    }

    private IdleStrategy idleStrategy(final SwitchWorker worker)
    {
        switch (config.idleMode())
        {
            case BUSY_SPIN:
                return new BusySpinIdleStrategy();
            case YIELD:
                return new YieldingIdleStrategy();
            case SLEEP:
                return new SleepingMillisIdleStrategy(1);
            case BLOCKING:
                return new BlockingIdleStrategy(worker);
            case BACKOFF:
            default:
                return new BackoffIdleStrategy();
        }
    }

    private void onError(final Throwable error)
    {
        lastError = error;
        errorCount.incrementAndGet();
        // At most one line per second: a persistent fault must not flood the log from a hot loop.
        final long now = System.nanoTime();
        final long last = lastErrorLogNanos.get();
        if (now - last >= 1_000_000_000L && lastErrorLogNanos.compareAndSet(last, now))
        {
            LOG.error("error in a switching thread (it keeps running; errors so far: {})", errorCount.get(), error);
        }
    }

    /**
     * Errors caught by the workers and the control thread since start.
     *
     * @return count.
     */
    public long errorCount()
    {
        return errorCount.get();
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("switch is closed");
        }
    }

    private static String describeKey(final FlowKey key)
    {
        final Match.Builder exact = Match.builder();
        for (final FlowField f : FlowField.values())
        {
            if (f == FlowField.ICMP_TYPE || f == FlowField.ICMP_CODE)
            {
                continue;
            }
            final long v = key.get(f);
            if (v != 0 || f == FlowField.IN_PORT)
            {
                exact.exact(f, v);
            }
        }
        return exact.build().toString();
    }

    /** Delivers packet-ins and expires rules on the control thread. */
    private final class ControlAgent implements Agent
    {
        private final PacketIn packetIn = new PacketIn();
        private final List<Integer> reasons = new ArrayList<>();
        private final org.agrona.concurrent.MessageHandler deliver = this::deliver;
        private long nextExpiry;
        private long nextLinkPoll;

        private void deliver(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            packetIn.set(buffer, index + PacketInRing.HEADER_LENGTH, length - PacketInRing.HEADER_LENGTH,
                buffer.getInt(index + PacketInRing.TOTAL_LENGTH_OFFSET),
                buffer.getInt(index + PacketInRing.IN_PORT_OFFSET),
                buffer.getInt(index + PacketInRing.REASON_OFFSET),
                buffer.getLong(index + PacketInRing.COOKIE_OFFSET))
                .requestedLength(buffer.getInt(index + PacketInRing.REQUESTED_LENGTH_OFFSET));
            for (final PacketInListener l : packetInListeners)
            {
                try
                {
                    l.onPacketIn(packetIn);
                }
                catch (final RuntimeException ex)
                {
                    onError(ex);
                }
            }
        }

        @Override
        public int doWork()
        {
            int work = packetIns.read(deliver, 64);
            final long now = System.nanoTime();
            if (now - nextExpiry >= 0)
            {
                nextExpiry = now + TimeUnit.MILLISECONDS.toNanos(config.expiryIntervalMillis());
                reasons.clear();
                final List<FlowRule> expired = table.expire(now, reasons);
                for (int i = 0; i < expired.size(); i++)
                {
                    final FlowRule rule = expired.get(i);
                    if (rule.sendFlowRemoved())
                    {
                        for (final FlowRemovedListener l : flowRemovedListeners)
                        {
                            l.onFlowRemoved(rule, reasons.get(i));
                        }
                    }
                }
                work += expired.size();
            }
            if (now - nextLinkPoll >= 0)
            {
                nextLinkPoll = now + LINK_POLL_NANOS;
                work += pollLinks();
            }
            return work;
        }

        /**
         * Tells port-status listeners about ports whose link went up or down since it was last
         * reported (a TAP device set down or up in its namespace, for example).
         */
        private int pollLinks()
        {
            int changed = 0;
            for (final Port port : ports.all())
            {
                final LinkState before = linkStates.get(port);
                final LinkState now = port.linkState();
                if (before == null || before == now)
                {
                    continue;
                }
                synchronized (linkReportLock)
                {
                    // A port removed meanwhile has no baseline any more: its DELETE says the rest.
                    if (linkStates.replace(port, before, now))
                    {
                        LOG.info("port {} ({}) link {} -> {}", port.number(), port.name(), before, now);
                        portStatus(port, PortStatusListener.REASON_MODIFY);
                        changed++;
                    }
                }
            }
            return changed;
        }

        @Override
        public String roleName()
        {
            return LibraryThreads.name("control", 0);
        }
    }
}
