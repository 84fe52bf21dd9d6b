package dev.hostplane.vswitch.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

import dev.hostplane.vswitch.action.Action;
import dev.hostplane.vswitch.action.ActionContext;
import dev.hostplane.vswitch.action.Actions;
import dev.hostplane.vswitch.classifier.Classifier;
import dev.hostplane.vswitch.classifier.ExactMatchCache;
import dev.hostplane.vswitch.classifier.FlowRule;
import dev.hostplane.vswitch.classifier.FlowTable;
import dev.hostplane.vswitch.classifier.GroupTable;
import dev.hostplane.vswitch.flow.FlowKey;
import dev.hostplane.vswitch.flow.FlowKeyExtractor;
import dev.hostplane.vswitch.flow.Match;
import dev.hostplane.vswitch.port.FrameBatch;
import dev.hostplane.vswitch.port.LentFrames;
import dev.hostplane.vswitch.port.Port;
import dev.hostplane.vswitch.port.WorkerSignal;
import dev.hostplane.vswitch.tap.FdPoller;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One switching thread (VS-D8), run as an Agrona {@link Agent}. Each duty cycle it drains queued
 * packet-outs, takes the current classifier snapshot once, then for each port it polls pulls a
 * batch of up to 32 frames and, per frame: extracts the key, looks in its exact-match cache, falls
 * back to the classifier, counts the hit and runs the rule's actions, copying outputs straight into
 * the destination ports. At the end of a cycle with work it flushes every port once, which is where
 * sleeping endpoints are woken (one notification per batch, not per frame).
 *
 * <p>With preemptive copy off, frames are received into {@link LentFrames} stores instead of one
 * batch, and endpoints get references to them (see {@code SwitchConfig.preemptiveCopy()}). With
 * offload on, a worker that keeps getting full batches from two or more ports asks the
 * {@link PortAssignment} to hand one to an idle worker.
 *
 * <p>Nothing here allocates per frame: frames live in the preallocated {@link FrameBatch}, keys in
 * one reused {@link FlowKey}, and the worker is its own {@link ActionContext}.
 */
public final class SwitchWorker extends FrameActionContext implements Agent
{
    /** Packet-in reason: no rule matched (table-miss rule). */
    public static final int REASON_NO_MATCH = 0;
    /** Packet-in reason: a controller action. */
    public static final int REASON_ACTION = 1;
    /** Consecutive cycles with a full batch (from two or more active ports) that make a worker busy. */
    static final int BUSY_CYCLES = 16;
    /** Consecutive cycles without work after which a worker counts as idle. */
    static final int IDLE_CYCLES = 64;

    private final int index;
    private final FlowTable table;
    private final PacketInRing packetIns;
    private final FrameBatch batch;
    private final int batchSize;
    private final ExactMatchCache emc;
    private final FlowKeyExtractor extractor = new FlowKeyExtractor();
    private final FlowKey key = new FlowKey();
    private final UnsafeBuffer packetOutSlot = new UnsafeBuffer(ByteBuffer.allocateDirect(FrameBatch.SLOT_CAPACITY));
    private final ManyToOneConcurrentArrayQueue<PacketOutRequest> packetOuts =
        new ManyToOneConcurrentArrayQueue<>(1024);
    private final WorkerSignal signal = new WorkerSignal();
    private final FdPoller poller = new FdPoller(256);
    private final boolean useEmc;
    private final LentFrames lender;
    private PortAssignment assignment;
    private int busyStreak;
    private int idleCycles;
    private volatile boolean idle;
    // The slot of the frame being switched when it may be lent (preemptive copy off), else null.
    private UnsafeBuffer lendableSlot;
    private int currentSlot;

    private volatile Port[] polled = new Port[0];
    private Port[] pollerPorts;
    private int[] pollerFds = new int[0];
    private volatile long cycles;

    private FlowRule currentRule;
    private boolean inTableLookup;
    // Hits of consecutive frames on the same rule are summed first (no table work per frame of a
    // run); a finished run goes into a small per-worker table keyed by rule. Rule counters take an
    // atomic add per update (several workers may hit one rule), so the table publishes each rule's
    // sum once per duty cycle, before the cycle wakes any receiver (a receiver that got its frames
    // reads counts that include them), instead of twice per frame when frames of many flows
    // interleave in a batch.
    private static final int HIT_SLOTS = 64;
    private FlowRule pendingRule;
    private long pendingPackets;
    private long pendingBytes;
    private final FlowRule[] hitRules = new FlowRule[HIT_SLOTS];
    private final long[] hitPackets = new long[HIT_SLOTS];
    private final long[] hitBytes = new long[HIT_SLOTS];
    private final int[] usedHitSlots = new int[HIT_SLOTS];
    private int usedHitCount;

    private long framesProcessed;
    private long malformed;
    private long tableMisses;
    private long packetInDropped;
    private long actionDrops;

    /**
     * Creates a worker.
     *
     * @param index worker index (0..workers-1), used to pick per-worker rings.
     * @param table flow table.
     * @param groups group table.
     * @param ports port registry.
     * @param packetIns packet-in ring to the control thread.
     * @param batchSize frames per batch, 1..32.
     * @param emcEntries exact-match cache entries (power of two), 0 to disable the cache.
     * @param preemptiveCopy false to lend frames to endpoints instead of copying them at switching time.
     */
    public SwitchWorker(
        final int index,
        final FlowTable table,
        final GroupTable groups,
        final PortTable ports,
        final PacketInRing packetIns,
        final int batchSize,
        final int emcEntries,
        final boolean preemptiveCopy)
    {
        super(ports, groups, new UnsafeBuffer(ByteBuffer.allocateDirect(FrameBatch.SLOT_CAPACITY)));
        this.index = index;
        this.table = table;
        this.packetIns = packetIns;
        this.lender = preemptiveCopy ? null :
            new LentFrames(LentFrames.DEFAULT_STORES, batchSize, LentFrames.DEFAULT_RECLAIM_NANOS);
        this.batch = preemptiveCopy ? new FrameBatch(batchSize) : null;
        this.batchSize = batchSize;
        this.useEmc = emcEntries > 0;
        this.emc = new ExactMatchCache(useEmc ? emcEntries : 1);
    }

    /**
     * Connects the worker to the port assignment it offloads through (when offload is on).
     *
     * @param assignment the switch's assignment.
     */
    public void assignment(final PortAssignment assignment)
    {
        this.assignment = assignment.offloadEnabled() ? assignment : null;
    }

    /**
     * Whether the worker has found no work for a while (it may take ports from busy workers).
     *
     * @return true when idle.
     */
    public boolean isIdle()
    {
        return idle;
    }

    /** Marks the worker busy (it was just given a port). */
    void markBusy()
    {
        idleCycles = 0;
        idle = false;
    }

    @Override
    public void onStart()
    {
        signal.bind(Thread.currentThread());
    }

    @Override
    public String roleName()
    {
        return LibraryThreads.name("worker", index);
    }

    /**
     * Worker index.
     *
     * @return index.
     */
    public int index()
    {
        return index;
    }

    /**
     * The signal endpoints use to wake this worker.
     *
     * @return signal.
     */
    public WorkerSignal signal()
    {
        return signal;
    }

    /**
     * Sets the ports this worker polls (copy-on-write by the switch).
     *
     * @param ports ports to poll.
     */
    public void polledPorts(final Port[] ports)
    {
        this.polled = ports;
    }

    /**
     * Ports this worker polls.
     *
     * @return ports.
     */
    public Port[] polledPorts()
    {
        return polled;
    }

    /**
     * Queues a packet-out for this worker.
     *
     * @param request the request.
     * @return false when the queue is full.
     */
    public boolean offerPacketOut(final PacketOutRequest request)
    {
        final boolean ok = packetOuts.offer(request);
        signal.wake();
        return ok;
    }

    /**
     * Duty cycles completed (for quiescence checks).
     *
     * @return count.
     */
    public long cycles()
    {
        return cycles;
    }

    @Override
    public int doWork()
    {
        int work = drainPacketOuts();
        final Classifier classifier = table.classifier();
        final long now = System.nanoTime();
        final Port[] polled = this.polled;
        final LentFrames lender = this.lender;
        int activePorts = 0;
        int fullPorts = 0;
        Port spare = null;
        boolean stalled = false;
        for (final Port port : polled)
        {
            final FrameBatch batch;
            if (lender == null)
            {
                batch = this.batch;
            }
            else
            {
                batch = lender.acquire(now);
                if (batch == null)
                {
                    // Every store is still lent to receivers: take nothing more until they copy.
                    stalled = true;
                    break;
                }
            }
            batch.clear();
            final int n = port.receive(batch, batchSize);
            if (n == 0)
            {
                continue;
            }
            if (lender != null)
            {
                lender.filled(now);
            }
            work += n;
            if (++activePorts > 1)
            {
                spare = port;
            }
            if (n >= batchSize)
            {
                fullPorts++;
            }
            long bytes = 0;
            for (int i = 0; i < n; i++)
            {
                bytes += batch.length(i);
            }
            port.counters().addRx(n, bytes);
            final int portNumber = port.number();
            for (int i = 0; i < n; i++)
            {
                currentSlot = i;
                process(port, portNumber, batch.buffer(i), batch.length(i), batch.hasOffloadHeader(i), classifier, now);
            }
            flushHits(now);
        }
        if (usedHitCount > 0)
        {
            publishHits(now);
        }
        if (work > 0)
        {
            for (final Port port : ports.all())
            {
                port.flush(index);
            }
        }
        if (assignment != null)
        {
            balance(work > 0 || stalled, activePorts, fullPorts, spare, now);
        }
        cycles++;
        return work;
    }

    private void balance(
        final boolean worked, final int activePorts, final int fullPorts, final Port spare, final long now)
    {
        if (worked)
        {
            idleCycles = 0;
            if (idle)
            {
                idle = false;
            }
        }
        else if (++idleCycles >= IDLE_CYCLES && !idle)
        {
            idle = true;
        }
        if (fullPorts > 0 && activePorts > 1)
        {
            if (++busyStreak >= BUSY_CYCLES)
            {
                busyStreak = 0;
                assignment.offload(this, spare, now);
            }
        }
        else
        {
            busyStreak = 0;
        }
    }

    private void process(
        final Port port,
        final int portNumber,
        final UnsafeBuffer buffer,
        final int length,
        final boolean hasOffload,
        final Classifier classifier,
        final long now)
    {
        framesProcessed++;
        final FlowKey key = this.key;
        if (extractor.extract(buffer, FrameBatch.HEADROOM, length, portNumber, key) != FlowKeyExtractor.OK)
        {
            malformed++;
            port.counters().addRxDropped();
            return;
        }
        FlowRule rule;
        if (useEmc)
        {
            final int hash = key.fullHash();
            final long version = classifier.version();
            rule = emc.lookup(key, hash, version);
            if (rule == null)
            {
                rule = classifier.lookup(key);
                if (rule != null)
                {
                    emc.insert(key, hash, version, rule);
                }
            }
        }
        else
        {
            rule = classifier.lookup(key);
        }
        if (rule == null)
        {
            tableMisses++;
            return;
        }
        if (rule != pendingRule)
        {
            flushHits(now);
            pendingRule = rule;
        }
        pendingPackets++;
        pendingBytes += length;
        execute(rule, buffer, FrameBatch.HEADROOM, length, portNumber, hasOffload);
    }

    private void flushHits(final long now)
    {
        final FlowRule rule = pendingRule;
        if (rule != null)
        {
            final int slot = System.identityHashCode(rule) & (HIT_SLOTS - 1);
            final FlowRule held = hitRules[slot];
            if (held != rule)
            {
                if (held != null)
                {
                    held.hit(hitPackets[slot], hitBytes[slot], now);
                }
                else
                {
                    usedHitSlots[usedHitCount++] = slot;
                }
                hitRules[slot] = rule;
                hitPackets[slot] = pendingPackets;
                hitBytes[slot] = pendingBytes;
            }
            else
            {
                hitPackets[slot] += pendingPackets;
                hitBytes[slot] += pendingBytes;
            }
            pendingRule = null;
            pendingPackets = 0;
            pendingBytes = 0;
        }
    }

    private void publishHits(final long now)
    {
        for (int i = 0; i < usedHitCount; i++)
        {
            final int slot = usedHitSlots[i];
            hitRules[slot].hit(hitPackets[slot], hitBytes[slot], now);
            hitRules[slot] = null;
        }
        usedHitCount = 0;
    }

    private void execute(
        final FlowRule rule,
        final MutableDirectBuffer buffer,
        final int offset,
        final int length,
        final int ingress,
        final boolean hasOffload)
    {
        final Action[] actions = rule.actionArray();
        currentRule = rule;
        frameBuffer = buffer;
        frameOffset = offset;
        frameLength = length;
        inPort = ingress;
        offload = hasOffload;
        lendableSlot = lender != null && buffer instanceof UnsafeBuffer && Actions.outputsSeeFinalFrame(actions) ?
            (UnsafeBuffer)buffer : null;
        runActions(actions);
    }

    private void runActions(final Action[] actions)
    {
        for (final Action action : actions)
        {
            if (!action.execute(this))
            {
                return;
            }
        }
    }

    private int drainPacketOuts()
    {
        int n = 0;
        PacketOutRequest request;
        while (n < batchSize && (request = packetOuts.poll()) != null)
        {
            final byte[] frame = request.frame();
            packetOutSlot.putBytes(FrameBatch.HEADROOM, frame);
            currentRule = null;
            frameBuffer = packetOutSlot;
            frameOffset = FrameBatch.HEADROOM;
            frameLength = frame.length;
            inPort = request.inPort();
            offload = false;
            lendableSlot = null;
            runActions(request.actions());
            n++;
        }
        if (n > 0)
        {
            for (final Port port : ports.all())
            {
                port.flush(index);
            }
        }
        return n;
    }

    /**
     * Blocking idle: wait for input on the polled ports for up to {@code timeoutMillis}. TAP ports are
     * waited on with poll(2); endpoint ports wake the worker through its {@link WorkerSignal}.
     *
     * @param timeoutMillis longest wait.
     */
    public void awaitInput(final int timeoutMillis)
    {
        final Port[] polled = this.polled;
        if (polled != pollerPorts || fdsChanged(polled))
        {
            final int[] fds = new int[polled.length];
            for (int i = 0; i < polled.length; i++)
            {
                fds[i] = polled[i].pollFd();
            }
            poller.set(fds);
            pollerFds = fds;
            pollerPorts = polled;
        }
        signal.aboutToPark();
        try
        {
            if (!packetOuts.isEmpty())
            {
                return;
            }
            for (final Port port : polled)
            {
                if (port.hasPendingInput())
                {
                    return;
                }
            }
            if (poller.size() > 0)
            {
                poller.await(timeoutMillis);
            }
            else
            {
                LockSupport.parkNanos(this, timeoutMillis * 1_000_000L);
            }
        }
        catch (final IOException ex)
        {
            LockSupport.parkNanos(this, timeoutMillis * 1_000_000L);
        }
        finally
        {
            signal.running();
        }
    }

    private boolean fdsChanged(final Port[] polled)
    {
        final int[] fds = pollerFds;
        for (int i = 0; i < polled.length && i < fds.length; i++)
        {
            if (polled[i].pollFd() != fds[i])
            {
                return true;
            }
        }
        return false;
    }

    @Override
    public void onClose()
    {
        poller.close();
    }

    // ---------------------------------------------------------------- ActionContext (the rest is shared)

    @Override
    void send(final Port port, final int how)
    {
        final MutableDirectBuffer buffer = frameBuffer;
        if (buffer == lendableSlot && buffer != null)
        {
            port.transmitLent(index, lender, lender.currentStore(), currentSlot, buffer, frameOffset, frameLength,
                offload);
            return;
        }
        port.transmit(index, buffer, frameOffset, frameLength, offload);
    }

    @Override
    void rejected(final String what, final int id, final String why)
    {
        actionDrops++;
    }

    @Override
    int selectBucket(final int bucketCount)
    {
        return (selectHash() & 0x7FFF_FFFF) % bucketCount;
    }

    @Override
    public void controller(final int maxLength)
    {
        packetIn(maxLength, maxLength);
    }

    @Override
    public void controllerBuffered(final int maxLength)
    {
        packetIn(Actions.CONTROLLER_MAX_LENGTH, maxLength);
    }

    private void packetIn(final int includedLength, final int requestedLength)
    {
        final int reason = currentRule != null && currentRule.priority() == 0 &&
            Match.ALL.equals(currentRule.match()) ? REASON_NO_MATCH : REASON_ACTION;
        final int len = Math.min(Math.min(includedLength, frameLength), packetIns.maxMessageLength() -
            PacketInRing.HEADER_LENGTH);
        if (!packetIns.write(inPort, reason, currentRule == null ? 0 : currentRule.cookie(), frameBuffer, frameOffset,
            len, frameLength, requestedLength))
        {
            packetInDropped++;
        }
    }

    @Override
    public void table()
    {
        // Only packet-outs run this (a rule's action list cannot name the table): look the frame up
        // as if it had arrived on its in_port, then run that rule, counting the hit like the data path.
        if (inTableLookup || currentRule != null)
        {
            dropped("table lookup inside a table lookup");
            return;
        }
        final FlowKey key = this.key;
        if (extractor.extract(frameBuffer, frameOffset, frameLength, inPort, key) != FlowKeyExtractor.OK)
        {
            malformed++;
            return;
        }
        final FlowRule rule = table.classifier().lookup(key);
        if (rule == null)
        {
            tableMisses++;
            return;
        }
        rule.hit(frameLength, System.nanoTime());
        inTableLookup = true;
        currentRule = rule;
        try
        {
            runActions(rule.actionArray());
        }
        finally
        {
            currentRule = null;
            inTableLookup = false;
        }
    }

    private int selectHash()
    {
        final long[] w = key.words();
        // L3/L4 identity only (not the ingress port), so both directions of a flow hash alike per side.
        long h = FlowKey.mix(w[3] ^ FlowKey.mix(w[4] & 0xFFFF_FFFF_0000_0000L));
        h = FlowKey.mix(h ^ w[5] ^ w[6] ^ w[7] ^ w[8] ^ (w[0] & 0xFF00L));
        return (int)(h ^ (h >>> 32));
    }

    @Override
    public void dropped(final String reason)
    {
        actionDrops++;
    }

    // ---------------------------------------------------------------- statistics (owner-thread counters, racy reads)

    /**
     * Frames processed.
     *
     * @return count.
     */
    public long framesProcessed()
    {
        return framesProcessed;
    }

    /**
     * Malformed frames dropped.
     *
     * @return count.
     */
    public long malformed()
    {
        return malformed;
    }

    /**
     * Frames that matched no rule.
     *
     * @return count.
     */
    public long tableMisses()
    {
        return tableMisses;
    }

    /**
     * Packet-ins dropped because the ring was full.
     *
     * @return count.
     */
    public long packetInDropped()
    {
        return packetInDropped;
    }

    /**
     * Frames dropped by actions (TTL, unknown port or group).
     *
     * @return count.
     */
    public long actionDrops()
    {
        return actionDrops;
    }

    /**
     * Polls skipped because every frame store was lent to receivers (preemptive copy off).
     *
     * @return count.
     */
    public long lendStalls()
    {
        return lender == null ? 0 : lender.stalls();
    }

    /**
     * Frame stores taken back from receivers that had not copied them (preemptive copy off).
     *
     * @return count.
     */
    public long lendReclaims()
    {
        return lender == null ? 0 : lender.reclaimed();
    }

    /**
     * Exact-match cache hits.
     *
     * @return count.
     */
    public long emcHits()
    {
        return emc.hits();
    }

    /**
     * Exact-match cache misses.
     *
     * @return count.
     */
    public long emcMisses()
    {
        return emc.misses();
    }
}
