package dev.hostplane.benchmarks.syslog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.hostplane.syslog.SyslogEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * In-process throughput of the syslog engine on the workload the rsyslogd baseline was measured
 * with: (a) one {@code *.*} file rule, (b) the six-rule config (PRI filter, three property
 * filters, an if/else with an array match, a template with replacer options, seven files), both
 * writing real files, and (c) the six rules' filters alone with discarding actions, to show the
 * filter path allocates nothing ({@code -prof gc}). One op = one message parsed, filtered and
 * written.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SyslogEngineBenchmark
{
    private static final String[] PROGRAMS = {
        "postfix/smtpd", "sshd", "sendmail", "exim", "CRON", "kernel", "sudo", "nginx", "postfix/qmgr", "dhclient"
    };
    private static final String[] HOSTS = {"web01", "WEB03", "db01", "mail01", "web02", "fw01"};
    private static final int MESSAGES = 4096;

    /** Which configuration runs. */
    @Param({"simple", "six-rules", "six-rules-filters-only"})
    public String config;

    private byte[][] messages;
    private int next;
    private Path dir;
    private SyslogEngine engine;

    /** Builds deterministic messages shaped like the rsyslogd baseline's generator. */
    @Setup(Level.Trial)
    public void messages()
    {
        messages = new byte[MESSAGES][];
        for (int i = 0; i < MESSAGES; i++)
        {
            final int severity = i % 8;
            final int facility = (i / 8) % 3 == 0 ? 2 : (i / 8) % 3 == 1 ? 1 : 16;
            final String text = "<" + (facility * 8 + severity) + ">May  8 07:08:" + (10 + i % 50) + " " +
                HOSTS[i % HOSTS.length] + " " + PROGRAMS[(i / 7) % PROGRAMS.length] + "[" + (6000 + i) + "]: id=" + i +
                " k1:v2:beta:status=sent" + (i % 10 == 0 ? " error: something failed" : " all fine here");
            messages[i] = text.getBytes(StandardCharsets.US_ASCII);
        }
    }

    /**
     * A fresh engine and output directory per iteration so the files stay bounded.
     *
     * @throws IOException when the directory cannot be created.
     */
    @Setup(Level.Iteration)
    public void engine() throws IOException
    {
        dir = Files.createTempDirectory("hp-syslog-bench");
        final String out = dir.toString();
        final String conf;
        switch (config)
        {
            case "simple":
                conf = "*.* " + out + "/all.log\n";
                break;
            case "six-rules":
                conf = sixRules(out, false);
                break;
            default:
                conf = sixRules(out, true);
                break;
        }
        engine = SyslogEngine.builder().configText(conf).localHostname("bench").build();
    }

    private static String sixRules(final String out, final boolean discard)
    {
        final String a = discard ? "action(type=\"omdiscard\")" : null;
        return "template(name=\"t1\" type=\"string\" string=\"%timestamp:::date-rfc3339% %hostname:::lowercase% " +
            "%programname% [%syslogfacility-text%.%syslogseverity-text%] %msg:F,58:2%\\n\")\n" +
            "mail.* " + (discard ? a : out + "/mail.log") + "\n" +
            ":programname, isequal, \"sendmail\" " + (discard ? a : out + "/sendmail.log") + "\n" +
            ":msg, contains, \"error\" " + (discard ? a : out + "/error.log") + "\n" +
            ":hostname, startswith, \"web\" " + (discard ? a : out + "/web.log") + "\n" +
            "if $programname == [\"postfix\", \"exim\"] then { " +
            (discard ? a : "action(type=\"omfile\" file=\"" + out + "/mta.log\" template=\"t1\")") +
            " } else if $syslogseverity <= 3 then { " +
            (discard ? a : "action(type=\"omfile\" file=\"" + out + "/severe.log\")") + " } else { " +
            (discard ? a : "action(type=\"omfile\" file=\"" + out + "/other.log\" template=\"t1\")") + " }\n";
    }

    /**
     * Closes the engine and deletes its files.
     *
     * @throws IOException when cleanup fails.
     */
    @TearDown(Level.Iteration)
    public void close() throws IOException
    {
        engine.close();
        try (Stream<Path> walk = Files.walk(dir))
        {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /**
     * Parses, filters and writes one message.
     *
     * @return messages processed so far (keeps the work observable).
     */
    @Benchmark
    public long submit()
    {
        final byte[] m = messages[next];
        next = (next + 1) & (MESSAGES - 1);
        engine.submit(m, 0, m.length);
        return engine.messagesProcessed();
    }
}
