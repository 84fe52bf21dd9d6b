package dev.hostplane.flashcache.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * STUDY.md shows every experiment's chart: for each experiment the document embeds {@code study/E.png}, links
 * its CSV, and both files are there (the PNG decodes, the CSV has a header and points), so an experiment added
 * to {@link Experiments#NAMES} without its chart in the study fails here. The README links the study.
 */
class StudyDocumentTest
{
    /** The module's directory: tests run in it. */
    private static final Path MODULE = Path.of("").toAbsolutePath();

    static List<String> experiments()
    {
        return Experiments.NAMES;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("experiments")
    void shouldShowTheChartAndLinkTheCsvOfEveryExperiment(final String experiment) throws Exception
    {
        final String study = Files.readString(MODULE.resolve("STUDY.md"), StandardCharsets.UTF_8);
        assertThat(study).contains("![" + experiment + "](study/" + experiment + ".png)")
            .contains("(study/" + experiment + ".csv)");

        final BufferedImage chart = ImageIO.read(MODULE.resolve("study/" + experiment + ".png").toFile());
        assertThat(chart).as("study/%s.png decodes", experiment).isNotNull();
        assertThat(chart.getWidth()).isGreaterThan(0);

        final List<String> csv = Files.readAllLines(MODULE.resolve("study/" + experiment + ".csv"));
        assertThat(csv).hasSizeGreaterThan(1);
        assertThat(csv.get(0)).matches("[a-z_]+(,[a-z_]+)+");
        assertThat(Files.readString(MODULE.resolveSibling("README.md"))).contains("(flashcache/STUDY.md)");
    }
}
