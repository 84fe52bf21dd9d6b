package dev.hostplane.syslog.daemon;

import static dev.hostplane.syslog.daemon.DaemonTestSupport.await;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.lineCount;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.lines;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon as a real process: SIGHUP re-opens files (rotation), SIGTERM drains and exits 0. */
class SignalsProcessTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRotateOnHupAndDrainEverythingOnTerm() throws Exception
    {
        final Path log = dir.resolve("all.log");
        final Path portFile = dir.resolve("port");
        final Path conf = dir.resolve("rsyslog.conf");
        Files.writeString(conf, "global(net.enableDNS=\"off\")\nmodule(load=\"imtcp\")\n" +
            "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\" listenPortFileName=\"" + portFile + "\")\n" +
            "template(name=\"m\" type=\"string\" string=\"%msg%\\n\")\n*.* " + log + ";m\n");
        final List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx128m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(DaemonMain.class.getName());
        cmd.add(conf.toString());
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try
        {
            final BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertThat(lineStartingWith(out, "listening")).isNotNull();
            final int port = Integer.parseInt(Files.readString(portFile).trim());
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port))
            {
                final OutputStream os = s.getOutputStream();
                os.write("<13>Nov 26 10:00:00 h app: before rotation\n".getBytes(StandardCharsets.US_ASCII));
                os.flush();
                assertThat(await(() -> lineCount(log) == 1)).isTrue();
                Files.move(log, dir.resolve("all.log.1"));
                signal(p.pid(), "HUP");
                // Wait for the handler to have run: the next message must land in a new file.
                Thread.sleep(300);
                final StringBuilder many = new StringBuilder();
                for (int i = 0; i < 50_000; i++)
                {
                    many.append("<13>Nov 26 10:00:00 h app: after ").append(i).append('\n');
                }
                os.write(many.toString().getBytes(StandardCharsets.US_ASCII));
                os.flush();
            }
            // TERM right away: whatever was received must still be written before the exit.
            assertThat(await(() -> Files.exists(log))).isTrue();
            signal(p.pid(), "TERM");
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
            assertThat(lineStartingWith(out, "drained")).isEqualTo("drained 50001");
        }
        finally
        {
            p.destroyForcibly();
        }
        assertThat(lines(dir.resolve("all.log.1"))).containsExactly(" before rotation");
        final List<String> after = lines(log);
        assertThat(after).hasSize(50_000);
        assertThat(after.get(49_999)).isEqualTo(" after 49999");
    }

    /** Skips what logging libraries print on start-up. */
    private static String lineStartingWith(final BufferedReader in, final String prefix) throws java.io.IOException
    {
        String line;
        while (null != (line = in.readLine()))
        {
            if (line.startsWith(prefix))
            {
                return line;
            }
        }
        return null;
    }

    private static void signal(final long pid, final String name) throws Exception
    {
        final Process k = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertThat(k.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(k.exitValue()).isZero();
    }
}
