package dev.hostplane.examples.packetscript;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.hostplane.packetscript.live.LiveResult;
import dev.hostplane.packetscript.live.LiveRunner;
import dev.hostplane.packetscript.live.netns.NetNamespace;

/**
 * Runs scripts against the local kernel for {@code hostplane packetscript [flags] SCRIPT...}, one fresh network
 * namespace each: prints packetdrill-style failure messages ({@code file:line: ...}) and returns 0 only if every
 * script passed.
 */
final class LiveRun
{
    private LiveRun()
    {
    }

    static int run(final List<Path> scripts, final Map<String, String> definitions, final LiveFlags flags,
        final PrintWriter out, final PrintWriter err)
    {
        final String unsupported = NetNamespace.unsupportedReason();
        if (null != unsupported)
        {
            err.println("packetscript: cannot run scripts here: " + unsupported);
            err.flush();
            return 2;
        }
        int failed = 0;
        for (final Path script : scripts)
        {
            final LiveResult result = LiveRunner.run(script, flags.options(), definitions);
            if (!result.passed())
            {
                failed++;
                err.println(result.message());
            }
            if (flags.verbose || scripts.size() > 1)
            {
                out.printf("%s %s (%.3f s)%n", result.passed() ? "pass" : "FAIL", script,
                    result.elapsedNanos() / 1e9);
            }
        }
        out.flush();
        err.flush();
        return 0 == failed ? 0 : 1;
    }
}
