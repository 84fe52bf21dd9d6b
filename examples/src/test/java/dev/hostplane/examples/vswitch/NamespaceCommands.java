package dev.hostplane.examples.vswitch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Host commands the launcher's switch tests run around it: any command with its output, a ping from inside a
 * namespace the test created, and whether a tool is installed (so a test can skip with the reason).
 */
final class NamespaceCommands
{
    private NamespaceCommands()
    {
    }

    /** Two pings from inside {@code ns}; true when none was lost. */
    static boolean ping(final String ns, final String ip) throws Exception
    {
        return run("ip", "netns", "exec", ns, "ping", "-c", "2", "-i", "0.2", "-W", "1", ip).contains(" 0% packet loss");
    }

    /** Runs a command (at most 30 s) and returns what it printed on stdout and stderr. */
    static String run(final String... command) throws IOException, InterruptedException
    {
        return execute(command).output;
    }

    /** Runs a command (at most 30 s); fails, with what it printed, unless it exits 0. */
    static String runOk(final String... command) throws IOException, InterruptedException
    {
        final Result result = execute(command);
        if (result.exit != 0)
        {
            throw new IllegalStateException(String.join(" ", command) + " exited " + result.exit + ": " + result.output);
        }
        return result.output;
    }

    /**
     * Whether network device {@code device} exists in namespace {@code ns}, by ip's exit status (its
     * error message names the device too, so the output cannot tell).
     */
    static boolean linkExists(final String ns, final String device) throws IOException, InterruptedException
    {
        return execute("ip", "-n", ns, "link", "show", "dev", device).exit == 0;
    }

    private static Result execute(final String... command) throws IOException, InterruptedException
    {
        final Path out = Files.createTempFile("switch-command", ".out");
        try
        {
            final Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            final int exit;
            if (p.waitFor(30, TimeUnit.SECONDS))
            {
                exit = p.exitValue();
            }
            else
            {
                p.destroyForcibly();
                exit = -1;
            }
            return new Result(exit, Files.readString(out, StandardCharsets.UTF_8));
        }
        finally
        {
            Files.deleteIfExists(out);
        }
    }

    private record Result(int exit, String output)
    {
    }

    static boolean onPath(final String tool)
    {
        for (final String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin").split(":"))
        {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool)))
            {
                return true;
            }
        }
        return false;
    }
}
