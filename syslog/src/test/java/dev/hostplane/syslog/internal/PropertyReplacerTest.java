package dev.hostplane.syslog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import dev.hostplane.syslog.internal.message.ByteSink;
import dev.hostplane.syslog.internal.message.EngineClock;
import dev.hostplane.syslog.internal.message.MessageParser;
import dev.hostplane.syslog.internal.message.SyslogMessage;
import dev.hostplane.syslog.internal.template.BuiltinTemplates;
import dev.hostplane.syslog.internal.template.RenderContext;
import dev.hostplane.syslog.internal.template.Template;
import dev.hostplane.syslog.internal.template.TemplateParser;
import org.junit.jupiter.api.Test;

class PropertyReplacerTest
{
    private final EngineClock clock = new EngineClock(Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"),
        ZoneOffset.UTC), ZoneOffset.UTC, "localhost");
    private final RenderContext ctx = new RenderContext(clock, RenderContext.newGlobals());

    private String render(final Template t)
    {
        final SyslogMessage m = new SyslogMessage();
        final byte[] b = "<34>Oct 11 22:14:15 MyMachine su: 'su root' failed for lonvick on /dev/pts/8"
            .getBytes(StandardCharsets.US_ASCII);
        final byte[] ip = "127.0.0.1".getBytes(StandardCharsets.US_ASCII);
        new MessageParser().parse(m, b, 0, b.length, "imtcp".getBytes(StandardCharsets.US_ASCII), ip, ip, clock);
        ctx.message = m;
        final ByteSink out = new ByteSink();
        t.render(ctx, out);
        return out.toString();
    }

    private String render(final String template)
    {
        return render(new Template("t", TemplateParser.parse(template, false), Template.OPTION_NONE, null));
    }

    @Test
    void shouldApplyPositionsFieldsAndRegex()
    {
        assertThat(render("[%msg:1:10%]|[%msg:F,32:3%]|[%msg:F,58:2%]|[%msg:R,ERE,1,DFLT:on (/[a-z]+)--end%]"))
            .isEqualTo("[ 'su root']|[root']|[**FIELD NOT FOUND**]|[/dev]");
        assertThat(render("[%msg:R,ERE,0,BLANK:xyz--end%]|[%msg:R,ERE,0,ZERO:xyz--end%]|[%hostname:1:3:pos-end-relative%]"))
            .isEqualTo("[]|[0]|[ine]");
    }

    @Test
    void shouldApplyCaseJsonCsvAndSecurePath()
    {
        assertThat(render("%hostname:::lowercase%|%syslogtag:::uppercase%|%msg:::json%|%programname:::csv%|" +
            "%msg:20:40:secpath-replace%|%msg:::jsonf%"))
            .isEqualTo("mymachine|SU:| 'su root' failed for lonvick on \\/dev\\/pts\\/8|\"su\"|" +
                "or lonvick on _dev_pt|\"msg\":\" 'su root' failed for lonvick on \\/dev\\/pts\\/8\"");
    }

    @Test
    void shouldFormatDates()
    {
        assertThat(render("%timestamp:::date-mysql%|%timestamp:::date-rfc3339%|%timestamp:::date-unixtimestamp%|" +
            "%timestamp:::date-wdayname%|%timestamp:::date-utc,date-rfc3339%"))
            .isEqualTo("20261011221415|2026-10-11T22:14:15+00:00|1791756855|Sun|2026-10-11T22:14:15.000000+00:00");
    }

    @Test
    void shouldRenderBuiltinTemplatesLikeRsyslog()
    {
        assertThat(render(BuiltinTemplates.all().get("RSYSLOG_TraditionalFileFormat")))
            .isEqualTo("Oct 11 22:14:15 MyMachine su: 'su root' failed for lonvick on /dev/pts/8\n");
        assertThat(render(BuiltinTemplates.all().get("RSYSLOG_ForwardFormat")))
            .isEqualTo("<34>2026-10-11T22:14:15+00:00 MyMachine su: 'su root' failed for lonvick on /dev/pts/8");
        assertThat(render(BuiltinTemplates.all().get("RSYSLOG_SyslogProtocol23Format")))
            .isEqualTo("<34>1 2026-10-11T22:14:15+00:00 MyMachine su - - -  'su root' failed for lonvick on /dev/pts/8\n");
    }
}
