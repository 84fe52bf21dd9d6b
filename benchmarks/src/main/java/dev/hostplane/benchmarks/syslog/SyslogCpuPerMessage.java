package dev.hostplane.benchmarks.syslog;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

import dev.hostplane.syslog.SyslogEngine;

/**
 * Steady-state CPU seconds per message of the engine, measured with the thread's CPU clock so that
 * a busy shared machine (which stretches wall time) does not distort it: the metric the rsyslogd
 * baseline is quoted in. Runs the same two configs as {@link SyslogEngineBenchmark} for several
 * rounds of N messages each (the first rounds include JIT warm-up) and prints every round.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.hostplane.benchmarks.syslog.SyslogCpuPerMessage DIR
 * [simple|six-rules] [messagesPerRound] [rounds]}
 */
public final class SyslogCpuPerMessage
{
    private SyslogCpuPerMessage()
    {
    }

    /**
     * Runs the measurement.
     *
     * @param args output directory, config, messages per round, rounds.
     * @throws Exception when files cannot be written.
     */
    public static void main(final String[] args) throws Exception
    {
        final Path out = Paths.get(args.length > 0 ? args[0] : "/tmp/hp-syslog-cpu");
        final String config = args.length > 1 ? args[1] : "simple";
        final int perRound = args.length > 2 ? Integer.parseInt(args[2]) : 2_000_000;
        final int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        final String[] programs = {
            "postfix/smtpd", "sshd", "sendmail", "exim", "CRON", "kernel", "sudo", "nginx", "postfix/qmgr", "dhclient"
        };
        final String[] hosts = {"web01", "WEB03", "db01", "mail01", "web02", "fw01"};
        final byte[][] messages = new byte[4096][];
        for (int i = 0; i < messages.length; i++)
        {
            final int facility = new int[] {2, 1, 16}[(i / 8) % 3];
            messages[i] = String.format(Locale.ROOT, "<%d>May  8 07:08:%02d %s %s[%d]: id=%d k1:v2:beta:status=sent%s",
                facility * 8 + i % 8, 10 + i % 50, hosts[i % 6], programs[(i / 7) % 10], 6000 + i, i,
                i % 10 == 0 ? " error: something failed" : " all fine here").getBytes(StandardCharsets.US_ASCII);
        }
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < rounds; round++)
        {
            Files.createDirectories(out);
            final String conf = "simple".equals(config) ? "*.* " + out + "/all.log\n" : sixRules(out.toString());
            final long cpuStart;
            final long wallStart;
            final long cpuEnd;
            final long wallEnd;
            try (SyslogEngine engine = SyslogEngine.builder().configText(conf).localHostname("bench").build())
            {
                cpuStart = threads.getCurrentThreadCpuTime();
                wallStart = System.nanoTime();
                for (int i = 0; i < perRound; i++)
                {
                    final byte[] m = messages[i & (messages.length - 1)];
                    engine.submit(m, 0, m.length);
                }
                engine.flush();
                cpuEnd = threads.getCurrentThreadCpuTime();
                wallEnd = System.nanoTime();
            }
            System.out.printf(Locale.ROOT, "config=%s round=%d messages=%d cpu_per_msg=%.3fus wall_per_msg=%.3fus%n",
                config, round, perRound, (cpuEnd - cpuStart) / 1000.0 / perRound,
                (wallEnd - wallStart) / 1000.0 / perRound);
            try (Stream<Path> walk = Files.walk(out))
            {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String sixRules(final String out)
    {
        return "template(name=\"t1\" type=\"string\" string=\"%timestamp:::date-rfc3339% %hostname:::lowercase% " +
            "%programname% [%syslogfacility-text%.%syslogseverity-text%] %msg:F,58:2%\\n\")\n" +
            "mail.* " + out + "/mail.log\n" +
            ":programname, isequal, \"sendmail\" " + out + "/sendmail.log\n" +
            ":msg, contains, \"error\" " + out + "/error.log\n" +
            ":hostname, startswith, \"web\" " + out + "/web.log\n" +
            "if $programname == [\"postfix\", \"exim\"] then { action(type=\"omfile\" file=\"" + out +
            "/mta.log\" template=\"t1\") } else if $syslogseverity <= 3 then { action(type=\"omfile\" file=\"" + out +
            "/severe.log\") } else { action(type=\"omfile\" file=\"" + out + "/other.log\" template=\"t1\") }\n";
    }
}
