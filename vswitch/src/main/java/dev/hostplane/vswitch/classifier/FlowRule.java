package dev.hostplane.vswitch.classifier;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

import dev.hostplane.vswitch.action.Action;
import dev.hostplane.vswitch.action.Actions;
import dev.hostplane.vswitch.flow.Match;

/**
 * One flow-table entry: match, priority, cookie, ordered actions, timeouts, and the per-rule
 * packet/byte counters the data plane bumps (VS-D3, VS-D5).
 *
 * <p>Identity in the table is (match, priority). The action list may be replaced by a modify
 * (the data plane reads it once per frame through a volatile field, so a frame runs the old list
 * or the new one, never a mix). Counters are updated atomically so that several workers can hit
 * the same rule.
 */
public final class FlowRule
{
    private static final VarHandle PACKETS;
    private static final VarHandle BYTES;
    private static final VarHandle LAST_USED;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            PACKETS = lookup.findVarHandle(FlowRule.class, "packets", long.class);
            BYTES = lookup.findVarHandle(FlowRule.class, "bytes", long.class);
            LAST_USED = lookup.findVarHandle(FlowRule.class, "lastUsedNanos", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final Match match;
    private final int priority;
    private final long cookie;
    private final int idleTimeoutSeconds;
    private final int hardTimeoutSeconds;
    private final boolean sendFlowRemoved;
    private final long installedNanos;
    private volatile Action[] actions;
    private volatile List<Action> actionList;
    @SuppressWarnings("unused")
    private long packets;
    @SuppressWarnings("unused")
    private long bytes;
    @SuppressWarnings("unused")
    private long lastUsedNanos;

    /**
     * Creates a rule.
     *
     * @param match what it matches.
     * @param priority 0..65535, higher wins.
     * @param cookie opaque controller id.
     * @param actions ordered actions; empty means drop.
     * @param idleTimeoutSeconds remove after this long without a hit (0 = never).
     * @param hardTimeoutSeconds remove this long after install (0 = never).
     * @param sendFlowRemoved whether removal is reported to flow-removed listeners.
     * @param nowNanos install time, from {@link System#nanoTime()}.
     */
    public FlowRule(
        final Match match,
        final int priority,
        final long cookie,
        final List<Action> actions,
        final int idleTimeoutSeconds,
        final int hardTimeoutSeconds,
        final boolean sendFlowRemoved,
        final long nowNanos)
    {
        if (priority < 0 || priority > 0xFFFF)
        {
            throw new IllegalArgumentException("bad priority (expected 0..65535): priority=" + priority);
        }
        if (idleTimeoutSeconds < 0 || idleTimeoutSeconds > 0xFFFF || hardTimeoutSeconds < 0 ||
            hardTimeoutSeconds > 0xFFFF)
        {
            throw new IllegalArgumentException("bad timeout (expected 0..65535 s): idle=" + idleTimeoutSeconds +
                " hard=" + hardTimeoutSeconds);
        }
        this.match = match;
        this.priority = priority;
        this.cookie = cookie;
        this.idleTimeoutSeconds = idleTimeoutSeconds;
        this.hardTimeoutSeconds = hardTimeoutSeconds;
        this.sendFlowRemoved = sendFlowRemoved;
        this.installedNanos = nowNanos;
        this.lastUsedNanos = nowNanos;
        actions(actions);
    }

    /**
     * The match.
     *
     * @return match.
     */
    public Match match()
    {
        return match;
    }

    /**
     * Priority.
     *
     * @return 0..65535.
     */
    public int priority()
    {
        return priority;
    }

    /**
     * Cookie.
     *
     * @return cookie.
     */
    public long cookie()
    {
        return cookie;
    }

    /**
     * Idle timeout.
     *
     * @return seconds, 0 = none.
     */
    public int idleTimeoutSeconds()
    {
        return idleTimeoutSeconds;
    }

    /**
     * Hard timeout.
     *
     * @return seconds, 0 = none.
     */
    public int hardTimeoutSeconds()
    {
        return hardTimeoutSeconds;
    }

    /**
     * Whether removal is reported.
     *
     * @return true for send_flow_rem.
     */
    public boolean sendFlowRemoved()
    {
        return sendFlowRemoved;
    }

    /**
     * Install time.
     *
     * @return nanoTime at install.
     */
    public long installedNanos()
    {
        return installedNanos;
    }

    /**
     * Action list as an array for the data plane (do not modify).
     *
     * @return the actions.
     */
    public Action[] actionArray()
    {
        return actions;
    }

    /**
     * Action list.
     *
     * @return immutable list.
     */
    public List<Action> actions()
    {
        return actionList;
    }

    /**
     * Replaces the action list (modify-flow).
     *
     * @param newActions new list.
     */
    public void actions(final List<Action> newActions)
    {
        final List<Action> copy = List.copyOf(newActions);
        this.actionList = copy;
        this.actions = copy.toArray(new Action[0]);
    }

    /**
     * Counts a hit.
     *
     * @param frameBytes frame length.
     * @param nowNanos current nanoTime (cached per batch by the caller).
     */
    public void hit(final int frameBytes, final long nowNanos)
    {
        hit(1, frameBytes, nowNanos);
    }

    /**
     * Counts several hits at once (a worker sums a run of frames on the same rule).
     *
     * @param frames frames matched.
     * @param frameBytes their total length.
     * @param nowNanos current nanoTime.
     */
    public void hit(final long frames, final long frameBytes, final long nowNanos)
    {
        PACKETS.getAndAdd(this, frames);
        BYTES.getAndAdd(this, frameBytes);
        LAST_USED.setOpaque(this, nowNanos);
    }

    /**
     * Packets matched.
     *
     * @return count.
     */
    public long packetCount()
    {
        return (long)PACKETS.getVolatile(this);
    }

    /**
     * Bytes matched.
     *
     * @return count.
     */
    public long byteCount()
    {
        return (long)BYTES.getVolatile(this);
    }

    /**
     * Time of the last hit (install time if none).
     *
     * @return nanoTime.
     */
    public long lastUsedNanos()
    {
        return (long)LAST_USED.getOpaque(this);
    }

    /**
     * Whether the rule has timed out.
     *
     * @param nowNanos current nanoTime.
     * @return {@link #REMOVED_IDLE_TIMEOUT}, {@link #REMOVED_HARD_TIMEOUT}, or -1 when alive.
     */
    public int expiry(final long nowNanos)
    {
        if (hardTimeoutSeconds > 0 && nowNanos - installedNanos >= hardTimeoutSeconds * 1_000_000_000L)
        {
            return REMOVED_HARD_TIMEOUT;
        }
        if (idleTimeoutSeconds > 0 && nowNanos - lastUsedNanos() >= idleTimeoutSeconds * 1_000_000_000L)
        {
            return REMOVED_IDLE_TIMEOUT;
        }
        return -1;
    }

    /** Removal reason: idle timeout (OpenFlow OFPRR_IDLE_TIMEOUT). */
    public static final int REMOVED_IDLE_TIMEOUT = 0;
    /** Removal reason: hard timeout. */
    public static final int REMOVED_HARD_TIMEOUT = 1;
    /** Removal reason: deleted by a flow-mod. */
    public static final int REMOVED_DELETE = 2;

    /**
     * ovs-ofctl dump-flows style line.
     *
     * @return e.g. "cookie=0x0, n_packets=3, n_bytes=180, priority=100,in_port=1 actions=output:2".
     */
    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("cookie=0x").append(Long.toHexString(cookie))
            .append(", n_packets=").append(packetCount())
            .append(", n_bytes=").append(byteCount());
        if (idleTimeoutSeconds > 0)
        {
            sb.append(", idle_timeout=").append(idleTimeoutSeconds);
        }
        if (hardTimeoutSeconds > 0)
        {
            sb.append(", hard_timeout=").append(hardTimeoutSeconds);
        }
        sb.append(", priority=").append(priority);
        final String m = match.toString();
        if (!"any".equals(m))
        {
            sb.append(',').append(m);
        }
        return sb.append(" actions=").append(Actions.toString(actionList)).toString();
    }
}
