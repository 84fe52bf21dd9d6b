package dev.hostplane.syslog.conformance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The suite's comparison and known-failures list must be able to fail. */
class OutputComparisonTest
{
    @TempDir
    Path dir;

    @Test
    void shouldReportNothingForIdenticalTrees() throws IOException
    {
        write("want/a.log", "x\n");
        write("want/sub/b.log", "y\n");
        write("got/a.log", "x\n");
        write("got/sub/b.log", "y\n");
        assertThat(OutputComparison.compare(dir.resolve("want"), dir.resolve("got"))).isEmpty();
    }

    @Test
    void shouldReportMissingUnexpectedAndDifferingFiles() throws IOException
    {
        write("want/a.log", "same\nrsyslog\ntail\n");
        write("want/missing.log", "m\n");
        write("got/a.log", "same\nengine\ttab\ntail\n");
        write("got/extra.log", "e\n");
        final String report = OutputComparison.compare(dir.resolve("want"), dir.resolve("got"));
        assertThat(report)
            .contains("missing file: missing.log")
            .contains("unexpected file: extra.log")
            .contains("differs: a.log")
            .contains("firstDifferentLine=2")
            .contains("-   rsyslog")
            .contains("+   engine\\x09tab");
    }

    @Test
    void shouldTreatAnAbsentExpectedFolderAsNoFilesExpected() throws IOException
    {
        write("got/x.log", "x\n");
        assertThat(OutputComparison.compare(dir.resolve("absent"), dir.resolve("got"))).contains("unexpected file: x.log");
    }

    @Test
    void shouldNoticeAMissingFinalNewline() throws IOException
    {
        write("want/a.log", "x\n");
        write("got/a.log", "x");
        assertThat(OutputComparison.compare(dir.resolve("want"), dir.resolve("got"))).contains("<no final LF>");
    }

    @Test
    void shouldParseKnownFailuresAndRejectEntriesWithoutReason() throws IOException
    {
        write("suite/known-failures.txt", "# comment\n\ncase-a  engine lacks X\ncase-b\tother reason\n");
        final KnownFailures known = KnownFailures.load(dir.resolve("suite"));
        assertThat(known.reason("case-a")).isEqualTo("engine lacks X");
        assertThat(known.reason("case-b")).isEqualTo("other reason");
        assertThat(known.reason("case-c")).isNull();

        write("bad/known-failures.txt", "case-a\n");
        assertThatThrownBy(() -> KnownFailures.load(dir.resolve("bad")))
            .hasMessageContaining("known-failures.txt:1:1")
            .hasMessageContaining("case=case-a");
    }

    private void write(final String rel, final String content) throws IOException
    {
        final Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
    }
}
