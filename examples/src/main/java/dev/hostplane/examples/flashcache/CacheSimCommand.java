package dev.hostplane.examples.flashcache;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.hostplane.flashcache.sim.DeviceParameters;
import dev.hostplane.flashcache.sim.ExperimentResult;
import dev.hostplane.flashcache.sim.Experiments;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hostplane cache sim}: runs one of Holland et al.'s experiments on the simulator (the real cache on
 * simulated time) and writes {@code DIR/E.csv}, {@code DIR/E.png} and {@code DIR/E.txt} (the summary), and
 * prints the table.
 */
@Command(name = "sim", mixinStandardHelpOptions = true,
    description = "Run one of the flash-caching study's experiments on the simulator: CSV, PNG chart and a table.")
public final class CacheSimCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--experiment", required = true,
        description = "working-set, write-policies, architecture, persistence, invalidations, small-ram or traces")
    private String experiment;

    @Option(names = "--out", required = true, description = "directory for E.csv, E.png and E.txt")
    private Path out;

    @Option(names = "--scale", defaultValue = "256",
        description = "sizes, durations and periods divided by this (default: ${DEFAULT-VALUE})")
    private int scale;

    @Option(names = "--hours", defaultValue = "4",
        description = "simulated hours per point at full scale (default: ${DEFAULT-VALUE})")
    private double hours;

    @Option(names = "--traces", defaultValue = "../shared/traces",
        description = "published traces for the traces experiment (default: ${DEFAULT-VALUE})")
    private Path traces;

    @Option(names = "--quiet", description = "do not print each point as it finishes")
    private boolean quiet;

    @Override
    public Integer call() throws Exception
    {
        System.setProperty("java.awt.headless", "true");
        final PrintWriter stdout = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        if (!Experiments.NAMES.contains(experiment))
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--experiment=" + experiment + " is unknown (expected one of " + Experiments.NAMES + ")");
        }
        if (scale < 1 || hours <= 0)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--scale=" + scale + " must be >= 1 and --hours=" + hours + " > 0");
        }
        Files.createDirectories(out);
        final long start = System.nanoTime();
        final Experiments experiments = new Experiments(scale, DeviceParameters.PAPER_ERA,
            Duration.ofSeconds((long)(hours * 3600)), line ->
            {
                if (!quiet)
                {
                    err.println(line);
                    err.flush();
                }
            }).traces(traces);
        final ExperimentResult result;
        try
        {
            result = experiments.run(experiment);
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("cache sim: " + ex.getMessage());
            return 2;
        }
        Files.writeString(out.resolve(experiment + ".csv"), result.table().csv(), StandardCharsets.UTF_8);
        ChartImage.write(result.table(), result.charts(), out.resolve(experiment + ".png"));
        final String summary = String.join("\n", result.summary()) + "\n";
        Files.writeString(out.resolve(experiment + ".txt"), summary, StandardCharsets.UTF_8);
        stdout.print(result.table().pretty());
        stdout.println();
        stdout.print(summary);
        stdout.printf(Locale.ROOT, "experiment=%s scale=1/%d hours=%.1f wrote %s, %s, %s in %.1f s%n", experiment, scale,
            hours, out.resolve(experiment + ".csv"), out.resolve(experiment + ".png"), out.resolve(experiment + ".txt"),
            (System.nanoTime() - start) / 1e9);
        stdout.flush();
        return 0;
    }
}
