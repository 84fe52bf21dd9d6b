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
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RELP between our daemon and a real rsyslogd 8.2302 (imrelp/omrelp from Debian's rsyslog-relp, on
 * librelp): every sender/receiver pairing of {rsyslogd, us} forwards the same messages over RELP,
 * and the files at the far end must be byte-identical to the rsyslogd → rsyslogd pairing.
 */
class RelpRsyslogdPeerTest
{
    private static final int N = 500;
    private static final Path IMRELP = Paths.get("/usr/lib/x86_64-linux-gnu/rsyslog/imrelp.so");

    @TempDir
    Path dir;

    private static boolean relpAvailable()
    {
        if (!Rsyslogd.available())
        {
            return false;
        }
        final boolean ok = Files.exists(IMRELP);
        if (!ok)
        {
            System.out.println("SKIP RELP peer test: " + IMRELP + " not found (apt-get install -y rsyslog-relp)");
        }
        return ok;
    }

    private static String receiverBody(final Path out, final int port)
    {
        return "module(load=\"imrelp\")\ninput(type=\"imrelp\" address=\"127.0.0.1\" port=\"" + port + "\")\n" +
            "template(name=\"far\" type=\"string\" string=\"%inputname% %fromhost-ip% %hostname% %syslogtag% %pri% " +
            "%timereported:::date-rfc3339% %app-name% %procid% [%msg%]\\n\")\n" +
            "action(type=\"omfile\" file=\"" + out.resolve("relp.log") + "\" template=\"far\")\n";
    }

    private static String senderBody(final String inputDecl, final int relpPort)
    {
        return "module(load=\"imtcp\")\nmodule(load=\"omrelp\")\n" + inputDecl +
            "action(type=\"omrelp\" target=\"127.0.0.1\" port=\"" + relpPort + "\")\n";
    }

    private static String message(final int i)
    {
        return String.format("<%d>Nov %2d 0%d:%02d:%02d host%d prog%d[%d]: relp message %d with  spaces, \"quotes\" " +
            "and a:colon", i % 191, 1 + i % 28, i % 10, i % 60, (i * 7) % 60, i % 5, i % 4, 100 + i, i);
    }

    @Test
    void shouldWriteByteIdenticalFilesForEveryRelpPairingWithRsyslogd() throws Exception
    {
        assumeTrue(relpAvailable(), "rsyslogd or its imrelp module not installed");
        final String[] names = {"rs-rs", "rs-us", "us-rs", "us-us"};
        for (final String pairing : names)
        {
            run(pairing);
        }
        final String reference = Files.readString(dir.resolve("rs-rs/out/relp.log"), StandardCharsets.ISO_8859_1);
        final String[] lines = reference.split("\n");
        assertThat(lines).hasSize(N);
        System.out.println("RELP peer relp.log first line (all four pairings): " + lines[0]);
        for (final String pairing : names)
        {
            assertThat(Files.readString(dir.resolve(pairing + "/out/relp.log"), StandardCharsets.ISO_8859_1))
                .as("%s relp.log", pairing).isEqualTo(reference);
        }
    }

    private void run(final String pairing) throws Exception
    {
        final Path base = dir.resolve(pairing);
        final Path out = base.resolve("out");
        Files.createDirectories(out);
        Rsyslogd rsReceiver = null;
        SyslogDaemon usReceiver = null;
        Rsyslogd rsSender = null;
        SyslogDaemon usSender = null;
        try
        {
            final int relp = freeTcpPort();
            if (pairing.endsWith("rs"))
            {
                rsReceiver = Rsyslogd.start(base.resolve("recv"), receiverBody(out, relp));
                awaitListening(relp);
            }
            else
            {
                usReceiver = start("global(net.enableDNS=\"off\" localHostname=\"peer\")\n" + receiverBody(out, relp));
            }
            final int in;
            if (pairing.startsWith("rs"))
            {
                rsSender = Rsyslogd.start(base.resolve("send"), senderBody("input(type=\"imtcp\" address=\"127.0.0.1\" " +
                    "port=\"0\" listenPortFileName=\"" + base.resolve("send/in.port") + "\")\n", relp));
                in = rsSender.port("in.port");
            }
            else
            {
                usSender = start("global(net.enableDNS=\"off\" localHostname=\"peer\")\n" +
                    senderBody("input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\")\n", relp));
                in = usSender.ports().get(0);
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), in))
            {
                final OutputStream os = s.getOutputStream();
                for (int i = 0; i < N; i++)
                {
                    os.write((message(i) + "\n").getBytes(StandardCharsets.US_ASCII));
                }
                os.flush();
            }
            assertThat(await(() -> lineCount(out.resolve("relp.log")) == N))
                .as("%s: all messages arrived (%d)", pairing, lineCount(out.resolve("relp.log"))).isTrue();
        }
        finally
        {
            closeAll(rsSender, usSender, rsReceiver, usReceiver);
        }
    }

    /** rsyslogd's imrelp cannot announce an ephemeral port: take a free one for it. */
    private static int freeTcpPort() throws IOException
    {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return s.getLocalPort();
        }
    }

    private static void awaitListening(final int port)
    {
        assertThat(await(() ->
        {
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port))
            {
                return true;
            }
            catch (final IOException ex)
            {
                return false;
            }
        })).as("rsyslogd imrelp listens on %d", port).isTrue();
    }
}
