package dev.hostplane.packetscript.live.internal.exec;

import dev.hostplane.packetscript.Script;
import dev.hostplane.packetscript.model.Event;
import dev.hostplane.packetscript.model.PythonCode;
import dev.hostplane.packetscript.model.ShellCommand;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code python3} a script's {@code %{ }%} blocks and {@code #!/usr/bin/env python3} helpers
 * ({@code set_sysctls.py}) run with, resolved once per {@code .python-version} file when {@code python3} on the
 * PATH is a version manager's shim (pyenv's is a bash script that runs {@code pyenv exec}: 0.39 s per start, against
 * 0.05 s for the interpreter it picks; BENCHMARKS.md). Scripts start python up to twice each, so the shim
 * cost more than the script itself. The shim's choice is kept: it is asked once, in the script's directory,
 * which interpreter it runs ({@code sys.executable}), and children get a PATH with that interpreter first as
 * {@code python3}. The shim picks its version from the nearest {@code .python-version} above the directory (else
 * from its environment and global setting, the same for every directory), so directories that share that file, or
 * have none, share one answer: asking once per directory cost a suite of 35 directories about 0.7 s of a script slot
 * each. Asking costs a start through the shim itself, so a script that starts no python (no {@code %{ }%} block, no
 * command naming python or a {@code .py} file) does not ask: a single-script run paid it for nothing.
 * {@code -Dhostplane.packetscript.resolvePython=false} leaves PATH as it is.
 */
final class Python3
{
    private static final Logger LOG = LoggerFactory.getLogger(Python3.class);
    private static final boolean ENABLED =
        !"false".equals(System.getProperty("hostplane.packetscript.resolvePython"));
    private static final long RESOLVE_TIMEOUT_SECONDS = 30;
    private static final String NONE = "";
    /** Keyed by the {@code .python-version} file that applies, or {@link #NO_VERSION_FILE}. */
    private static final Map<Path, String> PATHS = new ConcurrentHashMap<>();
    private static final Path NO_VERSION_FILE = Path.of("");

    private Python3()
    {
    }

    /**
     * The PATH children of a script in this directory should get, or null to leave it as it is (python3 is an
     * interpreter already, cannot be found, or resolving is off).
     *
     * @param directory the script's directory (where the shim looks for a {@code .python-version}).
     * @return the PATH value, or null.
     */
    static String path(final Path directory)
    {
        if (!ENABLED || null == directory)
        {
            return null;
        }
        final Path absolute = directory.toAbsolutePath().normalize();
        final Path versionFile = versionFile(absolute);
        final String path = PATHS.computeIfAbsent(null == versionFile ? NO_VERSION_FILE : versionFile,
            (key) -> resolve(absolute));
        return NONE.equals(path) ? null : path;
    }

    /**
     * Whether the script starts python itself: a {@code %{ }%} block, or a shell command that names python or a
     * {@code .py} helper. A helper that starts python without saying so in the script still runs, through the
     * wrapper.
     *
     * @param script the script.
     * @return true when resolving the interpreter can pay back.
     */
    static boolean usedBy(final Script script)
    {
        if (startsPython(script.initCommand()) || startsPython(script.cleanupCommand()))
        {
            return true;
        }
        for (final Event event : script.events())
        {
            if (event.action() instanceof PythonCode ||
                (event.action() instanceof ShellCommand command && startsPython(command)))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean startsPython(final ShellCommand command)
    {
        return null != command && (command.commandLine().contains("python") || command.commandLine().contains(".py"));
    }

    /**
     * The {@code .python-version} file a version manager's shim reads for a script in this directory: the nearest
     * one in it or above it.
     *
     * @param directory an absolute directory.
     * @return the file, or null when there is none (the shim then goes by its environment and global setting).
     */
    static Path versionFile(final Path directory)
    {
        for (Path dir = directory; null != dir; dir = dir.getParent())
        {
            final Path candidate = dir.resolve(".python-version");
            if (Files.isRegularFile(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    private static String resolve(final Path directory)
    {
        final String path = System.getenv("PATH");
        final Path onPath = find(path);
        if (null == onPath || isExecutableBinary(onPath))
        {
            return NONE;
        }
        try
        {
            final Process process = new ProcessBuilder(onPath.toString(), "-c", "import sys; print(sys.executable)")
                .directory(directory.toFile()).redirectErrorStream(true).start();
            final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(RESOLVE_TIMEOUT_SECONDS, TimeUnit.SECONDS) || 0 != process.exitValue() ||
                out.isEmpty() || !Files.isExecutable(Path.of(out)))
            {
                LOG.warn("python3 at {} is a wrapper and did not name its interpreter ({}): scripts start it through " +
                    "the wrapper, which is slower", onPath, out);
                return NONE;
            }
            final Path bin = Files.createTempDirectory("packetscript-python3-");
            bin.toFile().deleteOnExit();
            final Path link = Files.createSymbolicLink(bin.resolve("python3"), Path.of(out));
            link.toFile().deleteOnExit();
            LOG.info("python3 on PATH ({}) is a wrapper; scripts in {} run its interpreter {} directly", onPath,
                directory, out);
            return bin + File.pathSeparator + path;
        }
        catch (final IOException ex)
        {
            LOG.warn("cannot resolve python3 at {} ({}): scripts start it through the wrapper, which is slower",
                onPath, ex.toString());
            return NONE;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return NONE;
        }
    }

    private static Path find(final String path)
    {
        if (null == path)
        {
            return null;
        }
        for (final String entry : path.split(File.pathSeparator))
        {
            final Path candidate = Path.of(entry.isEmpty() ? "." : entry, "python3");
            if (Files.isExecutable(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /** An ELF file is the interpreter itself; anything else (a shell script) is a wrapper. */
    private static boolean isExecutableBinary(final Path file)
    {
        try (java.io.InputStream in = Files.newInputStream(file))
        {
            final byte[] magic = in.readNBytes(4);
            return 4 == magic.length && 0x7f == magic[0] && 'E' == magic[1] && 'L' == magic[2] && 'F' == magic[3];
        }
        catch (final IOException ex)
        {
            return true;
        }
    }
}
