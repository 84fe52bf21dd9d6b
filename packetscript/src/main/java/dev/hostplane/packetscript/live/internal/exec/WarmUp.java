package dev.hostplane.packetscript.live.internal.exec;

import dev.hostplane.packetscript.PacketScript;
import dev.hostplane.packetscript.Script;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the built-in {@code warm-up.pkt} a few times, once per JVM, before the first real script reaches its time
 * 0. A cold JVM spins lambda forms, initialises classes and interprets the executor's code the first time each path
 * runs: measured here, the first script of a fresh JVM reached its events up to 10 ms late (socket() 3 ms, the first
 * outbound verification 3 ms, the first inbound packet 2 ms), which the 4 ms tolerance does not absorb; C
 * packetdrill pays nothing of the kind.
 *
 * <p>The warm-up runs on a thread of its own, in namespaces of its own, while the first script sets up its
 * namespace and runs its init command (usually {@code defaults.sh}, a few hundred milliseconds of process starts),
 * so a single-script run rarely waits for it; {@link ScriptExecutor} waits for it only just before script time 0.
 * Its verdicts are ignored (a failure is logged). Measured (BENCHMARKS.md), one run is enough for a single script
 * to keep C packetdrill's verdicts; a suite, which waits for it once, runs it {@value #SUITE_RUNS} times so the hot
 * paths are compiled too. {@code -Dhostplane.packetscript.warmUpRuns=N} sets the count for both (0 turns it off).
 */
public final class WarmUp
{
    private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
    /** Runs before a suite. */
    public static final int SUITE_RUNS = 3;
    /** Runs before the first single script of a JVM. */
    public static final int SINGLE_RUNS = 1;
    private static final Integer RUNS = Integer.getInteger("hostplane.packetscript.warmUpRuns");
    private static CompletableFuture<Void> done;

    private WarmUp()
    {
    }

    /**
     * Starts the warm-up if this JVM has not started it yet; returns at once.
     *
     * @param options     the options scripts run with (IP mode and addresses).
     * @param definitions the definitions scripts run with.
     * @param runs        how many times to run the warm-up script ({@link #SINGLE_RUNS}, {@link #SUITE_RUNS}).
     * @return completes when the warm-up has ended.
     */
    public static synchronized CompletableFuture<Void> start(
        final Map<String, String> options, final Map<String, String> definitions, final int runs)
    {
        if (null == done)
        {
            done = new CompletableFuture<>();
            final int count = null == RUNS ? runs : RUNS;
            final Thread thread = new Thread(() -> run(options, definitions, count), "pkt-warm-up");
            thread.setDaemon(true);
            thread.start();
        }
        return done;
    }

    /** Waits for a started warm-up to end; returns at once when none was started. */
    static void awaitIfStarted()
    {
        final CompletableFuture<Void> started;
        synchronized (WarmUp.class)
        {
            started = done;
        }
        if (null != started)
        {
            started.join();
        }
    }

    private static void run(final Map<String, String> options, final Map<String, String> definitions, final int runs)
    {
        try (InputStream in = WarmUp.class.getResourceAsStream("warm-up.pkt"))
        {
            if (null == in)
            {
                LOG.warn("no warm-up script in the jar: the first script of this JVM may run late");
                return;
            }
            final String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            final Path directory = Path.of(System.getProperty("java.io.tmpdir"));
            for (int i = 0; i < runs; i++)
            {
                try
                {
                    final Script script = PacketScript.parse("warm-up.pkt", text, definitions);
                    new ScriptExecutor(script, new LiveOptions(options, script), directory, true).run();
                }
                catch (final Exception ex)
                {
                    LOG.warn("warm-up run {} failed (ignored): {}", i + 1, ex.getMessage());
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            LOG.warn("warm-up failed (ignored): {}", ex.toString());
        }
        finally
        {
            done.complete(null);
        }
    }
}
