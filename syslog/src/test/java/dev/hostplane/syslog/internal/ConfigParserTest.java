package dev.hostplane.syslog.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hostplane.syslog.SyslogConfigException;
import dev.hostplane.syslog.SyslogEngine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ConfigParserTest
{
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "mail.foo /tmp/x|1:1|unknown priority 'foo'",
        "*.* /tmp/x\\n:msg, frobs, \"x\" /tmp/y|2:1|unknown compare operation 'frobs'",
        "if $msg contains \"a\" then {\\n stop\\n|3:1|expected '}'",
        "template(name=\"t\" type=\"string\")|1:1|missing parameter 'string'",
        "action(type=\"omfile\" file=\"/tmp/x\" template=\"nosuch\")|1:36|unknown template 'nosuch'",
        "set $!a = strlen($msg, 2);|1:11|takes 1 arguments",
        "action(type=\"omfoo\")|1:8|not supported",
        "$template t,\"%msg:R,ERE,0,DFLT:[0-9+--end%\"|1:1|invalid regex",
        "if $nosuch == 1 then stop|1:4|unknown property '$nosuch'",
        "*.* /tmp/x\\nmain_queue(queue.size=\"lots\")|2:12|parameter 'queue.size': expected a size"
    })
    void shouldReportErrorsWithPosition(final String conf, final String position, final String what)
    {
        assertThatThrownBy(() -> SyslogEngine.builder().configText(conf.replace("\\n", "\n")).build())
            .isInstanceOf(SyslogConfigException.class)
            .hasMessageStartingWith("<string>:" + position + ": ")
            .hasMessageContaining(what);
    }

    @Test
    void shouldDisableLegacyActionWithUnknownTemplateAsRsyslogDoes()
    {
        final SyslogEngine engine = SyslogEngine.builder().configText("*.* /tmp/hp-never-written-d;s   # comment\n")
            .build();
        assertThat(engine.warnings()).anyMatch(w -> w.contains("unknown template 's   # comment'"));
        assertThat(engine.describe()).contains("disabled-unknown-template").doesNotContain("never-written-d,");
    }

    @Test
    void shouldCompileSelectorsToMasksAndArrayMatchesToHashSets()
    {
        final String graph = SyslogEngine.builder().configText(
            "*.* /tmp/hp-never-written-a\n" +
            "kern.=crit;mail.none /tmp/hp-never-written-b\n" +
            "if $programname == [\"postfix\",\"exim\"] and $syslogseverity <= 3 then stop\n" +
            "if 1 == 0 then /tmp/hp-never-written-c\n").build().describe();
        assertThat(graph).contains("pri-mask[kern=0x4]").contains("hashset($programname == [\"postfix\", \"exim\"])")
            .contains("$syslogseverity <= 3").doesNotContain("if always").doesNotContain("never-written-c");
    }

    @Test
    void shouldTakeTheMainQueueSizeAndWarnAboutTheRest()
    {
        final SyslogEngine engine = SyslogEngine.builder()
            .configText("main_queue(queue.size=\"5000\" queue.workerThreads=\"4\")\n*.* /tmp/hp-never-written-q\n")
            .build();
        assertThat(engine.mainQueueSize()).isEqualTo(5000);
        assertThat(engine.warnings()).anyMatch(w -> w.startsWith("<string>:1: main_queue() parameters [queue.workerthreads]"));
    }
}
