package dev.hostplane.examples.flashcache;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.hostplane.flashcache.EvictionPolicy;
import dev.hostplane.flashcache.trace.TraceFormat;
import dev.hostplane.flashcache.trace.TraceFormatException;
import dev.hostplane.flashcache.trace.TraceReplay;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hostplane cache replay}: replays a block trace against one replacement policy and prints the hit
 * ratio, to compare with published tables (e.g. the ARC paper's).
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Replay a block trace against a replacement policy and print the hit ratio.")
public final class CacheReplayCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--policy", defaultValue = "s3fifo", description = "lru, arc or s3fifo (default: ${DEFAULT-VALUE})")
    private String policy;

    @Option(names = "--capacity", required = true,
        description = "cache size in the trace's own units: 512-byte pages (arc), blocks (lirs), 4 KiB blocks (cloudphysics)")
    private int capacity;

    @Option(names = "--format", required = true, description = "arc, lirs or cloudphysics")
    private String format;

    @Option(names = "--limit", defaultValue = "" + Long.MAX_VALUE, description = "replay at most this many accesses")
    private long limit;

    @Parameters(index = "0", paramLabel = "TRACE", description = "trace file (.gz is decompressed)")
    private Path trace;

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final EvictionPolicy evictionPolicy;
        final TraceFormat traceFormat;
        try
        {
            evictionPolicy = EvictionPolicy.parse(policy);
            traceFormat = TraceFormat.parse(format);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
        }
        if (capacity < 1)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--capacity=" + capacity + " must be >= 1");
        }
        if (!Files.isReadable(trace))
        {
            err.println("cache replay: trace=" + trace + " is not a readable file");
            return 2;
        }
        final long start = System.nanoTime();
        final TraceReplay.Result result;
        try
        {
            result = TraceReplay.replay(trace, traceFormat, evictionPolicy.create(capacity), limit);
        }
        catch (final TraceFormatException ex)
        {
            err.println("cache replay: " + ex.getMessage());
            return 2;
        }
        catch (final java.io.IOException ex)
        {
            err.println("cache replay: trace=" + trace + ": cannot be read: " + ex.getMessage());
            return 2;
        }
        final long millis = (System.nanoTime() - start) / 1_000_000;
        out.printf("trace: %s format=%s policy=%s capacity=%d (%s)%n",
            trace.getFileName(), traceFormat, evictionPolicy.name().toLowerCase(java.util.Locale.ROOT), capacity,
            traceFormat.unit());
        out.printf("accesses: %d hits: %d misses: %d writes: %d (%d ms)%n",
            result.accesses(), result.hits(), result.misses(), result.writes(), millis);
        out.printf("hit ratio: %.2f%%%n", result.hitRatioPercent());
        out.flush();
        return 0;
    }
}
