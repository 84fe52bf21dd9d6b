package dev.hostplane.syslog.daemon;

import static dev.hostplane.syslog.daemon.DaemonTestSupport.await;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.lines;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.sendSeq;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.start;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No loss and no duplicate over RELP when the receiver crashes: a relay (in-process: imtcp in, omrelp out through a
 * disk-assisted action queue) forwards 100,000 messages to a target daemon in a child JVM (imrelp to
 * a file), and the target is killed with SIGKILL twice while messages are in flight, then restarted
 * on the same port. Every message must be in the target's file, the first occurrences in order, and
 * the only duplicates are the re-sends RELP documents: right at a kill point, at most windowSize per
 * kill (the target had written them, their answers died with it).
 */
class RelpKillTest
{
    private static final int N = 100_000;
    private static final int WINDOW = 128;
    private static final Pattern SEQ = Pattern.compile("^ seq=(\\d{6}) status=ok$");
    /** Bytes of one line in the target's file: " seq=000000 status=ok\n". */
    private static final int LINE = 22;

    @TempDir
    Path dir;

    @Test
    void shouldLoseNothingWhenTheRelpTargetIsKilledWithSigkillMidStream() throws Exception
    {
        final Path targetLog = dir.resolve("target.log");
        Process target = startTarget(0, "t0");
        final int port = listeningPort(target, "t0");
        final List<Long> killedAt = new ArrayList<>();
        try
        {
            try (SyslogDaemon relay = start("global(net.enableDNS=\"off\" localHostname=\"relay\" workDirectory=\"" +
                dir + "\")\nmodule(load=\"imtcp\")\nmodule(load=\"omrelp\")\n" +
                "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\")\n" +
                "action(type=\"omrelp\" target=\"127.0.0.1\" port=\"" + port + "\" windowSize=\"" + WINDOW + "\" " +
                "queue.type=\"LinkedList\" queue.size=\"2000\" queue.filename=\"relp-spool\" " +
                "action.resumeRetryCount=\"-1\")\n");
                Socket s = new Socket(InetAddress.getLoopbackAddress(), relay.ports().get(0)))
            {
                sendSeq(s.getOutputStream(), 0, N);
                for (final long killAt : new long[] {20_000, 55_000})
                {
                    assertThat(await(() -> lineCount(targetLog) >= killAt))
                        .as("target reached %d lines (has %d)", killAt, lineCount(targetLog)).isTrue();
                    target.destroyForcibly();
                    assertThat(target.waitFor(20, TimeUnit.SECONDS)).isTrue();
                    final long at = lineCount(targetLog);
                    killedAt.add(at);
                    assertThat(at).as("killed mid-stream").isLessThan(N);
                    // Down for a moment: the relay's reconnects fail and back off meanwhile.
                    Thread.sleep(300);
                    final String name = "t" + killedAt.size();
                    target = startTarget(port, name);
                    listeningPort(target, name);
                }
                final boolean all = await(() -> lineCount(targetLog) >= N && lastLine(targetLog).equals(line(N - 1)));
                if (!all)
                {
                    diagnose(killedAt.size(), target);
                }
                assertThat(all).as("all delivered (target has %d lines)", lineCount(targetLog)).isTrue();
                assertThat(relay.messagesProcessed()).isEqualTo(N);
            }
            target.destroy();
            assertThat(target.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        finally
        {
            target.destroyForcibly();
        }
        check(lines(targetLog), killedAt);
    }

    private static void check(final List<String> got, final List<Long> killedAt)
    {
        final boolean[] seen = new boolean[N];
        int highest = -1;
        int distinct = 0;
        final List<int[]> resends = new ArrayList<>();
        for (int i = 0; i < got.size(); i++)
        {
            final Matcher m = SEQ.matcher(got.get(i));
            assertThat(m.matches()).as("line %d '%s'", i, got.get(i)).isTrue();
            final int seq = Integer.parseInt(m.group(1));
            if (seen[seq])
            {
                // A re-send: it must be a run that starts after a backward jump and replays the tail.
                if (i == 0 || seq <= seqOf(got.get(i - 1)))
                {
                    resends.add(new int[] {i, 0});
                }
                assertThat(resends).as("duplicate seq=%d at line %d outside a re-send", seq, i).isNotEmpty();
                resends.get(resends.size() - 1)[1]++;
            }
            else
            {
                assertThat(seq).as("first occurrence of seq=%d at line %d is out of order (highest so far %d)", seq, i,
                    highest).isEqualTo(highest + 1);
                seen[seq] = true;
                highest = seq;
                distinct++;
            }
        }
        assertThat(distinct).as("distinct messages").isEqualTo(N);
        final StringBuilder report = new StringBuilder();
        for (final int[] r : resends)
        {
            report.append(" at line ").append(r[0]).append(": ").append(r[1]);
        }
        System.out.println("RELP kill test: " + N + " messages, target SIGKILLed at lines " + killedAt + ", " +
            (got.size() - N) + " duplicates in " + resends.size() + " re-send run(s)" + report + " (bound " + WINDOW +
            " per kill)");
        assertThat(resends.size()).as("re-send runs (one per kill at most)").isLessThanOrEqualTo(killedAt.size());
        for (final int[] r : resends)
        {
            // The new target appends right after the last line the killed one wrote.
            assertThat(killedAt).as("re-send at line %d starts at a kill point", r[0]).contains((long)r[0]);
            assertThat(r[1]).as("duplicates of the re-send at line %d", r[0]).isLessThanOrEqualTo(WINDOW);
        }
    }

    /** What the relay's threads and the last target were doing when delivery stalled. */
    private void diagnose(final int targets, final Process target) throws IOException
    {
        final Path jstack = Paths.get(System.getProperty("java.home"), "bin", "jstack");
        if (Files.isExecutable(jstack))
        {
            final Process j = new ProcessBuilder(jstack.toString(), Long.toString(target.pid())).redirectErrorStream(true)
                .start();
            System.out.println("target threads: " + new String(j.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8));
        }
        for (final java.util.Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet())
        {
            if (e.getKey().getName().startsWith("omrelp") || e.getKey().getName().startsWith("syslog"))
            {
                System.out.println("thread " + e.getKey().getName() + " " + e.getKey().getState());
                for (final StackTraceElement f : e.getValue())
                {
                    System.out.println("    at " + f);
                }
            }
        }
        for (int i = 0; i <= targets; i++)
        {
            final Path out = dir.resolve("t" + i + ".out");
            System.out.println("target t" + i + " output: " + (Files.exists(out) ? Files.readString(out) : "-"));
        }
    }

    private static int seqOf(final String line)
    {
        final Matcher m = SEQ.matcher(line);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    private Process startTarget(final int port, final String name) throws IOException
    {
        final Path conf = dir.resolve(name + ".conf");
        Files.writeString(conf, "global(net.enableDNS=\"off\" localHostname=\"target\")\nmodule(load=\"imrelp\")\n" +
            "input(type=\"imrelp\" address=\"127.0.0.1\" port=\"" + port + "\")\n" +
            "template(name=\"m\" type=\"string\" string=\"%msg%\\n\")\n*.* " + dir.resolve("target.log") + ";m\n");
        final List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx192m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(DaemonMain.class.getName());
        cmd.add(conf.toString());
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".out").toFile())
            .start();
    }

    private int listeningPort(final Process p, final String name) throws IOException
    {
        final Path out = dir.resolve(name + ".out");
        final Pattern listening = Pattern.compile("(?m)^listening \\[(\\d+)\\]$");
        final boolean up = await(() ->
        {
            try
            {
                return !p.isAlive() || listening.matcher(Files.readString(out)).find();
            }
            catch (final IOException ex)
            {
                return false;
            }
        });
        final String text = Files.readString(out);
        final Matcher m = listening.matcher(text);
        assertThat(up && m.find()).as("target %s started: %s", name, text).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static String line(final int seq)
    {
        return String.format(" seq=%06d status=ok", seq);
    }

    /** Lines in the file (all lines have the same length, so its size tells). */
    private static long lineCount(final Path file)
    {
        try
        {
            return Files.exists(file) ? Files.size(file) / LINE : 0;
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }

    private static String lastLine(final Path file)
    {
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "r"))
        {
            final long size = f.length();
            if (size < LINE)
            {
                return "";
            }
            final byte[] b = new byte[LINE - 1];
            f.seek(size - LINE);
            f.readFully(b);
            return new String(b, StandardCharsets.US_ASCII);
        }
        catch (final IOException ex)
        {
            return "";
        }
    }
}
