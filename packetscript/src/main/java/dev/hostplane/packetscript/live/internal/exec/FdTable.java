package dev.hostplane.packetscript.live.internal.exec;

import dev.hostplane.packetscript.live.internal.sys.LibC;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Script fds to live fds ({@code socket(...) = 3} records 3 against whatever the kernel gave),
 * shared between the main and the blocking-syscall thread; plus what packets need to know:
 * listening ports and the socket under test.
 *
 * <p>The executor runs inside a JVM whose own fds (jars, the modules image, sockets) share the
 * number space with the script's: a script fd that is passed through unmapped would let a script
 * close or write a JVM fd. So, as packetdrill's {@code to_live_fd()}, a script fd the script never
 * created is an error, and only live fds this table saw created are ever closed or shut down by
 * the executor. After {@link #retire()} no fd is handed out any more (an abandoned thread of a
 * timed-out script cannot reach an fd number the JVM has reused).
 */
final class FdTable
{
    private final Map<Long, Integer> scriptToLive = new ConcurrentHashMap<>();
    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    private volatile boolean retired;
    final Map<Integer, Integer> listenerPorts = new ConcurrentHashMap<>();
    volatile int socketUnderTest = -1;

    /**
     * A call of the script created {@code liveFd}: it is the script's to use and the executor's to close,
     * whether or not the script names it.
     */
    void created(final int liveFd)
    {
        if (liveFd >= 0)
        {
            owned.add(liveFd);
            if (retired && owned.remove(liveFd))
            {
                // A blocking call (accept) returned after the script ended: nobody will close it later.
                LibC.close(liveFd);
            }
        }
    }

    /** Names a live fd the script created (see {@link #created(int)}) with the script's number. */
    void put(final long scriptFd, final int liveFd)
    {
        if (owned.contains(liveFd))
        {
            scriptToLive.put(scriptFd, liveFd);
        }
    }

    /**
     * The script closed {@code scriptFd}: the live fd is released by the kernel even when close fails, so
     * both the name and the ownership go (a later number reuse by the JVM must not look like ours).
     */
    void remove(final long scriptFd)
    {
        final Integer live = scriptToLive.remove(scriptFd);
        if (null != live)
        {
            owned.remove(live);
            listenerPorts.remove(live);
            if (live == socketUnderTest)
            {
                socketUnderTest = -1;
            }
        }
    }

    /**
     * Live fd of a script fd.
     *
     * @throws IllegalArgumentException with packetdrill's wording when the script never created
     *     {@code scriptFd} (or closed it), or the script has ended.
     */
    int live(final long scriptFd)
    {
        final Integer live = retired ? null : scriptToLive.get(scriptFd);
        if (null == live)
        {
            throw new IllegalArgumentException("unable to find fd with script fd " + scriptFd);
        }
        return live;
    }

    boolean isMapped(final long scriptFd)
    {
        return scriptToLive.containsKey(scriptFd);
    }

    /** Whether {@code liveFd} is an fd the script created and has not closed. */
    boolean isOwned(final int liveFd)
    {
        return !retired && owned.contains(liveFd);
    }

    /** A snapshot of every live fd the script created and has not closed. */
    List<Integer> liveFds()
    {
        return new ArrayList<>(owned);
    }

    /** Ends the script's use of the table: no fd is handed out any more. */
    void retire()
    {
        retired = true;
    }

    /** {@link #retire()}s the table and returns, forgetting them, the live fds still open, for closing. */
    List<Integer> retireAndTakeAll()
    {
        retired = true;
        final List<Integer> all = new ArrayList<>(owned);
        owned.clear();
        scriptToLive.clear();
        listenerPorts.clear();
        socketUnderTest = -1;
        return all;
    }
}
