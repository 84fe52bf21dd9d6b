package dev.hostplane.syslog.daemon;

import java.nio.file.Paths;

/** A child-process entry point for {@link SignalsProcessTest}: runs a daemon until SIGTERM. */
public final class DaemonMain
{
    private DaemonMain()
    {
    }

    /**
     * Runs the daemon.
     *
     * @param args config file.
     */
    public static void main(final String[] args)
    {
        final SyslogDaemon d = SyslogDaemon.builder().configFile(Paths.get(args[0])).start();
        System.out.println("listening " + d.ports());
        System.out.flush();
        d.runUntilTerminated();
        System.out.println("drained " + d.messagesProcessed());
        System.out.flush();
    }
}
