package dev.hostplane.syslog.daemon;

import static dev.hostplane.syslog.daemon.DaemonTestSupport.await;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.lineCount;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.lines;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.start;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * imrelp seen from a raw RELP client: answers come in command order and never before the message is
 * in the output file; with an asynchronous output, never before that output delivered it; malformed
 * frames and commands before {@code open} end the session with a counted, reported error.
 */
class RelpInputTest
{
    private static final String OPEN = "relp_version=0\nrelp_software=test,1,-\ncommands=syslog";

    @TempDir
    Path dir;

    private String config(final String extra)
    {
        return "global(net.enableDNS=\"off\" localHostname=\"us\" workDirectory=\"" + dir + "\")\n" +
            "module(load=\"imrelp\")\ninput(type=\"imrelp\" address=\"127.0.0.1\" port=\"0\")\n" +
            "template(name=\"m\" type=\"string\" string=\"%msg%\\n\")\n" + extra +
            "action(type=\"omfile\" file=\"" + dir.resolve("out.log") + "\" template=\"m\")\n";
    }

    private static String frame(final int txnr, final String command, final String data)
    {
        return txnr + " " + command + " " + data.length() + (data.isEmpty() ? "" : " " + data) + "\n";
    }

    private static String message(final int i)
    {
        return String.format("<13>Nov 26 10:00:00 h app: m%06d", i);
    }

    /** Reads one frame: {txnr, command, data}, or null at the end of the stream. */
    private static String[] read(final InputStream in) throws IOException
    {
        final StringBuilder head = new StringBuilder();
        int spaces = 0;
        while (spaces < 2)
        {
            final int c = in.read();
            if (c < 0)
            {
                return null;
            }
            spaces += c == ' ' ? 1 : 0;
            head.append((char)c);
        }
        final StringBuilder len = new StringBuilder();
        int c;
        while ((c = in.read()) >= '0' && c <= '9')
        {
            len.append((char)c);
        }
        final int n = Integer.parseInt(len.toString());
        final byte[] data = new byte[n];
        if (n > 0)
        {
            // c was the SP before the data
            int off = 0;
            while (off < n)
            {
                final int r = in.read(data, off, n - off);
                if (r < 0)
                {
                    return null;
                }
                off += r;
            }
            c = in.read();
        }
        assertThat(c).as("trailer").isEqualTo('\n');
        final String[] h = head.toString().trim().split(" ");
        return new String[] {h[0], h[1], new String(data, StandardCharsets.ISO_8859_1)};
    }

    @Test
    void shouldAnswerInCommandOrderAndOnlyOnceTheMessageIsInTheFile() throws Exception
    {
        final int n = 3_000;
        final Path out = dir.resolve("out.log");
        try (SyslogDaemon d = start(config(""));
            Socket s = new Socket(InetAddress.getLoopbackAddress(), d.ports().get(0)))
        {
            final InputStream in = s.getInputStream();
            final StringBuilder sb = new StringBuilder(frame(1, "open", OPEN));
            for (int i = 0; i < n; i++)
            {
                sb.append(frame(i + 2, "syslog", message(i)));
            }
            sb.append(frame(n + 2, "close", ""));
            s.getOutputStream().write(sb.toString().getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            final String[] open = read(in);
            assertThat(open[0]).isEqualTo("1");
            assertThat(open[1]).isEqualTo("rsp");
            assertThat(open[2]).startsWith("200 OK\n").contains("relp_version=0").contains("commands=syslog");
            for (int i = 0; i < n; i++)
            {
                final String[] rsp = read(in);
                assertThat(rsp).as("answer %d", i).isNotNull();
                assertThat(rsp[0]).isEqualTo(Integer.toString(i + 2));
                assertThat(rsp[1] + " " + rsp[2]).isEqualTo("rsp 200 OK");
                if (i % 97 == 0 || i == n - 1)
                {
                    // Answered means written: the message (and all before it) is in the file already.
                    assertThat(Files.size(out)).as("file when txnr %d was answered", i + 2)
                        .isGreaterThanOrEqualTo((i + 1) * (long)" m000000\n".length());
                }
            }
            final String[] close = read(in);
            assertThat(close).containsExactly(Integer.toString(n + 2), "rsp", "");
            assertThat(read(in)).as("server closes after answering close").isNull();
        }
        final List<String> got = lines(out);
        assertThat(got).hasSize(n);
        assertThat(got.get(n - 1)).isEqualTo(String.format(" m%06d", n - 1));
    }

    @Test
    void shouldHoldTheAnswerUntilAnAsynchronousOutputHasDeliveredTheMessage() throws Exception
    {
        final int fwdPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            fwdPort = probe.getLocalPort();
        }
        try (SyslogDaemon d = start(config("action(type=\"omfwd\" target=\"127.0.0.1\" port=\"" + fwdPort + "\" " +
            "protocol=\"tcp\" action.resumeRetryCount=\"-1\")\n"));
            Socket s = new Socket(InetAddress.getLoopbackAddress(), d.ports().get(0)))
        {
            s.getOutputStream().write((frame(1, "open", OPEN) + frame(2, "syslog", message(7)))
                .getBytes(StandardCharsets.US_ASCII));
            final InputStream in = s.getInputStream();
            assertThat(read(in)[0]).isEqualTo("1");
            assertThat(await(() -> lineCount(dir.resolve("out.log")) == 1)).isTrue();
            s.setSoTimeout(700);
            // In the file, but the forward target is down: the message is only in the omfwd queue's memory.
            boolean answered;
            try
            {
                answered = null != read(in);
            }
            catch (final SocketTimeoutException expected)
            {
                answered = false;
            }
            assertThat(answered).as("answered before the asynchronous output delivered").isFalse();
            s.setSoTimeout(30_000);
            final Path fwdLog = dir.resolve("fwd.log");
            try (SyslogDaemon target = start("global(net.enableDNS=\"off\")\nmodule(load=\"imtcp\")\n" +
                "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" + fwdPort + "\")\n" +
                "template(name=\"m\" type=\"string\" string=\"%msg%\\n\")\n*.* " + fwdLog + ";m\n"))
            {
                final String[] rsp = read(in);
                assertThat(rsp).containsExactly("2", "rsp", "200 OK");
                assertThat(await(() -> lineCount(fwdLog) == 1)).isTrue();
            }
        }
    }

    @Test
    void shouldForwardWithTheLegacyOmrelpActionSyntax() throws Exception
    {
        final int n = 500;
        try (SyslogDaemon target = start(config(""));
            SyslogDaemon relay = start("global(net.enableDNS=\"off\" localHostname=\"relay\")\n" +
                "module(load=\"imtcp\")\nmodule(load=\"omrelp\")\n" +
                "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\")\n" +
                "template(name=\"plain\" type=\"string\" string=\"<%PRI%>%TIMESTAMP% %HOSTNAME% %syslogtag% via-relp%msg%\")\n" +
                "*.* :omrelp:127.0.0.1:" + target.ports().get(0) + ";plain\n");
            Socket s = new Socket(InetAddress.getLoopbackAddress(), relay.ports().get(0)))
        {
            final StringBuilder sb = new StringBuilder();
            for (int i = 0; i < n; i++)
            {
                sb.append(message(i)).append('\n');
            }
            s.getOutputStream().write(sb.toString().getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            assertThat(await(() -> lineCount(dir.resolve("out.log")) == n)).isTrue();
        }
        final List<String> got = lines(dir.resolve("out.log"));
        assertThat(got.get(0)).isEqualTo(" via-relp m000000");
        assertThat(got.get(n - 1)).isEqualTo(String.format(" via-relp m%06d", n - 1));
    }

    @Test
    void shouldStopReadingAClientThatNeverReadsItsResponsesWhileOthersGoOn() throws Exception
    {
        final long cap = 48L << 20;
        try (SyslogDaemon d = start(config("")))
        {
            final NonReader ours = nonReaderScenario(d.ports().get(0), cap);
            assertThat(ours.throttled()).as("the non-reading client is throttled (%d bytes written)", ours.written())
                .isTrue();
            assertThat(ours.written()).isLessThan(cap);
            assertThat(ours.goodAnswers()).as("another client on the same event loop is served in full").isEqualTo(501);
            System.out.println("RELP client that never reads its responses: throttled after " + ours.written() +
                " bytes; a second client got all 500 answers");
        }
        if (DaemonTestSupport.compareWithRsyslogd("RELP client that never reads its responses"))
        {
            final int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
            {
                port = s.getLocalPort();
            }
            try (Rsyslogd r = Rsyslogd.start(dir.resolve("rsyslogd"), "module(load=\"imrelp\")\ninput(type=\"imrelp\" " +
                "address=\"127.0.0.1\" port=\"" + port + "\")\ntemplate(name=\"m\" type=\"string\" string=\"%msg%\\n\")\n" +
                "action(type=\"omfile\" file=\"" + dir.resolve("rsyslogd.log") + "\" template=\"m\")\n"))
            {
                DaemonTestSupport.connect(port).close();
                final NonReader theirs = nonReaderScenario(port, cap);
                System.out.println("rsyslogd, same RELP client that never reads: " + (theirs.throttled() ?
                    "throttled after " + theirs.written() + " bytes" : "not throttled (" + theirs.written() +
                    " bytes written)") + "; the second client got " + Math.max(0, theirs.goodAnswers() - 1) +
                    " of 500 answers");
            }
        }
    }

    /** What a RELP client that never reads its responses managed to write, and what a good client got meanwhile. */
    private record NonReader(long written, boolean throttled, int goodAnswers)
    {
    }

    private static NonReader nonReaderScenario(final int port, final long cap) throws Exception
    {
        try (Socket hostile = new Socket())
        {
            // A small receive window: the responses it never reads back up into the daemon quickly.
            hostile.setReceiveBufferSize(4096);
            hostile.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            final java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
            final Thread writer = new Thread(() ->
            {
                try
                {
                    final java.io.OutputStream o = hostile.getOutputStream();
                    o.write(frame(1, "open", OPEN).getBytes(StandardCharsets.US_ASCII));
                    int txnr = 2;
                    while (written.get() < cap)
                    {
                        final StringBuilder sb = new StringBuilder();
                        for (int i = 0; i < 500; i++, txnr++)
                        {
                            sb.append(frame(txnr, "syslog", message(txnr)));
                        }
                        final byte[] b = sb.toString().getBytes(StandardCharsets.US_ASCII);
                        o.write(b);
                        written.addAndGet(b.length);
                    }
                }
                catch (final IOException ex)
                {
                    // Closed by the test.
                }
            }, "relp-non-reader");
            writer.setDaemon(true);
            writer.start();
            // Stalled: no progress for a second (a daemon that reads it all lets it reach the cap and stop).
            await(() ->
            {
                final long before = written.get();
                try
                {
                    Thread.sleep(1_000);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
                return written.get() == before && before > 0;
            });
            final long stalledAt = written.get();
            int answers = 0;
            try (Socket good = new Socket(InetAddress.getLoopbackAddress(), port))
            {
                good.setSoTimeout(10_000);
                final StringBuilder sb = new StringBuilder(frame(1, "open", OPEN));
                for (int i = 0; i < 500; i++)
                {
                    sb.append(frame(i + 2, "syslog", "<13>Nov 26 10:00:00 h app: good " + i));
                }
                good.getOutputStream().write(sb.toString().getBytes(StandardCharsets.US_ASCII));
                final InputStream in = good.getInputStream();
                final String[] opened = read(in);
                if (null != opened && opened[2].startsWith("200 OK"))
                {
                    answers++;
                    for (int i = 0; i < 500; i++)
                    {
                        final String[] a = read(in);
                        if (null == a || !List.of(a).equals(List.of(Integer.toString(i + 2), "rsp", "200 OK")))
                        {
                            break;
                        }
                        answers++;
                    }
                }
            }
            catch (final IOException ex)
            {
                // No answer in 10 s: counted as what it got.
            }
            hostile.close();
            writer.join(5_000);
            return new NonReader(stalledAt, stalledAt < cap, answers);
        }
    }

    @Test
    void shouldEndTheSessionOnAMalformedFrameReportingPeerAndReason() throws Exception
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final PrintStream saved = System.err;
        final List<String> replies = new ArrayList<>();
        try (SyslogDaemon d = start(config("")))
        {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            final int port = d.ports().get(0);
            final String[] bad = {
                frame(1, "open", OPEN) + "2 syslog 5 hello!\n",
                frame(1, "syslog", message(1)),
                frame(1, "open", OPEN) + frame(3, "syslog", message(1)),
                frame(1, "open", OPEN) + "\u0000\u0001garbage\n",
            };
            for (final String b : bad)
            {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port))
                {
                    s.setSoTimeout(10_000);
                    s.getOutputStream().write(b.getBytes(StandardCharsets.ISO_8859_1));
                    final InputStream in = s.getInputStream();
                    String[] f;
                    while (null != (f = read(in)))
                    {
                        replies.add(f[0] + " " + f[1]);
                    }
                }
            }
            assertThat(await(() -> d.inputCounters().get(0).framingErrors() == bad.length)).isTrue();
            // The daemon goes on: a good session after the bad ones.
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port))
            {
                s.getOutputStream().write((frame(1, "open", OPEN) + frame(2, "syslog", message(42)))
                    .getBytes(StandardCharsets.US_ASCII));
                final InputStream in = s.getInputStream();
                read(in);
                assertThat(read(in)).containsExactly("2", "rsp", "200 OK");
            }
            assertThat(d.inputCounters().get(0).messages()).isEqualTo(1);
        }
        finally
        {
            System.setErr(saved);
        }
        // Only the opens were answered; nothing bad reached the file.
        assertThat(replies).containsExactly("1 rsp", "1 rsp", "1 rsp");
        assertThat(lines(dir.resolve("out.log"))).containsExactly(" m000042");
        final String report = err.toString(StandardCharsets.UTF_8);
        System.out.print(report);
        assertThat(report).contains("framing error: peer=127.0.0.1:")
            .contains("expected LF trailer after 5 data bytes, got '!'")
            .contains("syslog command before open: txnr=1")
            .contains("txnr=3 out of sequence, expected txnr=2")
            .contains("expected a TXNR digit, got 0x00");
    }
}
