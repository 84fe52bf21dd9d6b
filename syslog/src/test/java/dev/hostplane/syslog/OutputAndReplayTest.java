package dev.hostplane.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputAndReplayTest
{
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void shouldKeepAppendingCorrectlyWhenTheDynafileCacheEvicts() throws Exception
    {
        final String conf = "$DynaFileCacheSize 2\n$template name,\"" + dir + "/deep/%programname%.log\"\n" +
            "$template line,\"%msg:2:$%\\n\"\n*.* ?name;line\n";
        try (SyslogEngine engine = SyslogEngine.builder().configText(conf).clock(CLOCK).build())
        {
            for (int i = 0; i < 30; i++)
            {
                engine.submit("<13>Nov  3 08:01:08 h p" + (i % 3) + ": n" + i);
            }
        }
        for (int p = 0; p < 3; p++)
        {
            final StringBuilder expected = new StringBuilder();
            for (int i = p; i < 30; i += 3)
            {
                expected.append('n').append(i).append('\n');
            }
            assertThat(Files.readString(dir.resolve("deep/p" + p + ".log"))).isEqualTo(expected.toString());
        }
    }

    @Test
    void shouldReopenFilesAfterRotation() throws Exception
    {
        try (SyslogEngine engine = SyslogEngine.builder().configText("*.* " + dir + "/a.log;RSYSLOG_SysklogdFileFormat\n")
            .clock(CLOCK).build())
        {
            engine.submit("<13>Nov  3 08:01:08 h t: one");
            engine.flush();
            Files.move(dir.resolve("a.log"), dir.resolve("a.log.1"));
            engine.reopenFiles();
            engine.submit("<13>Nov  3 08:01:09 h t: two");
        }
        assertThat(Files.readString(dir.resolve("a.log.1"))).isEqualTo("Nov  3 08:01:08 h t: one\n");
        assertThat(Files.readString(dir.resolve("a.log"))).isEqualTo("Nov  3 08:01:09 h t: two\n");
    }

    @Test
    void shouldReplayLfAndOctetCountedFramesAsImtcp() throws Exception
    {
        final Path conf = dir.resolve("r.conf");
        Files.writeString(conf, "module(load=\"imtcp\")\ninput(type=\"imtcp\" port=\"514\")\n" +
            "global(localHostname=\"testhost\" net.enableDNS=\"off\")\n" +
            "template(name=\"t\" type=\"string\" string=\"%inputname%|%fromhost%|%fromhost-ip%|%$myhostname%|%msg%\\n\")\n" +
            "*.* " + dir + "/out.log;t\n");
        final Path input = dir.resolve("in.txt");
        final String octet = "<13>Nov  3 08:01:08 h t: multi\nline";
        Files.write(input, ("<13>Nov  3 08:01:08 h t: lf framed\n" + octet.length() + " " + octet +
            "<13>Nov  3 08:01:08 h t: last\n").getBytes(StandardCharsets.US_ASCII));
        final ReplayResult result = SyslogReplay.builder().config(conf).input(input).clock(CLOCK).zone(ZoneOffset.UTC)
            .build().run();
        assertThat(result.frames()).isEqualTo(3);
        assertThat(Files.readString(dir.resolve("out.log"))).isEqualTo(
            "imtcp|127.0.0.1|127.0.0.1|testhost| lf framed\n" +
            "imtcp|127.0.0.1|127.0.0.1|testhost| multi#012line\n" +
            "imtcp|127.0.0.1|127.0.0.1|testhost| last\n");
    }
}
