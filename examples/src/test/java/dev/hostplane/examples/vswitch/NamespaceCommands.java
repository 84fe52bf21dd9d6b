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
        final Path out = Files.createTempFile("switch-command", ".out");
        try
        {
            final Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS))
            {
                p.destroyForcibly();
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        }
        finally
        {
            Files.deleteIfExists(out);
        }
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
