package dev.hostplane.packetscript.live.exec;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Script fds to live fds ({@code socket(...) = 3} records 3 against whatever the kernel gave),
 * shared between the main and the blocking-syscall thread; plus what packets need to know:
 * listening ports and the socket under test.
 */
final class FdTable
{
    private final Map<Long, Integer> scriptToLive = new ConcurrentHashMap<>();
    final Map<Integer, Integer> listenerPorts = new ConcurrentHashMap<>();
    volatile int socketUnderTest = -1;

    void put(final long scriptFd, final int liveFd)
    {
        scriptToLive.put(scriptFd, liveFd);
    }

    void remove(final long scriptFd)
    {
        scriptToLive.remove(scriptFd);
    }

    /** Live fd of a script fd; unknown script fds pass through (bad-fd tests rely on EBADF). */
    int live(final long scriptFd)
    {
        final Integer live = scriptToLive.get(scriptFd);
        return null != live ? live : (int)scriptFd;
    }

    boolean isMapped(final long scriptFd)
    {
        return scriptToLive.containsKey(scriptFd);
    }

    Iterable<Integer> liveFds()
    {
        return scriptToLive.values();
    }
}
