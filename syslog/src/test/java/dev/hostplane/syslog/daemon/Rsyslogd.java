package dev.hostplane.syslog.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private rsyslogd 8.2302 for peer tests: {@code rsyslogd -n -f CONF -i PIDFILE} in its own work
 * directory, TZ=UTC, internal messages kept in-instance and written to internal.log, listening only
 * on 127.0.0.1 ports it picks itself (announced through listenPortFileName). Never the system daemon.
 */
final class Rsyslogd implements AutoCloseable
{
    static final Path BINARY = Paths.get("/usr/sbin/rsyslogd");

    private final Process process;
    private final Path dir;

    private Rsyslogd(final Process process, final Path dir)
    {
        this.process = process;
        this.dir = dir;
    }

    static boolean available()
    {
        final boolean ok = Files.isExecutable(BINARY);
        if (!ok)
        {
            System.out.println("SKIP rsyslogd peer test: " + BINARY + " not found (apt-get install -y rsyslog)");
        }
        return ok;
    }

    /**
     * Starts rsyslogd with a prelude (work dir, internal messages, one main-queue worker) and the body.
     *
     * @param dir  private directory.
     * @param body config body; may use listenPortFileName under dir.
     * @return the running process.
     */
    static Rsyslogd start(final Path dir, final String body) throws IOException
    {
        return start(dir, body, List.of());
    }

    /**
     * Starts rsyslogd as {@link #start(Path, String)} does, through a wrapper command that execs it
     * (e.g. {@code setpriv} with fewer capabilities).
     *
     * @param dir     private directory.
     * @param body    config body.
     * @param wrapper command and arguments put in front of rsyslogd's.
     * @return the running process.
     */
    static Rsyslogd start(final Path dir, final String body, final List<String> wrapper) throws IOException
    {
        Files.createDirectories(dir.resolve("work"));
        final Path conf = dir.resolve("rsyslog.conf");
        final String text = "global(workDirectory=\"" + dir.resolve("work") + "\" processInternalMessages=\"on\" " +
            "net.enableDNS=\"off\" localHostname=\"peer\")\n" +
            "main_queue(queue.workerThreads=\"1\" queue.timeoutShutdown=\"60000\")\n" +
            "if $inputname == \"rsyslogd\" then { action(type=\"omfile\" file=\"" + dir.resolve("internal.log") +
            "\") stop }\n" + body;
        Files.write(conf, text.getBytes(StandardCharsets.UTF_8));
        final List<String> cmd = new ArrayList<>(wrapper);
        cmd.addAll(List.of(BINARY.toString(), "-n", "-f", conf.toString(), "-i",
            dir.resolve("rsyslogd.pid").toString()));
        final ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
            .redirectOutput(dir.resolve("stdout.log").toFile()).redirectError(dir.resolve("stderr.log").toFile());
        pb.environment().put("TZ", "UTC");
        return new Rsyslogd(pb.start(), dir);
    }

    /**
     * Waits for a port file rsyslogd writes once it listens.
     *
     * @param name file name in the directory.
     * @return port.
     */
    int port(final String name) throws IOException
    {
        final Path f = dir.resolve(name);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline)
        {
            if (!process.isAlive())
            {
                throw new IOException("rsyslogd exited: " + Files.readString(dir.resolve("stderr.log")));
            }
            if (Files.exists(f))
            {
                final String s = Files.readString(f).trim();
                if (!s.isEmpty() && !"0".equals(s))
                {
                    return Integer.parseInt(s);
                }
            }
            try
            {
                Thread.sleep(5);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", ex);
            }
        }
        throw new IOException("rsyslogd did not listen: " + f);
    }

    /**
     * The process id, for reading its CPU time from /proc.
     *
     * @return pid.
     */
    long pid()
    {
        return process.pid();
    }

    /** SIGHUP: rsyslogd closes its output files and opens them again on the next write. */
    void hup() throws IOException, InterruptedException
    {
        final Process k = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
        k.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGKILL: nothing is drained or saved. */
    void kill() throws InterruptedException
    {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM and wait (rsyslogd drains its queues and closes files). */
    @Override
    public void close() throws IOException
    {
        process.destroy();
        try
        {
            if (!process.waitFor(30, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
