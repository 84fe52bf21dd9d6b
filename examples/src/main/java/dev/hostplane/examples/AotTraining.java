package dev.hostplane.examples;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import dev.hostplane.syslog.daemon.SyslogDaemon;

/**
 * The workload the build runs once at package time to record the JVM's class-data-sharing archive
 * (JDK 17-24: {@code -XX:ArchiveClassesAtExit}) or AOT cache (JDK 25+: {@code -XX:AOTCacheOutput}),
 * which {@code bin/hostplane} then passes to every run. It should touch what a real start touches:
 * the launcher's command line, config loading, the daemon's inputs and queues, the rule engine, the
 * renderers and the file outputs; classes it never loads simply load from the jar as usual.
 *
 * <p>Everything stays on 127.0.0.1 (an ephemeral port) and in a temporary directory that is removed
 * afterwards. Exit status 0 when every step worked; the build treats a failure as "no cache" and
 * says so, it never fails the build.
 */
public final class AotTraining
{
    /** Messages per step: enough for the hot paths to be profiled, short enough for every build. */
    private static final int MESSAGES = 40_000;

    private static final String SIX_RULES =
        "template(name=\"t1\" type=\"string\" string=\"%timestamp:::date-rfc3339% %hostname:::lowercase% " +
        "%programname% [%syslogfacility-text%.%syslogseverity-text%] %msg:F,58:2%\\n\")\n" +
        "mail.* action(type=\"omfile\" file=\"@OUT@/mail.log\")\n" +
        ":programname, isequal, \"sendmail\" action(type=\"omfile\" file=\"@OUT@/sendmail.log\")\n" +
        ":msg, contains, \"error\" action(type=\"omfile\" file=\"@OUT@/error.log\")\n" +
        ":hostname, startswith, \"web\" action(type=\"omfile\" file=\"@OUT@/web.log\")\n" +
        "if $programname == [\"postfix\", \"exim\"] then {\n" +
        "  action(type=\"omfile\" file=\"@OUT@/mta.log\" template=\"t1\")\n" +
        "} else if $syslogseverity <= 3 then {\n" +
        "  action(type=\"omfile\" file=\"@OUT@/severe.log\")\n" +
        "} else {\n" +
        "  action(type=\"omfile\" file=\"@OUT@/other.log\" template=\"t1\")\n" +
        "}\n";

    private AotTraining()
    {
    }

    /**
     * Runs the training workload.
     *
     * @param args ignored.
     * @throws Exception when a step fails (the build then builds no cache).
     */
    public static void main(final String[] args) throws Exception
    {
        final Path dir = Files.createTempDirectory("hostplane-aot-training-");
        try
        {
            final Path input = dir.resolve("input.txt");
            Files.write(input, messages(MESSAGES));
            daemonOverTcp(dir, input);
            replay(dir, input);
            check(dir);
        }
        finally
        {
            deleteTree(dir);
        }
    }

    /** {@code hostplane syslogd}: imtcp on an ephemeral loopback port, the six-rule config, one connection. */
    private static void daemonOverTcp(final Path dir, final Path input) throws Exception
    {
        final Path out = Files.createDirectories(dir.resolve("daemon-out"));
        final Path conf = dir.resolve("daemon.conf");
        Files.writeString(conf, "module(load=\"imtcp\")\ninput(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\")\n" +
            SIX_RULES.replace("@OUT@", out.toString()));
        System.setProperty("io.netty.jfr.enabled", "false");
        System.setProperty("io.netty.leakDetection.level", "disabled");
        try (SyslogDaemon daemon = SyslogDaemon.builder().configFile(conf).ioThreads(1).start())
        {
            final int port = daemon.ports().get(0);
            try (Socket socket = new Socket())
            {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                try (OutputStream os = socket.getOutputStream())
                {
                    os.write(Files.readAllBytes(input));
                }
            }
            waitForLines(out.resolve("other.log"), out.resolve("mta.log"), out.resolve("severe.log"));
        }
    }

    /** {@code hostplane syslog replay}: the same frames through the command line, as a user runs it. */
    private static void replay(final Path dir, final Path input) throws IOException
    {
        final Path out = Files.createDirectories(dir.resolve("replay-out"));
        final Path conf = dir.resolve("replay.conf");
        Files.writeString(conf, SIX_RULES.replace("@OUT@", out.toString()));
        run("syslog", "replay", "--config", conf.toString(), "--input", input.toString());
    }

    /** {@code hostplane syslog check}: config loading and the rule-graph printer. */
    private static void check(final Path dir) throws IOException
    {
        run("syslog", "check", "--config", dir.resolve("replay.conf").toString());
    }

    private static void run(final String... args)
    {
        final StringWriter sink = new StringWriter();
        final int rc = Hostplane.commandLine().setOut(new PrintWriter(sink)).setErr(new PrintWriter(sink)).execute(args);
        if (rc != 0)
        {
            throw new IllegalStateException("hostplane " + String.join(" ", args) + " exited " + rc + ": " + sink);
        }
    }

    /** Waits until the daemon's three catch-all outputs together hold every message. */
    private static void waitForLines(final Path... files) throws Exception
    {
        final long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline)
        {
            long lines = 0;
            for (final Path f : files)
            {
                if (Files.exists(f))
                {
                    try (Stream<String> s = Files.lines(f, StandardCharsets.ISO_8859_1))
                    {
                        lines += s.count();
                    }
                }
            }
            if (lines >= MESSAGES)
            {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the daemon did not write all " + MESSAGES + " messages within 60 s");
    }

    /** The race harness's message mix: 10 programs, 6 hosts (one upper-case), 8 severities, 10 % "error". */
    static byte[] messages(final int n)
    {
        final String[] programs = {"postfix/qmgr", "sendmail", "sshd", "cron", "exim", "nginx", "kernel", "sudo",
            "systemd", "dovecot"};
        final String[] hosts = {"web01", "web02", "WEB03", "db01", "mail01", "fw01"};
        final StringBuilder sb = new StringBuilder(n * 80);
        for (int i = 0; i < n; i++)
        {
            final int pri = (i % 24) * 8 + (i % 8);
            sb.append('<').append(pri).append(">May  8 07:").append(String.format("%02d:%02d", (i / 60) % 60, i % 60))
                .append(' ').append(hosts[i % hosts.length]).append(' ').append(programs[i % programs.length])
                .append('[').append(1000 + i % 500).append("]: id=").append(i).append(" k1:v").append(i % 7)
                .append(i % 10 == 1 ? ":beta:error: something failed" : ":beta:status=sent").append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void deleteTree(final Path root) throws IOException
    {
        try (Stream<Path> walk = Files.walk(root))
        {
            for (final Path p : walk.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(p);
            }
        }
    }
}
