package dev.hostplane.examples.syslog;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.stream.Stream;

import dev.hostplane.examples.DemoStep;
import dev.hostplane.syslog.SyslogEngine;

/**
 * Demo: builds an engine from an rsyslog.conf string (a PRI selector, a property filter with
 * {@code & stop}, an array match into a dynafile), submits a few messages and checks the output
 * files byte for byte against what rsyslogd 8.2302 writes.
 */
public final class SyslogDemoStep implements DemoStep
{
    @Override
    public String name()
    {
        return "syslog: rsyslog.conf filters and templates";
    }

    @Override
    public String run() throws Exception
    {
        final Path dir = Files.createTempDirectory("hostplane-syslog-demo");
        try
        {
            final String conf =
                "global(localHostname=\"demo\" net.enableDNS=\"off\")\n" +
                "$template byprog,\"" + dir + "/mail/%programname%.log\"\n" +
                ":msg, contains, \"error\" " + dir + "/errors.log\n" +
                "& stop\n" +
                "if $programname == [\"postfix\", \"exim\"] then ?byprog;RSYSLOG_TraditionalFileFormat\n" +
                "*.info;mail.none " + dir + "/info.log\n";
            final Clock clock = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
            try (SyslogEngine engine = SyslogEngine.builder().configText(conf).clock(clock).zone(ZoneOffset.UTC).build())
            {
                engine.submit("<22>Nov  3 08:01:02 mail01 postfix/smtpd[4242]: connect from unknown[192.0.2.7]");
                engine.submit("<19>Nov  3 08:01:03 mail01 sendmail[77]: error: lost connection");
                engine.submit("<86>Nov  3 08:01:04 web01 sudo: alice : TTY=pts/0");
                engine.submit("<165>1 2003-10-11T22:14:15.003Z mymachine evntslog - ID47 - An application event");
            }
            expect(dir.resolve("mail/postfix.log"),
                "Nov  3 08:01:02 mail01 postfix/smtpd[4242]: connect from unknown[192.0.2.7]\n");
            expect(dir.resolve("errors.log"),
                "2026-11-03T08:01:03+00:00 mail01 sendmail[77]: error: lost connection\n");
            expect(dir.resolve("info.log"),
                "2026-11-03T08:01:04+00:00 web01 sudo: alice : TTY=pts/0\n" +
                "2003-10-11T22:14:15.003Z mymachine evntslog An application event\n");
            return "4 messages -> 3 files (selector, property filter + stop, array match dynafile), bytes match rsyslogd";
        }
        finally
        {
            try (Stream<Path> walk = Files.walk(dir))
            {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void expect(final Path file, final String expected) throws Exception
    {
        if (!Files.exists(file))
        {
            throw new IllegalStateException("missing output file=" + file);
        }
        final String actual = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        if (!expected.equals(actual))
        {
            throw new IllegalStateException("file=" + file.getFileName() + " expected=" + expected.trim() +
                " actual=" + actual.trim());
        }
    }
}
