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
 * namespace each: prints what the scripts' commands printed and packetdrill-style failure messages
 * ({@code file:line: ...}); returns 0 when none failed, 1 when one did, and kselftest's 4 when every script was
 * skipped because this kernel lacks what it asks.
 */
final class LiveRun
{
    /** kselftest's exit status for "skipped": every script asked for what this kernel lacks. */
    static final int KSFT_SKIP = 4;

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
        int skipped = 0;
        for (final Path script : scripts)
        {
            final LiveResult result = LiveRunner.run(script, flags.options(), definitions);
            // What the script's commands printed goes to stderr, before the verdict, as C packetdrill leaves it.
            err.print(result.output());
            if (result.skipped())
            {
                skipped++;
                err.println(script + ": SKIP: " + result.message());
            }
            else if (!result.passed())
            {
                failed++;
                err.println(result.message());
            }
            if (flags.verbose || scripts.size() > 1)
            {
                out.printf("%s %s (%.3f s)%n", result.passed() ? "pass" : result.skipped() ? "SKIP" : "FAIL", script,
                    result.elapsedNanos() / 1e9);
            }
        }
        out.flush();
        err.flush();
        if (0 == failed && skipped == scripts.size() && skipped > 0)
        {
            return KSFT_SKIP;
        }
        return 0 == failed ? 0 : 1;
    }
}
