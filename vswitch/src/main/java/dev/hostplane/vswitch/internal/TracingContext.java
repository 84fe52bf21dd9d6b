package dev.hostplane.vswitch.internal;

import java.util.ArrayList;
import java.util.List;

import dev.hostplane.vswitch.action.Action;
import dev.hostplane.vswitch.action.ActionContext;
import dev.hostplane.vswitch.action.FrameRewriter;
import dev.hostplane.vswitch.classifier.GroupTable;
import dev.hostplane.vswitch.port.Port;
import org.agrona.MutableDirectBuffer;

/**
 * An {@link ActionContext} that runs actions on a private copy of a frame and records what they
 * would do instead of sending anything; the engine of {@code trace}.
 */
public final class TracingContext implements ActionContext
{
    private final MutableDirectBuffer buffer;
    private final int frameOffset;
    private final int inPort;
    private final PortTable ports;
    private final GroupTable groups;
    private final FrameRewriter rewriter = new FrameRewriter();
    private final StringBuilder log;
    private final List<Integer> outputs = new ArrayList<>();
    private int frameLength;
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
        this.buffer = buffer;
        this.frameOffset = frameOffset;
        this.frameLength = frameLength;
        this.inPort = inPort;
        this.ports = ports;
        this.groups = groups;
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
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    @Override
    public int frameOffset()
    {
        return frameOffset;
    }

    @Override
    public int frameLength()
    {
        return frameLength;
    }

    @Override
    public void frameLength(final int length)
    {
        frameLength = length;
    }

    @Override
    public int inPort()
    {
        return inPort;
    }

    @Override
    public FrameRewriter rewriter()
    {
        return rewriter;
    }

    @Override
    public boolean partialChecksum()
    {
        return false;
    }

    @Override
    public void adjustOffloadOffsets(final int delta)
    {
    }

    @Override
    public void output(final int port)
    {
        if (ports.get(port) == null || port == inPort)
        {
            log.append("    -> port ").append(port).append(port == inPort ? " is the ingress port: dropped\n" :
                " does not exist: dropped\n");
            return;
        }
        outputs.add(port);
        log.append("    -> output to port ").append(port).append(" (").append(frameLength).append(" bytes)\n");
    }

    @Override
    public void outputInPort()
    {
        outputs.add(inPort);
        log.append("    -> output to ingress port ").append(inPort).append('\n');
    }

    @Override
    public void flood()
    {
        for (final Port p : ports.all())
        {
            if (p.number() != inPort && p.isFlood())
            {
                outputs.add(p.number());
            }
        }
        log.append("    -> flooded to ").append(outputs).append('\n');
    }

    @Override
    public void all()
    {
        for (final Port p : ports.all())
        {
            if (p.number() != inPort)
            {
                outputs.add(p.number());
            }
        }
        log.append("    -> sent to all ports ").append(outputs).append('\n');
    }

    @Override
    public void controller(final int maxLength)
    {
        controller = true;
        log.append("    -> packet-in to controller (max_len=").append(maxLength).append(")\n");
    }

    @Override
    public void group(final int groupId)
    {
        final GroupTable.Group group = groups.get(groupId);
        if (group == null)
        {
            log.append("    -> group ").append(groupId).append(" does not exist: dropped\n");
            return;
        }
        log.append("    group ").append(groupId).append(" type=").append(group.type()).append(", ")
            .append(group.buckets().size()).append(" buckets").append(group.type() == GroupTable.Type.SELECT ?
            " (one chosen per flow hash; tracing bucket 0)" : "").append('\n');
        if (group.type() == GroupTable.Type.SELECT)
        {
            run(group.buckets().get(0), "      ");
        }
        else
        {
            for (final List<Action> bucket : group.buckets())
            {
                run(bucket, "      ");
            }
        }
    }

    @Override
    public void dropped(final String reason)
    {
        dropReason = reason;
    }
}
