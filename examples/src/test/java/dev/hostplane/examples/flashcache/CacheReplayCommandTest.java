package dev.hostplane.examples.flashcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code hostplane cache replay} on a trace it cannot use exits 2 with one line naming the file, line and column
 * and no stack trace: a {@code .gz} that is not gzip, one cut short, and a line asking for an absurd block;
 * a good trace replays and reports its hit ratio.
 */
class CacheReplayCommandTest
{
    @TempDir
    Path dir;

    @Test
    void shouldReplayAGoodTrace() throws Exception
    {
        final Path trace = dir.resolve("loop.lis.gz");
        Files.write(trace, gzip(arcLines(1000)));
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        assertThat(run(out, err, "--format", "arc", "--capacity", "2000", "--policy", "lru", trace.toString()))
            .as("%s", err).isZero();
        // 1000 requests of one page over 100 pages: 100 cold misses, 900 hits.
        assertThat(out.toString()).contains("accesses: 1000 hits: 900 misses: 100").contains("hit ratio: 90.00%");
    }

    @Test
    void shouldRefuseAFileThatIsNotGzip() throws Exception
    {
        final Path trace = dir.resolve("plain.lis.gz");
        Files.writeString(trace, new String(arcLines(10), StandardCharsets.US_ASCII));
        final StringWriter err = new StringWriter();
        assertThat(run(new StringWriter(), err, "--format", "arc", "--capacity", "10", trace.toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("cache replay: plain.lis.gz:1:1: not a gzip file")
            .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void shouldRefuseAGzipFileCutShort() throws Exception
    {
        final byte[] whole = gzip(arcLines(20_000));
        final Path trace = dir.resolve("cut.lis.gz");
        Files.write(trace, Arrays.copyOf(whole, whole.length / 2));
        final StringWriter err = new StringWriter();
        assertThat(run(new StringWriter(), err, "--format", "arc", "--capacity", "10", trace.toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("cache replay: cut.lis.gz:").contains("gzip stream cut short")
            .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void shouldRefuseAnAbsurdBlockInsteadOfReplayingItForHours() throws Exception
    {
        final Path trace = dir.resolve("absurd.lis.gz");
        Files.write(trace, gzip("1 1 0 0\n10 99999999999 0 1\n".getBytes(StandardCharsets.US_ASCII)));
        final StringWriter err = new StringWriter();
        final long start = System.nanoTime();
        assertThat(run(new StringWriter(), err, "--format", "arc", "--capacity", "10", trace.toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("cache replay: absurd.lis.gz:2:4: request of 99999999999 blocks exceeds")
            .doesNotContain("Exception");
        assertThat((System.nanoTime() - start) / 1_000_000_000L).as("refused, not replayed").isLessThan(30);
    }

    private static byte[] arcLines(final int requests)
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < requests; i++)
        {
            text.append(i % 100).append(" 1 0 ").append(i).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] gzip(final byte[] bytes) throws Exception
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out))
        {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    private static int run(final StringWriter out, final StringWriter err, final String... args)
    {
        final CommandLine commandLine = new CommandLine(new CacheReplayCommand());
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }
}
