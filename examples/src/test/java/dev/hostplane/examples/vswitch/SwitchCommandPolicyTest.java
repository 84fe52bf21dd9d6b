package dev.hostplane.examples.vswitch;

import static dev.hostplane.examples.vswitch.NamespaceCommands.linkExists;
import static dev.hostplane.examples.vswitch.NamespaceCommands.onPath;
import static dev.hostplane.examples.vswitch.NamespaceCommands.ping;
import static dev.hostplane.examples.vswitch.NamespaceCommands.run;
import static dev.hostplane.examples.vswitch.NamespaceCommands.runOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.hostplane.examples.Hostplane;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hostplane switch --tap A@nsA --tap B@nsB --policy FILE}: the policy file, not MAC
 * learning, runs the switch. It forwards between the two ports but drops ICMP echo requests from
 * B, so A pings B while B cannot ping A (MAC learning would let both through). A bad policy file is
 * refused with its file:line:column before any device is opened.
 */
class SwitchCommandPolicyTest
{
    @Test
    void shouldRunThePolicyFile(@TempDir final Path dir) throws Exception
    {
        final List<String> missing = new ArrayList<>();
        for (final String tool : List.of("ip", "ping"))
        {
            if (!onPath(tool))
            {
                missing.add(tool);
            }
        }
        if (!"root".equals(System.getProperty("user.name")) || !new File("/dev/net/tun").exists())
        {
            missing.add("root and /dev/net/tun");
        }
        if (!missing.isEmpty())
        {
            System.out.println("SKIPPED (switch --policy): missing " + missing);
        }
        assumeTrue(missing.isEmpty(), "missing " + missing);
        final Path policy = dir.resolve("fw.policy");
        Files.writeString(policy, String.join("\n",
            "# B may not ping A; everything else crosses",
            "~match(icmp,icmp_type=8,nw_src=10.81.0.2) >>",
            "    (match(in_port=1) >> fwd(2) + match(in_port=2) >> fwd(1))", ""));
        final String prefix = System.getenv().getOrDefault("HOSTPLANE_NETNS_PREFIX", "");
        final String id = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xFFFFF));
        final String nsA = prefix + "cpa" + id;
        final String nsB = prefix + "cpb" + id;
        final String tapA = prefix + "pa" + id;
        final String tapB = prefix + "pb" + id;
        Thread sw = null;
        try
        {
            run("ip", "netns", "add", nsA);
            run("ip", "netns", "add", nsB);
            final int[] exit = {-1};
            sw = new Thread(() -> exit[0] = Hostplane.execute("switch", "--tap", tapA + "@" + nsA, "--tap",
                tapB + "@" + nsB, "--policy", policy.toString(), "--duration", "7"), "switch-command");
            sw.start();
            // The switch opens tapB last: once it exists both ports are open (frames queue in the
            // devices until the workers read them). Decided by ip's exit status, since its error
            // message ("Device ... does not exist") names the device too.
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!linkExists(nsB, tapB) && System.nanoTime() < deadline)
            {
                Thread.sleep(50);
            }
            assertThat(linkExists(nsB, tapB)).as("the switch opened " + tapB + " in " + nsB).isTrue();
            for (final String[] ns : new String[][] {{nsA, tapA, "10.81.0.1"}, {nsB, tapB, "10.81.0.2"}})
            {
                runOk("ip", "-n", ns[0], "addr", "add", ns[2] + "/24", "dev", ns[1]);
                runOk("ip", "-n", ns[0], "link", "set", ns[1], "up");
            }
            assertThat(ping(nsA, "10.81.0.2")).as("A pings B through the policy").isTrue();
            assertThat(ping(nsB, "10.81.0.1")).as("the policy drops B's echo requests").isFalse();
            sw.join(20_000);
            assertThat(exit[0]).isZero();
        }
        finally
        {
            if (sw != null)
            {
                sw.join(20_000);
            }
            run("ip", "netns", "del", nsA);
            run("ip", "netns", "del", nsB);
        }
    }

    @Test
    void shouldRefuseABadPolicyFileWithLineAndColumn(@TempDir final Path dir) throws Exception
    {
        final Path policy = dir.resolve("bad.policy");
        Files.writeString(policy, "match(in_port=1) >> fwd(2) +\n  match(in_port=2) >> fwd(one)\n");
        final PrintStream saved = System.err;
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        final int exit;
        try
        {
            exit = Hostplane.execute("switch", "--tap", "unused0", "--policy", policy.toString());
        }
        finally
        {
            System.setErr(saved);
        }
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(policy + ":2:27: fwd() needs a port number");
    }
}
