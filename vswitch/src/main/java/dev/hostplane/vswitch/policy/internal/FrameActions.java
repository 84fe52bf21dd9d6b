package dev.hostplane.vswitch.policy.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import dev.hostplane.vswitch.action.Action;
import dev.hostplane.vswitch.action.ActionContext;
import dev.hostplane.vswitch.action.FrameRewriter;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Runs switch actions on one frame outside any switch and records what they send where. The
 * policy runtimes use it to rewrite a frame the controller decided on (the interpreter's output
 * header, turned into set-field actions) before sending it back out; the same code that rewrites
 * frames in the data path does it, so checksums come out as the switch would make them.
 */
public final class FrameActions implements ActionContext
{
    /** {@link Output#port()} for an output to the ingress port (OpenFlow's IN_PORT). */
    public static final int IN_PORT = -1;
    /** {@link Output#port()} for a copy to the controller. */
    public static final int CONTROLLER = -2;
    /** {@link Output#port()} for flood and all, which the caller resolves. */
    public static final int FLOOD = -3;

    private static final int HEADROOM = 64;

    private final UnsafeBuffer buffer;
    private final int inPort;
    private final FrameRewriter rewriter = new FrameRewriter();
    private final IntFunction<List<List<Action>>> groups;
    private final List<Output> outputs = new ArrayList<>();
    private int length;
    private String dropReason;

    /**
     * One frame sent by an output action.
     *
     * @param port port number, or {@link #IN_PORT}, {@link #CONTROLLER} or {@link #FLOOD}.
     * @param frame the frame as it was when sent.
     */
    public record Output(int port, byte[] frame)
    {
    }

    /**
     * A context for a copy of a frame.
     *
     * @param frame the frame (copied; VLAN pushes have room).
     * @param inPort the port it came in on.
     * @param groups an ALL group's buckets by group id (null when the actions use no group).
     */
    public FrameActions(final byte[] frame, final int inPort, final IntFunction<List<List<Action>>> groups)
    {
        this.buffer = new UnsafeBuffer(new byte[frame.length + HEADROOM]);
        this.buffer.putBytes(0, frame);
        this.length = frame.length;
        this.inPort = inPort;
        this.groups = groups;
    }

    /**
     * Runs an action list on the frame (changing it) and returns what it sent.
     *
     * @param actions the actions.
     * @return the outputs so far, in order.
     */
    public List<Output> run(final List<Action> actions)
    {
        for (final Action a : actions)
        {
            if (!a.execute(this))
            {
                break;
            }
        }
        return outputs;
    }

    /**
     * The frame as the actions left it.
     *
     * @return a copy.
     */
    public byte[] frame()
    {
        final byte[] out = new byte[length];
        buffer.getBytes(0, out);
        return out;
    }

    /**
     * Why an action dropped the frame, if one did.
     *
     * @return reason or null.
     */
    public String dropReason()
    {
        return dropReason;
    }

    @Override
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    @Override
    public int frameOffset()
    {
        return 0;
    }

    @Override
    public int frameLength()
    {
        return length;
    }

    @Override
    public void frameLength(final int length)
    {
        if (length > buffer.capacity())
        {
            throw new IllegalStateException("frame grew beyond its headroom: " + length);
        }
        this.length = length;
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
        // No offload metadata outside the data path.
    }

    @Override
    public void output(final int port)
    {
        outputs.add(new Output(port, frame()));
    }

    @Override
    public void outputInPort()
    {
        outputs.add(new Output(IN_PORT, frame()));
    }

    @Override
    public void flood()
    {
        outputs.add(new Output(FLOOD, frame()));
    }

    @Override
    public void all()
    {
        outputs.add(new Output(FLOOD, frame()));
    }

    @Override
    public void controller(final int maxLength)
    {
        outputs.add(new Output(CONTROLLER, frame()));
    }

    @Override
    public void group(final int groupId)
    {
        final List<List<Action>> buckets = groups == null ? null : groups.apply(groupId);
        if (buckets == null)
        {
            dropped("no group " + groupId);
            return;
        }
        // An ALL group: each bucket works on its own copy of the frame.
        final byte[] original = frame();
        for (final List<Action> bucket : buckets)
        {
            final FrameActions copy = new FrameActions(original, inPort, null);
            outputs.addAll(copy.run(bucket));
        }
    }

    @Override
    public void dropped(final String reason)
    {
        dropReason = reason;
    }
}
