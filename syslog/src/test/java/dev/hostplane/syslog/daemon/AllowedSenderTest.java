package dev.hostplane.syslog.daemon;

import static dev.hostplane.syslog.daemon.DaemonTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.hostplane.syslog.SyslogConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code $AllowedSender}: once a protocol has a list, only its senders get through; the others'
 * TCP sessions are closed and their datagrams dropped, counted and reported. Senders use two
 * loopback addresses, 127.0.0.1 (not listed) and 127.0.0.2 (listed). rsyslogd runs the same config
 * and must write exactly the same file.
 */
class AllowedSenderTest
{
    private static final String RULES = "$AllowedSender TCP, 127.0.0.2, [::1]/128, *.example.net\n" +
        "$AllowedSender UDP, 127.0.0.0/30\n" +
        "template(name=\"t\" type=\"string\" string=\"%fromhost-ip% %msg%\\n\")\n";

    @TempDir
    Path dir;

    @Test
    void shouldOnlyTakeMessagesFromAllowedSenders() throws Exception
    {
        final Path ours = dir.resolve("ours.log");
        try (SyslogDaemon d = DaemonTestSupport.start(RULES + "global(net.enableDNS=\"off\")\n" +
            "module(load=\"imtcp\")\nmodule(load=\"imudp\")\n" +
            "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\")\ninput(type=\"imudp\" address=\"127.0.0.1\" port=\"0\")\n" +
            "action(type=\"omfile\" file=\"" + ours + "\" template=\"t\")\n"))
        {
            send(d.ports().get(0), d.ports().get(1));
            assertThat(await(() -> DaemonTestSupport.lineCount(ours) == 2)).isTrue();
            TimeUnit.MILLISECONDS.sleep(300);
            final List<InputCounters> c = d.inputCounters();
            assertThat(c.get(0).disallowed()).as("TCP session from 127.0.0.1 refused").isEqualTo(1);
            assertThat(c.get(1).disallowed()).as("UDP datagram from 127.0.0.9 dropped").isEqualTo(1);
        }
        assertThat(Files.readAllLines(ours)).containsExactly("127.0.0.2  tcp-allowed", "127.0.0.2  udp-allowed");

        if (Rsyslogd.available())
        {
            final Path theirs = dir.resolve("rsyslogd.log");
            final Path rs = dir.resolve("rs");
            try (Rsyslogd r = Rsyslogd.start(rs, RULES + "module(load=\"imtcp\")\nmodule(load=\"imudp\")\n" +
                "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\" listenPortFileName=\"" + rs.resolve("tport") + "\")\n" +
                "input(type=\"imudp\" address=\"127.0.0.1\" port=\"0\")\n" +
                "action(type=\"omfile\" file=\"" + theirs + "\" template=\"t\")\n"))
            {
                // rsyslogd's imudp writes no port file: bind a UDP port of our choosing is not possible with
                // port 0, so only TCP is compared against it.
                sendTcp(r.port("tport"));
                await(() -> DaemonTestSupport.lineCount(theirs) >= 1);
                TimeUnit.MILLISECONDS.sleep(500);
            }
            assertThat(Files.readAllLines(theirs)).containsExactly("127.0.0.2  tcp-allowed");
            System.out.println("$AllowedSender TCP: rsyslogd and hostplane both took only 127.0.0.2");
        }
    }

    @Test
    void shouldRejectMalformedEntriesAtTheDirective()
    {
        assertThatThrownBy(() -> DaemonTestSupport.start("*.* " + dir.resolve("x") + "\n$AllowedSender TCP, 10.0.0.0/99\n"))
            .isInstanceOf(SyslogConfigException.class).hasMessageContaining("test.conf:2:1")
            .hasMessageContaining("prefix length must be 1..32");
        assertThatThrownBy(() -> DaemonTestSupport.start("$AllowedSender SCTP, 127.0.0.1\n"))
            .isInstanceOf(SyslogConfigException.class).hasMessageContaining("expected UDP or TCP");
    }

    private static void send(final int tcpPort, final int udpPort) throws IOException
    {
        sendTcp(tcpPort);
        try (DatagramSocket bad = new DatagramSocket(new InetSocketAddress("127.0.0.9", 0));
            DatagramSocket good = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0)))
        {
            final InetAddress to = InetAddress.getByName("127.0.0.1");
            final byte[] b1 = "<13>Jan  1 00:00:00 h t: udp-denied".getBytes(StandardCharsets.US_ASCII);
            bad.send(new DatagramPacket(b1, b1.length, to, udpPort));
            final byte[] b2 = "<13>Jan  1 00:00:00 h t: udp-allowed".getBytes(StandardCharsets.US_ASCII);
            good.send(new DatagramPacket(b2, b2.length, to, udpPort));
        }
    }

    private static void sendTcp(final int port) throws IOException
    {
        final InetAddress to = InetAddress.getByName("127.0.0.1");
        try (Socket bad = new Socket(to, port, InetAddress.getByName("127.0.0.1"), 0))
        {
            final OutputStream o = bad.getOutputStream();
            o.write("<13>Jan  1 00:00:00 h t: tcp-denied\n".getBytes(StandardCharsets.US_ASCII));
            o.flush();
        }
        catch (final IOException ex)
        {
            // A refused sender may see its connection reset: that is the refusal.
        }
        try (Socket good = new Socket(to, port, InetAddress.getByName("127.0.0.2"), 0))
        {
            final OutputStream o = good.getOutputStream();
            o.write("<13>Jan  1 00:00:00 h t: tcp-allowed\n".getBytes(StandardCharsets.US_ASCII));
            o.flush();
        }
    }
}
