package dev.hostplane.benchmarks.vswitch;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.hostplane.vswitch.IdleMode;
import dev.hostplane.vswitch.SwitchConfig;
import dev.hostplane.vswitch.VirtualSwitch;
import dev.hostplane.vswitch.control.MacLearningSwitch;
import dev.hostplane.vswitch.port.TapPort;

/**
 * Side-by-side iperf3 throughput between two network namespaces joined by: our switch over TAP
 * ports with virtio_net_hdr/GSO ({@code vswitch}; {@code vswitch-2w} with one worker per direction,
 * {@code vswitch-spin} with a worker that spins instead of sleeping in poll); our switch in naive
 * mode, one MTU frame per syscall and batch 1 ({@code vswitch-naive}); a Linux bridge with veth pairs ({@code bridge});
 * Open vSwitch's userspace datapath ({@code datapath_type=netdev}, state in a temp dir) with
 * {@code userspace-tso-enable=true} ({@code ovs-tso}) and without ({@code ovs}). Everything runs in
 * namespaces this harness creates and deletes. Needs root, iproute2, iperf3, ethtool and
 * openvswitch-switch.
 *
 * <p>Run (from the repository root, after {@code mvn -B -q -pl benchmarks package -DskipTests}):
 * <pre>
 * java $(cat benchmarks/target/classes/hostplane-jvm.flags) -cp benchmarks/target/benchmarks.jar \
 *     dev.hostplane.benchmarks.vswitch.SwitchComparison [seconds=5] [repeats=3] [scenario,...]
 * </pre>
 * Optional fourth argument: parallel iperf3 streams ({@code -P}, default 1).
 * Prints the median Gbit/s per scenario and ratios to OVS userspace and the bridge, and how much
 * CPU the whole machine spent per Gbit/s: on a machine whose cores the iperf3 ends already fill,
 * that, not the switch's own speed, decides the throughput ratio.
 */
public final class SwitchComparison
{
    private static final Pattern RECEIVED_BPS =
        Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*?\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)", Pattern.DOTALL);
    private static final Pattern RETRANSMITS =
        Pattern.compile("\"sum_sent\"\\s*:\\s*\\{[^}]*?\"retransmits\"\\s*:\\s*([0-9]+)", Pattern.DOTALL);
    private static final Pattern IPERF_CPU = Pattern.compile(
        "\"host_total\"\\s*:\\s*([0-9.]+).*?\"remote_total\"\\s*:\\s*([0-9.]+)", Pattern.DOTALL);
    private static final List<String> ALL =
        List.of("vswitch", "vswitch-2w", "vswitch-spin", "vswitch-naive", "bridge", "ovs-tso", "ovs");

    private final int seconds;
    private final int streams;
    private final String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xFFFF));
    private final String ns1 = "cmpa" + suffix;
    private final String ns2 = "cmpb" + suffix;
    private final String ip1 = "10.66.0.1";
    private final String ip2 = "10.66.0.2";

    private SwitchComparison(final int seconds, final int streams)
    {
        this.seconds = seconds;
        this.streams = streams;
    }

    /**
     * One iperf3 run: throughput and the CPU the whole machine spent meanwhile.
     *
     * @param gbps received Gbit/s.
     * @param busyCores CPU-seconds of the whole machine (user, system, irq, softirq, steal excluded)
     *                  per wall second of the iperf3 client.
     */
    private record Result(double gbps, double busyCores)
    {
        double gbitPerCore()
        {
            return busyCores == 0 ? 0 : gbps / busyCores;
        }
    }

    /**
     * Runs the comparison.
     *
     * @param args [seconds] [repeats] [comma-separated scenarios].
     * @throws Exception on setup failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        final int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        final List<String> scenarios = args.length > 2 ? Arrays.asList(args[2].split(",")) : ALL;
        final int streams = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        final SwitchComparison cmp = new SwitchComparison(seconds, streams);
        final Map<String, Result> medians = new LinkedHashMap<>();
        for (final String scenario : scenarios)
        {
            final List<Result> runs = new ArrayList<>();
            for (int r = 0; r < repeats; r++)
            {
                final Result result = cmp.run(scenario);
                runs.add(result);
                System.out.printf("%-14s run %d: %.2f Gbit/s, %.2f busy cores, %.2f Gbit/s per busy core%n",
                    scenario, r + 1, result.gbps(), result.busyCores(), result.gbitPerCore());
            }
            runs.sort((a, b) -> Double.compare(a.gbps(), b.gbps()));
            medians.put(scenario, runs.get(runs.size() / 2));
        }
        System.out.println();
        System.out.printf("iperf3 -t %d -P %d, median of %d runs (by Gbit/s), %d CPUs; busy cores = the whole " +
            "machine's CPU-s per second during the run%n", seconds, streams, repeats,
            Runtime.getRuntime().availableProcessors());
        System.out.printf("%-14s %8s %11s %11s %10s %13s %13s%n", "scenario", "Gbit/s", "vs ovs-tso", "vs bridge",
            "busy cores", "Gbit/s/core", "per core vs bridge");
        for (final Map.Entry<String, Result> e : medians.entrySet())
        {
            final Result v = e.getValue();
            final Result ovs = medians.get("ovs-tso");
            final Result bridge = medians.get("bridge");
            System.out.printf("%-14s %8.2f %11s %11s %10.2f %13.2f %13s%n", e.getKey(), v.gbps(),
                ratio(v.gbps(), ovs == null ? null : ovs.gbps()), ratio(v.gbps(), bridge == null ? null : bridge.gbps()),
                v.busyCores(), v.gbitPerCore(), ratio(v.gbitPerCore(), bridge == null ? null : bridge.gbitPerCore()));
        }
    }

    private static String ratio(final double value, final Double base)
    {
        return base == null || base == 0 ? "-" : String.format("%.2fx", value / base);
    }

    private Result run(final String scenario) throws Exception
    {
        try
        {
            sh("ip", "netns", "add", ns1);
            sh("ip", "netns", "add", ns2);
            sh("ip", "-n", ns1, "link", "set", "lo", "up");
            sh("ip", "-n", ns2, "link", "set", "lo", "up");
            switch (scenario)
            {
                case "vswitch":
                    return viaVswitch(true, 32, 1, IdleMode.BLOCKING);
                case "vswitch-2w":
                    return viaVswitch(true, 32, 2, IdleMode.BLOCKING);
                case "vswitch-spin":
                    return viaVswitch(true, 32, 1, IdleMode.BUSY_SPIN);
                case "vswitch-naive":
                    return viaVswitch(false, 1, 1, IdleMode.BLOCKING);
                case "bridge":
                    return viaBridge();
                case "ovs-tso":
                    return viaOvs(true);
                case "ovs":
                    return viaOvs(false);
                default:
                    throw new IllegalArgumentException("unknown scenario (expected one of " + ALL + "): " + scenario);
            }
        }
        finally
        {
            deleteNs(ns1);
            deleteNs(ns2);
        }
    }

    private Result viaVswitch(final boolean offload, final int batch, final int workers, final IdleMode idle)
        throws Exception
    {
        final String t1 = "cvta" + suffix;
        final String t2 = "cvtb" + suffix;
        try (VirtualSwitch sw = new VirtualSwitch(SwitchConfig.builder().batchSize(batch).workers(workers)
            .idleMode(idle).build()))
        {
            sw.addPort(TapPort.openInNamespace(ns1, t1, offload));
            sw.addPort(TapPort.openInNamespace(ns2, t2, offload));
            MacLearningSwitch.attach(sw, 300);
            sw.start();
            address(ns1, t1, ip1);
            address(ns2, t2, ip2);
            final long cpuBefore = workerCpuNanos();
            final long wallBefore = System.nanoTime();
            final Result result = iperf();
            // Where the switch's time goes: its workers' CPU (user + the kernel work their read/write
            // syscalls do) against the wall time of the warm-up and the iperf3 run.
            System.out.printf("  switch workers: %.2f CPU s in %.2f s wall%n",
                (workerCpuNanos() - cpuBefore) / 1e9, (System.nanoTime() - wallBefore) / 1e9);
            System.out.print(sw.dumpPorts());
            return result;
        }
    }

    private static long workerCpuNanos()
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (final ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds()))
        {
            if (info != null && info.getThreadName().startsWith("hostplane-vswitch-worker"))
            {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    private Result viaBridge() throws Exception
    {
        final String nsb = "cmpx" + suffix;
        try
        {
            sh("ip", "netns", "add", nsb);
            sh("ip", "-n", nsb, "link", "add", "br0", "type", "bridge");
            sh("ip", "-n", nsb, "link", "set", "br0", "up");
            veth(nsb, ns1, "ba" + suffix, "ea" + suffix, ip1);
            veth(nsb, ns2, "bb" + suffix, "eb" + suffix, ip2);
            sh("ip", "-n", nsb, "link", "set", "ba" + suffix, "master", "br0");
            sh("ip", "-n", nsb, "link", "set", "bb" + suffix, "master", "br0");
            return iperf();
        }
        finally
        {
            deleteNs(nsb);
        }
    }

    private Result viaOvs(final boolean tso) throws Exception
    {
        final String nso = "cmpo" + suffix;
        final Path dir = Files.createTempDirectory("vswitch-ovs-");
        final Map<String, String> env = Map.of("OVS_RUNDIR", dir.toString(), "OVS_LOGDIR", dir.toString(),
            "OVS_DBDIR", dir.toString(), "OVS_SYSCONFDIR", dir.toString());
        final String db = "unix:" + dir.resolve("db.sock");
        try
        {
            sh("ip", "netns", "add", nso);
            sh("ip", "-n", nso, "link", "set", "lo", "up");
            veth(nso, ns1, "oa" + suffix, "ea" + suffix, ip1);
            veth(nso, ns2, "ob" + suffix, "eb" + suffix, ip2);
            if (!tso)
            {
                // Without TSO support OVS netdev needs checksums done by the sender, or TCP stalls.
                sh("ip", "netns", "exec", ns1, "ethtool", "-K", "ea" + suffix, "tx", "off");
                sh("ip", "netns", "exec", ns2, "ethtool", "-K", "eb" + suffix, "tx", "off");
            }
            env(env, "ovsdb-tool", "create", dir.resolve("conf.db").toString(),
                "/usr/share/openvswitch/vswitch.ovsschema");
            env(env, "ip", "netns", "exec", nso, "ovsdb-server", dir.resolve("conf.db").toString(),
                "--remote=punix:" + dir.resolve("db.sock"), "--pidfile=" + dir.resolve("ovsdb-server.pid"),
                "--detach", "--log-file=" + dir.resolve("ovsdb-server.log"));
            env(env, "ovs-vsctl", "--db=" + db, "--no-wait", "init");
            if (tso)
            {
                env(env, "ovs-vsctl", "--db=" + db, "--no-wait", "set", "Open_vSwitch", ".",
                    "other_config:userspace-tso-enable=true");
            }
            env(env, "ip", "netns", "exec", nso, "ovs-vswitchd", db, "--pidfile=" + dir.resolve("ovs-vswitchd.pid"),
                "--detach", "--log-file=" + dir.resolve("ovs-vswitchd.log"));
            env(env, "ovs-vsctl", "--db=" + db, "--timeout=20", "add-br", "br0", "--", "set", "bridge", "br0",
                "datapath_type=netdev");
            env(env, "ovs-vsctl", "--db=" + db, "--timeout=20", "add-port", "br0", "oa" + suffix, "--", "add-port",
                "br0", "ob" + suffix);
            Thread.sleep(1000);
            return iperf();
        }
        finally
        {
            for (final String daemon : List.of("ovs-vswitchd", "ovsdb-server"))
            {
                final Path pid = dir.resolve(daemon + ".pid");
                if (Files.exists(pid))
                {
                    final String p = Files.readString(pid, StandardCharsets.US_ASCII).trim();
                    run(10, List.of("kill", p), Map.of());
                    Thread.sleep(300);
                    run(10, List.of("kill", "-9", p), Map.of());
                }
            }
            deleteNs(nso);
            run(10, List.of("rm", "-rf", dir.toString()), Map.of());
        }
    }

    private void veth(final String hub, final String ns, final String hubEnd, final String nsEnd, final String ip)
        throws Exception
    {
        sh("ip", "-n", hub, "link", "add", hubEnd, "type", "veth", "peer", "name", nsEnd, "netns", ns);
        sh("ip", "-n", hub, "link", "set", hubEnd, "up");
        address(ns, nsEnd, ip);
    }

    private void address(final String ns, final String dev, final String ip) throws Exception
    {
        sh("ip", "-n", ns, "addr", "add", ip + "/24", "dev", dev);
        sh("ip", "-n", ns, "link", "set", dev, "up");
    }

    private Result iperf() throws Exception
    {
        // Warm the path (ARP, MAC learning) before measuring.
        run(30, List.of("ip", "netns", "exec", ns1, "ping", "-c", "2", "-W", "3", ip2), Map.of());
        final Process server = new ProcessBuilder("ip", "netns", "exec", ns2, "iperf3", "-s", "-1", "-B", ip2)
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline &&
                !run(5, List.of("ip", "netns", "exec", ns2, "ss", "-ltn"), Map.of()).contains(":5201"))
            {
                Thread.sleep(50);
            }
            final long[] cpuBefore = cpuJiffies();
            final long wallBefore = System.nanoTime();
            final String json = run(seconds + 30L, List.of("ip", "netns", "exec", ns1, "iperf3", "-c", ip2, "-t",
                Integer.toString(seconds), "-P", Integer.toString(streams), "-J"), Map.of());
            final long wallNanos = System.nanoTime() - wallBefore;
            final long[] cpuAfter = cpuJiffies();
            final Matcher m = RECEIVED_BPS.matcher(json);
            if (!m.find())
            {
                System.out.println("iperf3 failed: " + json.lines().filter(l -> l.contains("error")).toList());
                return new Result(0, 0);
            }
            final Matcher iperfCpu = IPERF_CPU.matcher(json);
            if (iperfCpu.find())
            {
                // The iperf3 processes' own CPU (their copies and the TCP work done in their syscalls).
                System.out.printf("  iperf3 CPU: client %s %%, server %s %%%n", iperfCpu.group(1), iperfCpu.group(2));
            }
            final Matcher retransmits = RETRANSMITS.matcher(json);
            if (retransmits.find() && !"0".equals(retransmits.group(1)))
            {
                System.out.println("  TCP retransmits: " + retransmits.group(1));
            }
            // /proc/stat counts in USER_HZ ticks, 100 per second on Linux.
            final double busyCores = (cpuAfter[0] - cpuBefore[0]) / 100.0 / (wallNanos / 1e9);
            return new Result(Double.parseDouble(m.group(1)) / 1e9, busyCores);
        }
        finally
        {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
            server.destroyForcibly();
        }
    }

    /**
     * The machine's busy CPU ticks: user, nice, system, irq and softirq of the {@code cpu} line of
     * /proc/stat (idle, iowait and steal left out).
     */
    private static long[] cpuJiffies() throws IOException
    {
        final String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
        final String[] f = line.trim().split("\\s+");
        final long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) +
            Long.parseLong(f[6]) + Long.parseLong(f[7]);
        return new long[] {busy};
    }

    private static void deleteNs(final String ns)
    {
        try
        {
            for (final String pid : run(10, List.of("ip", "netns", "pids", ns), Map.of()).split("\\s+"))
            {
                if (!pid.isBlank())
                {
                    run(5, List.of("kill", "-9", pid.trim()), Map.of());
                }
            }
            run(10, List.of("ip", "netns", "del", ns), Map.of());
        }
        catch (final Exception ex)
        {
            System.err.println("cleanup of namespace " + ns + " failed: " + ex);
        }
    }

    private static void sh(final String... command) throws Exception
    {
        env(Map.of(), command);
    }

    private static void env(final Map<String, String> env, final String... command) throws Exception
    {
        final ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        final Process p = pb.start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0)
        {
            throw new IOException("command failed: " + String.join(" ", command) + ": " + out);
        }
    }

    private static String run(final long timeoutSeconds, final List<String> command, final Map<String, String> env)
        throws IOException, InterruptedException
    {
        final ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        final Process p = pb.start();
        final byte[][] out = new byte[1][];
        final Thread reader = new Thread(() ->
        {
            try
            {
                out[0] = p.getInputStream().readAllBytes();
            }
            catch (final IOException ex)
            {
                out[0] = new byte[0];
            }
        });
        reader.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS))
        {
            p.destroyForcibly();
        }
        reader.join(2000);
        return out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8);
    }
}
