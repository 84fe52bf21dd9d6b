package dev.hostplane.syslog.fuzz;

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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes the RFC 3164 and RFC 5424 parsers: any bytes parse without an exception, every built-in
 * template renders, and with escaping on no control character reaches the output's message part.
 */
class MessageParserFuzzTest
{
    private static final String[] PREFIXES = {
        "", "<13>", "<165>1 ", "<34>Oct 11 22:14:15 ", "<13>1 2025-11-03T08:01:08.123+02:00 h a p m ",
        "<999>", "<13>2025-11-03T08:01:08Z host tag: ", "<14>Nov  3 2025 08:01:09: ", "<13>1 - - - - - ["
    };

    private final EngineClock clock = new EngineClock(Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"),
        ZoneOffset.UTC), ZoneOffset.UTC, "fuzzhost");
    private final MessageParser parser = new MessageParser();
    private final SyslogMessage message = new SyslogMessage();
    private final RenderContext ctx = new RenderContext(clock, RenderContext.newGlobals());
    private final ByteSink out = new ByteSink();
    private final byte[] ip = "127.0.0.1".getBytes(StandardCharsets.US_ASCII);
    private final byte[] input = "imtcp".getBytes(StandardCharsets.US_ASCII);

    @Provide
    Arbitrary<byte[]> frames()
    {
        final Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        final Arbitrary<byte[]> structured = Arbitraries.of(PREFIXES).flatMap(prefix ->
            Arbitraries.strings().withChars("<>[]\"\\=:- 0123456789abcZT.+\t\u0001\u00e9").ofMaxLength(80)
                .map(rest -> (prefix + rest).getBytes(StandardCharsets.ISO_8859_1)));
        return Arbitraries.oneOf(raw, structured);
    }

    @Property(tries = 5000)
    void shouldParseAnyFrameAndRenderEveryBuiltinTemplate(@ForAll("frames") final byte[] frame)
    {
        parser.parse(message, frame, 0, frame.length, input, ip, ip, clock);
        ctx.message = message;
        for (final Template t : BuiltinTemplates.all().values())
        {
            out.clear();
            t.render(ctx, out);
        }
        out.clear();
        BuiltinTemplates.all().get("RSYSLOG_TraditionalFileFormat").render(ctx, out);
        final byte[] line = out.toByteArray();
        for (int i = 0; i < line.length - 1; i++)
        {
            assertThat(line[i] >= 0 && line[i] < 32).as("control byte at %d in %s", i, out).isFalse();
        }
        assertThat(line[line.length - 1]).isEqualTo((byte)'\n');
        assertThat(message.pri()).isBetween(0, 199);
    }
}
