package dev.hostplane.packetscript.live;

import dev.hostplane.packetscript.PacketScript;
import dev.hostplane.packetscript.Script;
import dev.hostplane.packetscript.ScriptParseException;
import dev.hostplane.packetscript.live.exec.LiveOptions;
import dev.hostplane.packetscript.live.exec.ScriptExecutor;
import dev.hostplane.packetscript.live.exec.ScriptFailure;

import java.nio.file.Path;
import java.util.Map;

/**
 * Runs {@code .pkt} scripts against the local Linux TCP stack, packetdrill's local mode: each
 * script in its own fresh network namespace with {@code tun0}, so runs can go in parallel in one
 * JVM. Needs root (CAP_NET_ADMIN + CAP_SYS_ADMIN) and {@code /dev/net/tun}.
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
        try
        {
            final Script parsed = PacketScript.parse(script, definitions);
            final Path directory = script.toAbsolutePath().getParent();
            new ScriptExecutor(parsed, new LiveOptions(options, parsed), directory).run();
            return new LiveResult(name, true, null, System.nanoTime() - start);
        }
        catch (final ScriptParseException ex)
        {
            return new LiveResult(name, false, ex.getMessage(), System.nanoTime() - start);
        }
        catch (final ScriptFailure ex)
        {
            return new LiveResult(name, false, ex.getMessage(), System.nanoTime() - start);
        }
        catch (final Exception ex)
        {
            return new LiveResult(name, false, name + ": error: " + ex, System.nanoTime() - start);
        }
    }
}
