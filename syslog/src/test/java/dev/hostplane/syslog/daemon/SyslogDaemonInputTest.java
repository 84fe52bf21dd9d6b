package dev.hostplane.syslog.daemon;

import static dev.hostplane.syslog.daemon.DaemonTestSupport.await;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.lineCount;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.lines;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.sendTcp;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.sendUdp;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.start;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** imtcp / imudp inputs of the daemon: framing, limits, recovery from bad frames, many sessions, HUP. */
class SyslogDaemonInputTest
{
    @TempDir
    Path dir;

    private String config(final String inputs, final String extra)
    {
        return "global(net.enableDNS=\"off\" localHostname=\"relay\" maxMessageSize=\"2k\")\n" +
            "module(load=\"imtcp\")\nmodule(load=\"imudp\")\n" + inputs +
            "template(name=\"m\" type=\"string\" string=\"%inputname%|%fromhost-ip%|%hostname%|%msg%\\n\")\n" +
            extra + "*.* " + dir.resolve("all.log") + ";m\n";
    }

    @Test
    void shouldReceiveLfAndOctetCountedTcpAndUdpFrames() throws IOException
    {
        try (SyslogDaemon d = start(config("input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\")\n" +
            "input(type=\"imudp\" address=\"127.0.0.1\" port=\"0\")\n", "")))
        {
            final int tcp = d.ports().get(0);
            final int udp = d.ports().get(1);
            final String two = "<13>Nov 26 10:00:01 h1 a: two";
            sendTcp(tcp, "<13>Nov 26 10:00:00 h1 app: one\n" + two.length() + " " + two +
                "<13>Nov 26 10:00:02 h1 b: three\n");
            assertThat(await(() -> lineCount(dir.resolve("all.log")) == 3)).isTrue();
            sendUdp(udp, "<14>Nov 26 10:00:03 h2 u: four".getBytes(StandardCharsets.US_ASCII));
            assertThat(await(() -> lineCount(dir.resolve("all.log")) == 4)).isTrue();
            assertThat(lines(dir.resolve("all.log"))).containsExactly(
                "imtcp|127.0.0.1|h1| one",
                "imtcp|127.0.0.1|h1| two",
                "imtcp|127.0.0.1|h1| three",
                "imudp|127.0.0.1|h2| four");
            assertThat(d.inputCounters().get(0).messages()).isEqualTo(3);
            assertThat(d.inputCounters().get(1).messages()).isEqualTo(1);
        }
    }

    @Test
    void shouldCountOversizeAndGarbageTcpFramesAndKeepProcessingTheNextGoodOne() throws IOException
    {
        try (SyslogDaemon d = start(config("input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\" " +
            "maxFrameSize=\"10000\")\n", "")))
        {
            final int tcp = d.ports().get(0);
            final ByteArrayOutputStream b = new ByteArrayOutputStream();
            final byte[] big = new byte[3000];
            Arrays.fill(big, (byte)'x');
            // 1: an LF frame longer than maxMessageSize (2k): split into a 2048-byte and a 951-byte message
            b.write("<13>Nov 26 10:00:00 h1 app: ".getBytes(StandardCharsets.US_ASCII));
            b.write(big);
            b.write('\n');
            // 2: an octet-counted frame whose count exceeds maxMessageSize: truncated, rest skipped exactly
            final byte[] body = ("<13>Nov 26 10:00:00 h2 app: " + "y".repeat(5000)).getBytes(StandardCharsets.US_ASCII);
            b.write((body.length + " ").getBytes(StandardCharsets.US_ASCII));
            b.write(body);
            // 3: garbage: an absurd octet count over maxFrameSize: framing error, read as an LF frame
            b.write("99999999 <13>Nov 26 10:00:00 h3 app: garbage-count\n".getBytes(StandardCharsets.US_ASCII));
            // 4: binary garbage with an LF
            b.write(new byte[] {0, 1, 2, (byte)0xff, '\n'});
            // 5: the next good message
            b.write("<13>Nov 26 10:00:00 h4 app: good\n".getBytes(StandardCharsets.US_ASCII));
            // 6: a truncated octet-counted frame at the end of the connection
            b.write("500 <13>Nov 26 10:00:00 h5 app: cut".getBytes(StandardCharsets.US_ASCII));
            sendTcp(tcp, b.toByteArray());
            assertThat(await(() -> d.messagesProcessed() == 7)).isTrue();
            d.close();
            final List<String> out = lines(dir.resolve("all.log"));
            assertThat(out).hasSize(7);
            assertThat(out.get(0)).startsWith("imtcp|127.0.0.1|h1| xxx");
            assertThat(out.get(2)).startsWith("imtcp|127.0.0.1|h2| yyy");
            assertThat(out.get(2).length()).isLessThan(2100);
            // The frame after a bad count is an ordinary (PRI-less) LF frame, parsed as rsyslog parses it.
            assertThat(out.get(3)).startsWith("imtcp|127.0.0.1|99999999|").endsWith("h3 app: garbage-count");
            assertThat(out.get(5)).isEqualTo("imtcp|127.0.0.1|h4| good");
            assertThat(out.get(6)).isEqualTo("imtcp|127.0.0.1|h5| cut");
            final InputCounters c = d.inputCounters().get(0);
            assertThat(c.oversize()).isEqualTo(2);
            assertThat(c.framingErrors()).isEqualTo(1);
            assertThat(c.truncated()).isEqualTo(1);
            assertThat(c.messages()).isEqualTo(7);
        }
    }

    @Test
    void shouldCountEmptyAndOversizeDatagramsAndKeepProcessing() throws IOException
    {
        try (SyslogDaemon d = start(config("input(type=\"imudp\" address=\"127.0.0.1\" port=\"0\")\n", "")))
        {
            final int udp = d.ports().get(0);
            sendUdp(udp, new byte[0]);
            final byte[] big = ("<13>Nov 26 10:00:00 h1 app: " + "z".repeat(5000)).getBytes(StandardCharsets.US_ASCII);
            sendUdp(udp, big);
            sendUdp(udp, new byte[] {(byte)0xfe, 0, (byte)0x80});
            sendUdp(udp, "<13>Nov 26 10:00:00 h4 app: good".getBytes(StandardCharsets.US_ASCII));
            assertThat(await(() -> lines0(dir.resolve("all.log")).contains("imudp|127.0.0.1|h4| good"))).isTrue();
            final InputCounters c = d.inputCounters().get(0);
            assertThat(c.empty()).isEqualTo(1);
            assertThat(c.oversize()).isEqualTo(1);
            assertThat(c.messages()).isEqualTo(3);
            final List<String> out = lines(dir.resolve("all.log"));
            assertThat(out.get(0)).startsWith("imudp|127.0.0.1|h1| zzz").hasSizeLessThan(2100);
        }
    }

    private static List<String> lines0(final Path p)
    {
        try
        {
            return lines(p);
        }
        catch (final IOException ex)
        {
            return List.of();
        }
    }

    @Test
    void shouldServeOneThousandConcurrentTcpSessions() throws IOException
    {
        final int n = 1000;
        try (SyslogDaemon d = start(config("input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\" " +
            "maxSessions=\"2000\")\n", "")))
        {
            final int tcp = d.ports().get(0);
            final List<Socket> sockets = new ArrayList<>();
            try
            {
                for (int i = 0; i < n; i++)
                {
                    sockets.add(new Socket(InetAddress.getLoopbackAddress(), tcp));
                }
                assertThat(await(() -> d.inputCounters().get(0).sessionsOpen() == n)).isTrue();
                for (int i = 0; i < n; i++)
                {
                    final OutputStream out = sockets.get(i).getOutputStream();
                    out.write(("<13>Nov 26 10:00:00 s" + i + " app: session " + i + "\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                assertThat(await(() -> d.messagesProcessed() == n)).isTrue();
            }
            finally
            {
                for (final Socket s : sockets)
                {
                    s.close();
                }
            }
            assertThat(await(() -> d.inputCounters().get(0).sessionsOpen() == 0)).isTrue();
            d.close();
            final List<String> out = lines(dir.resolve("all.log"));
            assertThat(out).hasSize(n);
            assertThat(out.stream().map(l -> l.substring(l.lastIndexOf(' ') + 1)).distinct().count()).isEqualTo(n);
            assertThat(d.inputCounters().get(0).sessionsOpened()).isEqualTo(n);
            assertThat(d.inputCounters().get(0).sessionsRejected()).isZero();
        }
    }

    @Test
    void shouldRejectSessionsOverMaxSessionsAndCountThem() throws IOException
    {
        try (SyslogDaemon d = start(config("input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\" maxSessions=\"2\")\n",
            "")))
        {
            final int tcp = d.ports().get(0);
            try (Socket a = new Socket(InetAddress.getLoopbackAddress(), tcp);
                Socket b = new Socket(InetAddress.getLoopbackAddress(), tcp);
                Socket c = new Socket(InetAddress.getLoopbackAddress(), tcp))
            {
                assertThat(await(() -> d.inputCounters().get(0).sessionsRejected() == 1)).isTrue();
                assertThat(c.getInputStream().read()).isEqualTo(-1);
                assertThat(a.isConnected() && b.isConnected()).isTrue();
            }
        }
    }

    @Test
    void shouldReopenOutputFilesOnHup() throws IOException
    {
        try (SyslogDaemon d = start(config("input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\")\n", "")))
        {
            final int tcp = d.ports().get(0);
            final Path log = dir.resolve("all.log");
            sendTcp(tcp, "<13>Nov 26 10:00:00 h1 app: before\n");
            assertThat(await(() -> lineCount(log) == 1)).isTrue();
            Files.move(log, dir.resolve("all.log.1"));
            d.reopenFiles();
            sendTcp(tcp, "<13>Nov 26 10:00:00 h1 app: after\n");
            assertThat(await(() -> lineCount(log) == 1)).isTrue();
            assertThat(lines(dir.resolve("all.log.1"))).containsExactly("imtcp|127.0.0.1|h1| before");
            assertThat(lines(log)).containsExactly("imtcp|127.0.0.1|h1| after");
        }
    }

    @Test
    void shouldReportABadInputPortWithFileAndLine()
    {
        final String conf = "module(load=\"imtcp\")\ninput(type=\"imtcp\" port=\"http\")\n*.* " + dir.resolve("x") + "\n";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> start(conf).close())
            .hasMessageContaining("test.conf:2").hasMessageContaining("port");
    }

    @Test
    void shouldFeedEachInputToTheRulesetItIsBoundTo() throws IOException
    {
        final Path remote = dir.resolve("remote.log");
        final Path legacy = dir.resolve("legacy.log");
        final Path local = dir.resolve("local.log");
        try (SyslogDaemon d = start("global(net.enableDNS=\"off\" localHostname=\"relay\")\n" +
            "module(load=\"imtcp\")\nmodule(load=\"imudp\")\n" +
            "template(name=\"m\" type=\"string\" string=\"%inputname% %msg%\\n\")\n" +
            "ruleset(name=\"remote\") { action(type=\"omfile\" file=\"" + remote + "\" template=\"m\") }\n" +
            "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\" ruleset=\"remote\")\n" +
            "input(type=\"imudp\" address=\"127.0.0.1\" port=\"0\")\n" +
            "$RuleSet legacy\n*.* " + legacy + ";m\n$InputUDPServerBindRuleset legacy\n$UDPServerAddress 127.0.0.1\n" +
            "$UDPServerRun 0\n$RuleSet RSYSLOG_DefaultRuleset\n" +
            "*.* " + local + ";m\n"))
        {
            sendTcp(d.ports().get(0), "<13>Nov 26 10:00:00 h1 app: over tcp\n");
            sendUdp(d.ports().get(1), "<13>Nov 26 10:00:01 h1 app: over udp".getBytes(StandardCharsets.US_ASCII));
            sendUdp(d.ports().get(2), "<13>Nov 26 10:00:02 h1 app: over legacy udp".getBytes(StandardCharsets.US_ASCII));
            assertThat(await(() -> lineCount(remote) == 1 && lineCount(local) == 1 && lineCount(legacy) == 1)).isTrue();
            assertThat(lines(remote)).containsExactly("imtcp  over tcp");
            assertThat(lines(local)).containsExactly("imudp  over udp");
            assertThat(lines(legacy)).containsExactly("imudp  over legacy udp");
        }
    }

    @Test
    void shouldRefuseAnInputBoundToAnUnknownRuleset()
    {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> start("module(load=\"imtcp\")\n" +
            "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\" ruleset=\"nosuch\")\n*.* " +
            dir.resolve("x.log") + "\n"))
            .hasMessageContaining("test.conf:2: input(type=\"imtcp\"): unknown ruleset 'nosuch'");
    }
}
