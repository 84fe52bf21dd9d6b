package dev.hostplane.syslog.daemon;

import static dev.hostplane.syslog.daemon.DaemonTestSupport.await;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.lostAndDuplicated;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.sendSeq;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Senders that hold a TCP session without finishing what they send must not stall anyone else:
 * idle connections filling the session limit but one slot, a sender stalled in the middle of a
 * frame (LF-framed and octet-counted), and a slowloris writing one byte every 20 ms. The one
 * remaining well-behaved sender gets 20,000 messages through while they all hang on, and a session
 * over the limit is refused and counted. Unless {@code -Dhostplane.syslog.compareRsyslogd=false},
 * rsyslogd 8.2302 runs the same scenario; both results and the well-behaved sender's wall time are
 * printed (not asserted: timing is for benchmarks).
 */
class SlowSenderTest
{
    private static final int MAX_SESSIONS = 20;
    private static final int MESSAGES = 20_000;
    private static final String TEMPLATE = DaemonTestSupport.LINE_TEMPLATE;

    @TempDir
    Path dir;

    @Test
    void shouldServeAGoodSenderWhileOthersStallOrCrawlAtTheSessionLimit() throws Exception
    {
        final Path out = dir.resolve("ours.log");
        try (SyslogDaemon d = DaemonTestSupport.start("module(load=\"imtcp\" maxSessions=\"" + MAX_SESSIONS + "\")\n" +
            "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\")\n" + TEMPLATE +
            "action(type=\"omfile\" file=\"" + out + "\" template=\"t\")\n"))
        {
            final Outcome ours = hostileScenario(d.ports().get(0), out);
            assertThat(ours.refused).as("the session over the limit is closed").isTrue();
            assertThat(d.inputCounters().get(0).sessionsRejected()).as("and counted").isEqualTo(1);
            assertThat(ours.lost).as("the good sender's messages, with the hostile sessions still open").isZero();
            assertThat(ours.duplicated).isZero();
            System.out.println("hostplane, " + (MAX_SESSIONS - 1) + " idle/stalled/slow sessions of " + MAX_SESSIONS +
                ": good sender's " + MESSAGES + " messages in " + ours.millis + " ms, over-limit session refused");
        }

        if (DaemonTestSupport.compareWithRsyslogd("hostile senders at the session limit"))
        {
            final Path theirs = dir.resolve("rsyslogd.log");
            final Path rdir = dir.resolve("rsyslogd");
            try (Rsyslogd r = Rsyslogd.start(rdir, "module(load=\"imtcp\" maxSessions=\"" + MAX_SESSIONS + "\")\n" +
                "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\" listenPortFileName=\"" + rdir.resolve("port") +
                "\")\n" + TEMPLATE + "action(type=\"omfile\" file=\"" + theirs + "\" template=\"t\")\n"))
            {
                final Outcome them = hostileScenario(r.port("port"), theirs);
                System.out.println("rsyslogd, same scenario: good sender's messages lost " + them.lost + " (in " +
                    them.millis + " ms), over-limit session refused: " + them.refused);
            }
        }
    }

    /** What the well-behaved sender saw. */
    private record Outcome(int lost, int duplicated, long millis, boolean refused)
    {
    }

    private static Outcome hostileScenario(final int port, final Path out) throws Exception
    {
        final List<Socket> held = new ArrayList<>();
        final AtomicBoolean stop = new AtomicBoolean();
        Thread slowloris = null;
        try
        {
            // Idle sessions up to the limit but the three below and the good one.
            for (int i = 0; i < MAX_SESSIONS - 4; i++)
            {
                held.add(DaemonTestSupport.connect(port));
            }
            final Socket stalledLf = DaemonTestSupport.connect(port);
            held.add(stalledLf);
            stalledLf.getOutputStream().write("<13>Nov 26 10:00:00 h app: stalled in the middle of a li".getBytes(
                StandardCharsets.US_ASCII));
            final Socket stalledCounted = DaemonTestSupport.connect(port);
            held.add(stalledCounted);
            stalledCounted.getOutputStream().write("2000 <13>Nov 26 10:00:00 h app: promised 2000 bytes".getBytes(
                StandardCharsets.US_ASCII));
            final Socket slow = DaemonTestSupport.connect(port);
            held.add(slow);
            slowloris = new Thread(() -> crawl(slow, stop), "slowloris");
            slowloris.setDaemon(true);
            slowloris.start();
            final Socket good = DaemonTestSupport.connect(port);
            held.add(good);
            // Give the listener time to see every session before the one over the limit comes.
            TimeUnit.MILLISECONDS.sleep(300);
            final Socket over = DaemonTestSupport.connect(port);
            held.add(over);
            final boolean refused = closedByPeer(over);
            final long start = System.nanoTime();
            sendSeq(good.getOutputStream(), 0, MESSAGES);
            await(() -> DaemonTestSupport.lineCount(out) >= MESSAGES);
            final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            final int[] lostDup = lostAndDuplicated(out, MESSAGES);
            return new Outcome(lostDup[0], lostDup[1], millis, refused);
        }
        finally
        {
            stop.set(true);
            if (null != slowloris)
            {
                slowloris.join(2_000);
            }
            for (final Socket s : held)
            {
                s.close();
            }
        }
    }

    /** One byte every 20 ms of an endless stream of messages. */
    private static void crawl(final Socket s, final AtomicBoolean stop)
    {
        try
        {
            final OutputStream o = s.getOutputStream();
            final byte[] text = "<13>Nov 26 10:00:00 h app: a slow sender's line\n".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; !stop.get(); i++)
            {
                o.write(text[i % text.length]);
                o.flush();
                TimeUnit.MILLISECONDS.sleep(20);
            }
        }
        catch (final IOException | InterruptedException ex)
        {
            // The test closes the socket.
        }
    }

    /** Whether the peer closes the connection within a few seconds (a refused session). */
    private static boolean closedByPeer(final Socket s) throws IOException
    {
        s.setSoTimeout(5_000);
        try
        {
            return s.getInputStream().read() == -1;
        }
        catch (final SocketTimeoutException ex)
        {
            return false;
        }
        catch (final IOException ex)
        {
            // A reset is a refusal too.
            return true;
        }
    }
}
