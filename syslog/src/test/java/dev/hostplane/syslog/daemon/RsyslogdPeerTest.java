package dev.hostplane.syslog.daemon;

import static dev.hostplane.syslog.daemon.DaemonTestSupport.await;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.closeAll;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.lineCount;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our daemon and a real rsyslogd 8.2302 as peers: every sender/receiver pairing of {rsyslogd, us}
 * forwards the same messages over TCP (LF), TCP (octet-counted) and UDP, and the files at the far
 * end must be byte-identical to the rsyslogd → rsyslogd pairing.
 */
class RsyslogdPeerTest
{
    private static final int N = 300;

    @TempDir
    Path dir;

    private static String receiverBody(final Path out, final String portDecl)
    {
        return "module(load=\"imtcp\")\nmodule(load=\"imudp\")\n" + portDecl +
            "template(name=\"far\" type=\"string\" string=\"%inputname% %hostname% %syslogtag% %pri% " +
            "%timereported:::date-rfc3339% %app-name% %procid% [%msg%]\\n\")\n" +
            "if $inputname == \"imudp\" then { action(type=\"omfile\" file=\"" + out.resolve("udp.log") +
            "\" template=\"far\") stop }\n" +
            "if $msg contains \"octet\" then { action(type=\"omfile\" file=\"" + out.resolve("octet.log") +
            "\" template=\"far\") stop }\n" +
            "action(type=\"omfile\" file=\"" + out.resolve("tcp.log") + "\" template=\"far\")\n";
    }

    private static String senderBody(final String portDecl, final int tcp, final int udp)
    {
        return "module(load=\"imtcp\")\n" + portDecl +
            "if $msg contains \"octet\" then { action(type=\"omfwd\" target=\"127.0.0.1\" port=\"" + tcp +
            "\" protocol=\"tcp\" TCP_Framing=\"octet-counted\" template=\"RSYSLOG_ForwardFormat\") stop }\n" +
            "if $msg contains \"udp\" then { @127.0.0.1:" + udp + "\n stop }\n" +
            "*.* @@127.0.0.1:" + tcp + "\n";
    }

    private static String message(final int i)
    {
        final String kind = i % 3 == 0 ? "udp" : i % 3 == 1 ? "octet" : "lf";
        return String.format("<%d>Nov %2d 0%d:%02d:%02d host%d prog%d[%d]: %s message %d with  spaces, \"quotes\" " +
            "and a:colon", i % 191, 1 + i % 28, i % 10, i % 60, (i * 7) % 60, i % 5, i % 4, 100 + i, kind, i);
    }

    @Test
    void shouldWriteByteIdenticalFilesForEveryPairingWithRsyslogd() throws Exception
    {
        assumeTrue(Rsyslogd.available(), "rsyslogd not installed");
        final String[] names = {"rs-rs", "rs-us", "us-rs", "us-us"};
        for (final String pairing : names)
        {
            run(pairing);
        }
        for (final String file : new String[] {"tcp.log", "octet.log", "udp.log"})
        {
            final byte[] reference = Files.readAllBytes(dir.resolve("rs-rs/out").resolve(file));
            final String[] refLines = new String(reference, StandardCharsets.ISO_8859_1).split("\n");
            assertThat(refLines).hasSize(N / 3);
            System.out.println("peer " + file + " first line (all four pairings): " + refLines[0]);
            for (final String pairing : names)
            {
                assertThat(new String(Files.readAllBytes(dir.resolve(pairing + "/out").resolve(file)),
                    StandardCharsets.ISO_8859_1)).as("%s %s", pairing, file)
                    .isEqualTo(new String(reference, StandardCharsets.ISO_8859_1));
            }
        }
    }

    private void run(final String pairing) throws Exception
    {
        final Path base = dir.resolve(pairing);
        final Path out = base.resolve("out");
        Files.createDirectories(out);
        final boolean rsSends = pairing.startsWith("rs");
        final boolean rsReceives = pairing.endsWith("rs");
        Rsyslogd rsReceiver = null;
        SyslogDaemon usReceiver = null;
        Rsyslogd rsSender = null;
        SyslogDaemon usSender = null;
        try
        {
            final int tcp;
            final int udp;
            if (rsReceives)
            {
                udp = freeUdpPort();
                rsReceiver = Rsyslogd.start(base.resolve("recv"), receiverBody(out,
                    "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\" listenPortFileName=\"" +
                    base.resolve("recv/tcp.port") + "\")\n" +
                    "input(type=\"imudp\" address=\"127.0.0.1\" port=\"" + udp + "\")\n"));
                tcp = rsReceiver.port("tcp.port");
            }
            else
            {
                usReceiver = start("global(net.enableDNS=\"off\" localHostname=\"peer\")\n" + receiverBody(out,
                    "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\")\ninput(type=\"imudp\" address=\"127.0.0.1\" " +
                    "port=\"0\")\n"));
                tcp = usReceiver.ports().get(0);
                udp = usReceiver.ports().get(1);
            }
            final int udpPort = udp;
            final int in;
            if (rsSends)
            {
                rsSender = Rsyslogd.start(base.resolve("send"), senderBody("input(type=\"imtcp\" address=\"127.0.0.1\" " +
                    "port=\"0\" listenPortFileName=\"" + base.resolve("send/in.port") + "\")\n", tcp, udpPort));
                in = rsSender.port("in.port");
            }
            else
            {
                usSender = start("global(net.enableDNS=\"off\" localHostname=\"peer\")\n" +
                    senderBody("input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\")\n", tcp, udpPort));
                in = usSender.ports().get(0);
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), in))
            {
                final OutputStream os = s.getOutputStream();
                for (int i = 0; i < N; i++)
                {
                    os.write((message(i) + "\n").getBytes(StandardCharsets.US_ASCII));
                    if (i % 3 == 0)
                    {
                        // UDP on a busy machine: pace the datagrams so none is dropped by a full buffer.
                        os.flush();
                        Thread.sleep(1);
                    }
                }
                os.flush();
            }
            final boolean done = await(() -> lineCount(out.resolve("tcp.log")) == N / 3 &&
                lineCount(out.resolve("octet.log")) == N / 3 && lineCount(out.resolve("udp.log")) == N / 3);
            assertThat(done).as("%s: all messages arrived (tcp=%d octet=%d udp=%d)", pairing,
                lineCount(out.resolve("tcp.log")), lineCount(out.resolve("octet.log")),
                lineCount(out.resolve("udp.log"))).isTrue();
        }
        finally
        {
            closeAll(rsSender, usSender, rsReceiver, usReceiver);
        }
    }

    /** rsyslogd 8.2302's imudp cannot announce an ephemeral port: take a free one for it. */
    private static int freeUdpPort() throws IOException
    {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return s.getLocalPort();
        }
    }
}
