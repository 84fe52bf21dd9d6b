package dev.hostplane.vswitch.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs host tools (ip, ping, iperf3) for the real-kernel tests, and checks what the host can do. */
public final class Host
{
    private Host()
    {
    }

    /** Result of a command. */
    public record Result(int exitCode, String output)
    {
    }

    public static Result run(final long timeoutSeconds, final String... command)
    {
        try
        {
            final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            final byte[][] out = new byte[1][];
            final Thread reader = new Thread(() ->
            {
                try
                {
                    out[0] = p.getInputStream().readAllBytes();
                }
                catch (final IOException ex)
                {
                    out[0] = ex.toString().getBytes(StandardCharsets.UTF_8);
                }
            });
            reader.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS))
            {
                p.destroyForcibly();
                reader.join(2000);
                return new Result(-1, "timeout after " + timeoutSeconds + "s: " + Arrays.toString(command));
            }
            reader.join(2000);
            return new Result(p.exitValue(), out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8));
        }
        catch (final IOException ex)
        {
            return new Result(-2, ex.toString());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return new Result(-3, ex.toString());
        }
    }

    public static String runOk(final String... command)
    {
        final Result r = run(30, command);
        if (r.exitCode() != 0)
        {
            throw new IllegalStateException("command failed: exit=" + r.exitCode() + " command=" +
                String.join(" ", command) + " output=" + r.output());
        }
        return r.output();
    }

    public static boolean hasTool(final String tool)
    {
        for (final String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":"))
        {
            if (Files.isExecutable(Path.of(dir, tool)))
            {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    public static boolean isRoot()
    {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Skips (with a printed reason) unless root, /dev/net/tun and the tools are present. */
    public static void assumeKernelNetworking(final String... tools)
    {
        final List<String> missing = new ArrayList<>();
        if (!isRoot())
        {
            missing.add("root");
        }
        if (!new File("/dev/net/tun").exists())
        {
            missing.add("/dev/net/tun");
        }
        for (final String tool : tools)
        {
            if (!hasTool(tool))
            {
                missing.add(tool);
            }
        }
        if (!missing.isEmpty())
        {
            System.out.println("SKIPPED (kernel networking test): missing " + missing);
        }
        assumeTrue(missing.isEmpty(), "missing " + missing);
    }

    /**
     * A name for a namespace or device this test creates: {@code prefix} plus random hex, after the
     * value of HOSTPLANE_NETNS_PREFIX (empty by default), so that people sharing a machine can tell
     * their devices apart. Device names stay within the kernel's 15 characters.
     */
    public static String uniqueName(final String prefix)
    {
        final String owner = System.getenv().getOrDefault("HOSTPLANE_NETNS_PREFIX", "");
        final String name = owner + prefix + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xFFFFF));
        return name.length() > 15 ? name.substring(name.length() - 15) : name;
    }

    /** Starts a process whose output goes to a file (for daemons the test stops itself). */
    public static Process start(final File log, final String... command) throws IOException
    {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    }

    /** Stops a process the test started, SIGTERM then SIGKILL. */
    public static void stop(final Process p)
    {
        if (p == null)
        {
            return;
        }
        p.destroy();
        try
        {
            if (!p.waitFor(5, TimeUnit.SECONDS))
            {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** A TCP port free right now on 127.0.0.1 (for peers that cannot report the port they bound). */
    public static int freePort()
    {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            return s.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("no free port", ex);
        }
    }

    /** Waits until something accepts TCP connections on host:port (inside a namespace when ns != null). */
    public static boolean awaitListening(final String ns, final int port, final long timeoutMillis)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline)
        {
            final String out = ns == null ? run(5, "ss", "-ltnH").output() : run(5, "ip", "netns", "exec", ns, "ss",
                "-ltnH").output();
            if (out.contains(":" + port + " "))
            {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** ping from a namespace: true when at least {@code minReplies} of {@code count} came back. */
    public static boolean ping(final String ns, final String address, final int count, final int minReplies)
    {
        final Result r = run(30, "ip", "netns", "exec", ns, "ping", "-c", Integer.toString(count), "-i", "0.2", "-W",
            "1", address);
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) received").matcher(r.output());
        return m.find() && Integer.parseInt(m.group(1)) >= minReplies;
    }

    public static void deleteNamespace(final String ns)
    {
        run(10, "ip", "netns", "pids", ns).output().lines().forEach(pid -> run(5, "kill", "-9", pid.trim()));
        run(10, "ip", "netns", "del", ns);
    }
}
