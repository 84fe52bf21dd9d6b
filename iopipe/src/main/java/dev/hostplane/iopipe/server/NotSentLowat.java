package dev.hostplane.iopipe.server;

import java.util.concurrent.atomic.AtomicBoolean;

import dev.hostplane.iopipe.internal.LibC;
import org.slf4j.Logger;

/**
 * TCP_NOTSENT_LOWAT on a socket the server writes bulk bytes into. Without it a large write (a 2 MiB
 * sendfile, a 1 MiB splice) is taken whole into a send buffer autotuned to megabytes, and most of it leaves
 * later, sent from the ACKs of the receiver: on a loopback or same-host peer that transmit work, and the
 * delivery into the peer's socket, then run in the peer's context. With a low-water mark the socket takes
 * only about that much not-yet-sent data, so the bytes leave in the writer's own call and the writer is woken
 * (EPOLLOUT) as the queue drains. Event-loop-confined per socket; the failure warning is said once per server.
 */
final class NotSentLowat
{
    private final int bytes;
    private final Logger log;
    private final AtomicBoolean said = new AtomicBoolean();
    private final int[] value = new int[1];

    /** @param bytes the mark, or 0 to leave the kernel default (no limit). */
    NotSentLowat(final int bytes, final Logger log)
    {
        this.bytes = bytes;
        this.log = log;
        this.value[0] = bytes;
    }

    /** Sets the mark on {@code fd} (a no-op when none is configured or the descriptor is out of reach). */
    void apply(final int fd)
    {
        if (0 == bytes || fd < 0)
        {
            return;
        }
        if (0 != LibC.setsockopt(fd, LibC.IPPROTO_TCP, LibC.TCP_NOTSENT_LOWAT, value, 4)
            && said.compareAndSet(false, true))
        {
            final int errno = LibC.errno();
            log.warn("cannot set TCP_NOTSENT_LOWAT={} (errno={} {}); sockets keep the kernel default (fix: a "
                + "kernel with TCP_NOTSENT_LOWAT, Linux 3.12+, or leave the option unset). Said once",
                bytes, errno, LibC.strerror(errno));
        }
    }
}
