package dev.hostplane.examples.flashcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import javax.imageio.ImageIO;

import dev.hostplane.flashcache.sim.Experiments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code hostplane cache sim --experiment E --out DIR} for every experiment, on tiny configurations (scale 1/8192,
 * a quarter of a simulated hour; the traces experiment on small traces under the published traces' names):
 * exit 0, {@code DIR/E.csv} with a header row and rows of as many fields, {@code DIR/E.png} a PNG that decodes
 * to a chart-sized image, {@code DIR/E.txt} the summary, and the table printed. Bad arguments exit 2 with the
 * reason and no stack trace.
 */
class CacheSimCommandTest
{
    private static final byte[] PNG_SIGNATURE = {(byte)0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path dir;

    static List<String> experiments()
    {
        return Experiments.NAMES;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("experiments")
    void shouldWriteTheCsvThePngAndTheSummaryAndPrintTheTable(final String experiment) throws Exception
    {
        final Path traces = tinyTraces();
        final Path out = dir.resolve("out");
        final StringWriter stdout = new StringWriter();
        final StringWriter stderr = new StringWriter();

        final int exit = run(stdout, stderr, "--experiment", experiment, "--out", out.toString(), "--scale", "8192",
            "--hours", "0.25", "--traces", traces.toString(), "--quiet");

        assertThat(exit).as("exit of %s: %s", experiment, stderr).isZero();
        final List<String> csv = Files.readAllLines(out.resolve(experiment + ".csv"), StandardCharsets.UTF_8);
        assertThat(csv).as("header and at least one point").hasSizeGreaterThan(1);
        final String[] header = csv.get(0).split(",", -1);
        assertThat(header).allSatisfy(column -> assertThat(column).matches("[a-z_]+"));
        for (final String row : csv.subList(1, csv.size()))
        {
            assertThat(row.split(",", -1)).as("row %s", row).hasSameSizeAs(header);
        }

        final Path png = out.resolve(experiment + ".png");
        assertThat(Arrays.copyOf(Files.readAllBytes(png), PNG_SIGNATURE.length)).isEqualTo(PNG_SIGNATURE);
        final BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("%s decodes", png).isNotNull();
        assertThat(image.getWidth()).isGreaterThanOrEqualTo(800);
        assertThat(image.getHeight()).isGreaterThanOrEqualTo(400);

        assertThat(Files.readString(out.resolve(experiment + ".txt"))).isNotBlank();
        assertThat(stdout.toString()).contains(header[0]).contains(header[header.length - 1])
            .contains("experiment=" + experiment);
        assertThat(stderr.toString()).doesNotContain("Exception");
    }

    @Test
    void shouldRefuseAnUnknownExperimentNamingTheKnownOnes()
    {
        final StringWriter stderr = new StringWriter();
        assertThat(run(new StringWriter(), stderr, "--experiment", "figure-9", "--out", dir.toString())).isEqualTo(2);
        assertThat(stderr.toString()).contains("figure-9").contains("working-set").doesNotContain("Exception");
    }

    @Test
    void shouldNameAMissingTracesDirectory()
    {
        final StringWriter stderr = new StringWriter();
        final Path missing = dir.resolve("no-traces");
        assertThat(run(new StringWriter(), stderr, "--experiment", "traces", "--out", dir.toString(), "--traces",
            missing.toString())).isEqualTo(2);
        assertThat(stderr.toString()).contains(missing.toString()).contains("--traces")
            .doesNotContain("Exception");
    }

    private static int run(final StringWriter out, final StringWriter err, final String... args)
    {
        final CommandLine commandLine = new CommandLine(new CacheSimCommand());
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }

    /** Small traces where the traces experiment looks for the published ones. */
    private Path tinyTraces() throws IOException
    {
        final Path traces = dir.resolve("traces");
        final StringBuilder arc = new StringBuilder();
        final StringBuilder cloudPhysics = new StringBuilder("version,time,op,size,lbn\n");
        final StringBuilder lirs = new StringBuilder();
        for (int i = 0; i < 3000; i++)
        {
            // A loop over 600 pages with every third request a pair, a write-heavy loop over 300 blocks, a loop over 400.
            arc.append(i * 7 % 600).append(' ').append(i % 3 == 0 ? 2 : 1).append(" 0 ").append(i).append('\n');
            cloudPhysics.append("1,").append(i).append(',').append(i % 5 < 3 ? "2a" : "28").append(",4096,")
                .append(i * 11 % 300 * 8).append('\n');
            lirs.append(i * 13 % 400).append('\n');
        }
        gzip(traces.resolve("arc/OLTP.lis.gz"), arc);
        gzip(traces.resolve("cloudphysics/cloudPhysicsIO.csv.gz"), cloudPhysics);
        gzip(traces.resolve("lirs/sprite.trace.gz"), lirs);
        gzip(traces.resolve("lirs/multi2.trace.gz"), lirs);
        return traces;
    }

    private static void gzip(final Path file, final CharSequence text) throws IOException
    {
        Files.createDirectories(file.getParent());
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(file)))
        {
            gz.write(text.toString().getBytes(StandardCharsets.US_ASCII));
        }
    }
}
