package dev.hostplane.vswitch.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.projectfloodlight.openflow.protocol.OFMessage;

/**
 * {@code ovs-ofctl -O OpenFlow13 monitor} on an OpenFlow target: a real peer that stays connected
 * and prints every asynchronous message the switch sends it (PACKET_IN, FLOW_REMOVED, PORT_STATUS,
 * errors) as Open vSwitch decodes them. Messages it should send are built by the test and sent on
 * the same connection with {@code ovs-appctl ofctl/send}, so replies (errors) come back to it.
 */
public final class OfMonitor implements AutoCloseable
{
    private final Process process;
    private final File log;
    private final Path control;

    private OfMonitor(final Process process, final File log, final Path control)
    {
        this.process = process;
        this.log = log;
        this.control = control;
    }

    /**
     * Starts the monitor.
     *
     * @param dir directory for its log and control socket.
     * @param target e.g. tcp:127.0.0.1:6653.
     * @param missSendLen miss_send_len it asks for with SET_CONFIG (0: sends none).
     * @return the running monitor.
     * @throws IOException when it cannot start.
     */
    public static OfMonitor start(final Path dir, final String target, final int missSendLen) throws IOException
    {
        final Path control = dir.resolve("ofctl-" + System.nanoTime() + ".ctl");
        final File log = dir.resolve("monitor-" + System.nanoTime() + ".log").toFile();
        final List<String> cmd = new ArrayList<>(List.of("ovs-ofctl", "-O", "OpenFlow13", "--no-names",
            "--unixctl=" + control, "monitor", target));
        if (missSendLen > 0)
        {
            cmd.add(Integer.toString(missSendLen));
        }
        return new OfMonitor(Host.start(log, cmd.toArray(new String[0])), log, control);
    }

    /**
     * What the monitor printed so far.
     *
     * @return its output.
     */
    public String output()
    {
        try
        {
            return Files.readString(log.toPath(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return "(no output: " + ex + ")";
        }
    }

    /**
     * Waits until the output holds a message (a block starting with an {@code OFPT_} line) that
     * the predicate accepts.
     *
     * @param what the message, for the failure text.
     * @param accept the test on the message's text.
     * @param millis how long to wait.
     * @return the message's text.
     * @throws InterruptedException when interrupted.
     */
    public String await(final String what, final Predicate<String> accept, final long millis)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true)
        {
            for (final String m : messages())
            {
                if (accept.test(m))
                {
                    return m;
                }
            }
            if (System.nanoTime() > deadline || !process.isAlive())
            {
                throw new AssertionError("no " + what + " within " + millis + " ms (monitor " +
                    (process.isAlive() ? "running" : "exited") + "); it printed:\n" + output());
            }
            Thread.sleep(20);
        }
    }

    /**
     * The messages printed so far, one text block each (its first line and the indented lines after it).
     *
     * @return the messages in arrival order.
     */
    public List<String> messages()
    {
        final List<String> out = new ArrayList<>();
        StringBuilder current = null;
        for (final String line : output().split("\n", -1))
        {
            if (line.contains("OFPT_"))
            {
                if (current != null)
                {
                    out.add(current.toString());
                }
                current = new StringBuilder(line);
            }
            else if (current != null && !line.isEmpty())
            {
                current.append('\n').append(line);
            }
        }
        if (current != null)
        {
            out.add(current.toString());
        }
        return out;
    }

    /**
     * Sends a message on the monitor's connection.
     *
     * @param message the message.
     */
    public void send(final OFMessage message)
    {
        final ByteBuf buf = Unpooled.buffer();
        try
        {
            message.writeTo(buf);
            Host.runOk("ovs-appctl", "-t", control.toString(), "ofctl/send", ByteBufUtil.hexDump(buf));
        }
        finally
        {
            buf.release();
        }
    }

    @Override
    public void close()
    {
        Host.stop(process);
    }
}
