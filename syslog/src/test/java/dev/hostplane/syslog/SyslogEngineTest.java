package dev.hostplane.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyslogEngineTest
{
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private String run(final String conf, final String file, final String... lines) throws Exception
    {
        try (SyslogEngine engine = SyslogEngine.builder().configText(conf.replace("@OUT@", dir.toString()))
            .clock(CLOCK).zone(ZoneOffset.UTC).localHostname("testhost").sender("imtcp", "127.0.0.1", "127.0.0.1")
            .build())
        {
            for (final String l : lines)
            {
                engine.submit(l);
            }
        }
        final Path out = dir.resolve(file);
        return Files.exists(out) ? new String(Files.readAllBytes(out), StandardCharsets.ISO_8859_1) : "";
    }

    @Test
    void shouldWriteFileFormatForPriSelector() throws Exception
    {
        final String out = run("mail.* @OUT@/mail.log\n", "mail.log",
            "<22>Nov  3 08:01:02 mail01 postfix/smtpd[4242]: connect from unknown[192.0.2.7]",
            "<34>Oct 11 22:14:15 mymachine su: 'su root' failed");
        assertThat(out).isEqualTo("2026-11-03T08:01:02+00:00 mail01 postfix/smtpd[4242]: connect from unknown[192.0.2.7]\n");
    }

    @Test
    void shouldParseRfc5424AndMissingHostname() throws Exception
    {
        final String out = run("*.info;mail.none;authpriv.none @OUT@/info.log\n", "info.log",
            "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut=\"3\"] An application event",
            "<14>Nov  3 08:01:09 postfix/qmgr[5]: no hostname here");
        assertThat(out).isEqualTo("2003-10-11T22:14:15.003Z mymachine.example.com evntslog An application event\n" +
            "2026-11-03T08:01:09+00:00 127.0.0.1 postfix/qmgr[5]: no hostname here\n");
    }

    @Test
    void shouldApplyPropertyFiltersAndDiscard() throws Exception
    {
        final String conf = "$template short,\"%hostname%|%programname%|%syslogtag%|%msg%\\n\"\n" +
            ":msg, contains, \"error\" @OUT@/error.log;short\n& ~\n" +
            ":hostname, startswith, \"web\" @OUT@/web.log;short\n" +
            "*.* @OUT@/rest.log;short\n";
        run(conf, "rest.log",
            "<19>Nov  3 08:01:03 mail01 sendmail[77]: error: lost connection",
            "<86>Nov  3 08:01:04 Web01 sudo:  alice : TTY=pts/0",
            "<78>Nov  3 08:01:05 web02 CRON[1234]: (root) CMD x");
        assertThat(Files.readString(dir.resolve("error.log"))).isEqualTo("mail01|sendmail|sendmail[77]:| error: lost connection\n");
        assertThat(Files.readString(dir.resolve("web.log"))).isEqualTo("web02|CRON|CRON[1234]:| (root) CMD x\n");
        assertThat(Files.readString(dir.resolve("rest.log"))).isEqualTo(
            "Web01|sudo|sudo:|  alice : TTY=pts/0\nweb02|CRON|CRON[1234]:| (root) CMD x\n");
    }

    @Test
    void shouldRunRainerScriptWithArrayMatchAndReplacer() throws Exception
    {
        final String conf = "template(name=\"t\" type=\"string\" string=\"%hostname:::lowercase%|" +
            "%programname:::uppercase%|%msg:F,58:2%|%msg:R,ERE,0,DFLT:[0-9]+--end%|%$!%\\n\")\n" +
            "if $programname == [\"postfix\",\"exim\"] then {\n set $!prog = $programname;\n" +
            " set $!len = strlen($msg);\n action(type=\"omfile\" file=\"@OUT@/t.log\" template=\"t\")\n}" +
            " else if $syslogseverity <= 3 then { action(type=\"omfile\" file=\"@OUT@/t.log\" template=\"t\") stop }\n";
        final String out = run(conf, "t.log",
            "<22>Nov  3 08:01:02 mail01 postfix/smtpd[4242]: connect from unknown[192.0.2.7]",
            "<34>Oct 11 22:14:15 MyMachine su: 'su root' failed: x");
        assertThat(out).isEqualTo(
            "mail01|POSTFIX|**FIELD NOT FOUND**|192|{ \"prog\": \"postfix\", \"len\": 32 }\n" +
            "mymachine|SU| x|**NO MATCH**|\n");
    }

    @Test
    void shouldReproduceRsyslogStringGeneratorQuirks() throws Exception
    {
        final String out = run("*.* @OUT@/f.log;RSYSLOG_FileFormat\n", "f.log",
            "<165>1 2003-10-11T22:14:15.003Z h a - - [a@1 x=\"y\"]",
            "<165>1 2003-10-11T22:14:15.1234567Z h a - - - seven digits");
        // Empty msg still gets the separating space; a 7-digit fraction wraps into one odd byte.
        assertThat(out).isEqualTo("2003-10-11T22:14:15.003Z h a \n" +
            "2003-10-11T22:14:15.\u00b7Z h a seven digits\n".replace("\u00b7", new String(new byte[] {(byte)0xB7},
            StandardCharsets.ISO_8859_1)));
    }

    @Test
    void shouldReportConfigErrorsWithPosition()
    {
        assertThatThrownBy(() -> SyslogEngine.builder().configText("*.* /tmp/x\nif $msg contains \"a\" thn stop\n")
            .build())
            .isInstanceOf(SyslogConfigException.class)
            .hasMessageStartingWith("<string>:2:")
            .hasMessageContaining("expected 'then'");
    }
}
