package dev.hostplane.examples.flashcache;

import picocli.CommandLine.Command;

/**
 * {@code hostplane cache}: the flashcache tools ({@code bench}, {@code replay}, {@code sim}).
 */
@Command(name = "cache", mixinStandardHelpOptions = true,
    description = "Tiered RAM/flash block cache: benchmark a workload, replay a published trace, or run the study's"
        + " simulator.",
    subcommands = {CacheBenchCommand.class, CacheReplayCommand.class, CacheSimCommand.class})
public final class CacheCommand implements Runnable
{
    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand: bench, replay or sim");
    }
}
