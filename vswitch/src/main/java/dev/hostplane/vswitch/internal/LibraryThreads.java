package dev.hostplane.vswitch.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.util.concurrent.FastThreadLocalThread;

/**
 * Creates the module's threads, all named {@code hostplane-vswitch-<role>-N} so an embedder can tell them apart
 * in a thread dump. They are daemon threads: the owning object's {@code close()} ends them, and a switch its
 * embedder forgot must not keep the JVM from exiting.
 */
public final class LibraryThreads
{
    /** Prefix of every thread name of this module. */
    public static final String PREFIX = "hostplane-vswitch-";

    private LibraryThreads()
    {
    }

    /**
     * @param role  what the thread does, e.g. {@code worker}.
     * @param index N, the thread's number among its owner's threads of that role.
     * @return the name.
     */
    public static String name(final String role, final int index)
    {
        return PREFIX + role + "-" + index;
    }

    /**
     * A factory of daemon threads named {@code hostplane-vswitch-<role>-0}, {@code -1}, ...; Netty event loops
     * get its fast thread-local threads.
     *
     * @param role what the threads do.
     * @return the factory.
     */
    public static ThreadFactory factory(final String role)
    {
        final AtomicInteger next = new AtomicInteger();
        return runnable ->
        {
            final Thread thread = new FastThreadLocalThread(runnable, name(role, next.getAndIncrement()));
            thread.setDaemon(true);
            return thread;
        };
    }
}
