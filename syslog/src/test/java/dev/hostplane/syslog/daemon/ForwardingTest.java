package dev.hostplane.syslog.daemon;

import static dev.hostplane.syslog.daemon.DaemonTestSupport.await;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.lineCount;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.lines;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.sendSeq;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.start;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * omfwd between daemons: the article's edge-aggregator → core → analysis-farm chain on loopback, and
 * a forward target stopped (gracefully, in-process) and restarted mid-stream with a disk-assisted
 * action queue. A target killed with SIGKILL is {@link RelpKillTest}'s case: plain TCP syslog has no
 * application acknowledgement, RELP has.
 */
class ForwardingTest
{
    private static final String PRELUDE = "global(net.enableDNS=\"off\" localHostname=\"%s\" workDirectory=\"%s\")\n" +
        "module(load=\"imtcp\")\nmodule(load=\"imudp\")\n";

    @TempDir
    Path dir;

    private String prelude(final String host)
    {
        return String.format(PRELUDE, host, dir);
    }

    @Test
    void shouldCarryMessagesThroughEdgeCoreAndFarm() throws IOException
    {
        final int n = 2000;
        final Path farmLog = dir.resolve("farm.log");
        try (SyslogDaemon farm = start(prelude("farm") +
                "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\")\n" +
                "template(name=\"t\" type=\"string\" string=\"%fromhost-ip% %hostname% %syslogtag% %pri%%msg%\\n\")\n" +
                "*.* " + farmLog + ";t\n");
            SyslogDaemon core = start(prelude("core") +
                "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\")\n" +
                "*.* " + dir.resolve("core.log") + "\n" +
                "action(type=\"omfwd\" target=\"127.0.0.1\" port=\"" + farm.ports().get(0) + "\" protocol=\"tcp\" " +
                "TCP_Framing=\"octet-counted\" template=\"RSYSLOG_ForwardFormat\")\n");
            SyslogDaemon edge = start(prelude("edge") +
                "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\")\n" +
                "*.* @@127.0.0.1:" + core.ports().get(0) + "\n"))
        {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), edge.ports().get(0)))
            {
                sendSeq(s.getOutputStream(), 0, n);
            }
            assertThat(await(() -> farm.messagesProcessed() == n)).isTrue();
            farm.close();
            final List<String> out = lines(farmLog);
            assertThat(out).hasSize(n);
            for (int i = 0; i < n; i++)
            {
                final int pri = 8 + i % 150;
                assertThat(out.get(i)).isEqualTo(String.format("127.0.0.1 web%02d app[%d]: %d seq=%06d status=ok",
                    i % 7, i % 1000, pri, i));
            }
            assertThat(lineCount(dir.resolve("core.log"))).isEqualTo(n);
        }
    }

    @Test
    void shouldLoseNothingWhenTheForwardTargetIsKilledAndRestartedMidStream() throws IOException
    {
        final int n = 100_000;
        final int chunk = 10_000;
        final Path targetLog = dir.resolve("target.log");
        final Path spool = dir.resolve("fwd-spool");
        final String targetConf = prelude("target") + "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"%d\")\n" +
            "template(name=\"m\" type=\"string\" string=\"%%msg%%\\n\")\n*.* -" + targetLog + ";m\n";
        SyslogDaemon target = start(String.format(targetConf, 0));
        final int targetPort = target.ports().get(0);
        try (SyslogDaemon relay = start(prelude("relay") +
            "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\")\n" +
            "action(type=\"omfwd\" target=\"127.0.0.1\" port=\"" + targetPort + "\" protocol=\"tcp\" " +
            "queue.type=\"LinkedList\" queue.size=\"2000\" queue.filename=\"fwd-spool\" action.resumeRetryCount=\"-1\")\n");
            Socket s = new Socket(InetAddress.getLoopbackAddress(), relay.ports().get(0)))
        {
            final OutputStream out = s.getOutputStream();
            sendSeq(out, 0, 3 * chunk);
            // Stop the target while the relay is still forwarding (in flight). Its imtcp sends FIN and
            // reads until the relay closes too; the relay counts what TCP acknowledged as delivered
            // and re-sends only the rest. (A target killed with SIGKILL loses what its kernel had
            // acknowledged but it had not read: plain TCP syslog, RFC 6587, has no application ack.
            // RELP has one; RelpKillTest kills its target with SIGKILL and loses nothing.)
            final SyslogDaemon first = target;
            assertThat(await(() -> first.messagesProcessed() > chunk)).isTrue();
            target.close();
            assertThat(first.messagesProcessed()).isLessThan(n);
            target = null;
            // The stream goes on while the target is down: the ring fills, the rest spools to disk.
            sendSeq(out, 3 * chunk, 6 * chunk);
            assertThat(await(() -> relay.messagesProcessed() == 6 * chunk)).isTrue();
            assertThat(await(() -> size(spool) > 1_000_000)).as("spool file %s in use", spool).isTrue();
            target = start(String.format(targetConf, targetPort));
            sendSeq(out, 6 * chunk, n);
            final SyslogDaemon second = target;
            assertThat(await(() -> first.messagesProcessed() + second.messagesProcessed() >= n))
                .as("target got %d + %d of %d", first.messagesProcessed(), second.messagesProcessed(), n).isTrue();
        }
        finally
        {
            if (null != target)
            {
                target.close();
            }
        }
        final List<String> got = lines(targetLog);
        assertThat(got).hasSize(n);
        for (int i = 0; i < n; i++)
        {
            final String expected = String.format(" seq=%06d status=ok", i);
            if (!got.get(i).equals(expected))
            {
                assertThat(got.get(i)).as("line %d (order, loss or duplicate)", i).isEqualTo(expected);
            }
        }
        assertThat(Files.exists(spool)).as("spool removed once drained").isFalse();
    }

    @Test
    void shouldKeepUndeliveredMessagesInTheSpoolAcrossARestartOfTheRelay() throws IOException
    {
        final int n = 5_000;
        final Path targetLog = dir.resolve("target.log");
        final SyslogDaemon probe = start(prelude("probe") + "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\")\n");
        final int targetPort = probe.ports().get(0);
        probe.close();
        final String relayConf = prelude("relay") + "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\")\n" +
            "action(type=\"omfwd\" target=\"127.0.0.1\" port=\"" + targetPort + "\" protocol=\"tcp\" " +
            "queue.filename=\"keep\" queue.size=\"100\" queue.timeoutShutdown=\"200\")\n";
        try (SyslogDaemon relay = start(relayConf);
            Socket s = new Socket(InetAddress.getLoopbackAddress(), relay.ports().get(0)))
        {
            sendSeq(s.getOutputStream(), 0, n);
            assertThat(await(() -> relay.messagesProcessed() == n)).isTrue();
        }
        assertThat(size(dir.resolve("keep"))).isGreaterThan(n * 20L);
        try (SyslogDaemon target = start(prelude("target") + "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" +
            targetPort + "\")\ntemplate(name=\"m\" type=\"string\" string=\"%msg%\\n\")\n*.* " + targetLog + ";m\n");
            SyslogDaemon relay = start(relayConf))
        {
            assertThat(await(() -> target.messagesProcessed() == n)).isTrue();
            assertThat(relay.messagesProcessed()).isZero();
        }
        final List<String> got = lines(targetLog);
        assertThat(got).hasSize(n);
        for (int i = 0; i < n; i++)
        {
            assertThat(got.get(i)).isEqualTo(String.format(" seq=%06d status=ok", i));
        }
    }

    @Test
    void shouldSpoolALegacyForwardingActionConfiguredWithActionQueueDirectives() throws IOException
    {
        final int n = 3_000;
        final Path targetLog = dir.resolve("target.log");
        final SyslogDaemon probe = start(prelude("probe") + "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\")\n");
        final int targetPort = probe.ports().get(0);
        probe.close();
        // The article's edge aggregator style: legacy directives, then @@host:port.
        final String relayConf = prelude("relay") + "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\")\n" +
            "$ActionQueueType LinkedList\n$ActionQueueFileName legacyfwd\n$ActionQueueSize 100\n" +
            "$ActionResumeRetryCount -1\n$ActionQueueSaveOnShutdown on\n$ActionQueueTimeoutShutdown 200\n" +
            "*.* @@(o)127.0.0.1:" + targetPort + "\n";
        try (SyslogDaemon relay = start(relayConf);
            Socket s = new Socket(InetAddress.getLoopbackAddress(), relay.ports().get(0)))
        {
            sendSeq(s.getOutputStream(), 0, n);
            assertThat(await(() -> relay.messagesProcessed() == n)).isTrue();
            assertThat(await(() -> size(dir.resolve("legacyfwd")) > 10_000)).isTrue();
        }
        try (SyslogDaemon target = start(prelude("target") + "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" +
            targetPort + "\")\ntemplate(name=\"m\" type=\"string\" string=\"%msg%\\n\")\n*.* " + targetLog + ";m\n");
            SyslogDaemon relay = start(relayConf))
        {
            assertThat(await(() -> target.messagesProcessed() == n)).isTrue();
        }
        final List<String> got = lines(targetLog);
        assertThat(got).hasSize(n);
        assertThat(got.get(0)).isEqualTo(" seq=000000 status=ok");
        assertThat(got.get(n - 1)).isEqualTo(String.format(" seq=%06d status=ok", n - 1));
    }

    private static long size(final Path p)
    {
        try
        {
            return Files.exists(p) ? Files.size(p) : 0;
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }
}
