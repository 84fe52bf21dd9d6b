package dev.hostplane.packetscript.live;

import dev.hostplane.packetscript.live.internal.exec.WarmUp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Runs many scripts like packetdrill's {@code run_all.py}: up to N at once, each in its own
 * namespace inside this JVM, reporting each verdict as it arrives.
 */
public final class SuiteRunner
{
    private SuiteRunner()
    {
    }

    /**
     * Runs the built-in warm-up script ({@code warm-up.pkt}) a few times, once per JVM, and waits for it: a cold
     * JVM reached the events of its first scripts several milliseconds late ({@link WarmUp}).
     *
     * @param options     the options the suite runs with.
     * @param definitions the definitions the suite runs with.
     */
    public static void warmUp(final Map<String, String> options, final Map<String, String> definitions)
    {
        WarmUp.start(options, definitions, WarmUp.SUITE_RUNS).join();
    }

    /**
     * Runs scripts in parallel.
     *
     * @param scripts the scripts.
     * @param mode the IP mode (its options and definitions are added).
     * @param extraOptions more options, overriding the mode's.
     * @param parallelism how many at once (at least 1).
     * @param listener called with each result as it completes (from worker threads, serialised).
     * @return results in the order of {@code scripts}.
     * @throws InterruptedException when interrupted.
     */
    public static List<LiveResult> run(
        final List<Path> scripts, final SuiteMode mode, final Map<String, String> extraOptions, final int parallelism,
        final Consumer<LiveResult> listener) throws InterruptedException
    {
        return run(scripts, mode, extraOptions, parallelism, listener, Map.of());
    }

    /**
     * Runs scripts in parallel with extra {@code -D} definitions.
     *
     * @param scripts the scripts.
     * @param mode the IP mode (its options and definitions are added).
     * @param extraOptions more options, overriding the mode's.
     * @param parallelism how many at once (at least 1).
     * @param listener called with each result as it completes (serialised).
     * @param extraDefinitions more definitions, overriding the mode's.
     * @return results in the order of {@code scripts}.
     * @throws InterruptedException when interrupted.
     */
    public static List<LiveResult> run(
        final List<Path> scripts, final SuiteMode mode, final Map<String, String> extraOptions, final int parallelism,
        final Consumer<LiveResult> listener, final Map<String, String> extraDefinitions) throws InterruptedException
    {
        final Map<String, String> definitions = new java.util.LinkedHashMap<>(mode.definitions());
        definitions.putAll(extraDefinitions);
        final Map<String, String> options = new java.util.LinkedHashMap<>(mode.options());
        options.putAll(extraOptions);
        warmUp(options, definitions);
        final List<Integer> boosted = dev.hostplane.packetscript.live.internal.exec.ScriptExecutor.boostJvmThreads();
        final ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallelism),
            (runnable) ->
            {
                final Thread thread = new Thread(runnable, "pkt-suite");
                thread.setDaemon(true);
                return thread;
            });
        try
        {
            final List<Future<LiveResult>> futures = new ArrayList<>();
            for (final Path script : scripts)
            {
                futures.add(pool.submit(
                    () ->
                    {
                        final LiveResult result = LiveRunner.run(script, options, definitions);
                        synchronized (SuiteRunner.class)
                        {
                            listener.accept(result);
                        }
                        return result;
                    }));
            }
            final List<LiveResult> results = new ArrayList<>();
            for (final Future<LiveResult> future : futures)
            {
                try
                {
                    results.add(future.get());
                }
                catch (final ExecutionException ex)
                {
                    throw new IllegalStateException("script runner crashed", ex.getCause());
                }
            }
            return results;
        }
        finally
        {
            pool.shutdownNow();
            dev.hostplane.packetscript.live.internal.exec.ScriptExecutor.restoreJvmThreads(boosted);
        }
    }
}
