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

    /** The subcommands, in the order help lists them. */
    private static final String[] SUBCOMMANDS = {"demo", "switch", "syslog", "syslogd", "packetscript", "cache", "pipe"};

    /**
     * Builds the command line with every subcommand registered.
     *
     * @return the picocli command line for {@code hostplane}.
     */
    public static CommandLine commandLine()
    {
        final CommandLine commandLine = new CommandLine(new Hostplane());
        for (final String name : SUBCOMMANDS)
        {
            commandLine.addSubcommand(name, subcommand(name));
        }
        return commandLine;
    }

    /** A new instance of a subcommand, or null when there is none of that name. */
    private static Object subcommand(final String name)
    {
        // Module subcommands are registered here, one line each (and their names in SUBCOMMANDS).
        switch (name)
        {
            case "demo": return new DemoCommand();
            case "switch": return new dev.hostplane.examples.vswitch.SwitchCommand();
            case "syslog": return new dev.hostplane.examples.syslog.SyslogCommand();
            case "syslogd": return new dev.hostplane.examples.syslog.SyslogdCommand();
            case "packetscript": return new dev.hostplane.examples.packetscript.PacketScriptCommand();
            case "cache": return new dev.hostplane.examples.flashcache.CacheCommand();
            case "pipe": return new dev.hostplane.examples.iopipe.PipeCommand();
            default: return null;
        }
    }

    /**
     * Runs the launcher and exits with the subcommand's exit code.
     *
     * @param args command-line arguments.
     */
    public static void main(final String[] args)
    {
        JvmStartupCache.warnIfUnused();
        System.exit(execute(args));
    }

    /**
     * Runs the launcher as {@link #main} does, without exiting: tests run the commands through the
     * same command tree a real start gets.
     *
     * @param args command-line arguments.
     * @return the subcommand's exit code.
     */
    public static int execute(final String... args)
    {
        // One script per JVM is how the kernel's selftests run packetscript: that path needs no command model.
        final Integer scriptRun = dev.hostplane.examples.packetscript.PacketScriptCommand.runWithoutPicocli(args);
        if (null != scriptRun)
        {
            return scriptRun;
        }
        // picocli builds its model of a command tree by reflecting over every annotated field of every
        // command in it, which was ~40 % of a daemon's start-up: a run that names its subcommand gets a
        // tree with only that one (help, --version and mistakes still get the whole tree).
        final Object only = args.length > 0 ? subcommand(args[0]) : null;
        final CommandLine commandLine;
        if (null == only)
        {
            commandLine = commandLine();
        }
        else
        {
            commandLine = new CommandLine(new Hostplane());
            commandLine.addSubcommand(args[0], only);
        }
        return commandLine.execute(args);
    }

    @Override
    public void run()
    {
        // "hostplane" with no subcommand: show what there is rather than doing nothing silently.
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
    }
}
