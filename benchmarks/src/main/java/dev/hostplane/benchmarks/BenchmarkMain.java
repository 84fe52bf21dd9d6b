package dev.hostplane.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Entry point of {@code benchmarks.jar}: JMH's own command line, with the JVM flags our
 * dependencies need (the build's {@code hostplane.jvm.flags}) prepended to every fork so that a
 * benchmark never runs in a JVM the library would refuse in production.
 */
public final class BenchmarkMain
{
    private BenchmarkMain()
    {
    }

    /**
     * Runs JMH with the hostplane JVM flags added to the forks.
     *
     * @param args JMH command-line arguments (see {@code -h}).
     * @throws Exception when JMH fails.
     */
    public static void main(final String[] args) throws Exception
    {
        final CommandLineOptions cmd = new CommandLineOptions(args);
        if (cmd.shouldHelp() || cmd.shouldList() || cmd.shouldListWithParams() || cmd.shouldListProfilers()
            || cmd.shouldListResultFormats())
        {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        final List<String> prepend = new ArrayList<>(jvmFlags());
        cmd.getJvmArgsPrepend().orElse(List.of()).forEach(prepend::add);
        final Options options = new OptionsBuilder()
            .parent(cmd)
            .jvmArgsPrepend(prepend.toArray(new String[0]))
            .build();
        final Collection<?> results = new Runner(options).run();
        if (results.isEmpty())
        {
            System.err.println("no benchmark matched " + cmd.getIncludes());
            System.exit(1);
        }
    }

    /**
     * The JVM flags the build recorded for our dependencies.
     *
     * @return the flags, one per element.
     * @throws IOException when the resource cannot be read.
     */
    public static List<String> jvmFlags() throws IOException
    {
        try (InputStream in = BenchmarkMain.class.getResourceAsStream("/hostplane-jvm.flags"))
        {
            if (in == null)
            {
                throw new IOException("hostplane-jvm.flags missing from the benchmarks jar: rebuild with Maven");
            }
            final String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return text.isEmpty() ? List.of() : List.of(text.split("\\s+"));
        }
    }
}
