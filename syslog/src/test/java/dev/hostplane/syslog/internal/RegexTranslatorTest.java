package dev.hostplane.syslog.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.hostplane.syslog.SyslogConfigException;
import dev.hostplane.syslog.SyslogEngine;
import dev.hostplane.syslog.internal.template.RegexTranslator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** POSIX BRE/ERE as rsyslog (glibc) reads them, matched by RE2 in linear time. */
class RegexTranslatorTest
{
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '#', value = {
        // pattern | ERE? | input | matches
        "a\\.b#false#a.b#true",
        "a\\.b#false#axb#false",
        "a+b#false#a+b#true",
        "a+b#false#aab#false",
        "a+b#true#aab#true",
        "[0-9]\\{3,\\}#false#ab1234#true",
        "[0-9]\\{3,\\}#false#ab12#false",
        "\\(ab\\)*c#false#ababc#true",
        "^[a-z]*\\[[0-9]*\\]:$#false#sshd[42]:#true",
        "[[:upper:]]{3}#true#abcDEFg#true",
        "[[:upper:]]{3}#true#abcDEfg#false",
        "[\\]#true#a\\b#true",
        "[]a]#true#]#true",
        "\\d#true#d#true",
        "\\d#true#5#false",
        "(error|refused)#true#connection refused#true",
        "*a#false#*a#true",
        "a.c#true#a\\nc#true",
        "x$#true#ax\\n#false",
    })
    void shouldMatchAsGlibcDoes(final String pattern, final boolean ere, final String input, final boolean matches)
    {
        assertThat(RegexTranslator.compile(pattern, ere, false).matcher(input.replace("\\n", "\n")).find())
            .isEqualTo(matches);
    }

    @Test
    void shouldTakeTheLeftmostLongestMatchAsPosix()
    {
        final com.google.re2j.Matcher m = RegexTranslator.compile("a|ab", true, false).matcher("xab");
        assertThat(m.find()).isTrue();
        assertThat(m.group()).isEqualTo("ab");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "*.* /tmp/hp-never-written-r\\n:msg, regex, \"\\\\(a\\\\)\\\\1\" /tmp/hp-never-written-r|2:|back-reference \\1",
        ":msg, ereregex, \"\\\\<word\" /tmp/hp-never-written-r|1:|\\< is not supported",
        "if re_match($msg, \"(a)\\\\1\") then stop|1:|back-reference",
        "$template t,\"%msg:R,ERE,0,DFLT:(x)\\1--end%\"|1:|back-reference",
        ":msg, regex, \"[[.hyphen.]]\" /tmp/hp-never-written-r|1:|collating elements",
    })
    void shouldRefuseWhatIsNotLinearAtLoadWithThePosition(final String conf, final String position, final String what)
    {
        assertThatThrownBy(() -> SyslogEngine.builder().configText(conf.replace("\\n", "\n")).build())
            .isInstanceOf(SyslogConfigException.class)
            .hasMessageStartingWith("<string>:" + position)
            .hasMessageContaining(what);
    }

    /** A backtracking engine needs over 30 s per message here; the time-out bounds the whole test, not a measurement. */
    @Test
    @Timeout(120)
    void shouldNotStallOnTheHostilePatternOfTheIssue() throws Exception
    {
        final Path out = dir.resolve("x.log");
        final StringBuilder msg = new StringBuilder("<13>Jan  1 00:00:00 host tag: ");
        while (msg.length() < 2048)
        {
            msg.append("a,");
        }
        try (SyslogEngine e = SyslogEngine.builder().configText(":msg, ereregex, \"(.*),(.*),(.*),(.*)x\" " + out +
            "\n*.* " + dir.resolve("all.log") + "\n").build())
        {
            final long start = System.nanoTime();
            for (int i = 0; i < 20; i++)
            {
                e.submit(msg.toString());
            }
            final long perMessageMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start) / 20;
            System.out.println("ereregex (.*),(.*),(.*),(.*)x on a 2 KB message: " + perMessageMicros + " us/message");
        }
        assertThat(Files.exists(out)).as("no message matches (no x)").isFalse();
        assertThat(Files.readAllLines(dir.resolve("all.log"))).hasSize(20);
    }
}
