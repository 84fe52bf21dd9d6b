package dev.hostplane.iopipe.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;

/**
 * The proxy's listening socket on one event loop, edge-triggered: each edge accepts until the backlog is
 * empty and hands each connection to the next loop. Accepting stops at the connection limit (resumed when a
 * session ends, like HAProxy's {@code maxconn}) and for a back-off interval when accept fails (EMFILE,
 * ENFILE), logged at most once per interval. Pending connections wait in the kernel's backlog meanwhile;
 * because a stop never leaves an edge unconsumed in a way that matters (a resume accepts until EAGAIN),
 * nothing spins. Event-loop-confined.
 */
final class ProxyListener implements EpollIoHandle
{
    private final TcpProxy proxy;
    private final IoEventLoop loop;
    private final Socket socket;
    private final byte[] address = new byte[26];
    private final Runnable resume = this::acceptAll;
    private IoRegistration registration;
    private boolean backingOff;
    private boolean closed;

    ProxyListener(final TcpProxy proxy, final IoEventLoop loop, final InetSocketAddress bind, final int backlog)
        throws IOException
    {
        this.proxy = proxy;
        this.loop = loop;
        this.socket = Socket.newSocketStream();
        try
        {
            socket.setReuseAddress(true);
            proxy.congestionControl.apply(socket.intValue());
            socket.bind(bind);
            socket.listen(backlog);
        }
        catch (final IOException | RuntimeException ex)
        {
            socket.close();
            throw ex;
        }
    }

    /** Registers on the loop (call on it). */
    void start() throws Exception
    {
        registration = loop.register(this).getNow();
        registration.submit(EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLET));
    }

    int port()
    {
        return socket.localAddress().getPort();
    }

    @Override
    public FileDescriptor fd()
    {
        return socket;
    }

    @Override
    public void handle(final IoRegistration registration, final IoEvent event)
    {
        acceptAll();
    }

    /** Accepts until EAGAIN, the connection limit, or a failure (then pauses). Runs on the listener's loop. */
    void acceptAll()
    {
        if (closed || backingOff)
        {
            return;
        }
        while (proxy.mayAccept())
        {
            final int fd;
            try
            {
                fd = socket.accept(address);
            }
            catch (final IOException ex)
            {
                backOff(ex);
                return;
            }
            if (fd < 0)
            {
                return;
            }
            proxy.accepted(new Socket(fd));
        }
    }

    private void backOff(final IOException cause)
    {
        backingOff = true;
        proxy.acceptFailed(cause);
        loop.schedule(() ->
        {
            backingOff = false;
            acceptAll();
        }, proxy.acceptBackoffNanos, TimeUnit.NANOSECONDS);
    }

    /** A session ended: if accepting had stopped at the limit, go on (from any loop). */
    void wake()
    {
        loop.execute(resume);
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            socket.close();
        }
        catch (final IOException ignore)
        {
            // Nothing to lose on a listening socket.
        }
        if (null != registration)
        {
            registration.cancel();
        }
    }
}
