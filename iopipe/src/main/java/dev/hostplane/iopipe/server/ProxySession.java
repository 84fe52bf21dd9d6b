package dev.hostplane.iopipe.server;

import java.io.IOException;
import java.net.InetSocketAddress;

import dev.hostplane.iopipe.internal.LibC;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;

/**
 * One client joined to one backend connection, on one event loop: every readiness event moves what it can
 * in both directions with {@code splice} through a kernel pipe (socket to pipe to socket; the bytes never
 * enter user space), with no thread hand-off (the shape of HAProxy's forced-splice forwarding). Sockets are
 * level-triggered and want input while their direction can take more; output is asked for only while a
 * direction is stuck on a full socket, so request/response traffic changes no epoll registration, and a
 * read shorter than the pipe ends a direction's turn without the extra call that would only say EAGAIN
 * (level-triggered, a wrong guess costs one more wake-up, never a stall). The backend connect is
 * non-blocking on the event loop. An end of input is passed on as a half-close. A backend that dies
 * mid-stream (reset, or its process killed) is treated as HAProxy treats it in TCP mode: every byte it sent
 * before it died (staged in the pipe, or still queued on the backend socket, which the kernel keeps readable
 * after a reset) reaches the client, then the client's side is closed with a FIN, and what the client still
 * sends is dropped. A client error, a connect failure or a timeout closes both. Event-loop-confined.
 * <p>
 * A client's event is served at once; a backend's event is served by a task that runs after the loop has
 * handled every event of its wait. Requests are small and each one leaves its backend idle until it is
 * passed on, while a response may be megabytes of splicing: done in epoll's order, one event loop would
 * hold the requests that arrived in the same wait behind every response ahead of them (HAProxy's loop has
 * the same shape: I/O callbacks first, then the streams' forwarding).
 */
final class ProxySession implements Sweeper.Swept
{
    private static final byte CONNECTING = 0;
    private static final byte OPEN = 1;
    private static final byte CLOSED = 2;
    /** Bytes one direction may move per event before other sessions of the loop get their turn. */
    private static final long BUDGET = 4L << 20;
    private static final int SPLICE_FLAGS = LibC.SPLICE_F_MOVE | LibC.SPLICE_F_NONBLOCK;
    private static final int IN = EpollIoOps.EPOLLIN.value() | EpollIoOps.EPOLLRDHUP.value();
    private static final int OUT = EpollIoOps.EPOLLOUT.value();
    /** EPOLLHUP (0x10) has no EpollIoOps constant; a hang-up makes the next call report the end. */
    private static final int EPOLLHUP = 0x10;
    private static final int READ_READY = EpollIoOps.EPOLLIN.value() | EpollIoOps.EPOLLRDHUP.value()
        | EpollIoOps.EPOLLERR.value() | EPOLLHUP;
    private static final int WRITE_READY = EpollIoOps.EPOLLOUT.value() | EpollIoOps.EPOLLERR.value() | EPOLLHUP;

    private final TcpProxy proxy;
    private final IoEventLoop loop;
    private final SplicePipes pipes;
    private final Sweeper sweeper;
    private final Side client;
    private final Side server;
    private final Flow up;
    private final Flow down;
    private final Runnable resume = this::resume;
    /** A pump is queued on the loop (a backend's event, or a direction that stopped for its budget). */
    private boolean pumpQueued;
    private byte state = CONNECTING;
    private boolean serverDied;
    private int sweepSlot = -1;
    private final long createdAt = System.nanoTime();
    private long clientSeen;
    private long serverSeen;
    private long clientActiveAt = createdAt;
    private long serverActiveAt = createdAt;

    /** One socket of the pair, as Netty sees it: a descriptor and its events. */
    private final class Side implements EpollIoHandle
    {
        final Socket socket;
        IoRegistration registration;
        /** The events this socket is registered for now (0 = none: removed from the epoll set). */
        int interest = -1;
        boolean readable;
        boolean writable;
        /** Bytes read from and written to this socket: the sweeper's activity measure. */
        long io;

        Side(final Socket socket)
        {
            this.socket = socket;
        }

        @Override
        public FileDescriptor fd()
        {
            return socket;
        }

        @Override
        public void handle(final IoRegistration registration, final IoEvent event)
        {
            onEvent(this, ((EpollIoEvent)event).ops().value());
        }

        @Override
        public void close()
        {
            // The event loop is shutting down.
            ProxySession.this.close();
        }

        void register(final int events) throws Exception
        {
            registration = loop.register(this).getNow();
            if (null == registration)
            {
                throw new IOException("registration did not complete on the event loop");
            }
            want(events);
        }

        void want(final int events)
        {
            if (events != interest)
            {
                interest = events;
                // Nothing wanted: stay registered, edge-triggered with no events. EPOLLHUP and EPOLLERR cannot
                // be masked; level-triggered they would wake the loop on every wait while this side is idle.
                // (Netty's "no events" removes the descriptor, and cannot add it back.)
                registration.submit(0 == events ? EpollIoOps.EPOLLET : EpollIoOps.valueOf(events));
            }
        }

        void release()
        {
            try
            {
                socket.close();
            }
            catch (final IOException ignore)
            {
                // Closing a socket we are done with cannot lose anything of ours.
            }
            if (null != registration)
            {
                // After close(2) the kernel already dropped it from the epoll set; this only forgets it.
                registration.cancel();
            }
        }
    }

    /** One direction: bytes from {@code src} staged in a pipe on their way to {@code dst}. */
    private static final class Flow
    {
        final Side src;
        final Side dst;
        SplicePipes.Pipe pipe;
        int pending;
        boolean srcEnded;
        boolean dstShut;
        long bytes;

        Flow(final Side src, final Side dst)
        {
            this.src = src;
            this.dst = dst;
        }

        boolean done()
        {
            return dstShut;
        }
    }

    ProxySession(final TcpProxy proxy, final IoEventLoop loop, final SplicePipes pipes, final Sweeper sweeper,
        final Socket clientSocket, final Socket serverSocket)
    {
        this.proxy = proxy;
        this.loop = loop;
        this.pipes = pipes;
        this.sweeper = sweeper;
        this.client = new Side(clientSocket);
        this.server = new Side(serverSocket);
        this.up = new Flow(client, server);
        this.down = new Flow(server, client);
    }

    /** Registers both sockets and starts the backend connect; closes everything if any step fails. */
    void start(final InetSocketAddress backend)
    {
        sweeper.add(this);
        try
        {
            client.socket.setTcpNoDelay(true);
            server.socket.setTcpNoDelay(true);
            proxy.notSentLowat.apply(client.socket.intValue());
            proxy.notSentLowat.apply(server.socket.intValue());
            // Before connect, as the listener's is set before listen (the client socket inherits that one).
            proxy.backendCongestionControl.apply(server.socket.intValue());
            // Client input waits until the backend is connected; the connect completes with EPOLLOUT.
            client.register(0);
            server.register(OUT);
            if (server.socket.connect(backend))
            {
                open();
            }
        }
        catch (final Exception ex)
        {
            proxy.connectFailed(backend, ex);
            close();
        }
    }

    private void onEvent(final Side side, final int ops)
    {
        if (CLOSED == state)
        {
            return;
        }
        if (0 != (ops & READ_READY))
        {
            side.readable = true;
        }
        if (0 != (ops & WRITE_READY))
        {
            side.writable = true;
        }
        if (CONNECTING == state)
        {
            if (side != server || !server.writable)
            {
                return;
            }
            try
            {
                if (!server.socket.finishConnect())
                {
                    return;
                }
            }
            catch (final IOException ex)
            {
                proxy.connectFailed(null, ex);
                close();
                return;
            }
            open();
            return;
        }
        if (side == server)
        {
            queuePump();
            return;
        }
        pumpBoth();
        if (0 != (ops & EpollIoOps.EPOLLERR.value()) && CLOSED != state)
        {
            // The client reset: nothing can reach it any more, and what it sent was passed on in the pump above.
            // A backend error is found by the pump instead, once what the backend sent before it has been moved.
            close();
        }
    }

    private void open()
    {
        state = OPEN;
        server.writable = true;
        client.writable = true;
        client.readable = true;
        server.readable = true;
        pumpBoth();
    }

    private void pumpBoth()
    {
        if (OPEN != state)
        {
            return;
        }
        try
        {
            final boolean more = pump(up) | pump(down);
            if (up.done() && down.done())
            {
                close();
                return;
            }
            // Input while the direction can take it, output only while it is stuck on a full socket.
            client.want((wantsInput(up) ? IN : 0) | (down.pending > 0 ? OUT : 0));
            server.want((wantsInput(down) ? IN : 0) | (up.pending > 0 ? OUT : 0));
            if (more)
            {
                queuePump();
            }
        }
        catch (final IOException ex)
        {
            proxy.sessionFailed();
            close();
        }
    }

    private void queuePump()
    {
        if (!pumpQueued)
        {
            pumpQueued = true;
            loop.execute(resume);
        }
    }

    private void resume()
    {
        pumpQueued = false;
        pumpBoth();
    }

    private static boolean wantsInput(final Flow f)
    {
        return 0 == f.pending && !f.srcEnded;
    }

    /**
     * Moves what one direction can move now.
     *
     * @return true when it stopped for its budget with input left (call again later).
     */
    private boolean pump(final Flow f) throws IOException
    {
        long moved = 0;
        while (true)
        {
            if (f.pending > 0)
            {
                if (!f.dst.writable)
                {
                    return false;
                }
                final long n = LibC.splice(f.pipe.readFd, null, f.dst.socket.intValue(), null, f.pending, SPLICE_FLAGS);
                if (n > 0)
                {
                    f.pending -= (int)n;
                    f.bytes += n;
                    f.dst.io += n;
                    moved += n;
                    continue;
                }
                final int errno = LibC.errno();
                if (LibC.EAGAIN == errno)
                {
                    f.dst.writable = false;
                    return false;
                }
                if (LibC.EINTR == errno)
                {
                    continue;
                }
                if (f.dst == server)
                {
                    backendDied(errno);
                    return false;
                }
                throw new IOException("splice to socket: errno=" + errno);
            }
            if (null != f.pipe)
            {
                pipes.give(f.pipe);
                f.pipe = null;
            }
            if (f.srcEnded)
            {
                if (!f.dstShut)
                {
                    f.dstShut = true;
                    shutdownOutput(f.dst);
                }
                return false;
            }
            if (!f.src.readable)
            {
                return false;
            }
            if (moved >= BUDGET)
            {
                return true;
            }
            f.pipe = pipes.take();
            if (null == f.pipe)
            {
                final int errno = LibC.errno();
                proxy.pipeFailed(errno);
                throw new IOException("pipe2: errno=" + errno);
            }
            final long n = LibC.splice(f.src.socket.intValue(), null, f.pipe.writeFd, null, f.pipe.capacity,
                SPLICE_FLAGS);
            if (n > 0)
            {
                f.pending = (int)n;
                f.src.io += n;
                // Short of the pipe's capacity: most likely the socket is drained (it may also have run out
                // of pipe slots). Level-triggered, so if bytes are left the next wait reports them at once.
                if (n < f.pipe.capacity)
                {
                    f.src.readable = false;
                }
                continue;
            }
            if (0 == n)
            {
                f.srcEnded = true;
                continue;
            }
            final int errno = LibC.errno();
            if (LibC.EAGAIN == errno)
            {
                f.src.readable = false;
                continue;
            }
            if (LibC.EINTR == errno)
            {
                continue;
            }
            if (f.src == server)
            {
                // Everything the backend sent before the reset has been read: end the client's side cleanly.
                backendDied(errno);
                f.srcEnded = true;
                continue;
            }
            throw new IOException("splice from socket: errno=" + errno);
        }
    }

    /**
     * The backend connection failed (reset, or its process died). The client-to-backend direction is given
     * up: its staged bytes cannot be delivered, and what the client sends from now on is not read. The other
     * direction goes on until the backend socket reports the error on a read, after its queued bytes.
     */
    private void backendDied(final int errno)
    {
        if (serverDied)
        {
            return;
        }
        serverDied = true;
        if (null != up.pipe)
        {
            // Bytes for a backend that is gone: the pipe cannot be reused with them in it.
            up.pipe.close();
            up.pipe = null;
        }
        up.pending = 0;
        up.srcEnded = true;
        up.dstShut = true;
        proxy.backendDied(errno, down.bytes);
    }

    private static void shutdownOutput(final Side side)
    {
        try
        {
            side.socket.shutdown(false, true);
        }
        catch (final IOException ignore)
        {
            // The peer is gone already; the other direction will find out and end the session.
        }
    }

    /** Closes both sockets and gives the pipes back (an unflushed one is closed, never reused). */
    void close()
    {
        if (CLOSED == state)
        {
            return;
        }
        state = CLOSED;
        sweeper.remove(this);
        releasePipe(up);
        releasePipe(down);
        client.release();
        server.release();
        proxy.sessionClosed(up.bytes, down.bytes);
    }

    private void releasePipe(final Flow f)
    {
        if (null != f.pipe)
        {
            if (0 == f.pending)
            {
                pipes.give(f.pipe);
            }
            else
            {
                f.pipe.close();
            }
            f.pipe = null;
        }
    }

    @Override
    public void sweep(final long now)
    {
        if (CLOSED == state)
        {
            return;
        }
        if (CONNECTING == state)
        {
            if (now - createdAt > proxy.connectTimeoutNanos)
            {
                proxy.connectTimedOut();
                close();
            }
            return;
        }
        if (client.io != clientSeen)
        {
            clientSeen = client.io;
            clientActiveAt = now;
        }
        if (server.io != serverSeen)
        {
            serverSeen = server.io;
            serverActiveAt = now;
        }
        if (now - clientActiveAt > proxy.clientTimeoutNanos)
        {
            proxy.clientTimedOut();
            close();
        }
        else if (now - serverActiveAt > proxy.serverTimeoutNanos)
        {
            proxy.serverTimedOut();
            close();
        }
    }

    @Override
    public int sweepSlot()
    {
        return sweepSlot;
    }

    @Override
    public void sweepSlot(final int slot)
    {
        sweepSlot = slot;
    }
}
