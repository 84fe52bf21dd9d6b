package dev.hostplane.vswitch.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Open vSwitch's userspace datapath as a reference switch: ovsdb-server and ovs-vswitchd with
 * their state in a temporary directory, in a network namespace of their own, with bridge
 * {@code br0} (datapath_type=netdev, OpenFlow 1.3, fail-mode secure) whose OpenFlow ports 1 and 2
 * are veth devices into two host namespaces, addressed {@link #IP_C} and {@link #IP_D}. Everything
 * is stopped and deleted on close, even after a failure.
 */
public final class OvsUserspace implements AutoCloseable
{
    public static final String IP_C = "10.79.0.1";
    public static final String IP_D = "10.79.0.2";

    public final String nsOvs = Host.uniqueName("ovs");
    public final String nsC = Host.uniqueName("ovc");
    public final String nsD = Host.uniqueName("ovd");
    private final Path state;
    private final Map<String, String> env;
    private final String db;
    private final List<Process> daemons = new ArrayList<>();

    private OvsUserspace(final Path dir) throws IOException
    {
        state = Files.createDirectories(dir.resolve("ovs"));
        env = Map.of("OVS_RUNDIR", state.toString(), "OVS_LOGDIR", state.toString(), "OVS_DBDIR", state.toString(),
            "OVS_SYSCONFDIR", state.toString());
        db = "unix:" + state.resolve("db.sock");
    }

    /** Skips the calling test, saying why, when Open vSwitch is not installed. */
    public static void assumeInstalled()
    {
        final boolean ovs = Host.hasTool("ovs-vswitchd") && Host.hasTool("ovsdb-server") && Host.hasTool("ovs-vsctl") &&
            Files.exists(Path.of("/usr/share/openvswitch/vswitch.ovsschema"));
        if (!ovs)
        {
            System.out.println("SKIPPED (Open vSwitch reference): Open vSwitch missing (Debian openvswitch-switch)");
        }
        assumeTrue(ovs, "Open vSwitch missing (Debian openvswitch-switch)");
    }

    /**
     * Starts OVS with bridge br0 and its two hosts (no controller yet).
     *
     * @param dir a temporary directory for OVS's database, sockets and logs.
     * @return the running OVS.
     * @throws Exception when a daemon or device cannot be set up.
     */
    public static OvsUserspace start(final Path dir) throws Exception
    {
        final OvsUserspace o = new OvsUserspace(dir);
        boolean ok = false;
        try
        {
            o.setUp();
            ok = true;
            return o;
        }
        finally
        {
            if (!ok)
            {
                o.close();
            }
        }
    }

    private void setUp() throws Exception
    {
        final String vethC = Host.uniqueName("vc");
        final String vethD = Host.uniqueName("vd");
        for (final String ns : List.of(nsOvs, nsC, nsD))
        {
            Host.runOk("ip", "netns", "add", ns);
            Host.runOk("ip", "-n", ns, "link", "set", "lo", "up");
        }
        Host.runOk("ip", "-n", nsC, "link", "add", "eth0", "type", "veth", "peer", "name", vethC, "netns", nsOvs);
        Host.runOk("ip", "-n", nsD, "link", "add", "eth0", "type", "veth", "peer", "name", vethD, "netns", nsOvs);
        Host.runOk("ip", "-n", nsC, "addr", "add", IP_C + "/24", "dev", "eth0");
        Host.runOk("ip", "-n", nsD, "addr", "add", IP_D + "/24", "dev", "eth0");
        for (final String[] link : new String[][] {{nsC, "eth0"}, {nsD, "eth0"}, {nsOvs, vethC}, {nsOvs, vethD}})
        {
            Host.runOk("ip", "-n", link[0], "link", "set", link[1], "up");
        }
        Host.runOk("ovsdb-tool", "create", state.resolve("conf.db").toString(), "/usr/share/openvswitch/vswitch.ovsschema");
        daemons.add(inNamespace(state.resolve("ovsdb-server.out").toFile(), "ovsdb-server",
            state.resolve("conf.db").toString(), "--remote=p" + db, "--pidfile=" + state.resolve("ovsdb-server.pid"),
            "--log-file=" + state.resolve("ovsdb-server.log")));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(state.resolve("db.sock")) && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
        }
        vsctl("--no-wait", "init");
        daemons.add(inNamespace(state.resolve("ovs-vswitchd.out").toFile(), "ovs-vswitchd", db,
            "--pidfile=" + state.resolve("ovs-vswitchd.pid"), "--log-file=" + state.resolve("ovs-vswitchd.log")));
        vsctl("--timeout=20", "add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev",
            "protocols=OpenFlow13", "fail-mode=secure",
            "--", "add-port", "br0", vethC, "--", "set", "interface", vethC, "ofport_request=1",
            "--", "add-port", "br0", vethD, "--", "set", "interface", vethD, "ofport_request=2");
    }

    /**
     * Runs ovs-vsctl against this OVS.
     *
     * @param args its arguments.
     * @return its output.
     */
    public String vsctl(final String... args)
    {
        final List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", nsOvs, "ovs-vsctl", "--db=" + db));
        cmd.addAll(List.of(args));
        return Host.runOk(cmd.toArray(String[]::new));
    }

    /**
     * Points br0 at a controller.
     *
     * @param target OVS's spelling, e.g. {@code tcp:127.0.0.1:6653} (inside the OVS namespace) or
     *               {@code unix:/path} (a socket file, reachable from any namespace).
     */
    public void setController(final String target)
    {
        vsctl("set-controller", "br0", target);
    }

    /**
     * A path in OVS's run directory: the only place ovs-vswitchd accepts a {@code unix:} controller.
     *
     * @param name the file name.
     * @return the path.
     */
    public Path runFile(final String name)
    {
        return state.resolve(name);
    }

    /**
     * What ovs-vswitchd logged, for failure messages.
     *
     * @return the log, or why it cannot be read.
     */
    public String vswitchdLog()
    {
        try
        {
            return Files.readString(state.resolve("ovs-vswitchd.log"));
        }
        catch (final IOException ex)
        {
            return "(no ovs-vswitchd log: " + ex + ")";
        }
    }

    /**
     * br0's flows, as {@code ovs-ofctl -O OpenFlow13 dump-flows} prints them.
     *
     * @return the dump.
     */
    public String dumpFlows()
    {
        return Host.run(20, "ip", "netns", "exec", nsOvs, "ovs-ofctl", "-O", "OpenFlow13", "dump-flows",
            "unix:" + state.resolve("br0.mgmt")).output();
    }

    /**
     * Starts a process in OVS's namespace (a controller that must reach OVS over its loopback).
     *
     * @param log where its output goes.
     * @param command the command.
     * @return the process (stopped on close).
     * @throws IOException when it cannot start.
     */
    public Process startInNamespace(final File log, final String... command) throws IOException
    {
        final Process p = inNamespace(log, command);
        daemons.add(p);
        return p;
    }

    private Process inNamespace(final File log, final String... command) throws IOException
    {
        final List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", nsOvs));
        cmd.addAll(List.of(command));
        final ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log);
        pb.environment().putAll(env);
        return pb.start();
    }

    @Override
    public void close()
    {
        for (int i = daemons.size() - 1; i >= 0; i--)
        {
            Host.stop(daemons.get(i));
        }
        Host.deleteNamespace(nsC);
        Host.deleteNamespace(nsD);
        Host.deleteNamespace(nsOvs);
    }
}
