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

    public static String uniqueName(final String prefix)
    {
        return prefix + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xFFFFF));
    }

    public static void deleteNamespace(final String ns)
    {
        run(10, "ip", "netns", "pids", ns).output().lines().forEach(pid -> run(5, "kill", "-9", pid.trim()));
        run(10, "ip", "netns", "del", ns);
    }
}
