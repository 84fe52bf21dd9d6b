package dev.hostplane.syslog.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;

import dev.hostplane.syslog.SyslogEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code SyslogEngine.explain}: filters with outcomes, actions reached, stop, nothing written. */
class ExplainTest
{
    @TempDir
    Path dir;

    @Test
    void shouldReportMatchedFiltersAndReachedActionsWithoutWriting()
    {
        final String conf = "mail.* " + dir.resolve("mail.log") + "\n" +
            ":programname, isequal, \"sendmail\" " + dir.resolve("sendmail.log") + "\n& stop\n" +
            "if $programname == [\"postfix\",\"exim\"] then {\n  action(type=\"omfile\" file=\"" + dir.resolve("mta.log") +
            "\")\n} else {\n  action(type=\"omfwd\" target=\"127.0.0.1\" port=\"9\" protocol=\"tcp\")\n}\n";
        try (SyslogEngine engine = SyslogEngine.builder().configText(conf).zone(ZoneOffset.UTC).build())
        {
            final String postfix = engine.explain("<19>Nov 26 10:00:00 mail01 postfix/smtpd[42]: error: lost");
            assertThat(postfix).contains("programname=postfix")
                .containsPattern("filter pri-mask.*=> MATCH\\n    action omfile\\(file=.*mail.log.*=> REACHED")
                .containsPattern("filter :programname, isequal, \"sendmail\"  => no match")
                .containsPattern("postfix.*exim.*=> MATCH\\n    action omfile\\(file=.*mta.log.*=> REACHED")
                .doesNotContain("omfwd").endsWith("end of ruleset: 2 actions reached\n");
            final String sendmail = engine.explain("<30>Nov 26 10:00:00 mail01 sendmail[1]: queued");
            assertThat(sendmail).contains("sendmail.log").contains("stop  => processing of this message ends")
                .doesNotContain("mta.log").endsWith("processing stopped: 1 action reached\n");
            final String other = engine.explain("<13>Nov 26 10:00:00 web01 nginx: GET /");
            assertThat(other).contains("filter pri-mask").contains("=> no match").contains("else")
                .containsPattern("action omfwd\\(target=tcp://127.0.0.1:9.*=> REACHED")
                .endsWith("end of ruleset: 1 action reached\n");
        }
        assertThat(dir.resolve("mail.log")).doesNotExist();
        assertThat(Files.exists(dir.resolve("mta.log"))).isFalse();
    }
}
