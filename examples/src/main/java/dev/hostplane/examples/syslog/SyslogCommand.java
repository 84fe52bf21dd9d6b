package dev.hostplane.examples.syslog;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.hostplane.syslog.ReplayResult;
import dev.hostplane.syslog.SyslogConfigException;
import dev.hostplane.syslog.SyslogEngine;
import dev.hostplane.syslog.SyslogException;
import dev.hostplane.syslog.SyslogReplay;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hostplane syslog}: the rsyslog-compatible engine from the command line — replay a file of
 * frames through a config exactly as rsyslogd would process them over imtcp, or check a config.
 */
@Command(name = "syslog", mixinStandardHelpOptions = true,
    description = "rsyslog-compatible log engine: replay frames through an rsyslog.conf, or check a config.",
    subcommands = {SyslogCommand.Replay.class, SyslogCommand.Check.class, SyslogExplainCommand.class})
public final class SyslogCommand implements Runnable
{
    /** Exit code for configuration errors (the contract other tools rely on). */
    static final int EXIT_CONFIG = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    /** {@code hostplane syslog replay --config FILE --input FILE}. */
    @Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Process every frame of the input file as if received by imtcp from 127.0.0.1 " +
            "(LF or octet-counted framing), then drain, close all outputs and exit 0.",
            "Config errors: exit 2 with file:line:column. Time zone from TZ."})
    public static final class Replay implements Callable<Integer>
    {
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Option(names = "--config", required = true, description = "rsyslog.conf to load")
        private Path config;

        @Option(names = "--input", required = true, description = "file of syslog frames")
        private Path input;

        @Option(names = "--verbose", description = "print frame and message counts to stderr")
        private boolean verbose;

        @Override
        public Integer call()
        {
            final PrintWriter err = spec.commandLine().getErr();
            try
            {
                final ReplayResult result = SyslogReplay.builder().config(config).input(input).build().run();
                if (verbose)
                {
                    err.println("syslog replay: " + result);
                }
                return 0;
            }
            catch (final SyslogConfigException ex)
            {
                err.println(ex.getMessage());
                return EXIT_CONFIG;
            }
            catch (final SyslogException | IOException ex)
            {
                err.println("syslog replay: " + ex.getMessage());
                return 1;
            }
            finally
            {
                err.flush();
            }
        }
    }

    /** {@code hostplane syslog check --config FILE}. */
    @Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validate a config and print the compiled rule graph (exit 2 on errors).")
    public static final class Check implements Callable<Integer>
    {
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Option(names = "--config", required = true, description = "rsyslog.conf to check")
        private Path config;

        @Override
        public Integer call()
        {
            final PrintWriter out = spec.commandLine().getOut();
            final PrintWriter err = spec.commandLine().getErr();
            try (SyslogEngine engine = SyslogEngine.builder().configFile(config).build())
            {
                out.print(engine.describe());
                out.println("config OK: " + config);
                out.flush();
                return 0;
            }
            catch (final SyslogConfigException ex)
            {
                err.println(ex.getMessage());
                err.flush();
                return EXIT_CONFIG;
            }
            catch (final SyslogException ex)
            {
                err.println("syslog check: " + ex.getMessage());
                err.flush();
                return 1;
            }
        }
    }
}
