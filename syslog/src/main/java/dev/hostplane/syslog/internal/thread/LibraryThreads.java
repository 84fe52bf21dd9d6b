package dev.hostplane.syslog.internal.thread;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.util.concurrent.FastThreadLocalThread;

/**
 * Creates the module's threads, all named {@code hostplane-syslog-<role>-N} (N counts the role's threads in this
 * JVM) so an embedder can tell them apart in a thread dump. They are daemon threads: {@code SyslogDaemon.close()}
 * drains and ends them, and a daemon its embedder forgot must not keep the JVM from exiting.
 */
public final class LibraryThreads
{
    private static final Map<String, AtomicInteger> NEXT = new ConcurrentHashMap<>();

    private LibraryThreads()
    {
    }

    /**
     * An unstarted daemon thread named {@code hostplane-syslog-<role>-N}.
     *
     * @param role what the thread does, e.g. {@code main-queue}.
     * @param task what it runs.
     * @return the thread.
     */
    public static Thread thread(final String role, final Runnable task)
    {
        final Thread thread = new Thread(task, nextName(role));
        thread.setDaemon(true);
        return thread;
    }

    /**
     * A factory of daemon threads named {@code hostplane-syslog-<role>-N}; Netty event loops get its fast
     * thread-local threads.
     *
     * @param role what the threads do.
     * @return the factory.
     */
    public static ThreadFactory factory(final String role)
    {
        return task ->
        {
            final Thread thread = new FastThreadLocalThread(task, nextName(role));
            thread.setDaemon(true);
            return thread;
        };
    }

    private static String nextName(final String role)
    {
        return "hostplane-syslog-" + role + "-" + NEXT.computeIfAbsent(role, r -> new AtomicInteger()).getAndIncrement();
    }
}
