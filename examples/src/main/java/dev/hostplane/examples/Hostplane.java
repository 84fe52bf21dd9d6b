package dev.hostplane.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code hostplane} command-line launcher: one entry point whose subcommands run the
 * example applications built on each module's public API.
 *
 * <p>Each module contributes its subcommands in {@link #commandLine()}; {@code hostplane demo}
 * runs the self-checking tour in {@link DemoCommand}.
 */
@Command(
    name = "hostplane",
    mixinStandardHelpOptions = true,
    versionProvider = HostplaneVersion.class,
    description = "Data-plane building blocks for the servers of a cloud host.",
    synopsisSubcommandLabel = "COMMAND")
public final class Hostplane implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * Builds the command line with every subcommand registered.
     *
     * @return the picocli command line for {@code hostplane}.
     */
    public static CommandLine commandLine()
    {
        final CommandLine commandLine = new CommandLine(new Hostplane());
        commandLine.addSubcommand("demo", new DemoCommand());
        // Module subcommands are registered below, one line each.
        commandLine.addSubcommand("switch", new dev.hostplane.examples.vswitch.SwitchCommand());
        commandLine.addSubcommand("syslog", new dev.hostplane.examples.syslog.SyslogCommand());
        commandLine.addSubcommand("syslogd", new dev.hostplane.examples.syslog.SyslogdCommand());
        commandLine.addSubcommand("packetscript", new dev.hostplane.examples.packetscript.PacketScriptCommand());
        commandLine.addSubcommand("cache", new dev.hostplane.examples.flashcache.CacheCommand());
        commandLine.addSubcommand("pipe", new dev.hostplane.examples.iopipe.PipeCommand());
        return commandLine;
    }

    /**
     * Runs the launcher and exits with the subcommand's exit code.
     *
     * @param args command-line arguments.
     */
    public static void main(final String[] args)
    {
        System.exit(commandLine().execute(args));
    }

    @Override
    public void run()
    {
        // "hostplane" with no subcommand: show what there is rather than doing nothing silently.
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
    }
}
