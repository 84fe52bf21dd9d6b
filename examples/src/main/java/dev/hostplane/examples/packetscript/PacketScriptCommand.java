package dev.hostplane.examples.packetscript;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.hostplane.packetscript.PacketScript;
import dev.hostplane.packetscript.Script;
import dev.hostplane.packetscript.ScriptChecker;
import dev.hostplane.packetscript.ScriptParseException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hostplane packetscript}: packetdrill scripts from the command line. {@code --dry_run} parses and checks
 * scripts without touching the kernel (exit 0 only if every script is fine); {@code --print} writes a script back
 * in canonical packetdrill form.
 */
@Command(name = "packetscript", mixinStandardHelpOptions = true, subcommands = PacketScriptRunAllCommand.class,
    description = "Run packetdrill .pkt scripts against the kernel (each in a fresh network namespace), parse and "
        + "check them (--dry_run) or print them in canonical form (--print).")
public final class PacketScriptCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--dry_run", description = "Parse and check each script; do not run it.")
    private boolean dryRun;

    @Option(names = "--print", description = "Print each script's model in canonical packetdrill form.")
    private boolean print;

    @Option(names = {"-D", "--define"}, paramLabel = "NAME=VALUE",
        description = "Definition, as packetdrill's -D (e.g. -D TFO_COOKIE=3021b9d889017eeb).")
    private Map<String, String> definitions = new LinkedHashMap<>();

    @CommandLine.Mixin
    private LiveFlags liveFlags;

    @Parameters(arity = "0..*", paramLabel = "SCRIPT", description = "Script files.")
    private List<Path> scripts;

    /**
     * Runs {@code packetscript [flags] SCRIPT...} as this command would, without building picocli's model, when the
     * command line is exactly that ({@link ScriptArgs}); anything else is left to picocli.
     *
     * @param args the launcher's arguments, {@code packetscript} first.
     * @return the exit status, or null when picocli must run this command line.
     */
    public static Integer runWithoutPicocli(final String... args)
    {
        final PrintWriter out = new PrintWriter(System.out, true);
        final PrintWriter err = new PrintWriter(System.err, true);
        return ScriptArgs.run(args, out, err);
    }

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        if (null == scripts || scripts.isEmpty())
        {
            // Optional only so that "packetscript run-all DIR" parses; a script is still required here.
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required parameter: 'SCRIPT'");
        }
        for (final Path script : scripts)
        {
            if (!java.nio.file.Files.isRegularFile(script))
            {
                // A script that is not there is a usage error, like a bad option: exit 2, not a failed run.
                err.println("packetscript: no such script file: " + script);
                err.flush();
                return 2;
            }
        }
        if (!dryRun && !print)
        {
            return LiveRun.run(scripts, definitions, liveFlags, out, err);
        }
        int passed = 0;
        int failed = 0;
        for (final Path path : scripts)
        {
            final Script script;
            try
            {
                script = PacketScript.parse(path, definitions);
            }
            catch (final ScriptParseException ex)
            {
                err.println(ex.getMessage());
                failed++;
                continue;
            }
            if (print)
            {
                out.print(PacketScript.print(script));
            }
            if (dryRun)
            {
                final List<String> problems = ScriptChecker.check(script, definitions);
                if (problems.isEmpty())
                {
                    out.println("ok   " + path + " (" + script.events().size() + " events)");
                }
                else
                {
                    problems.forEach(err::println);
                    out.println("FAIL " + path + " (" + problems.size() + " problems)");
                    failed++;
                    continue;
                }
            }
            passed++;
        }
        if (dryRun)
        {
            out.println(passed + " passed, " + failed + " failed");
        }
        out.flush();
        err.flush();
        return failed == 0 ? 0 : 1;
    }
}
