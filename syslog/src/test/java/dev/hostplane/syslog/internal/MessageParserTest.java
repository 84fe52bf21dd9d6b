package dev.hostplane.syslog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import dev.hostplane.syslog.internal.message.ByteSink;
import dev.hostplane.syslog.internal.message.EngineClock;
import dev.hostplane.syslog.internal.message.MessageParser;
import dev.hostplane.syslog.internal.message.SyslogMessage;
import dev.hostplane.syslog.internal.template.RenderContext;
import dev.hostplane.syslog.internal.template.Template;
import dev.hostplane.syslog.internal.template.TemplateParser;
import org.junit.jupiter.api.Test;

class MessageParserTest
{
    private static final String FIELDS =
        "%PRI%,%syslogfacility-text%,%syslogseverity-text%,%timestamp%,%hostname%,%programname%,%syslogtag%,%msg%";

    private String render(final String frame, final String template, final ZoneId zone)
    {
        final EngineClock clock = new EngineClock(Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), zone), zone,
            "localhost");
        final MessageParser parser = new MessageParser();
        final SyslogMessage m = new SyslogMessage();
        final byte[] b = frame.getBytes(StandardCharsets.ISO_8859_1);
        final byte[] ip = "127.0.0.1".getBytes(StandardCharsets.US_ASCII);
        parser.parse(m, b, 0, b.length, "imtcp".getBytes(StandardCharsets.US_ASCII), ip, ip, clock);
        final RenderContext ctx = new RenderContext(clock, RenderContext.newGlobals());
        ctx.message = m;
        final ByteSink out = new ByteSink();
        new Template("t", TemplateParser.parse(template, false), Template.OPTION_NONE, null).render(ctx, out);
        return out.toString();
    }

    private String render(final String frame, final String template)
    {
        return render(frame, template, ZoneOffset.UTC);
    }

    @Test
    void shouldParseRsyslogParsertestExamples()
    {
        assertThat(render("<167>Mar 27 19:06:53 source_server sshd(pam_unix)[12750]: session opened", FIELDS))
            .isEqualTo("167,local4,debug,Mar 27 19:06:53,source_server,sshd(pam_unix),sshd(pam_unix)[12750]:, " +
                "session opened");
        assertThat(render("<167>Mar 7 2008 19:06:53: example tag: testmessage", FIELDS))
            .isEqualTo("167,local4,debug,Mar  7 19:06:53,example,tag,tag:, testmessage");
        assertThat(render("Feb 18 16:01:59 serverX -- MARK --", FIELDS))
            .isEqualTo("13,user,notice,Feb 18 16:01:59,serverX,--,--, MARK --");
    }

    @Test
    void shouldTreatInvalidPriAsUnparsed()
    {
        assertThat(render("<999>Nov  3 08:02:00 host1 app: pri too large", "%pri-text%|%hostname%|%syslogtag%|%msg%"))
            .isEqualTo("invld.debug|127.0.0.1||<999>Nov  3 08:02:00 host1 app: pri too large");
    }

    @Test
    void shouldEscapeControlCharactersAndKeepLeadingSpace()
    {
        assertThat(render("<13>Nov  3 08:01:08 h t: tab\there\u0007", "[%msg%]")).isEqualTo("[ tab#011here#007]");
    }

    @Test
    void shouldUseFromhostWhenHostnameIsMissingAndStopProgramnameAtSlash()
    {
        assertThat(render("<14>Nov  3 08:01:09 postfix/qmgr[5]: no hostname here",
            "%hostname%|%programname%|%procid%|%app-name%|%msg%"))
            .isEqualTo("127.0.0.1|postfix|5|postfix| no hostname here");
    }

    @Test
    void shouldTakeMissingYearFromReceptionAndLocalZoneOffset()
    {
        assertThat(render("<13>Jan  1 00:00:00 h t: x", "%timestamp:::date-rfc3339%", ZoneId.of("Europe/Berlin")))
            .isEqualTo("2026-01-01T00:00:00+01:00");
    }

    @Test
    void shouldParseRfc5424WithFractionOffsetAndStructuredData()
    {
        assertThat(render("<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - [a@1 b=\"c\\]\"] %% msg",
            "%timestamp:::date-rfc3339%|%hostname%|%syslogtag%|%procid%|%msgid%|%structured-data%|[%msg%]"))
            .isEqualTo("2003-08-24T05:14:15.000003-07:00|192.0.2.1|myproc[8710]|8710|-|[a@1 b=\"c\\]\"]|[%% msg]");
    }
}
