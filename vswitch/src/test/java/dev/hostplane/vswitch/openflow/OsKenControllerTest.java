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
import java.util.concurrent.TimeUnit;

import dev.hostplane.vswitch.IdleMode;
import dev.hostplane.vswitch.SwitchConfig;
import dev.hostplane.vswitch.VirtualSwitch;
import dev.hostplane.vswitch.classifier.FlowRule;
import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.testing.Host;
import dev.hostplane.vswitch.testing.OvsUserspace;
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
        OvsUserspace.assumeInstalled();
        final File ovsLog = dir.resolve("osken-ovs.log").toFile();
        try (OvsUserspace ovs = OvsUserspace.start(dir))
        {
            final int port = Host.freePort();
            ovs.startInNamespace(ovsLog, "osken-manager", "--ofp-listen-host", "127.0.0.1", "--ofp-tcp-listen-port",
                Integer.toString(port), app.toString());
            assertThat(Host.awaitListening(ovs.nsOvs, port, 30_000)).as(read(ovsLog)).isTrue();
            ovs.setController("tcp:127.0.0.1:" + port);
            assertThat(awaitLine(ovsLog, "CONNECTED dpid=", 20_000)).as(read(ovsLog)).isTrue();
            assertThat(Host.ping(ovs.nsC, OvsUserspace.IP_D, 5, 4)).as("ping through OVS with the same app: %s",
                read(ovsLog)).isTrue();
            final String log = read(ovsLog);
            assertThat(count(log, "LEARN dpid=")).as(log).isGreaterThanOrEqualTo(2);
            assertThat(count(log, "FLOW dpid=")).as(log).isGreaterThanOrEqualTo(2);
            final String flows = ovs.dumpFlows();
            assertThat(flows).as(flows).containsPattern("priority=1,in_port=\\S+,dl_src=\\S+,dl_dst=\\S+ actions=output");
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
