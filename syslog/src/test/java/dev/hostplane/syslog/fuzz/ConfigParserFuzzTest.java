package dev.hostplane.syslog.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.hostplane.syslog.SyslogConfigException;
import dev.hostplane.syslog.SyslogEngine;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes the config loader: random text and mutations of real configs either load or fail with a
 * {@link SyslogConfigException} naming a position; nothing else may escape.
 */
class ConfigParserFuzzTest
{
    private static final List<String> SEEDS = List.of(
        "*.*;auth,authpriv.none -/tmp/hp-fuzz/syslog\nmail.* /tmp/hp-fuzz/mail.log\n& stop\n",
        ":msg, contains, \"error\" /tmp/hp-fuzz/e.log;RSYSLOG_TraditionalFileFormat\n& ~\n",
        "$template t,\"%msg:F,58:2% %hostname:1:3:lowercase% %msg:R,ERE,0,DFLT:[0-9]+--end%\\n\"\n*.* /tmp/hp-fuzz/x;t\n",
        "if $programname == [\"a\",\"b\"] then { set $!x = strlen($msg) + 1; unset $!y; " +
            "action(type=\"omfile\" file=\"/tmp/hp-fuzz/y\") } else if $syslogseverity <= 3 then stop\n",
        "template(name=\"l\" type=\"list\") { property(name=\"msg\" format=\"json\") constant(value=\"\\n\") }\n" +
            "ruleset(name=\"r\") { call other }\nruleset(name=\"other\") { foreach ($.i in $!a) do stop }\n",
        "module(load=\"imtcp\") input(type=\"imtcp\" port=\"514\")\nglobal(localHostname=\"h\")\n" +
            "$IncludeConfig /nonexistent/*.conf\nmain_queue(queue.workerThreads=\"1\")\n");

    @Provide
    Arbitrary<String> configText()
    {
        final Arbitrary<String> random = Arbitraries.strings()
            .withChars("$:&~{}()[]\"'=!<>.,;*/-?@%#\\ \n\tabcdefimnoprstuvwxyz0123456789")
            .ofMaxLength(200);
        final Arbitrary<String> mutated = Arbitraries.of(SEEDS).flatMap(seed ->
            Arbitraries.integers().between(0, seed.length()).flatMap(cut ->
                Arbitraries.integers().between(0, 8).flatMap(drop ->
                    Arbitraries.strings().withChars("\"{}()[]$:;&\n=!,%").ofMaxLength(3).map(insert ->
                        seed.substring(0, cut) + insert + seed.substring(Math.min(seed.length(), cut + drop))))));
        return Arbitraries.oneOf(random, mutated);
    }

    @Property(tries = 3000)
    void shouldLoadOrReportPositionedConfigError(@ForAll("configText") final String text)
    {
        try (SyslogEngine engine = SyslogEngine.builder().configText(text).build())
        {
            assertThat(engine.describe()).isNotNull();
        }
        catch (final SyslogConfigException ex)
        {
            assertThat(ex.line()).isPositive();
            assertThat(ex.column()).isPositive();
            assertThat(ex.getMessage()).startsWith(ex.file() + ":" + ex.line() + ":" + ex.column() + ": ");
        }
    }
}
