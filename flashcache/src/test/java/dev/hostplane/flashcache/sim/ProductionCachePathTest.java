package dev.hostplane.flashcache.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The simulator runs the production cache, not a model of it: no class of the simulator reaches the cache's
 * implementation (the {@code internal} package: tiers, segment log, write-back, recovery), so every decision of
 * the cache under simulation is made by the code an application gets from {@code BlockCache.open}; and
 * {@code Simulator} opens its caches through {@code BlockCache.open} with caller-runs background work, which
 * runs the same write-back methods the cache's own threads run.
 */
class ProductionCachePathTest
{
    private static final Path SIM_SOURCES = Path.of("src/main/java/dev/hostplane/flashcache/sim");

    @Test
    void shouldReachTheCacheOnlyThroughItsPublicApi() throws IOException
    {
        final List<Path> sources;
        try (Stream<Path> files = Files.list(SIM_SOURCES))
        {
            sources = files.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList());
        }
        assertThat(sources).as("simulator sources in %s", SIM_SOURCES.toAbsolutePath()).hasSizeGreaterThan(10);
        for (final Path source : sources)
        {
            assertThat(Files.readString(source)).as("%s", source.getFileName())
                .doesNotContain("dev.hostplane.flashcache.internal");
        }
        final String simulator = Files.readString(SIM_SOURCES.resolve("Simulator.java"));
        assertThat(simulator).contains("BlockCache.open(").contains(".callerRunsBackgroundWork(true)")
            .contains(".doRamWriteBack()").contains(".doFlashWriteBack()");
        assertThat(Files.readString(SIM_SOURCES.resolve("Experiments.java"))).contains("BlockCache.open(")
            .contains(".callerRunsBackgroundWork(true)");
    }
}
