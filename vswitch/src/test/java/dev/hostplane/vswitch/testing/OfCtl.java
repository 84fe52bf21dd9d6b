package dev.hostplane.vswitch.testing;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs {@code ovs-ofctl -O OpenFlow13} against an OpenFlow target; the real peer of the agent tests. */
public final class OfCtl
{
    private final String target;
    private final List<String> extra;

    /**
     * A client for a target.
     *
     * @param target e.g. tcp:127.0.0.1:6653.
     * @param extra options before the command (TLS files).
     */
    public OfCtl(final String target, final String... extra)
    {
        this.target = target;
        this.extra = List.of(extra);
    }

    /** Skips (printing why) when ovs-ofctl is not installed. */
    public static void assumeInstalled()
    {
        final boolean present = Host.hasTool("ovs-ofctl");
        if (!present)
        {
            System.out.println("SKIPPED (OpenFlow peer test): ovs-ofctl missing (Debian openvswitch-common)");
        }
        assumeTrue(present, "ovs-ofctl missing (Debian openvswitch-common)");
    }

    /**
     * Runs a command.
     *
     * @param command e.g. "add-flow".
     * @param args further arguments after the target.
     * @return exit code and output.
     */
    public Host.Result run(final String command, final String... args)
    {
        final List<String> cmd = new ArrayList<>(List.of("ovs-ofctl", "-O", "OpenFlow13", "--no-names", "-t", "10"));
        cmd.addAll(extra);
        cmd.add(command);
        cmd.add(target);
        cmd.addAll(List.of(args));
        return Host.run(20, cmd.toArray(new String[0]));
    }

    /**
     * Runs a command that must succeed.
     *
     * @param command command.
     * @param args arguments.
     * @return output.
     */
    public String ok(final String command, final String... args)
    {
        final Host.Result r = run(command, args);
        if (r.exitCode() != 0)
        {
            throw new IllegalStateException("ovs-ofctl " + command + " " + String.join(" ", args) + " failed: exit=" +
                r.exitCode() + " output=" + r.output());
        }
        return r.output();
    }
}
