package dev.hostplane.examples.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A broken config makes {@code hostplane syslog check} and {@code hostplane syslogd} alike exit 2
 * (what the launcher passes to {@code System.exit}) with the file, line and column of the fault and
 * the parameter's name, and {@code syslogd} starts nothing.
 */
class SyslogConfigExitTest
{
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "port out of range     | input(type=\"imtcp\" address=\"127.0.0.1\"  port=\"99999\") | 3:41 | port",
        "unknown action param  | action(type=\"omfile\" file=\"/dev/null\" bogusparam=\"1\") | 3:39 | bogusparam",
        "wrong type            | input(type=\"imtcp\" port=\"0\" maxSessions=\"many\") | 3:29 | maxSessions",
        "unknown input type    | input(type=\"imnothing\") | 3:7 | imnothing",
    })
    void shouldExitTwoWithFileLineColumnAndTheParameter(final String name, final String line, final String at,
        final String parameter) throws Exception
    {
        final Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, "# a broken config\nmodule(load=\"imtcp\")\n" + line + "\n");
        final String where = conf + ":" + at;

        final StringWriter checkErr = new StringWriter();
        assertThat(run(new CommandLine(new SyslogCommand()), checkErr, "check", "--config", conf.toString()))
            .as("syslog check: %s", checkErr).isEqualTo(2);
        assertThat(checkErr.toString()).contains(where).containsIgnoringCase(parameter);

        final StringWriter daemonErr = new StringWriter();
        assertThat(run(new CommandLine(new SyslogdCommand()), daemonErr, "-n", "-f", conf.toString()))
            .as("syslogd: %s", daemonErr).isEqualTo(2);
        assertThat(daemonErr.toString()).contains(where).containsIgnoringCase(parameter).doesNotContain("running");
        assertThat(firstLine(daemonErr)).as("the same report from both").isEqualTo(firstLine(checkErr));
    }

    private static int run(final CommandLine commandLine, final StringWriter err, final String... args)
    {
        commandLine.setOut(new PrintWriter(new StringWriter()));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }

    private static String firstLine(final StringWriter w)
    {
        return w.toString().lines().findFirst().orElse("");
    }
}
