package dev.hostplane.examples.readme;

// README syslogd
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.hostplane.syslog.daemon.SyslogDaemon;
// README end

/** README snippet: the syslog daemon embedded, with a TCP input on a kernel-chosen loopback port. */
public final class SyslogDaemonReadme
{
    private SyslogDaemonReadme()
    {
    }

    /**
     * Runs the snippet in a temporary directory.
     *
     * @param args unused.
     * @throws Exception when the daemon fails.
     */
    public static void main(final String[] args) throws Exception
    {
        final Path dir = Files.createTempDirectory("hostplane-readme");
        try
        {
            // README syslogd
            Path log = dir.resolve("all.log");
            String config = "module(load=\"imtcp\")\n"
                + "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\")\n"   // port 0: the kernel picks one
                + "*.* " + log + "\n";
            try (SyslogDaemon daemon = SyslogDaemon.builder().configText(config, "inline").start())
            {
                try (Socket client = new Socket(InetAddress.getLoopbackAddress(), daemon.ports().get(0)))
                {
                    client.getOutputStream().write(
                        "<13>Nov  3 08:01:02 app01 myapp[7]: hello over TCP\n".getBytes(StandardCharsets.UTF_8));
                }
                daemon.awaitProcessed(1, Duration.ofSeconds(5));
            }                                                        // close() drains the queue and the files
            System.out.print(Files.readString(log));
            // README end
        }
        finally
        {
            Files.deleteIfExists(dir.resolve("all.log"));
            Files.delete(dir);
        }
    }
}
