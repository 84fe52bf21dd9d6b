package dev.hostplane.examples.syslog;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.hostplane.syslog.SyslogConfigException;
import dev.hostplane.syslog.SyslogException;
import dev.hostplane.syslog.daemon.SyslogDaemon;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hostplane syslogd -f rsyslog.conf}: runs the inputs, rules and outputs of an rsyslog.conf
 * until SIGTERM (drains everything, then exits 0); SIGHUP re-opens output files for log rotation.
 */
@Command(name = "syslogd", mixinStandardHelpOptions = true,
    description = {"rsyslog-compatible syslog daemon: imtcp/imudp/imuxsock inputs, the config's rules, " +
        "file/forward/pipe/stdout outputs with queues.",
        "Runs until SIGTERM or SIGINT (graceful: drains all queues); SIGHUP re-opens output files.",
        "Config errors: exit 2 with file:line:column."})
public final class SyslogdCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = {"-f", "--config"}, required = true, description = "rsyslog.conf to run")
    private Path config;

    @Option(names = "-i", description = "pid file to write (removed on exit)")
    private Path pidFile;

    @Option(names = "-n", description = "accepted for rsyslogd compatibility (always in the foreground)")
    private boolean foreground;

    @Option(names = "--io-threads", defaultValue = "1", description = "network event-loop threads (default 1)")
    private int ioThreads;

    /**
     * Netty's allocator emits JFR events (and initialises JFR's metadata at the first buffer, inside the
     * first second of traffic) and samples buffers for leak detection; a log daemon wants neither by
     * default. Set before Netty's classes load; an explicit -D on the command line wins.
     */
    private static void quietNetty()
    {
        if (null == System.getProperty("io.netty.jfr.enabled"))
        {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        if (null == System.getProperty("io.netty.leakDetection.level"))
        {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
    }

    @Override
    public Integer call()
    {
        final PrintWriter err = spec.commandLine().getErr();
        quietNetty();
        final SyslogDaemon daemon;
        try
        {
            daemon = SyslogDaemon.builder().configFile(config).ioThreads(ioThreads).start();
        }
        catch (final SyslogConfigException ex)
        {
            err.println(ex.getMessage());
            err.flush();
            return SyslogCommand.EXIT_CONFIG;
        }
        catch (final SyslogException ex)
        {
            err.println("syslogd: " + ex.getMessage());
            err.flush();
            return 1;
        }
        try
        {
            if (null != pidFile)
            {
                java.nio.file.Files.write(pidFile, (ProcessHandle.current().pid() + "\n").getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII));
            }
            // -n is accepted for rsyslogd compatibility: this daemon never forks into the background.
            err.println("syslogd: running in the foreground, input ports " + daemon.ports());
            err.flush();
            daemon.runUntilTerminated();
            return 0;
        }
        catch (final java.io.IOException ex)
        {
            err.println("syslogd: cannot write pid file " + pidFile + ": " + ex.getMessage());
            daemon.close();
            return 1;
        }
        finally
        {
            if (null != pidFile)
            {
                pidFile.toFile().delete();
            }
        }
    }
}
