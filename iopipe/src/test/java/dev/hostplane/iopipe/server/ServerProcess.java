package dev.hostplane.iopipe.server;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An {@link HttpFileServer} or a {@link TcpProxy} in a JVM of its own, started under
 * {@code prlimit --nofile} so that it, not the test's clients, runs out of descriptors; its descriptors,
 * CPU time and log are read from /proc and its output file.
 */
final class ServerProcess implements AutoCloseable
{
    private static final Pattern LISTENING = Pattern.compile("listening=(\\d+)");

    private final Process process;
    private final Path log;
    final int port;

    private ServerProcess(final Process process, final Path log, final int port)
    {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** In the child: {@code serve ROOT} or {@code proxy BACKEND_PORT} with default settings (open files cached 100 ms); prints the port, runs until killed. */
    public static void main(final String[] args) throws Exception
    {
        final InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        final int port;
        if ("serve".equals(args[0]))
        {
            // A short open-file validity: the served file's cached descriptor is gone before the descriptor
            // baseline settles, so the counts compare sockets and files the server leaked, not its cache.
            port = HttpFileServer.builder(Path.of(args[1])).bind(any).openFileValid(java.time.Duration.ofMillis(100))
                .start().port();
        }
        else
        {
            port = TcpProxy.builder(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1]))).bind(any).start()
                .port();
        }
        System.out.println("listening=" + port);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /**
     * Starts the child and waits for its port.
     *
     * @param dir    where its output goes.
     * @param nofile the descriptor limit, soft and hard.
     * @param args   the child's arguments.
     */
    static ServerProcess start(final Path dir, final int nofile, final String... args) throws Exception
    {
        return start(dir, List.of(), nofile, args);
    }

    /**
     * Starts the child under a wrapper command (strace's fault injection) and waits for its port.
     *
     * @param dir     where its output goes.
     * @param wrapper the command and arguments that run java, before it.
     * @param nofile  the descriptor limit, soft and hard.
     * @param args    the child's arguments.
     */
    static ServerProcess start(final Path dir, final List<String> wrapper, final int nofile, final String... args)
        throws Exception
    {
        final List<String> cmd = new ArrayList<>(List.of("prlimit", "--nofile=" + nofile + ":" + nofile, "--"));
        cmd.addAll(wrapper);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(a -> a.startsWith("--add-") || a.startsWith("--enable-native")).toList());
        cmd.addAll(List.of("-Xmx128m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
            ServerProcess.class.getName()));
        cmd.addAll(List.of(args));
        final Path log = Files.createTempFile(dir, "server", ".log");
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline)
        {
            final Matcher m = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (m.find())
            {
                return new ServerProcess(p, log, Integer.parseInt(m.group(1)));
            }
            if (!p.isAlive())
            {
                throw new IllegalStateException("server exited: " + Files.readString(log));
            }
            Thread.sleep(20);
        }
        p.destroyForcibly();
        throw new IllegalStateException("server did not start: " + Files.readString(log));
    }

    /** The child's descriptors by kind: {@code pipes} (splice pipes, pooled) and {@code others} (sockets, epoll, files). */
    record Descriptors(int pipes, int others)
    {
        int total()
        {
            return pipes + others;
        }
    }

    Descriptors descriptors() throws IOException
    {
        int pipes = 0;
        int others = 0;
        try (var fds = Files.list(Path.of("/proc", Long.toString(process.pid()), "fd")))
        {
            for (final Path fd : fds.toList())
            {
                try
                {
                    if (Files.readSymbolicLink(fd).toString().startsWith("pipe:"))
                    {
                        pipes++;
                    }
                    else
                    {
                        others++;
                    }
                }
                catch (final IOException closedMeanwhile)
                {
                    // gone between the listing and the readlink
                }
            }
        }
        return new Descriptors(pipes, others);
    }

    /** The descriptors once they stop changing (closes are asynchronous): two equal readings 300 ms apart. */
    Descriptors awaitSettled() throws Exception
    {
        Descriptors last = descriptors();
        for (int i = 0; i < 30; i++)
        {
            Thread.sleep(300);
            final Descriptors now = descriptors();
            if (now.equals(last))
            {
                return now;
            }
            last = now;
        }
        return last;
    }

    /** Waits (closes are asynchronous) until no more than {@code others} non-pipe descriptors are open. */
    Descriptors awaitOthers(final int others, final long timeoutMs) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        Descriptors d = descriptors();
        while (d.others() > others && System.nanoTime() < deadline)
        {
            Thread.sleep(50);
            d = descriptors();
        }
        return d;
    }

    /**
     * CPU seconds (user + system) the server's own threads (named hostplane-iopipe-..., the kernel keeps the
     * first 15 characters) used so far: the event loops, where an accept spin would show. The JVM's compiler
     * and collector threads are left out; on a loaded machine their catch-up after a burst of connections
     * can fall into a measuring window.
     */
    double cpuSeconds() throws IOException
    {
        long ticks = 0;
        int threads = 0;
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task")))
        {
            for (final Path task : tasks.toList())
            {
                final String stat;
                try
                {
                    stat = Files.readString(task.resolve("stat"));
                }
                catch (final IOException gone)
                {
                    // the thread ended between the listing and the read
                    continue;
                }
                final String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (comm.startsWith("hostplane-iopip"))
                {
                    final String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    threads++;
                }
            }
        }
        if (0 == threads)
        {
            // Measuring nothing would let a spin pass unseen.
            throw new IllegalStateException("no hostplane-iopipe thread in process " + process.pid());
        }
        return ticks / 100.0;
    }

    String output() throws IOException
    {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception
    {
        // Under a wrapper (strace) the JVM is a child of the process started: stop it first, or it would outlive us.
        for (final ProcessHandle child : process.descendants().toList())
        {
            child.destroy();
            try
            {
                child.onExit().get(10, TimeUnit.SECONDS);
            }
            catch (final java.util.concurrent.TimeoutException ex)
            {
                child.destroyForcibly();
            }
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS))
        {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
