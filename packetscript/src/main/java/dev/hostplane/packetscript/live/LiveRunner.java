package dev.hostplane.packetscript.live;

import dev.hostplane.packetscript.live.internal.KernelFeatures;
import dev.hostplane.packetscript.live.internal.ScriptPreconditions;
import dev.hostplane.packetscript.PacketScript;
import dev.hostplane.packetscript.Script;
import dev.hostplane.packetscript.ScriptParseException;
import dev.hostplane.packetscript.live.internal.exec.LiveOptions;
import dev.hostplane.packetscript.live.internal.exec.ScriptExecutor;
import dev.hostplane.packetscript.live.internal.exec.ScriptFailure;
import dev.hostplane.packetscript.live.internal.exec.WarmUp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code .pkt} scripts against the local Linux TCP stack, packetdrill's local mode: each
 * script in its own fresh network namespace with {@code tun0}, so runs can go in parallel in one
 * JVM. Needs root (CAP_NET_ADMIN + CAP_SYS_ADMIN) and {@code /dev/net/tun}.
 *
 * <p>Before a script runs, what its own shell commands ask of the kernel ({@link Precondition}: a qdisc, a sysctl
 * value, a congestion control) is checked against {@link KernelFeatures}. A script this kernel cannot run as
 * written still runs, as C packetdrill runs it (a refused {@code tc} or {@code sysctl} that is not the last line of
 * a command does not stop the script): if it passes without what it asked, it passes, as under C; if it fails,
 * it is skipped with the reason instead of failing in a way that depends on the machine.
 *
 * <pre>{@code
 * LiveResult r = LiveRunner.run(Path.of("tcp/close/close-on-syn-sent.pkt"),
 *     Map.of("ip_version", "ipv4"), Map.of());
 * if (!r.passed()) System.err.println(r.message());
 * }</pre>
 */
public final class LiveRunner
{
    private LiveRunner()
    {
    }

    /**
     * Parses and runs one script.
     *
     * @param script the {@code .pkt} file.
     * @param options packetdrill long options without dashes ({@code ip_version}, {@code local_ip},
     *                {@code tolerance_usecs}...); they override the script's header options.
     * @param definitions {@code -D NAME=VALUE} definitions.
     * @return the verdict; never throws for script or kernel behaviour.
     */
    public static LiveResult run(final Path script, final Map<String, String> options,
        final Map<String, String> definitions)
    {
        final long start = System.nanoTime();
        final String name = script.toString();
        final Script parsed;
        try
        {
            parsed = PacketScript.parse(script, definitions);
        }
        catch (final ScriptParseException ex)
        {
            return new LiveResult(name, LiveResult.Status.FAILED, ex.getMessage(), "", System.nanoTime() - start);
        }
        final List<String> missing = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        for (final Precondition precondition : ScriptPreconditions.of(parsed, script))
        {
            final String refusal = KernelFeatures.current().refusal(precondition);
            if (null != refusal)
            {
                (precondition.required() ? missing : notes).add(precondition.origin() + ": " + refusal);
            }
        }
        // A no-op after the first script of this JVM; for the first, it runs while the script sets up.
        WarmUp.start(options, definitions, WarmUp.SINGLE_RUNS);
        ScriptExecutor executor = null;
        try
        {
            final Path directory = script.toAbsolutePath().getParent();
            executor = new ScriptExecutor(parsed, new LiveOptions(options, parsed), directory);
            executor.run();
            return new LiveResult(name, LiveResult.Status.PASSED, null, executor.output(),
                System.nanoTime() - start);
        }
        catch (final ScriptFailure ex)
        {
            return failed(name, ex.getMessage(), missing, notes, executor, start);
        }
        catch (final Exception ex)
        {
            return failed(name, name + ": error: " + ex, missing, notes, executor, start);
        }
    }

    /**
     * A failure, or a skip when the script's own commands asked for what this kernel refuses: the failure may be
     * the kernel's, not the script's, so it proves nothing either way.
     */
    private static LiveResult failed(final String name, final String message, final List<String> missing,
        final List<String> notes, final ScriptExecutor executor, final long start)
    {
        final String output = null == executor ? "" : executor.output();
        if (!missing.isEmpty())
        {
            return new LiveResult(name, LiveResult.Status.SKIPPED, "this kernel lacks what the script asks: " +
                String.join("; ", missing) + "\n  run without it, the script failed: " + message, output,
                System.nanoTime() - start);
        }
        return new LiveResult(name, LiveResult.Status.FAILED, message + noted(notes), output,
            System.nanoTime() - start);
    }

    /** What a helper file asked and this kernel refused: not the script's own precondition, but worth knowing. */
    private static String noted(final List<String> notes)
    {
        return notes.isEmpty() ? "" : "\n  note: this kernel refused what a helper file of the script asks " +
            "(it ran on without it): " + String.join("; ", notes);
    }
}
