package dev.hostplane.syslog.daemon;

import static dev.hostplane.syslog.daemon.DaemonTestSupport.lineCount;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.lostAndDuplicated;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.seqMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 TCP senders at once against our daemon (in its own JVM) and against rsyslogd 8.2302, same
 * config ({@code maxSessions} above 1,000): every sender holds its session open while all of them
 * send {@value #PER_SENDER} numbered messages each, interleaved. Prints, per daemon, the wall time
 * until the last line is written, the daemon's CPU time over that window, and what was lost or
 * duplicated; fails if ours loses or duplicates anything. Left out with
 * {@code -Dhostplane.syslog.compareRsyslogd=false}; the timings it prints are shared-machine numbers, the
 * quiet ones are in BENCHMARKS.md ({@code benchmarks/scripts/syslog/fault-comparisons.sh}).
 */
class ThousandSendersTest
{
    private static final int SENDERS = 1000;
    private static final int PER_SENDER = 100;
    private static final int N = SENDERS * PER_SENDER;

    @TempDir
    Path dir;

    @Test
    void shouldTakeEveryMessageOfAThousandConcurrentSenders() throws Exception
    {
        assumeThat(DaemonTestSupport.compareWithRsyslogd("1,000 concurrent senders")).isTrue();
        final String body = "module(load=\"imtcp\" maxSessions=\"1100\")\ninput(type=\"imtcp\" address=\"127.0.0.1\" " +
            "port=\"0\" listenPortFileName=\"PORTFILE\")\n" + DaemonTestSupport.LINE_TEMPLATE +
            "action(type=\"omfile\" file=\"OUT\" template=\"t\")\n";
        final Path ourOut = dir.resolve("ours.log");
        final Path ourPort = dir.resolve("ours.port");
        final Path conf = dir.resolve("ours.conf");
        Files.writeString(conf, "global(net.enableDNS=\"off\")\n" + body.replace("PORTFILE", ourPort.toString())
            .replace("OUT", ourOut.toString()));
        final Process ours = new ProcessBuilder(DaemonTestSupport.childDaemon(conf, "512m", List.of()))
            .redirectErrorStream(true).redirectOutput(dir.resolve("ours.out").toFile()).start();
        final Result us;
        try
        {
            assertThat(DaemonTestSupport.await(() -> Files.exists(ourPort) && ourPort.toFile().length() > 0)).isTrue();
            us = run(Integer.parseInt(Files.readString(ourPort).trim()), ours.pid(), ourOut);
        }
        finally
        {
            ours.destroy();
            ours.waitFor(30, TimeUnit.SECONDS);
        }
        final Path theirOut = dir.resolve("theirs.log");
        final Result them;
        try (Rsyslogd r = Rsyslogd.start(dir.resolve("rsyslogd"), body.replace("PORTFILE",
            dir.resolve("rsyslogd/port").toString()).replace("OUT", theirOut.toString())))
        {
            them = run(r.port("port"), r.pid(), theirOut);
        }
        System.out.println(SENDERS + " concurrent TCP senders x " + PER_SENDER + " messages (" + N + "):");
        System.out.println("| daemon | wall ms | CPU ms | lost | duplicated |");
        System.out.println("| hostplane | " + us);
        System.out.println("| rsyslogd 8.2302 | " + them);
        assertThat(us.lost).as("ours lost").isZero();
        assertThat(us.duplicated).as("ours duplicated").isZero();
    }

    /** Wall time, daemon CPU over the window, loss. */
    private record Result(long wallMs, long cpuMs, int lost, int duplicated)
    {
        @Override
        public String toString()
        {
            return wallMs + " | " + cpuMs + " | " + lost + " | " + duplicated + " |";
        }
    }

    private static Result run(final int port, final long pid, final Path out) throws Exception
    {
        final List<Socket> sessions = new ArrayList<>(SENDERS);
        final ExecutorService pool = Executors.newFixedThreadPool(16);
        try
        {
            for (int s = 0; s < SENDERS; s++)
            {
                sessions.add(DaemonTestSupport.connect(port));
            }
            final long cpu0 = cpuMillis(pid);
            final long start = System.nanoTime();
            // Round by round every session sends one message, so all 1,000 stay busy to the end.
            final List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 16; t++)
            {
                final int first = t;
                done.add(pool.submit(() ->
                {
                    for (int m = 0; m < PER_SENDER; m++)
                    {
                        for (int s = first; s < SENDERS; s += 16)
                        {
                            final OutputStream o = sessions.get(s).getOutputStream();
                            o.write((seqMessage(s * PER_SENDER + m) + "\n").getBytes(StandardCharsets.US_ASCII));
                        }
                    }
                    return null;
                }));
            }
            for (final Future<?> f : done)
            {
                f.get(300, TimeUnit.SECONDS);
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (lineCount(out) < N && System.nanoTime() < deadline)
            {
                Thread.sleep(5);
            }
            final long wall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            final long cpu = cpuMillis(pid) - cpu0;
            final int[] ld = lostAndDuplicated(out, N);
            return new Result(wall, cpu, ld[0], ld[1]);
        }
        finally
        {
            pool.shutdownNow();
            for (final Socket s : sessions)
            {
                s.close();
            }
        }
    }

    /** utime + stime of a process, from /proc/PID/stat (clock ticks of 10 ms). */
    private static long cpuMillis(final long pid) throws IOException
    {
        final String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        final String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }
}
