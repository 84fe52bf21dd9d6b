package dev.hostplane.benchmarks;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the benchmarks module's own code: the JVM flags baked into benchmarks.jar, and that a
 * generated JMH benchmark really runs and measures (in-process, one short iteration, so a broken
 * benchmark or annotation-processor setup fails the build instead of the first person who runs it).
 */
class BenchmarkHarnessTest
{
    @Test
    void shouldCarryTheBuildsJvmFlagsForEveryFork() throws Exception
    {
        final List<String> flags = BenchmarkMain.jvmFlags();

        assertThat(flags)
            .contains("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
            .contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED")
            .allSatisfy((flag) -> assertThat(flag).doesNotContain("${").isNotBlank());
    }

    @Test
    void shouldRunAGeneratedBenchmarkAndMeasureIt() throws Exception
    {
        final Options options = new OptionsBuilder()
            .include(ClassifierBenchmarkName.PATTERN)
            .param("rules", "100")
            .param("masks", "4")
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(200))
            .timeUnit(TimeUnit.MICROSECONDS)
            .shouldFailOnError(true)
            .build();

        final Collection<RunResult> results = new Runner(options).run();

        assertThat(results).hasSize(1);
        final RunResult result = results.iterator().next();
        assertThat(result.getPrimaryResult().getScore()).isPositive();
        assertThat(result.getParams().getParam("rules")).isEqualTo("100");
    }

    /** The benchmark this test runs: the classifier lookup, cheap to set up and free of I/O. */
    private static final class ClassifierBenchmarkName
    {
        static final String PATTERN = "dev\\.hostplane\\.benchmarks\\.vswitch\\.ClassifierBenchmark\\.classifierLookup$";
    }
}
