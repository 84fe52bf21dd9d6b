package dev.hostplane.packetscript.parse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.hostplane.packetscript.PacketScript;
import dev.hostplane.packetscript.Script;
import dev.hostplane.packetscript.ScriptParseException;
import dev.hostplane.packetscript.SuitePaths;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the parser: whatever the input, only {@link ScriptParseException} may escape, and whatever parses
 * round-trips through the printer.
 */
class ParserFuzzTest
{
    private static final List<String> VOCABULARY = List.of(
        "0", "+0", "+.1", "0.2", "*", "~", "+", "...", "<", ">", "S", "S.", ".", "P.", "F.", "R", "-", "1:1(0)",
        "0:0(0)", "1:1001(1000)", "ack", "win", "urg", "1", "65535", "4294967295", "99999999999999999999", "<mss",
        "1460", ",", "nop", "sackOK", "TS", "val", "ecr", "wscale", "FO", "FOEXP", "abcd", "sack", "1:2", "md5",
        "eol", "<...>", "[ect0]", "[tos", "0x3", "]", "(", ")", "[", "{", "}", "=", "|", "socket(", "...,",
        "SOCK_STREAM", "IPPROTO_TCP)", "= 3", "= -1", "EAGAIN", "(Resource temporarily unavailable)", "close(3)",
        "`ls`", "%{ x }%", "\"str\"", "icmp", "unreachable", "mtu", "udp", "encap", "psp", "spi", "--tolerance_usecs=",
        "-D", "X=Y", "msg_name(...)=...", "fd=4", "events=POLLIN", "\n", "\t", "//", "/*", "*/", "\"", "`", "%{", "}%",
        "@", "\u00e9", "\u0000");

    @Provide
    Arbitrary<String> tokenSoup()
    {
        return Arbitraries.of(VOCABULARY).list().ofMaxSize(40).map(tokens -> String.join(" ", tokens));
    }

    @Provide
    Arbitrary<String> mutatedSuiteScript()
    {
        final List<Path> scripts = SuitePaths.scripts();
        final Arbitrary<String> text = Arbitraries.of(scripts).map(ParserFuzzTest::read);
        return Combinators.combine(text, Arbitraries.integers().between(0, Integer.MAX_VALUE),
            Arbitraries.integers().between(0, 3), Arbitraries.strings().ofMaxLength(4))
            .as((t, at, op, insert) -> mutate(t, at % Math.max(1, t.length()), op, insert));
    }

    @Property(tries = 600)
    void shouldOnlyThrowParseExceptionsOnTokenSoup(@ForAll("tokenSoup") final String text)
    {
        check(text);
    }

    @Property(tries = 600)
    void shouldOnlyThrowParseExceptionsOnMutatedSuiteScripts(@ForAll("mutatedSuiteScript") final String text)
    {
        check(text);
    }

    @Property(tries = 300)
    void shouldOnlyThrowParseExceptionsOnArbitraryText(@ForAll final String text)
    {
        check(text);
    }

    private static void check(final String text)
    {
        final Script script;
        try
        {
            script = PacketScript.parse("fuzz.pkt", text);
        }
        catch (final ScriptParseException ex)
        {
            assertThat(ex.getMessage()).startsWith("fuzz.pkt:").contains(": parse error at '");
            assertThat(ex.position().line()).isPositive();
            assertThat(ex.position().column()).isPositive();
            return;
        }
        assertThat(PacketScript.parse("printed.pkt", PacketScript.print(script))).isEqualTo(script);
    }

    private static String mutate(final String text, final int at, final int op, final String insert)
    {
        final int end = Math.min(text.length(), at + 1 + insert.length());
        return switch (op)
        {
            case 0 -> text.substring(0, at) + text.substring(end);
            case 1 -> text.substring(0, at) + insert + text.substring(at);
            case 2 -> text.substring(0, at) + insert + text.substring(end);
            default -> text.substring(0, at);
        };
    }

    private static String read(final Path path)
    {
        try
        {
            return Files.readString(path, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
