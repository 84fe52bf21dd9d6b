package dev.hostplane.syslog.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.hostplane.syslog.SyslogConfigException;
import dev.hostplane.syslog.SyslogEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Config validation against rsyslogd: every config {@code rsyslogd -N1} rejects we reject too, at
 * the offending parameter's file:line:column and naming it; configs it accepts we accept.
 */
class ConfigParityTest
{
    /** Each broken line follows a working output, so rsyslogd fails for this line and not for lack of actions. */
    private static final String[][] BROKEN = {
        {"action(type=\"omfile\" file=\"OUT/a\" bogusparam=\"1\")", "bogusparam"},
        {"module(load=\"imtcp\")\ninput(type=\"imtcp\" port=\"0\" bogusparam=\"1\")", "bogusparam"},
        {"module(load=\"imtcp\" bogusmod=\"1\")", "bogusmod"},
        {"module(load=\"imtcp\" maxSessions=\"-1\")", "maxsessions"},
        {"global(bogusglobal=\"1\")", "bogusglobal"},
        {"template(name=\"t\" type=\"string\" string=\"x\" bogustpl=\"1\")", "bogustpl"},
        {"template(name=\"t\" type=\"list\") { property(name=\"msg\" bogusprop=\"1\") }", "bogusprop"},
        {"main_queue(queue.bogus=\"1\")", "queue.bogus"},
        {"ruleset(name=\"r\" bogusrs=\"1\") { stop }", "bogusrs"},
        {"parser(name=\"p\" type=\"pmrfc3164\" bogusparser=\"1\")", "bogusparser"},
        {"action(type=\"omfile\" file=\"OUT/a\" createDirs=\"yes\")", "createdirs"},
        {"action(type=\"omfile\" file=\"OUT/a\" fileCreateMode=\"644\")", "filecreatemode"},
        {"action(type=\"omfile\" file=\"OUT/a\" dynaFileCacheSize=\"abc\")", "dynafilecachesize"},
        {"action(type=\"omfile\" file=\"OUT/a\" queue.size=\"-5\")", "queue.size"},
        {"action(type=\"omfile\" file=\"OUT/a\" queue.type=\"Foo\")", "queue.type"},
        {"action(type=\"omfile\" file=\"OUT/a\" ioBufferSize=\"4x\")", "iobuffersize"},
        {"action(type=\"omfwd\" target=\"127.0.0.1\" protocol=\"sctp\")", "protocol"},
        {"action(type=\"omfwd\" protocol=\"tcp\")", "target"},
        {"action(type=\"omfile\")", "file"},
        {"action(type=\"omfoo\")", "omfoo"},
        {"action(type=\"omrelp\" target=\"127.0.0.1\" port=\"1\")", "omrelp"},
        {"input(type=\"imtcp\" port=\"0\")", "imtcp"},
        {"module(load=\"imudp\")\ninput(type=\"imudp\")", "port"},
        {"action(type=\"omfile\" file=\"OUT/a\" template=\"nosuchtemplate\")", "nosuchtemplate"},
        {"$BogusDirective on", "BogusDirective"},
        {"$ActionQueueType Foo\n*.* OUT/b", "queue.type"},
        {"module(load=\"nosuchmodule\")", "nosuchmodule"},
        {"action(type=\"omfile\" file=\"OUT/a\" file=\"OUT/b\")", "file"},
    };

    @TempDir
    Path dir;

    @Test
    void shouldRejectEveryConfigRsyslogdRejectsAtTheParameter() throws Exception
    {
        assumeThat(Rsyslogd.available()).isTrue();
        final List<String> report = new ArrayList<>();
        int rsyslogRejects = 0;
        for (final String[] c : BROKEN)
        {
            final String body = "*.* " + dir.resolve("ok.log") + "\n" + c[0].replace("OUT", dir.toString()) + "\n";
            final Path conf = dir.resolve("broken-" + report.size() + ".conf");
            Files.write(conf, body.getBytes(StandardCharsets.UTF_8));
            final int rsyslogd = rsyslogdCheck(conf);
            final String ours = ours(conf);
            report.add("rsyslogd -N1 rc=" + rsyslogd + " | hostplane: " + ours + " | " + c[0].replace('\n', ' '));
            if (rsyslogd != 0)
            {
                rsyslogRejects++;
                assertThat(ours).as("rsyslogd rejects %s, so must we", c[0]).isNotEqualTo("accepted");
            }
            if (!"accepted".equals(ours))
            {
                // file:line:column of the line that is wrong (line 2: line 1 is the working output), naming the culprit.
                assertThat(ours).as(c[0]).matches(java.util.regex.Pattern.quote(conf.toString()) + ":[23]:\\d+: .*")
                    .containsIgnoringCase(c[1]);
            }
        }
        report.forEach(System.out::println);
        assertThat(rsyslogRejects).as("the corpus is made of configs rsyslogd rejects").isGreaterThanOrEqualTo(BROKEN.length - 4);
    }

    @Test
    void shouldAcceptWhatRsyslogdAccepts() throws Exception
    {
        assumeThat(Rsyslogd.available()).isTrue();
        final String body = "module(load=\"imtcp\" maxSessions=\"500\")\nmodule(load=\"imudp\")\n" +
            "input(type=\"imtcp\" port=\"0\" address=\"127.0.0.1\" ruleset=\"r\")\n" +
            "input(type=\"imudp\" port=\"0\" address=\"127.0.0.1\")\n" +
            "global(maxMessageSize=\"64k\" net.enableDNS=\"off\")\n" +
            "template(name=\"t\" type=\"list\") { property(name=\"msg\" position.from=\"2\") constant(value=\"\\n\") }\n" +
            "ruleset(name=\"r\") { action(type=\"omfile\" file=\"" + dir.resolve("r.log") + "\" template=\"t\" " +
            "createDirs=\"on\" fileCreateMode=\"0640\" action.resumeRetryCount=\"-1\" action.resumeInterval=\"5\" " +
            "queue.type=\"LinkedList\" queue.size=\"10k\" queue.saveOnShutdown=\"on\" queue.filename=\"q\") }\n" +
            "$ActionQueueType LinkedList\n$ActionResumeRetryCount -1\n*.* @@127.0.0.1:10514\n" +
            "action(type=\"omfwd\" target=\"127.0.0.1\" port=\"10514\" protocol=\"tcp\" tcp_framing=\"octet-counted\")\n";
        final Path conf = dir.resolve("good.conf");
        Files.write(conf, body.getBytes(StandardCharsets.UTF_8));
        assertThat(rsyslogdCheck(conf)).isZero();
        assertThat(ours(conf)).isEqualTo("accepted");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "module(load=\"imtcp\")\\ninput(type=\"imtcp\" port=\"99999\")|2:20|parameter 'port': 99999 is out of range",
        "action(type=\"omfwd\" target=\"h\" port=\"0\")|1:32|parameter 'port': 0 is out of range",
        "action(type=\"omfile\" file=\"/tmp/x\"\\n    bogusparam=\"1\")|2:5|parameter 'bogusparam' not known",
        "$ActionResumeRetryCount lots\\n*.* /tmp/hp-never-written|1:1|parameter 'action.resumeretrycount': expected a number",
    })
    void shouldPointAtTheParameterWithLineAndColumn(final String conf, final String position, final String what)
    {
        assertThatThrownBy(() -> SyslogEngine.builder().configText(conf.replace("\\n", "\n")).build())
            .isInstanceOf(SyslogConfigException.class)
            .hasMessageStartingWith("<string>:" + position + ": ")
            .hasMessageContaining(what);
    }

    private static int rsyslogdCheck(final Path conf) throws IOException, InterruptedException
    {
        final Process p = new ProcessBuilder(Rsyslogd.BINARY.toString(), "-N1", "-f", conf.toString())
            .redirectErrorStream(true).redirectOutput(conf.resolveSibling(conf.getFileName() + ".rsyslogd.txt").toFile())
            .start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    private static String ours(final Path conf)
    {
        try (SyslogEngine e = SyslogEngine.builder().configFile(conf).build())
        {
            return "accepted";
        }
        catch (final SyslogConfigException ex)
        {
            return ex.getMessage();
        }
    }
}
