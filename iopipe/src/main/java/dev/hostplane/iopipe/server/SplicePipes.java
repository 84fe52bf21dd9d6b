package dev.hostplane.iopipe.server;

import java.util.ArrayDeque;

import dev.hostplane.iopipe.internal.LibC;

/**
 * The kernel pipes one event loop splices through, lent to a proxy session only while bytes sit in them
 * (as HAProxy does): an idle connection holds no pipe, so ten thousand idle sessions cost two descriptors
 * each, not six. A pipe comes back empty or is closed, so no byte can pass from one session to another.
 * Event-loop-confined.
 */
final class SplicePipes
{
    /** One pipe: read end, write end, capacity. */
    static final class Pipe
    {
        final int readFd;
        final int writeFd;
        final int capacity;

        Pipe(final int readFd, final int writeFd, final int capacity)
        {
            this.readFd = readFd;
            this.writeFd = writeFd;
            this.capacity = capacity;
        }

        void close()
        {
            LibC.close(readFd);
            LibC.close(writeFd);
        }
    }

    /** Told of every pipe the kernel made smaller than wanted. */
    @FunctionalInterface
    interface SmallPipeListener
    {
        /**
         * @param wanted  the size asked for.
         * @param granted the size the pipe has.
         * @param errno   why F_SETPIPE_SZ refused (EPERM: above fs.pipe-max-size or the user's pipe page
         *                budget without CAP_SYS_RESOURCE; ENOMEM), 0 when it did not fail but gave less.
         */
        void smallerPipe(int wanted, int granted, int errno);
    }

    private static final int POOLED = 32;
    private final ArrayDeque<Pipe> idle = new ArrayDeque<>(POOLED);
    private final int wantedSize;
    private final SmallPipeListener small;
    private final int[] fds = new int[2];

    SplicePipes(final int wantedSize, final SmallPipeListener small)
    {
        this.wantedSize = wantedSize;
        this.small = small;
    }

    /**
     * A pipe, pooled or new.
     *
     * @return the pipe, or null when none can be made (errno in {@link LibC#errno()}: EMFILE, ENFILE).
     */
    Pipe take()
    {
        final Pipe p = idle.poll();
        if (null != p)
        {
            return p;
        }
        if (0 != LibC.pipe2(fds, LibC.O_NONBLOCK | LibC.O_CLOEXEC))
        {
            return null;
        }
        // Refused above pipe-max-size or the user's pipe page budget: keep what the kernel gives, and say so,
        // since a pipe of a few pages moves a large response in many more calls and wake-ups.
        final int set = LibC.fcntl(fds[1], LibC.F_SETPIPE_SZ, wantedSize);
        final int errno = set < 0 ? LibC.errno() : 0;
        final int size = LibC.fcntl(fds[1], LibC.F_GETPIPE_SZ, 0);
        final int capacity = size > 0 ? size : 65536;
        if (capacity < wantedSize)
        {
            small.smallerPipe(wantedSize, capacity, errno);
        }
        return new Pipe(fds[0], fds[1], capacity);
    }

    /** Returns an empty pipe. */
    void give(final Pipe p)
    {
        if (idle.size() < POOLED)
        {
            idle.push(p);
        }
        else
        {
            p.close();
        }
    }

    void closeAll()
    {
        Pipe p;
        while (null != (p = idle.poll()))
        {
            p.close();
        }
    }
}
