package dev.hostplane.packetscript.live.internal;

import dev.hostplane.packetscript.live.Precondition;
import dev.hostplane.packetscript.Script;
import dev.hostplane.packetscript.model.Event;
import dev.hostplane.packetscript.model.ShellCommand;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what a script's shell commands ask of the kernel ({@link Precondition}s) without running them: the
 * {@code tc qdisc add|replace|change ... KIND} and {@code sysctl key=value} lines, {@code echo V > /proc/sys/net/...},
 * the arguments of packetdrill's {@code set_sysctls.py}, and the same inside shell files the commands run
 * ({@code ../common/defaults.sh}). A command whose author let it fail on purpose ({@code sysctl -e}, standard error
 * sent to {@code /dev/null}) asks nothing. Only {@code net.*} sysctls count: they are the per-namespace ones a
 * script may set; values that need the shell to expand them ({@code $((15*1024*1024))}) are not judged.
 */
public final class ScriptPreconditions
{
    private static final int MAX_FILE_DEPTH = 3;

    private final List<Precondition> found = new ArrayList<>();

    private ScriptPreconditions()
    {
    }

    /**
     * The preconditions of a parsed script.
     *
     * @param script    the script.
     * @param scriptFile its file, for line numbers of the init command and for resolving helper files (its
     *                   directory is the commands' working directory), or null when there is none.
     * @return what it asks, in script order.
     */
    public static List<Precondition> of(final Script script, final Path scriptFile)
    {
        final ScriptPreconditions scan = new ScriptPreconditions();
        final Path directory = null == scriptFile ? null : scriptFile.toAbsolutePath().getParent();
        final String text = readOrEmpty(scriptFile);
        if (null != script.initCommand())
        {
            scan.command(script.initCommand().commandLine(), script.source(),
                lineOf(text, script.initCommand().commandLine()), true, directory, 0);
        }
        for (final Event event : script.events())
        {
            if (event.action() instanceof ShellCommand command)
            {
                scan.command(command.commandLine(), script.source(), event.position().line(), true, directory, 0);
            }
        }
        if (null != script.cleanupCommand())
        {
            scan.command(script.cleanupCommand().commandLine(), script.source(),
                lineOf(text, script.cleanupCommand().commandLine()), true, directory, 0);
        }
        return List.copyOf(scan.found);
    }

    /**
     * The preconditions of shell command text (for tests and for helper files).
     *
     * @param commandLine the text between backticks.
     * @param source      file name for origins.
     * @param firstLine   line the text starts on.
     * @param directory   working directory of the command, for helper files, or null.
     * @return what it asks.
     */
    public static List<Precondition> ofCommand(
        final String commandLine, final String source, final int firstLine, final Path directory)
    {
        final ScriptPreconditions scan = new ScriptPreconditions();
        scan.command(commandLine, source, firstLine, true, directory, 0);
        return List.copyOf(scan.found);
    }

    private void command(
        final String text, final String source, final int firstLine, final boolean required, final Path directory,
        final int depth)
    {
        final String[] lines = text.split("\n", -1);
        final StringBuilder logical = new StringBuilder();
        int logicalStart = firstLine;
        for (int i = 0; i < lines.length; i++)
        {
            final String line = lines[i];
            if (logical.length() == 0)
            {
                logicalStart = firstLine + i;
            }
            if (line.endsWith("\\"))
            {
                logical.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            logical.append(line);
            for (final List<String> words : ShellWords.simpleCommands(logical.toString()))
            {
                simpleCommand(words, source + ":" + logicalStart, required, directory, depth);
            }
            logical.setLength(0);
        }
        if (logical.length() > 0)
        {
            for (final List<String> words : ShellWords.simpleCommands(logical.toString()))
            {
                simpleCommand(words, source + ":" + logicalStart, required, directory, depth);
            }
        }
    }

    private void simpleCommand(
        final List<String> rawWords, final String origin, final boolean required, final Path directory, final int depth)
    {
        final List<String> words = new ArrayList<>();
        String stdoutTarget = null;
        boolean stderrDiscarded = false;
        boolean stderrToStdout = false;
        for (int i = 0; i < rawWords.size(); i++)
        {
            final String word = rawWords.get(i);
            if (!ShellWords.isRedirection(word))
            {
                words.add(word);
                continue;
            }
            final String target = i + 1 < rawWords.size() ? rawWords.get(++i) : "";
            if ("2>".equals(word) && "&1".equals(target))
            {
                stderrToStdout = true;
            }
            else if (word.startsWith("2") || word.startsWith("&"))
            {
                stderrDiscarded |= "/dev/null".equals(target);
            }
            else
            {
                stdoutTarget = target;
            }
        }
        if (stderrDiscarded || (stderrToStdout && "/dev/null".equals(stdoutTarget)))
        {
            // Its author expects it may fail on some kernels: not a precondition.
            return;
        }
        while (!words.isEmpty() && words.get(0).matches("[A-Za-z_][A-Za-z0-9_]*=.*"))
        {
            words.remove(0);
        }
        if (words.isEmpty())
        {
            return;
        }
        final String program = words.get(0).substring(words.get(0).lastIndexOf('/') + 1);
        if ("tc".equals(program))
        {
            qdisc(words, origin, required);
        }
        else if ("sysctl".equals(program))
        {
            sysctl(words, origin, required);
        }
        else if ("echo".equals(program) && null != stdoutTarget && stdoutTarget.startsWith("/proc/sys/"))
        {
            addSysctl(keyOfPath(stdoutTarget), String.join(" ", words.subList(1, words.size())), origin, required);
        }
        else if (program.endsWith("set_sysctls.py"))
        {
            for (final String argument : words.subList(1, words.size()))
            {
                final int equals = argument.indexOf('=');
                if (argument.startsWith("/proc/sys/") && equals > 0)
                {
                    addSysctl(keyOfPath(argument.substring(0, equals)), argument.substring(equals + 1), origin,
                        required);
                }
            }
        }
        else if (null != directory && depth < MAX_FILE_DEPTH)
        {
            helperFile(words, directory, depth);
        }
    }

    /** A shell file the command runs ({@code ../common/defaults.sh}, {@code sh x.sh}): its lines, as not required. */
    private void helperFile(final List<String> words, final Path directory, final int depth)
    {
        String file = words.get(0);
        if (("sh".equals(file) || "bash".equals(file) || "source".equals(file) || ".".equals(file)) &&
            words.size() > 1)
        {
            file = words.get(1);
        }
        if (!file.contains("/") && !file.endsWith(".sh"))
        {
            return;
        }
        final Path path = directory.resolve(file).normalize();
        final String text = readOrEmpty(path);
        if (text.isEmpty() || !(file.endsWith(".sh") || text.startsWith("#!/bin/sh") || text.startsWith("#!/bin/bash")))
        {
            return;
        }
        command(text, path.getFileName().toString(), 1, false, path.getParent(), depth + 1);
    }

    private void qdisc(final List<String> words, final String origin, final boolean required)
    {
        if (words.size() < 4 || !"qdisc".equals(words.get(1)))
        {
            return;
        }
        final String verb = words.get(2);
        if (!"add".equals(verb) && !"replace".equals(verb) && !"change".equals(verb))
        {
            return;
        }
        for (int i = 3; i < words.size(); i++)
        {
            final String word = words.get(i);
            if ("dev".equals(word) || "parent".equals(word) || "handle".equals(word) || "estimator".equals(word))
            {
                i++;
            }
            else if (!"root".equals(word))
            {
                found.add(new Precondition(Precondition.Kind.QDISC, word, null, origin, required));
                return;
            }
        }
    }

    private void sysctl(final List<String> words, final String origin, final boolean required)
    {
        for (final String word : words.subList(1, words.size()))
        {
            if (word.startsWith("-") && word.contains("e"))
            {
                // sysctl -e: "ignore errors about unknown keys", the author's own "optional".
                return;
            }
        }
        for (final String word : words.subList(1, words.size()))
        {
            final int equals = word.indexOf('=');
            if (!word.startsWith("-") && equals > 0)
            {
                addSysctl(word.substring(0, equals).replace('/', '.'), word.substring(equals + 1), origin, required);
            }
        }
    }

    private void addSysctl(final String key, final String value, final String origin, final boolean required)
    {
        if (key.startsWith("net.") && !value.contains("$") && !value.contains("`"))
        {
            found.add(new Precondition(Precondition.Kind.SYSCTL, key, value.strip(), origin, required));
        }
    }

    private static String keyOfPath(final String path)
    {
        return path.substring("/proc/sys/".length()).replace('/', '.');
    }

    private static int lineOf(final String text, final String commandLine)
    {
        final int at = text.indexOf(commandLine);
        if (at < 0)
        {
            return 0;
        }
        int line = 1;
        for (int i = 0; i < at; i++)
        {
            line += '\n' == text.charAt(i) ? 1 : 0;
        }
        return line;
    }

    private static String readOrEmpty(final Path file)
    {
        if (null == file || !Files.isRegularFile(file))
        {
            return "";
        }
        try
        {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        }
        catch (final IOException ex)
        {
            return "";
        }
    }
}
