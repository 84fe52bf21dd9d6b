package dev.hostplane.examples.packetscript;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code hostplane packetscript [flags] SCRIPT...} run without picocli: the kernel's selftest runner starts one JVM
 * per script, and picocli's first command line (loading its ~180 classes, which no start-up cache can hold as they
 * are Java 5 class files, and reflecting over the annotations) took 0.15-0.2 s of CPU of each such run. This takes
 * only what a script run is given (packetdrill's flags of {@link LiveFlags}, {@code -D NAME=VALUE} and script files
 * that exist) and leaves everything else to picocli: help, versions, {@code --dry_run}, {@code --print},
 * {@code run-all}, argument files, and every mistake, so messages and exit codes stay picocli's.
 */
final class ScriptArgs
{
    final LiveFlags flags = new LiveFlags();
    final Map<String, String> definitions = new LinkedHashMap<>();
    final List<Path> scripts = new ArrayList<>();

    private ScriptArgs()
    {
    }

    /**
     * Runs the scripts when the command line is a plain script run.
     *
     * @param args the launcher's arguments, {@code packetscript} first.
     * @param out  standard output.
     * @param err  standard error.
     * @return the exit status, or null when picocli must handle this command line.
     */
    static Integer run(final String[] args, final PrintWriter out, final PrintWriter err)
    {
        final ScriptArgs parsed = parse(args);
        if (null == parsed)
        {
            return null;
        }
        return LiveRun.run(parsed.scripts, parsed.definitions, parsed.flags, out, err);
    }

    /**
     * The script run a command line asks for, as picocli would parse it into {@link PacketScriptCommand}.
     *
     * @param args the launcher's arguments, {@code packetscript} first.
     * @return the run, or null when this is not a plain script run with every script present.
     */
    static ScriptArgs parse(final String[] args)
    {
        if (args.length < 2 || !"packetscript".equals(args[0]))
        {
            return null;
        }
        final ScriptArgs parsed = new ScriptArgs();
        for (int i = 1; i < args.length; i++)
        {
            final String arg = args[i];
            if (!arg.startsWith("-"))
            {
                // A subcommand name or an @argument-file is picocli's; so is a script that is not there (its error).
                if ("run-all".equals(arg) || arg.startsWith("@") || !Files.isRegularFile(Path.of(arg)))
                {
                    return null;
                }
                parsed.scripts.add(Path.of(arg));
                continue;
            }
            final String definition;
            if ("-D".equals(arg) || "--define".equals(arg))
            {
                if (++i == args.length)
                {
                    return null;
                }
                definition = args[i];
            }
            else if (arg.startsWith("--define="))
            {
                definition = arg.substring("--define=".length());
            }
            else if (arg.startsWith("-D"))
            {
                definition = arg.substring(2);
            }
            else
            {
                definition = null;
            }
            if (null != definition)
            {
                final int eq = definition.indexOf('=');
                if (eq <= 0)
                {
                    return null;
                }
                parsed.definitions.put(definition.substring(0, eq), definition.substring(eq + 1));
                continue;
            }
            final int eq = arg.indexOf('=');
            final boolean set;
            if (eq > 0)
            {
                set = parsed.flags.set(arg.substring(0, eq), arg.substring(eq + 1));
            }
            else if (parsed.flags.set(arg, null))
            {
                set = true;
            }
            else
            {
                // An option whose value is the next argument (picocli's "--mtu 1520").
                set = i + 1 < args.length && parsed.flags.set(arg, args[++i]);
            }
            if (!set)
            {
                return null;
            }
        }
        return parsed.scripts.isEmpty() ? null : parsed;
    }
}
