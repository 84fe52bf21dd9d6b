package dev.hostplane.vswitch.internal;

import java.util.ArrayList;
import java.util.List;

import dev.hostplane.vswitch.action.Action;
import dev.hostplane.vswitch.action.ActionContext;
import dev.hostplane.vswitch.classifier.GroupTable;
import dev.hostplane.vswitch.port.Port;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * An {@link ActionContext} that runs actions on a private copy of a frame and records what they
 * would do instead of sending anything; the engine of {@code trace}. What the actions may do (which
 * ports, groups and buckets) is the data path's own code ({@link FrameActionContext}); this class only
 * logs and records it. A select group is traced through bucket 0.
 */
public final class TracingContext extends FrameActionContext
{
    private final StringBuilder log;
    private final List<Integer> outputs = new ArrayList<>();
    private boolean controller;
    private String dropReason;

    /**
     * Creates a tracing context.
     *
     * @param buffer private copy of the frame (with headroom and tailroom).
     * @param frameOffset frame start.
     * @param frameLength frame length.
     * @param inPort ingress port.
     * @param ports port registry (for flood/all expansion).
     * @param groups groups.
     * @param log receives one line per action.
     */
    public TracingContext(
        final MutableDirectBuffer buffer,
        final int frameOffset,
        final int frameLength,
        final int inPort,
        final PortTable ports,
        final GroupTable groups,
        final StringBuilder log)
    {
        super(ports, groups, new UnsafeBuffer(new byte[buffer.capacity()]));
        this.frameBuffer = buffer;
        this.frameOffset = frameOffset;
        this.frameLength = frameLength;
        this.inPort = inPort;
        this.offload = false;
        this.log = log;
    }

    /**
     * Runs an action list, logging each step.
     *
     * @param actions the actions.
     * @param indent prefix for log lines.
     */
    public void run(final List<Action> actions, final String indent)
    {
        for (final Action action : actions)
        {
            log.append(indent).append(action).append('\n');
            if (!action.execute(this))
            {
                log.append(indent).append("-> dropped: ").append(dropReason).append('\n');
                return;
            }
        }
    }

    /**
     * Ports the frame would be sent to, in order (duplicates possible).
     *
     * @return port numbers.
     */
    public List<Integer> outputs()
    {
        return outputs;
    }

    /**
     * Whether a packet-in would be sent.
     *
     * @return true when a controller action ran.
     */
    public boolean toController()
    {
        return controller;
    }

    /**
     * Why the frame was dropped by an action, if it was.
     *
     * @return reason or null.
     */
    public String dropReason()
    {
        return dropReason;
    }

    @Override
    void send(final Port port, final int how)
    {
        outputs.add(port.number());
        if (how == SEND_OUTPUT)
        {
            log.append("    -> output to port ").append(port.number()).append(" (").append(frameLength)
                .append(" bytes)\n");
        }
        else if (how == SEND_IN_PORT)
        {
            log.append("    -> output to ingress port ").append(port.number()).append('\n');
        }
    }

    @Override
    void fannedOut(final int how)
    {
        log.append(how == SEND_FLOOD ? "    -> flooded to " : "    -> sent to all ports ").append(outputs).append('\n');
    }

    @Override
    void rejected(final String what, final int id, final String why)
    {
        log.append("    -> ").append(what).append(' ').append(id).append(' ').append(why).append(": dropped\n");
    }

    @Override
    int selectBucket(final int bucketCount)
    {
        return 0;
    }

    @Override
    void groupStarted(final GroupTable.Group group)
    {
        log.append("    group ").append(group.id()).append(" type=").append(group.type()).append(", ")
            .append(group.buckets().size()).append(" buckets").append(group.type() == GroupTable.Type.SELECT ?
            " (one chosen per flow hash; tracing bucket 0)" : "").append('\n');
    }

    @Override
    void runBucket(final List<Action> bucket)
    {
        run(bucket, "      ");
    }

    @Override
    public void controller(final int maxLength)
    {
        controller = true;
        log.append("    -> packet-in to controller (max_len=").append(maxLength).append(")\n");
    }

    @Override
    public void dropped(final String reason)
    {
        dropReason = reason;
    }
}
