package dev.hostplane.vswitch.openflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.hostplane.vswitch.IdleMode;
import dev.hostplane.vswitch.SwitchConfig;
import dev.hostplane.vswitch.VirtualSwitch;
import dev.hostplane.vswitch.classifier.FlowRule;
import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.testing.Host;
import dev.hostplane.vswitch.testing.TwoNamespaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real controller framework drives the switch: Debian's os-ken ({@code osken-manager}) runs an
 * L2-learning application written for this test ({@code openflow/l2_learning.py}); our switch
 * connects to it as an active OpenFlow 1.3 agent, and ping between two namespaces works only
 * through what the application installs. The same application then drives Open vSwitch's
 * userspace datapath (state in a temporary directory, in a namespace of its own) as the reference:
 * both must learn both hosts, install the same kind of flows and pass the ping.
 */
class OsKenControllerTest
{
    @Test
    void shouldLetOsKenL2LearningDriveOurSwitchAndOvsAlike(@TempDir final Path dir) throws Exception
    {
        Host.assumeKernelNetworking("ip", "ping");
        final boolean osken = Host.hasTool("osken-manager");
        if (!osken)
        {
            System.out.println("SKIPPED (os-ken controller test): osken-manager missing (Debian python3-os-ken)");
        }
        assumeTrue(osken, "osken-manager missing (Debian python3-os-ken)");
        final Path app = dir.resolve("l2_learning.py");
        try (InputStream in = getClass().getResourceAsStream("/openflow/l2_learning.py"))
        {
            Files.copy(in, app);
        }

        final int port = Host.freePort();
        final File ourLog = dir.resolve("osken-ours.log").toFile();
        Process controller = null;
        try (VirtualSwitch sw = new VirtualSwitch(SwitchConfig.builder().idleMode(IdleMode.BLOCKING).build());
             TwoNamespaces ns = new TwoNamespaces(sw))
        {
            controller = Host.start(ourLog, "osken-manager", "--ofp-listen-host", "127.0.0.1", "--ofp-tcp-listen-port",
                Integer.toString(port), app.toString());
            assertThat(Host.awaitListening(null, port, 30_000)).as("osken-manager listening: %s", read(ourLog)).isTrue();
            sw.start();
            try (OpenFlowAgent agent = OpenFlowAgent.builder(sw).controller(OpenFlowTarget.parse("tcp:127.0.0.1:" + port))
                .datapathId(0x18).build().start())
            {
                assertThat(awaitLine(ourLog, "CONNECTED dpid=0000000000000018", 20_000)).as(read(ourLog)).isTrue();
                assertThat(Host.ping(ns.nsA, ns.ipB, 5, 4)).as("ping through our switch: %s", read(ourLog)).isTrue();
                final String log = read(ourLog);
                assertThat(count(log, "LEARN dpid=0000000000000018")).as(log).isGreaterThanOrEqualTo(2);
                assertThat(log).contains("FLOW dpid=0000000000000018 in_port=1").contains(
                    "FLOW dpid=0000000000000018 in_port=2");
                final List<FlowRule> learned = new ArrayList<>();
                for (final FlowRule r : sw.dumpFlows())
                {
                    if (r.priority() == 1 && !r.match().isWildcarded(FlowField.ETH_SRC) &&
                        !r.match().isWildcarded(FlowField.ETH_DST) && !r.match().isWildcarded(FlowField.IN_PORT))
                    {
                        learned.add(r);
                    }
                }
                assertThat(learned).as("flows the controller installed: %s", sw.dumpFlows()).hasSizeGreaterThanOrEqualTo(2);
                assertThat(learned.stream().mapToLong(FlowRule::packetCount).sum())
                    .as("later pings switched by the learned flows, not the controller").isGreaterThan(0);
                assertThat(agent.stats().packetInsSent()).isPositive();
            }
        }
        finally
        {
            Host.stop(controller);
        }

        runOnOpenVswitch(dir, app);
    }

    /** The reference: the same application and the same ping through OVS userspace. */
    private static void runOnOpenVswitch(final Path dir, final Path app) throws Exception
    {
        final boolean ovs = Host.hasTool("ovs-vswitchd") && Host.hasTool("ovsdb-server") && Host.hasTool("ovs-vsctl") &&
            Files.exists(Path.of("/usr/share/openvswitch/vswitch.ovsschema"));
        if (!ovs)
        {
            System.out.println("SKIPPED (os-ken on OVS reference): Open vSwitch missing (Debian openvswitch-switch)");
        }
        assumeTrue(ovs, "Open vSwitch missing (Debian openvswitch-switch)");
        final String nsOvs = Host.uniqueName("ovs");
        final String nsC = Host.uniqueName("ovc");
        final String nsD = Host.uniqueName("ovd");
        final String vethC = Host.uniqueName("vc");
        final String vethD = Host.uniqueName("vd");
        final Path state = Files.createDirectories(dir.resolve("ovs"));
        final Map<String, String> env = Map.of("OVS_RUNDIR", state.toString(), "OVS_LOGDIR", state.toString(),
            "OVS_DBDIR", state.toString(), "OVS_SYSCONFDIR", state.toString());
        final String db = "unix:" + state.resolve("db.sock");
        final File ovsLog = dir.resolve("osken-ovs.log").toFile();
        final List<Process> daemons = new ArrayList<>();
        try
        {
            for (final String ns : List.of(nsOvs, nsC, nsD))
            {
                Host.runOk("ip", "netns", "add", ns);
                Host.runOk("ip", "-n", ns, "link", "set", "lo", "up");
            }
            Host.runOk("ip", "-n", nsC, "link", "add", "eth0", "type", "veth", "peer", "name", vethC, "netns", nsOvs);
            Host.runOk("ip", "-n", nsD, "link", "add", "eth0", "type", "veth", "peer", "name", vethD, "netns", nsOvs);
            Host.runOk("ip", "-n", nsC, "addr", "add", "10.79.0.1/24", "dev", "eth0");
            Host.runOk("ip", "-n", nsD, "addr", "add", "10.79.0.2/24", "dev", "eth0");
            for (final String[] link : new String[][] {{nsC, "eth0"}, {nsD, "eth0"}, {nsOvs, vethC}, {nsOvs, vethD}})
            {
                Host.runOk("ip", "-n", link[0], "link", "set", link[1], "up");
            }
            Host.runOk("ovsdb-tool", "create", state.resolve("conf.db").toString(),
                "/usr/share/openvswitch/vswitch.ovsschema");
            daemons.add(inNamespace(nsOvs, env, state.resolve("ovsdb-server.out").toFile(), "ovsdb-server",
                state.resolve("conf.db").toString(), "--remote=p" + db, "--pidfile=" + state.resolve("ovsdb-server.pid"),
                "--log-file=" + state.resolve("ovsdb-server.log")));
            waitFor(state.resolve("db.sock"));
            Host.runOk("ip", "netns", "exec", nsOvs, "ovs-vsctl", "--db=" + db, "--no-wait", "init");
            daemons.add(inNamespace(nsOvs, env, state.resolve("ovs-vswitchd.out").toFile(), "ovs-vswitchd", db,
                "--pidfile=" + state.resolve("ovs-vswitchd.pid"), "--log-file=" + state.resolve("ovs-vswitchd.log")));
            final int port = Host.freePort();
            daemons.add(inNamespace(nsOvs, Map.of(), ovsLog, "osken-manager", "--ofp-listen-host", "127.0.0.1",
                "--ofp-tcp-listen-port", Integer.toString(port), app.toString()));
            assertThat(Host.awaitListening(nsOvs, port, 30_000)).as(read(ovsLog)).isTrue();
            Host.runOk("ip", "netns", "exec", nsOvs, "ovs-vsctl", "--db=" + db, "--timeout=20", "add-br", "br0",
                "--", "set", "bridge", "br0", "datapath_type=netdev", "protocols=OpenFlow13", "fail-mode=secure",
                "--", "add-port", "br0", vethC, "--", "add-port", "br0", vethD,
                "--", "set-controller", "br0", "tcp:127.0.0.1:" + port);
            assertThat(awaitLine(ovsLog, "CONNECTED dpid=", 20_000)).as(read(ovsLog)).isTrue();
            assertThat(Host.ping(nsC, "10.79.0.2", 5, 4)).as("ping through OVS with the same app: %s", read(ovsLog))
                .isTrue();
            final String log = read(ovsLog);
            assertThat(count(log, "LEARN dpid=")).as(log).isGreaterThanOrEqualTo(2);
            assertThat(count(log, "FLOW dpid=")).as(log).isGreaterThanOrEqualTo(2);
            final String flows = Host.run(20, "ip", "netns", "exec", nsOvs, "ovs-ofctl", "-O", "OpenFlow13",
                "dump-flows", "unix:" + state.resolve("br0.mgmt")).output();
            assertThat(flows).as(flows).containsPattern("priority=1,in_port=\\S+,dl_src=\\S+,dl_dst=\\S+ actions=output");
        }
        finally
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

    private static Process inNamespace(final String ns, final Map<String, String> env, final File log,
        final String... command) throws IOException
    {
        final List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(command));
        final ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log);
        pb.environment().putAll(env);
        return pb.start();
    }

    private static void waitFor(final Path file) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(file) && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
        }
    }

    private static boolean awaitLine(final File log, final String text, final long millis) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline)
        {
            if (read(log).contains(text))
            {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static int count(final String log, final String text)
    {
        int n = 0;
        for (int i = log.indexOf(text); i >= 0; i = log.indexOf(text, i + 1))
        {
            n++;
        }
        return n;
    }

    private static String read(final File f)
    {
        try
        {
            return Files.readString(f.toPath(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return "(no log: " + ex + ")";
        }
    }
}
