package dev.hostplane.packetscript.live.netns;

import dev.hostplane.packetscript.linux.Errno;
import dev.hostplane.packetscript.live.internal.sys.LibC;
import dev.hostplane.packetscript.live.internal.sys.LinuxConstants;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fresh, anonymous Linux network namespace that a few dedicated JVM threads live in.
 *
 * <h2>How the JVM gets into a namespace (design)</h2>
 * Network namespaces are a per-<em>thread</em> attribute in Linux ({@code current->nsproxy}), so
 * one JVM can run many scripts at once, each in its own namespace, without forking a JVM:
 * <ol>
 *   <li>An <em>owner</em> thread is started and calls {@code unshare(CLONE_NEWNET)}: only that
 *   thread moves into a brand-new namespace, which has only {@code lo} (we bring it up). The
 *   owner runs the script's main loop, so every socket, TUN device and {@code /proc/sys/net}
 *   write it makes belongs to the new namespace.</li>
 *   <li>The owner opens {@code /proc/thread-self/ns/net}; that fd pins the namespace. Extra
 *   threads a script needs (the second thread of packetdrill's blocking {@code a...b}
 *   syscalls) are created by {@link #newThread} and call {@code setns(fd, CLONE_NEWNET)} first,
 *   so <em>every</em> thread a script uses is in the same namespace.</li>
 *   <li>Child processes (backtick shell commands, {@code ip}, {@code python3}) are spawned by
 *   {@link #exec} <em>from the owner thread</em>: the JDK forks/spawns on the calling thread and
 *   the child inherits that thread's namespaces. A test checks the child's
 *   {@code /proc/self/ns/net} against ours, so a JDK change cannot break this silently.</li>
 *   <li>Cleanup is by construction: the namespace is anonymous (no {@code /run/netns} bind
 *   mount, unlike {@code ip netns add}), so when its threads exit and its fds and sockets close,
 *   the kernel destroys it with its devices, addresses, routes and sysctls, even if the JVM is
 *   killed. Nothing in the host namespace is ever touched: the threads that call into the kernel
 *   for a script never leave that script's namespace.</li>
 * </ol>
 * Measured with JMH (BENCHMARKS.md "packetscript"): a namespace costs ~2 ms
 * and with tun0, addresses, route and sniffer ~85 ms (mostly spawning {@code ip}), versus ~0.5 s
 * just to start a child JVM under {@code unshare -n} before any script code is loaded or
 * JIT-compiled (which also hurts the first events' timing). So: one JVM, one fresh namespace per
 * script, and scripts may run in parallel.
 */
public final class NetNamespace implements AutoCloseable
{
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final String name;
    private final ExecutorService owner;
    private final int nsFd;
    private final String inode;
    private final java.util.Map<String, String> environment = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Thread ownerThread;
    private volatile boolean closed;

    private NetNamespace(final String name, final ExecutorService owner, final int nsFd, final String inode)
    {
        this.name = name;
        this.owner = owner;
        this.nsFd = nsFd;
        this.inode = inode;
    }

    /**
     * Creates a new namespace with a dedicated owner thread and {@code lo} up.
     *
     * @param label a label for thread names (a unique suffix is added).
     * @return the namespace.
     * @throws NetNamespaceException when the kernel refuses (no CAP_SYS_ADMIN, for example).
     */
    public static NetNamespace create(final String label)
    {
        final String name = label + "-" + COUNTER.incrementAndGet();
        final ExecutorService owner = Executors.newSingleThreadExecutor(
            (runnable) ->
            {
                final Thread thread = new Thread(runnable, "netns-" + name);
                thread.setDaemon(true);
                return thread;
            });
        try
        {
            final int[] fdAndOk = owner.submit(NetNamespace::unshareOwnerThread).get();
            final String inode = owner.submit(NetNamespace::currentNamespaceId).get();
            final Thread ownerThread = owner.submit(Thread::currentThread).get();
            final NetNamespace namespace = new NetNamespace(name, owner, fdAndOk[0], inode);
            namespace.ownerThread = ownerThread;
            return namespace;
        }
        catch (final ExecutionException ex)
        {
            owner.shutdownNow();
            final Throwable cause = ex.getCause();
            if (cause instanceof NetNamespaceException)
            {
                throw (NetNamespaceException)cause;
            }
            throw new NetNamespaceException("netns create failed: name=" + name, cause);
        }
        catch (final InterruptedException ex)
        {
            owner.shutdownNow();
            Thread.currentThread().interrupt();
            throw new NetNamespaceException("netns create interrupted: name=" + name, ex);
        }
    }

    private static int[] unshareOwnerThread()
    {
        if (0 != LibC.unshare(LinuxConstants.CLONE_NEWNET))
        {
            final int errno = LibC.errno();
            throw new NetNamespaceException("unshare(CLONE_NEWNET) failed: errno=" + Errno.describe(errno));
        }
        final int fd = LibC.open("/proc/thread-self/ns/net", LinuxConstants.O_RDONLY | LinuxConstants.O_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new NetNamespaceException("open /proc/thread-self/ns/net failed: errno=" +
                Errno.describe(LibC.errno()));
        }
        Interfaces.setUp("lo");
        return new int[] {fd};
    }

    /**
     * The identifier of the calling thread's network namespace, e.g. {@code net:[4026532281]}.
     *
     * @return the namespace link text of {@code /proc/thread-self/ns/net}.
     */
    public static String currentNamespaceId()
    {
        try
        {
            return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Whether this process may create network namespaces and TUN devices (root or CAP_NET_ADMIN
     * plus CAP_SYS_ADMIN, and {@code /dev/net/tun} present). Tests use it to skip with a reason.
     *
     * @return null when supported, else the reason it is not.
     */
    public static String unsupportedReason()
    {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux"))
        {
            return "not Linux: os.name=" + System.getProperty("os.name");
        }
        if (!Files.exists(Path.of("/dev/net/tun")))
        {
            return "/dev/net/tun is missing";
        }
        try (NetNamespace ns = create("probe"))
        {
            return null == ns.name ? "unreachable" : null;
        }
        catch (final RuntimeException | LinkageError ex)
        {
            return "cannot create a network namespace (need root / CAP_SYS_ADMIN): " + ex.getMessage();
        }
    }

    /**
     * Name of this namespace (thread names use it).
     *
     * @return the name.
     */
    public String name()
    {
        return name;
    }

    /**
     * The kernel's identifier of this namespace, as {@link #currentNamespaceId()} reports it.
     *
     * @return e.g. {@code net:[4026532281]}.
     */
    public String id()
    {
        return inode;
    }

    /**
     * Runs a task on the owner thread (inside the namespace) and waits for it.
     *
     * @param task the task.
     * @param <T> result type.
     * @return the task's result.
     * @throws Exception whatever the task threw.
     */
    public <T> T call(final Callable<T> task) throws Exception
    {
        final Future<T> future = owner.submit(task);
        try
        {
            return future.get();
        }
        catch (final ExecutionException ex)
        {
            final Throwable cause = ex.getCause();
            if (cause instanceof Exception)
            {
                throw (Exception)cause;
            }
            if (cause instanceof Error)
            {
                throw (Error)cause;
            }
            throw ex;
        }
    }

    /**
     * Runs a task on the owner thread and waits at most {@code timeoutMillis} for it.
     *
     * @param task the task.
     * @param timeoutMillis how long to wait.
     * @param <T> result type.
     * @return the task's result.
     * @throws java.util.concurrent.TimeoutException when it did not finish in time (it keeps running).
     * @throws Exception whatever the task threw.
     */
    public <T> T call(final Callable<T> task, final long timeoutMillis) throws Exception
    {
        final Future<T> future = owner.submit(task);
        try
        {
            return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
        }
        catch (final ExecutionException ex)
        {
            final Throwable cause = ex.getCause();
            if (cause instanceof Exception)
            {
                throw (Exception)cause;
            }
            throw ex;
        }
    }

    /**
     * Moves the calling thread into this namespace. Only for threads this script owns (the
     * thread must never run host-namespace work afterwards): prefer {@link #newThread}.
     */
    public void enter()
    {
        if (0 != LibC.setns(nsFd, LinuxConstants.CLONE_NEWNET))
        {
            throw new NetNamespaceException("setns failed: name=" + name + " errno=" + Errno.describe(LibC.errno()));
        }
    }

    /**
     * A new (not started) daemon thread that enters this namespace before running the task.
     *
     * @param threadName thread name.
     * @param task the task.
     * @return the thread.
     */
    public Thread newThread(final String threadName, final Runnable task)
    {
        final Thread thread = new Thread(
            () ->
            {
                enter();
                task.run();
            },
            threadName);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * Runs a command inside the namespace (spawned from the owner thread) and waits for it.
     *
     * @param directory working directory, or null for the JVM's.
     * @param timeoutMillis how long to wait before killing it.
     * @param command the argv.
     * @return exit status and combined output.
     * @throws Exception when it cannot be started or the wait is interrupted.
     */
    public ExecResult exec(final Path directory, final long timeoutMillis, final String... command) throws Exception
    {
        return execWithInput(directory, timeoutMillis, new byte[0], command);
    }

    /**
     * Runs a command inside the namespace with the given bytes as its standard input.
     *
     * @param directory working directory, or null for the JVM's.
     * @param timeoutMillis how long to wait before killing it.
     * @param input bytes written to its stdin, which is then closed.
     * @param command the argv.
     * @return exit status and combined output.
     * @throws Exception when it cannot be started or the wait is interrupted.
     */
    public ExecResult execWithInput(
        final Path directory, final long timeoutMillis, final byte[] input, final String... command) throws Exception
    {
        final Callable<Process> spawn = () ->
        {
            final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            if (null != directory)
            {
                builder.directory(directory.toFile());
            }
            builder.environment().putAll(environment);
            return builder.start();
        };
        // The owner thread spawns directly (submitting to itself would deadlock); others hand it over.
        final Process process = isOwnerThread() ? spawn.call() : call(spawn);
        try (java.io.OutputStream stdin = process.getOutputStream())
        {
            stdin.write(input);
        }
        catch (final IOException ignore)
        {
            // The command may exit without reading its input; its status tells what happened.
        }
        return ExecResult.await(process, timeoutMillis, String.join(" ", command));
    }

    /**
     * Whether the calling thread is this namespace's owner thread.
     *
     * @return true on the owner thread.
     */
    public boolean isOwnerThread()
    {
        return Thread.currentThread() == ownerThread;
    }

    /**
     * Sets an environment variable for every command {@link #exec} starts from now on.
     *
     * @param key variable name.
     * @param value its value.
     */
    public void putEnvironment(final String key, final String value)
    {
        environment.put(key, value);
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closed.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Closes the pinning fd and ends the owner thread; the kernel frees the namespace when the
     * last socket/device/thread in it is gone.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        owner.shutdownNow();
        try
        {
            owner.awaitTermination(5, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        LibC.close(nsFd);
    }

    /**
     * The result of {@link #exec}: exit status and the combined stdout/stderr text.
     */
    public static final class ExecResult
    {
        private final int exitStatus;
        private final String output;

        ExecResult(final int exitStatus, final String output)
        {
            this.exitStatus = exitStatus;
            this.output = output;
        }

        static ExecResult await(final Process process, final long timeoutMillis, final String what)
            throws InterruptedException, IOException
        {
            final byte[] out;
            // Read first (the pipe may fill), bounded by the process ending or being killed.
            final Thread killer = new Thread(
                () ->
                {
                    try
                    {
                        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS))
                        {
                            process.destroyForcibly();
                        }
                    }
                    catch (final InterruptedException ignore)
                    {
                        process.destroyForcibly();
                    }
                },
                "exec-timeout");
            killer.setDaemon(true);
            killer.start();
            out = process.getInputStream().readAllBytes();
            final int status = process.waitFor();
            killer.interrupt();
            return new ExecResult(status, new String(out, StandardCharsets.UTF_8));
        }

        /**
         * Exit status.
         *
         * @return 0 on success.
         */
        public int exitStatus()
        {
            return exitStatus;
        }

        /**
         * Combined stdout and stderr.
         *
         * @return the text.
         */
        public String output()
        {
            return output;
        }

        @Override
        public String toString()
        {
            return "exitStatus=" + exitStatus + " output=" + output.strip();
        }
    }
}
