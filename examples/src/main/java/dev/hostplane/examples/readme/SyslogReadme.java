package dev.hostplane.examples.readme;

// README syslog
import java.nio.file.Files;
import java.nio.file.Path;

import dev.hostplane.syslog.SyslogEngine;
// README end

/** README snippet: an engine with one rsyslog rule, fed one message in process. */
public final class SyslogReadme
{
    private SyslogReadme()
    {
    }

    /**
     * Runs the snippet in a temporary directory.
     *
     * @param args unused.
     * @throws Exception when the engine fails.
     */
    public static void main(final String[] args) throws Exception
    {
        final Path dir = Files.createTempDirectory("hostplane-readme");
        try
        {
            // README syslog
            Path log = dir.resolve("mail.log");
            try (SyslogEngine engine = SyslogEngine.builder().configText("mail.* " + log + "\n").build())
            {
                engine.submit("<22>Nov  3 08:01:02 mail01 postfix/smtpd[4242]: connect from unknown");
            }                                                        // close() flushes the files
            System.out.print(Files.readString(log));                 // RSYSLOG_FileFormat: ISO date, host, tag, text
            // README end
        }
        finally
        {
            Files.deleteIfExists(dir.resolve("mail.log"));
            Files.delete(dir);
        }
    }
}
