package dev.hostplane.vswitch.internal;

import java.nio.ByteOrder;
import java.util.List;

import dev.hostplane.vswitch.action.Action;
import dev.hostplane.vswitch.action.ActionContext;
import dev.hostplane.vswitch.action.FrameRewriter;
import dev.hostplane.vswitch.classifier.GroupTable;
import dev.hostplane.vswitch.port.FrameBatch;
import dev.hostplane.vswitch.port.Port;
import dev.hostplane.vswitch.tap.VirtioNetHeader;
import org.agrona.MutableDirectBuffer;

/**
 * The one implementation of what actions do to a frame, shared by the data path ({@link SwitchWorker})
 * and {@code trace} ({@link TracingContext}) so a trace cannot drift from what the switch really does:
 * the frame state, which output ports are allowed (not the ingress port, not an unknown port), which
 * ports flood and all reach, and how a group runs (select picks one bucket, all runs every bucket,
 * each bucket on its own copy of the frame, no group inside a bucket). Subclasses say only what
 * sending a copy, rejecting an action and picking a select bucket mean for them.
 *
 * <p>Per-frame state lives in plain fields the subclass sets before running a rule's actions; the
 * hooks are called on the data path, so the worker's must not allocate.
 */
abstract class FrameActionContext implements ActionContext
{
    /** {@link #send} for an {@code output:N} action. */
    static final int SEND_OUTPUT = 0;
    /** {@link #send} for an {@code in_port} action. */
    static final int SEND_IN_PORT = 1;
    /** {@link #send} for one port of a {@code flood} action. */
    static final int SEND_FLOOD = 2;
    /** {@link #send} for one port of an {@code all} action. */
    static final int SEND_ALL = 3;

    /** Port registry (for output checks and flood/all expansion). */
    final PortTable ports;
    /** Groups. */
    final GroupTable groups;
    private final FrameRewriter rewriter = new FrameRewriter();
    private final MutableDirectBuffer scratch;

    /** Buffer holding the current frame. */
    MutableDirectBuffer frameBuffer;
    /** Start of the current frame; {@link FrameBatch#HEADROOM} bytes before it are headroom. */
    int frameOffset;
    /** Length of the current frame. */
    int frameLength;
    /** Ingress port of the current frame. */
    int inPort;
    /** Whether a virtio_net_hdr precedes the frame. */
    boolean offload;
    private boolean inGroup;

    /**
     * Creates the shared part.
     *
     * @param ports port registry.
     * @param groups groups.
     * @param scratch where a group bucket's copy of the frame goes; holds headroom plus the largest frame.
     */
    FrameActionContext(final PortTable ports, final GroupTable groups, final MutableDirectBuffer scratch)
    {
        this.ports = ports;
        this.groups = groups;
        this.scratch = scratch;
    }

    /**
     * Sends one copy of the current frame ({@link #frameBuffer}, {@link #frameOffset},
     * {@link #frameLength}, {@link #offload}) to a port that the action rules allow.
     *
     * @param port destination.
     * @param how {@link #SEND_OUTPUT}, {@link #SEND_IN_PORT}, {@link #SEND_FLOOD} or {@link #SEND_ALL}.
     */
    abstract void send(Port port, int how);

    /**
     * An action that cannot be carried out: the frame is not sent for it.
     *
     * @param what "port" or "group" (a constant; the data path must not allocate).
     * @param id port number or group id.
     * @param why why, e.g. "does not exist" (a constant).
     */
    abstract void rejected(String what, int id, String why);

    /**
     * Which bucket of a select group the current frame takes.
     *
     * @param bucketCount buckets in the group, at least 1.
     * @return 0..bucketCount-1.
     */
    abstract int selectBucket(int bucketCount);

    /**
     * Called after a flood or all action sent its copies; the data path has nothing to do.
     *
     * @param how {@link #SEND_FLOOD} or {@link #SEND_ALL}.
     */
    void fannedOut(final int how)
    {
    }

    /**
     * Called when a group is about to run its buckets; the data path has nothing to do.
     *
     * @param group the group.
     */
    void groupStarted(final GroupTable.Group group)
    {
    }

    /**
     * Runs one bucket's actions on the bucket's copy of the frame, stopping at the first that drops.
     *
     * @param bucket the actions.
     */
    void runBucket(final List<Action> bucket)
    {
        for (int i = 0; i < bucket.size(); i++)
        {
            if (!bucket.get(i).execute(this))
            {
                return;
            }
        }
    }

    @Override
    public final MutableDirectBuffer buffer()
    {
        return frameBuffer;
    }

    @Override
    public final int frameOffset()
    {
        return frameOffset;
    }

    @Override
    public final int frameLength()
    {
        return frameLength;
    }

    @Override
    public final void frameLength(final int length)
    {
        frameLength = length;
    }

    @Override
    public final int inPort()
    {
        return inPort;
    }

    @Override
    public final FrameRewriter rewriter()
    {
        return rewriter;
    }

    @Override
    public final boolean partialChecksum()
    {
        return offload &&
            (frameBuffer.getByte(frameOffset - VirtioNetHeader.LENGTH_MRG) & VirtioNetHeader.F_NEEDS_CSUM) != 0;
    }

    @Override
    public final void adjustOffloadOffsets(final int delta)
    {
        if (!offload)
        {
            return;
        }
        // Shift the virtio_net_hdr offsets after the L2 header changed size.
        final MutableDirectBuffer buffer = frameBuffer;
        final int hdr = frameOffset - VirtioNetHeader.LENGTH_MRG;
        final ByteOrder le = ByteOrder.LITTLE_ENDIAN;
        final int hdrLen = buffer.getShort(hdr + 2, le) & 0xFFFF;
        if (hdrLen != 0)
        {
            buffer.putShort(hdr + 2, (short)(hdrLen + delta), le);
        }
        if ((buffer.getByte(hdr) & VirtioNetHeader.F_NEEDS_CSUM) != 0)
        {
            final int start = buffer.getShort(hdr + 6, le) & 0xFFFF;
            buffer.putShort(hdr + 6, (short)(start + delta), le);
        }
    }

    @Override
    public final void output(final int port)
    {
        // OpenFlow: output to the ingress port needs the in_port action; unknown ports drop.
        if (port == inPort)
        {
            rejected("port", port, "is the ingress port");
            return;
        }
        final Port p = ports.get(port);
        if (p == null)
        {
            rejected("port", port, "does not exist");
            return;
        }
        send(p, SEND_OUTPUT);
    }

    @Override
    public final void outputInPort()
    {
        final Port p = ports.get(inPort);
        if (p == null)
        {
            rejected("port", inPort, "does not exist");
            return;
        }
        send(p, SEND_IN_PORT);
    }

    @Override
    public final void flood()
    {
        for (final Port p : ports.all())
        {
            if (p.number() != inPort && p.isFlood())
            {
                send(p, SEND_FLOOD);
            }
        }
        fannedOut(SEND_FLOOD);
    }

    @Override
    public final void all()
    {
        for (final Port p : ports.all())
        {
            if (p.number() != inPort)
            {
                send(p, SEND_ALL);
            }
        }
        fannedOut(SEND_ALL);
    }

    @Override
    public final void group(final int groupId)
    {
        final GroupTable.Group group = groups.get(groupId);
        if (group == null)
        {
            rejected("group", groupId, "does not exist");
            return;
        }
        if (inGroup)
        {
            rejected("group", groupId, "is called from a group bucket (not supported)");
            return;
        }
        groupStarted(group);
        final List<List<Action>> buckets = group.buckets();
        if (group.type() == GroupTable.Type.SELECT)
        {
            runBucketOnCopy(buckets.get(selectBucket(buckets.size())));
        }
        else
        {
            for (int i = 0; i < buckets.size(); i++)
            {
                runBucketOnCopy(buckets.get(i));
            }
        }
    }

    private void runBucketOnCopy(final List<Action> bucket)
    {
        final MutableDirectBuffer savedBuffer = frameBuffer;
        final int savedOffset = frameOffset;
        final int savedLength = frameLength;
        // Each bucket works on its own copy, headroom (offload header) included.
        scratch.putBytes(0, savedBuffer, savedOffset - FrameBatch.HEADROOM, savedLength + FrameBatch.HEADROOM);
        frameBuffer = scratch;
        frameOffset = FrameBatch.HEADROOM;
        inGroup = true;
        try
        {
            runBucket(bucket);
        }
        finally
        {
            inGroup = false;
            frameBuffer = savedBuffer;
            frameOffset = savedOffset;
            frameLength = savedLength;
        }
    }
}
