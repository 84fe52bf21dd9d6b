package dev.hostplane.syslog.internal.relp;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.ssl.SslContext;

import dev.hostplane.syslog.internal.forward.TcpConnect;
import dev.hostplane.syslog.internal.forward.TlsClientSession;
import dev.hostplane.syslog.internal.queue.Deliverer;
import dev.hostplane.syslog.internal.thread.LibraryThreads;

/**
 * omrelp: sends rendered messages as RELP {@code syslog} commands and counts a message delivered
 * only when its {@code rsp 200} came back. Plugged into an {@link
 * dev.hostplane.syslog.internal.queue.ActionQueue}, whose units are messages here: {@link
 * #writtenBytes()} is the number of {@code syslog} commands sent on this connection and {@link
 * #confirmedBytes()} the number answered 200, in order. At most {@code windowSize} commands are
 * unanswered at any time ({@link #write} waits for responses). After a broken connection the queue
 * reconnects with its backoff, opens a new session and sends everything unanswered again, oldest
 * first: a message whose response was lost on the way reaches the target twice — the duplication
 * RELP documents; nothing is lost and the order holds.
 * <p>
 * A reader thread per connection takes the responses off the socket, so a busy target never stalls
 * on a full send queue of ours (the RELP spec's "high latency" case). With a TLS context (librelp's
 * {@code tls="on"}) the session runs inside TLS from the first byte, as librelp's does.
 */
public final class RelpDeliverer implements Deliverer
{
    private final String host;
    private final int port;
    private final int window;
    private final long timeoutNs;
    private final long connectTimeoutMs;
    private final int maxData;
    private final ByteBuf out = Unpooled.directBuffer(256 * 1024);
    private final Object monitor = new Object();
    private final SslContext tls;
    private SocketChannel channel;
    /** The TLS layer of the current connection, or null for plain TCP. */
    private volatile TlsClientSession session;
    private Thread reader;
    private int txnr;
    private long written;
    /** Commands answered 200 on this connection (the reader thread writes it). */
    private volatile long acked;
    /** Why the connection is unusable (the reader thread sets it), or null. */
    private volatile String broken;
    /** TXNR of our {@code close} command, or -1. */
    private volatile int closeTxnr = -1;
    /** The receiver answered our {@code close}. */
    private volatile boolean closed;

    /**
     * Creates a deliverer.
     *
     * @param host             target host.
     * @param port             target port.
     * @param window           {@code windowSize}: unanswered commands at most.
     * @param timeoutMs        {@code timeout}: longest wait for a response.
     * @param connectTimeoutMs {@code conn.timeout}.
     * @param maxData          largest message sent (longer ones are truncated to it: a receiver with
     *                         librelp's default maxDataSize would refuse them).
     */
    public RelpDeliverer(final String host, final int port, final int window, final long timeoutMs,
        final long connectTimeoutMs, final int maxData)
    {
        this(host, port, window, timeoutMs, connectTimeoutMs, maxData, null);
    }

    /**
     * Creates a deliverer that speaks RELP inside TLS.
     *
     * @param host             target host.
     * @param port             target port.
     * @param window           {@code windowSize}: unanswered commands at most.
     * @param timeoutMs        {@code timeout}: longest wait for a response.
     * @param connectTimeoutMs {@code conn.timeout}, also the longest TLS handshake.
     * @param maxData          largest message sent.
     * @param tls              client TLS context, or null for plain TCP.
     */
    public RelpDeliverer(final String host, final int port, final int window, final long timeoutMs,
        final long connectTimeoutMs, final int maxData, final SslContext tls)
    {
        this.tls = tls;
        this.host = host;
        this.port = port;
        this.window = Math.max(1, window);
        this.timeoutNs = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        this.connectTimeoutMs = connectTimeoutMs;
        this.maxData = maxData;
    }

    @Override
    public void open() throws IOException
    {
        if (null != channel)
        {
            return;
        }
        final SocketChannel ch;
        try
        {
            ch = TcpConnect.open(host, port, (int)Math.min(Integer.MAX_VALUE, connectTimeoutMs), this::handshake);
        }
        catch (final RuntimeException ex)
        {
            throw new IOException(ex.getMessage(), ex);
        }
        channel = ch;
        txnr = 1;
        written = 0;
        acked = 0;
        broken = null;
        closeTxnr = -1;
        closed = false;
        out.clear();
        final TlsClientSession s = session;
        final Thread t = LibraryThreads.thread("omrelp-reader", () -> readResponses(ch, s));
        reader = t;
        t.start();
    }

    /** {@code 1 open}: offers out, the server's offers back; it must speak our version and take syslog. */
    private void handshake(final SocketChannel ch) throws IOException
    {
        final int timeoutMs = (int)Math.min(Integer.MAX_VALUE, connectTimeoutMs);
        final TlsClientSession s = null == tls ? null : TlsClientSession.handshake(tls, ch, host, port, timeoutMs);
        session = s;
        try
        {
            open(ch, s, timeoutMs);
        }
        catch (final IOException | RuntimeException ex)
        {
            session = null;
            if (null != s)
            {
                s.close();
            }
            throw ex;
        }
    }

    private void open(final SocketChannel ch, final TlsClientSession s, final int timeoutMs) throws IOException
    {
        final byte[] offers = RelpOffers.ours("");
        final ByteBuf f = Unpooled.buffer(offers.length + 32);
        RelpFrameEncoder.frame(f, 1, RelpDescriptor.OPEN, offers, 0, offers.length);
        if (null == s)
        {
            ch.write(f.nioBuffer());
        }
        else
        {
            s.write(f.nioBuffer());
        }
        final ByteBuf in = Unpooled.buffer(4096);
        final RelpFrameParser parser = new RelpFrameParser(RelpDescriptor.DEFAULT_MAX_DATA);
        ch.socket().setSoTimeout(timeoutMs);
        final java.io.InputStream is = ch.socket().getInputStream();
        while (!parser.parse(in))
        {
            final ByteBuf raw = null == s ? in : Unpooled.buffer(4096);
            raw.ensureWritable(4096);
            final int n = is.read(raw.array(), raw.arrayOffset() + raw.writerIndex(), raw.writableBytes());
            if (n < 0)
            {
                throw new IOException("RELP peer " + target() + " closed the connection during open" +
                    (null == s ? "" : " (over TLS)"));
            }
            raw.writerIndex(raw.writerIndex() + n);
            if (null != s)
            {
                s.decrypt(raw, in);
            }
        }
        final String data = in.toString(parser.dataOffset(), parser.dataLength(), StandardCharsets.ISO_8859_1);
        if (!parser.is(in, RelpDescriptor.RSP) || parser.txnr() != 1 || !data.startsWith("200"))
        {
            throw new IOException("RELP peer " + target() + " refused open: " + parser.command(in) + " txnr=" +
                parser.txnr() + " data='" + data + "'");
        }
        final int lf = data.indexOf('\n');
        final Map<String, String> server = RelpOffers.parse(lf < 0 ? "" : data.substring(lf + 1));
        if (!server.containsKey("relp_version") || !RelpOffers.offersCommand(server, "syslog"))
        {
            throw new IOException("RELP peer " + target() + " does not offer relp_version and commands=syslog: '" +
                data + "'");
        }
        ch.socket().setSoTimeout(0);
        in.skipBytes(parser.frameLength());
        if (in.isReadable())
        {
            throw new IOException("RELP peer " + target() + " sent data before any command: " + in.readableBytes() +
                " bytes");
        }
    }

    /** Reader thread: responses must come in command order, each {@code 200} moves {@link #acked}. */
    private void readResponses(final SocketChannel ch, final TlsClientSession s)
    {
        final ByteBuf in = Unpooled.directBuffer(64 * 1024);
        final RelpFrameParser parser = new RelpFrameParser(RelpDescriptor.DEFAULT_MAX_DATA);
        // {next expected txnr (the open was 1), answers not credited yet}
        final long[] expectedHolder = {2, 0};
        try
        {
            while (null == broken)
            {
                if (!read(ch, s, in))
                {
                    fail("RELP peer " + target() + " closed the connection");
                    return;
                }
                // Answers of one read are credited at once: one wake-up of the writer, not one each.
                String why;
                try
                {
                    why = answers(in, parser, expectedHolder);
                }
                catch (final RelpException ex)
                {
                    why = "RELP peer " + target() + ": " + ex.getMessage();
                }
                final long gained = expectedHolder[1];
                expectedHolder[1] = 0;
                if (gained > 0)
                {
                    synchronized (monitor)
                    {
                        acked = acked + gained;
                        monitor.notifyAll();
                    }
                }
                if (null != why)
                {
                    fail(why);
                    return;
                }
                in.discardReadBytes();
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            fail("RELP connection to " + target() + " failed: " + ex.getMessage());
        }
        finally
        {
            in.release();
        }
    }

    /** One read off the socket into {@code in} (plaintext; none while a TLS record is incomplete). */
    private static boolean read(final SocketChannel ch, final TlsClientSession s, final ByteBuf in) throws IOException
    {
        if (null == s)
        {
            in.ensureWritable(16 * 1024);
            final int n = ch.read(in.nioBuffer(in.writerIndex(), in.writableBytes()));
            if (n >= 0)
            {
                in.writerIndex(in.writerIndex() + n);
            }
            return n >= 0;
        }
        // A fresh buffer per read: the TLS layer keeps an incomplete record's bytes until the rest comes.
        final ByteBuf raw = Unpooled.buffer(16 * 1024);
        final int n = ch.read(raw.nioBuffer(0, raw.capacity()));
        if (n < 0)
        {
            raw.release();
            return false;
        }
        raw.writerIndex(n);
        s.decrypt(raw, in);
        return true;
    }

    /**
     * Takes the whole frames of one read off the buffer.
     *
     * @param in     received bytes.
     * @param parser parser.
     * @param state  {expected txnr, answers gained} (updated).
     * @return why the session is over, or null.
     */
    private String answers(final ByteBuf in, final RelpFrameParser parser, final long[] state)
    {
        String why = null;
        int expected = (int)state[0];
        while (null == why && parser.parse(in))
        {
            if (parser.is(in, RelpDescriptor.RSP))
            {
                if (parser.txnr() == closeTxnr)
                {
                    closed = true;
                    why = "session closed";
                }
                else if (parser.txnr() != expected)
                {
                    why = "RELP peer " + target() + " answered txnr=" + parser.txnr() + ", expected txnr=" +
                        expected + " (responses must come in command order)";
                }
                else if (!startsWith200(in, parser.dataOffset(), parser.dataLength()))
                {
                    why = "RELP peer " + target() + " rejected txnr=" + parser.txnr() + ": '" +
                        in.toString(parser.dataOffset(), parser.dataLength(), StandardCharsets.ISO_8859_1) +
                        "'";
                }
                else
                {
                    expected = RelpDescriptor.next(expected);
                    state[1]++;
                }
            }
            else if (parser.is(in, RelpDescriptor.SERVERCLOSE))
            {
                why = "RELP peer " + target() + " closed the session (serverclose)";
            }
            else
            {
                why = "RELP peer " + target() + " sent unexpected command '" + parser.command(in) + "'";
            }
            in.skipBytes(parser.frameLength());
        }
        state[0] = expected;
        return why;
    }

    private static boolean startsWith200(final ByteBuf in, final int offset, final int length)
    {
        return length >= 3 && in.getByte(offset) == '2' && in.getByte(offset + 1) == '0' &&
            in.getByte(offset + 2) == '0';
    }

    private void fail(final String why)
    {
        synchronized (monitor)
        {
            if (null == broken)
            {
                broken = why;
            }
            monitor.notifyAll();
        }
    }

    @Override
    public void write(final byte[] data, final int offset, final int length) throws IOException
    {
        if (written - acked >= window)
        {
            // The window is full: what is buffered must go out, or no response can ever come.
            flush();
            awaitWindow();
        }
        final int len = Math.min(length, maxData);
        if (out.writableBytes() < len + 32)
        {
            flush();
        }
        txnr = RelpDescriptor.next(txnr);
        RelpFrameEncoder.header(out, txnr, RelpDescriptor.SYSLOG, len);
        if (len > out.writableBytes() - 1)
        {
            flush();
            writeFully(ByteBuffer.wrap(data, offset, len));
        }
        else
        {
            out.writeBytes(data, offset, len);
        }
        out.writeByte('\n');
        written++;
    }

    private void awaitWindow() throws IOException
    {
        final long deadline = System.nanoTime() + timeoutNs;
        synchronized (monitor)
        {
            while (written - acked >= window)
            {
                if (null != broken)
                {
                    throw new IOException(broken);
                }
                final long left = deadline - System.nanoTime();
                if (left <= 0)
                {
                    throw new IOException("RELP peer " + target() + " sent no response for " +
                        TimeUnit.NANOSECONDS.toMillis(timeoutNs) + " ms (timeout)");
                }
                try
                {
                    TimeUnit.NANOSECONDS.timedWait(monitor, left);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for RELP responses", ex);
                }
            }
        }
    }

    @Override
    public void flush() throws IOException
    {
        final String why = broken;
        if (null != why)
        {
            throw new IOException(why);
        }
        if (out.isReadable())
        {
            writeFully(out.nioBuffer());
            out.clear();
        }
    }

    private void writeFully(final ByteBuffer b) throws IOException
    {
        final TlsClientSession s = session;
        if (null != s)
        {
            s.write(b);
            return;
        }
        while (b.hasRemaining())
        {
            channel.write(b);
        }
    }

    @Override
    public long confirmedBytes()
    {
        return acked;
    }

    @Override
    public long confirmedAfterFailure()
    {
        return null == channel ? -1 : acked;
    }

    @Override
    public long writtenBytes()
    {
        return written;
    }

    @Override
    public void reset()
    {
        final SocketChannel ch = channel;
        if (null != ch && null == broken && written == acked)
        {
            closeSession();
        }
        channel = null;
        if (null != ch)
        {
            final boolean clean = closed;
            fail("connection reset by us");
            try
            {
                if (!clean)
                {
                    // Unanswered commands go again on the next session: none may trickle out of this one.
                    ch.setOption(StandardSocketOptions.SO_LINGER, 0);
                }
                ch.close();
            }
            catch (final IOException ignore)
            {
                // Closing a broken connection: nothing left to save.
            }
        }
        final TlsClientSession s = session;
        session = null;
        final Thread t = reader;
        reader = null;
        if (null != t)
        {
            try
            {
                t.join(1_000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        if (null != s)
        {
            // After the reader has ended: it may be inside the TLS layer until the socket closes.
            s.close();
        }
        out.clear();
    }

    /**
     * Everything answered (a drained queue shutting down): {@code close}, and its answer, so the
     * receiver sees an orderly end rather than a reset. Waits at most a second.
     */
    private void closeSession()
    {
        synchronized (monitor)
        {
            closeTxnr = RelpDescriptor.next(txnr);
        }
        try
        {
            RelpFrameEncoder.frame(out, closeTxnr, RelpDescriptor.CLOSE, null, 0, 0);
            flush();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            synchronized (monitor)
            {
                while (null == broken && System.nanoTime() < deadline)
                {
                    monitor.wait(50);
                }
            }
        }
        catch (final IOException | InterruptedException ex)
        {
            // Best effort: the connection is dropped right after anyway.
            if (ex instanceof InterruptedException)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String target()
    {
        return (null == tls ? "relp://" : "relp+tls://") + host + ":" + port;
    }
}
