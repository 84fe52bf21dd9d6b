package dev.hostplane.examples.flashcache;

import picocli.CommandLine.Command;

/**
 * {@code hostplane cache}: the flashcache tools ({@code bench}, {@code replay}).
 */
@Command(name = "cache", mixinStandardHelpOptions = true,
    description = "Tiered RAM/flash block cache: benchmark a workload or replay a published trace.",
    subcommands = {CacheBenchCommand.class, CacheReplayCommand.class})
public final class CacheCommand implements Runnable
{
    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand: bench or replay");
    }
}
