package dev.hostplane.syslog.daemon;

import static dev.hostplane.syslog.daemon.DaemonTestSupport.await;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.lines;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.sendTcp;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ompipe, the imuxsock unix datagram input with kernel credentials, and output config errors. */
class OutputsAndUnixSocketTest
{
    @TempDir
    Path dir;

    @Test
    void shouldWriteToANamedPipe() throws Exception
    {
        final Path fifo = dir.resolve("fifo");
        final Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo not available");
        final CompletableFuture<String> reader = CompletableFuture.supplyAsync(() ->
        {
            try (InputStream in = Files.newInputStream(fifo))
            {
                final byte[] buf = new byte[4096];
                final StringBuilder sb = new StringBuilder();
                int n;
                while ((n = in.read(buf)) > 0)
                {
                    sb.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
                    if (sb.indexOf("two\n") >= 0)
                    {
                        break;
                    }
                }
                return sb.toString();
            }
            catch (final IOException ex)
            {
                return ex.toString();
            }
        });
        try (SyslogDaemon d = start("global(net.enableDNS=\"off\")\nmodule(load=\"imtcp\")\n" +
            "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\")\n" +
            "template(name=\"m\" type=\"string\" string=\"%hostname%:%msg%\\n\")\n" +
            "action(type=\"ompipe\" pipe=\"" + fifo + "\" template=\"m\")\n"))
        {
            sendTcp(d.ports().get(0), "<13>Nov 26 10:00:00 h1 app: one\n<13>Nov 26 10:00:00 h2 app: two\n");
            assertThat(reader.get(30, TimeUnit.SECONDS)).isEqualTo("h1: one\nh2: two\n");
        }
    }

    @Test
    void shouldReceiveFromAUnixDatagramSocketWithTheSendersCredentials() throws Exception
    {
        assumeTrue(Files.isExecutable(Paths.get("/usr/bin/logger")), "logger (util-linux) not installed");
        final Path sock = dir.resolve("log.sock");
        try (SyslogDaemon d = start("global(net.enableDNS=\"off\" localHostname=\"box\")\n" +
            "module(load=\"imuxsock\")\ninput(type=\"imuxsock\" socket=\"" + sock + "\" annotate=\"on\")\n" +
            "template(name=\"m\" type=\"string\" string=\"%inputname%|%syslogtag%|%msg%\\n\")\n" +
            "*.* " + dir.resolve("uds.log") + ";m\n"))
        {
            final Process p = new ProcessBuilder("/usr/bin/logger", "-u", sock.toString(), "--socket-errors=on", "-t",
                "probe", "hello over /dev/log").start();
            final long pid = p.pid();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
            assertThat(await(() -> d.messagesProcessed() == 1)).isTrue();
            d.close();
            final List<String> out = lines(dir.resolve("uds.log"));
            assertThat(out).hasSize(1);
            assertThat(out.get(0)).startsWith("imuxsock|probe:| hello over /dev/log @[_PID=" + pid + " _UID=0 _GID=0]");
            assertThat(Files.exists(sock)).as("socket file removed on close").isFalse();
        }
    }

    @Test
    void shouldNameTheLineOfABadForwardingAction()
    {
        assertThatThrownBy(() -> start("module(load=\"imtcp\")\n\n*.* @@127.0.0.1:notaport\n").close())
            .hasMessageContaining("test.conf:3:5").hasMessageContaining("parameter 'port': expected a number");
        assertThatThrownBy(() -> start("action(type=\"omfwd\" target=\"h\" protocol=\"sctp\")\n").close())
            .hasMessageContaining("test.conf:1:32").hasMessageContaining("parameter 'protocol': \"sctp\" is not one of [udp, tcp]");
        assertThatThrownBy(() -> start("action(type=\"omfwd\" port=\"514\")\n").close())
            .hasMessageContaining("test.conf:1:1").hasMessageContaining("missing required parameter 'target'");
    }
}
