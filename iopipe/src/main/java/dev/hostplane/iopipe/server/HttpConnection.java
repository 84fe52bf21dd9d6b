package dev.hostplane.iopipe.server;

import java.io.IOException;
import java.util.ArrayDeque;

import dev.hostplane.iopipe.internal.LibC;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;

/**
 * One client connection of the {@link HttpFileServer}, on its event loop: answers each decoded request
 * with a file (opened beneath the root, see {@link RootDirectory}) or an error, in order, and keeps the
 * connection's deadlines (header, keep-alive, send) for its loop's {@link Sweeper}. Pipelined requests are
 * answered as the socket drains: at most {@link #MAX_IN_FLIGHT} open files per connection wait in
 * Netty's outbound buffer, and reading stops until they are sent, so a client that sends and never reads
 * cannot make the server open every file it names.
 */
final class HttpConnection extends ChannelInboundHandlerAdapter implements Sweeper.Swept
{
    static final int MAX_IN_FLIGHT = 8;
    /** Bodies of GET/HEAD requests are read and dropped up to this size (nginx's client_max_body_size). */
    static final long MAX_DISCARDED_BODY = 1 << 20;
    /** After an error response, input is read and dropped this long so the response is not lost to a reset. */
    static final long LINGER_NANOS = 2_000_000_000L;

    private static final byte HEADER = 0;
    private static final byte IDLE = 1;
    private static final byte BODY = 2;
    private static final byte LINGER = 3;

    private final HttpFileServer server;
    private ChannelHandlerContext ctx;
    private Channel channel;
    private int socketFd = -1;
    private int sweepSlot = -1;
    private Sweeper sweeper;
    /** This loop's open files, or null when the server caches none. */
    private OpenFileCache files;

    private byte phase = HEADER;
    private long phaseStart = System.nanoTime();
    private long written;
    private long seenWritten;
    private long lastProgress = phaseStart;
    private int inFlight;
    private boolean flushNeeded;
    private boolean closing;
    private long discarded;
    private ArrayDeque<HttpRequest> waiting;
    private final Runnable drain = this::drainWaiting;

    HttpConnection(final HttpFileServer server)
    {
        this.server = server;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
        this.channel = ctx.channel();
        this.socketFd = server.copy ? -1 : SocketFds.of(channel);
        server.notSentLowat.apply(server.copy ? SocketFds.of(channel) : socketFd);
        phaseStart = System.nanoTime();
        lastProgress = phaseStart;
        sweeper = Sweeper.of(server.sweepers, channel.eventLoop(), server.sweepIntervalNanos);
        sweeper.add(this);
        if (server.openFileValidNanos > 0)
        {
            files = OpenFileCache.of(server.openFiles, channel.eventLoop(), server.openFileValidNanos);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        if (null != sweeper)
        {
            sweeper.remove(this);
        }
        if (null != waiting)
        {
            waiting.clear();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (closing)
        {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest)
        {
            final HttpRequest request = (HttpRequest)msg;
            if ((null != waiting && !waiting.isEmpty()) || !canAnswer())
            {
                queue(request);
            }
            else
            {
                answer(request);
            }
        }
        if (msg instanceof HttpContent)
        {
            discardBody((HttpContent)msg);
        }
    }

    private void discardBody(final HttpContent content)
    {
        discarded += content.content().readableBytes();
        final boolean last = content instanceof LastHttpContent;
        content.release();
        if (discarded > MAX_DISCARDED_BODY)
        {
            // A chunked body grew past the limit after its response went out: nothing left to say.
            channel.close();
        }
        if (last)
        {
            discarded = 0;
        }
    }

    private boolean canAnswer()
    {
        return inFlight < MAX_IN_FLIGHT && channel.isWritable();
    }

    private void queue(final HttpRequest request)
    {
        if (null == waiting)
        {
            waiting = new ArrayDeque<>(4);
        }
        waiting.add(request);
        channel.config().setAutoRead(false);
    }

    private void drainWaiting()
    {
        while (null != waiting && !waiting.isEmpty() && canAnswer() && !closing)
        {
            answer(waiting.poll());
        }
        if (flushNeeded)
        {
            flushNeeded = false;
            ctx.flush();
        }
        if ((null == waiting || waiting.isEmpty()) && !closing && channel.isWritable())
        {
            channel.config().setAutoRead(true);
        }
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx)
    {
        if (flushNeeded)
        {
            flushNeeded = false;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx)
    {
        if (channel.isWritable())
        {
            drainWaiting();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        // Resets, broken pipes and decoder failures all end here; the peer is gone or misbehaving.
        if (cause instanceof FileBodyRegion.FileReadException)
        {
            fileFailed(cause);
        }
        else if (!(cause instanceof IOException))
        {
            HttpFileServer.LOG.debug("connection {} failed", channel, cause);
        }
        ctx.close();
    }

    private void answer(final HttpRequest request)
    {
        server.counters.requests.increment();
        final DecoderResult result = request.decoderResult();
        if (result.isFailure())
        {
            final Throwable cause = result.cause();
            refuse(cause instanceof TooLongHttpLineException ? 414
                : cause instanceof TooLongHttpHeaderException ? 431 : 400);
            return;
        }
        final HttpVersion version = request.protocolVersion();
        if (1 != version.majorVersion() || version.minorVersion() > 1)
        {
            refuse(505);
            return;
        }
        final boolean http11 = 1 == version.minorVersion();
        final HttpHeaders headers = request.headers();
        final RequestTarget target = RequestTarget.get();
        final int parsed = target.parse(request.uri());
        if (RequestTarget.OK != parsed)
        {
            refuse(RequestTarget.TOO_LONG == parsed ? 414 : 400);
            return;
        }
        final int hosts = headers.getAll(HttpHeaderNames.HOST).size();
        // RFC 9112 section 3.2: exactly one Host in HTTP/1.1; absolute-form carries the authority itself.
        if (hosts > 1 || (http11 && 0 == hosts && !target.absoluteForm))
        {
            refuse(400);
            return;
        }
        final boolean chunked = HttpUtil.isTransferEncodingChunked(request);
        final long contentLength = HttpUtil.getContentLength(request, 0L);
        final boolean hasBody = chunked || contentLength > 0;
        final HttpMethod method = request.method();
        final boolean head = HttpMethod.HEAD.equals(method);
        if (!head && !HttpMethod.GET.equals(method))
        {
            respond(405, hasBody ? ResponseHead.Connection.CLOSE : connection(request, http11), true);
            return;
        }
        if (contentLength > MAX_DISCARDED_BODY)
        {
            refuse(413);
            return;
        }
        serve(target, !head, connection(request, http11), headers.get(HttpHeaderNames.RANGE));
    }

    private static ResponseHead.Connection connection(final HttpRequest request, final boolean http11)
    {
        if (!HttpUtil.isKeepAlive(request))
        {
            return ResponseHead.Connection.CLOSE;
        }
        return http11 ? ResponseHead.Connection.DEFAULT : ResponseHead.Connection.KEEP_ALIVE;
    }

    private void serve(
        final RequestTarget target, final boolean withBody, final ResponseHead.Connection connection, final String range)
    {
        final NativeScratch s = NativeScratch.get();
        int length = target.length;
        OpenFileCache.OpenFile file = null == files ? null : files.acquire(s, target.path, length, System.nanoTime());
        if (null == file)
        {
            final int fd = open(s, target.path, length, false, connection, withBody);
            if (fd < 0)
            {
                return;
            }
            if (LibC.S_IFDIR == (RootDirectory.mode(s) & LibC.S_IFMT))
            {
                LibC.close(fd);
                if (!target.trailingSlash)
                {
                    redirectToDirectory(target, connection);
                    return;
                }
                length = appendIndex(target);
                file = null == files ? null : files.acquire(s, target.path, length, System.nanoTime());
                if (null == file)
                {
                    final int index = open(s, target.path, length, true, connection, withBody);
                    if (index < 0)
                    {
                        return;
                    }
                    file = regularFile(s, target.path, length, index, connection, withBody);
                }
            }
            else
            {
                file = regularFile(s, target.path, length, fd, connection, withBody);
            }
            if (null == file)
            {
                return;
            }
        }
        final long size = RootDirectory.size(s);
        final ByteRange range0 = ByteRange.parse(range, size);
        if (ByteRange.UNSATISFIABLE == range0)
        {
            file.release();
            final ByteBuf out = ctx.alloc().directBuffer(256);
            ResponseHead.statusLine(out, 416);
            ResponseHead.contentLength(out, 0);
            ResponseHead.contentRange(out, -1, 0, size);
            ResponseHead.end(out, connection);
            send(out, connection);
            return;
        }
        final boolean whole = ByteRange.WHOLE == range0;
        final long first = whole ? 0 : range0.first;
        final long bodyLength = whole ? size : range0.length;
        final boolean region = withBody && 0 != bodyLength;
        // A head sent with a file body comes back through the region's release; alone it goes to Netty.
        final ByteBuf head = region ? s.head() : ctx.alloc().directBuffer(256);
        ResponseHead.statusLine(head, whole ? ResponseHead.OK : ResponseHead.PARTIAL);
        ResponseHead.contentType(head, MediaTypes.of(target.path, length));
        ResponseHead.contentLength(head, bodyLength);
        ResponseHead.lastModified(head, RootDirectory.mtimeSeconds(s));
        ResponseHead.acceptRanges(head);
        if (!whole)
        {
            ResponseHead.contentRange(head, first, bodyLength, size);
        }
        ResponseHead.end(head, connection);
        if (!region)
        {
            file.release();
            send(head, connection);
            return;
        }
        inFlight++;
        send(new FileBodyRegion(head, file, first, bodyLength, socketFd, server.copy, this, server.counters),
            connection);
    }

    /**
     * Opens a path beneath the root and describes it into the scratch; on failure answers and returns -1.
     */
    private int open(
        final NativeScratch s, final byte[] path, final int length, final boolean directoryIndex,
        final ResponseHead.Connection connection, final boolean withBody)
    {
        final int fd = server.root.open(s, RootDirectory.putPath(s, path, length));
        if (fd < 0)
        {
            // A directory without an index is not listed (nginx: 403 without autoindex).
            final int errno = -fd;
            respondOpenFailure(directoryIndex && LibC.ENOENT == errno ? LibC.EACCES : errno, connection, withBody);
            return -1;
        }
        if (0 != RootDirectory.stat(s, fd))
        {
            LibC.close(fd);
            respond(500, connection, withBody);
            return -1;
        }
        return fd;
    }

    /** The opened regular file, cached when a cache is on; anything else is closed and answered 403. */
    private OpenFileCache.OpenFile regularFile(
        final NativeScratch s, final byte[] path, final int length, final int fd,
        final ResponseHead.Connection connection, final boolean withBody)
    {
        if (LibC.S_IFREG != (RootDirectory.mode(s) & LibC.S_IFMT))
        {
            LibC.close(fd);
            server.counters.forbidden.increment();
            respond(403, connection, withBody);
            return null;
        }
        return null == files ? new OpenFileCache.OpenFile(fd, 1) : files.put(path, length, fd, System.nanoTime());
    }

    private static int appendIndex(final RequestTarget target)
    {
        final byte[] index = {'i', 'n', 'd', 'e', 'x', '.', 'h', 't', 'm', 'l'};
        int length = target.length;
        if (1 == length && '.' == target.path[0])
        {
            length = 0;
        }
        else
        {
            target.path[length++] = '/';
        }
        System.arraycopy(index, 0, target.path, length, index.length);
        return length + index.length;
    }

    private void redirectToDirectory(final RequestTarget target, final ResponseHead.Connection connection)
    {
        final ByteBuf out = ctx.alloc().directBuffer(256 + target.length * 3);
        ResponseHead.statusLine(out, ResponseHead.MOVED);
        ResponseHead.location(out, target.path, target.length, target.absoluteForm);
        ResponseHead.contentLength(out, 0);
        ResponseHead.end(out, connection);
        send(out, connection);
    }

    private void respondOpenFailure(final int errno, final ResponseHead.Connection connection, final boolean withBody)
    {
        switch (errno)
        {
            case LibC.ENOENT:
            case LibC.ENOTDIR:
                server.counters.notFound.increment();
                respond(404, connection, withBody);
                break;
            case LibC.EXDEV:
            case LibC.ELOOP:
            case LibC.EACCES:
            case LibC.EPERM:
                server.counters.forbidden.increment();
                respond(403, connection, withBody);
                break;
            case LibC.ENAMETOOLONG:
                refuse(414);
                break;
            case LibC.EMFILE:
            case LibC.ENFILE:
                server.counters.serverErrors.increment();
                server.openFailures.warn("cannot open a file to serve: errno=" + errno + " (" + LibC.strerror(errno)
                    + "); answering 503 (raise the descriptor limit, or lower --max-connections)");
                respond(503, ResponseHead.Connection.CLOSE, withBody);
                break;
            default:
                server.counters.serverErrors.increment();
                server.openFailures.warn("cannot open a file to serve: errno=" + errno + " (" + LibC.strerror(errno)
                    + "); answering 500");
                respond(500, connection, withBody);
                break;
        }
    }

    /** An error that ends the connection: the request cannot be trusted to delimit the next one. */
    private void refuse(final int status)
    {
        server.counters.badRequests.increment();
        respond(status, ResponseHead.Connection.CLOSE, true);
    }

    private void respond(final int status, final ResponseHead.Connection connection, final boolean withBody)
    {
        final ByteBuf out = ctx.alloc().directBuffer(256);
        ResponseHead.error(out, status, connection, withBody);
        send(out, connection);
    }

    private void send(final Object response, final ResponseHead.Connection connection)
    {
        if (ResponseHead.Connection.CLOSE != connection)
        {
            ctx.write(response, ctx.voidPromise());
            flushNeeded = true;
            return;
        }
        // Close after this response, lingering: output is shut down once the response is out and input
        // is read and dropped for a while, so a client still sending does not get a reset that destroys
        // the response before it reads it (nginx's lingering_close).
        closing = true;
        phase = LINGER;
        phaseStart = System.nanoTime();
        flushNeeded = false;
        ctx.writeAndFlush(response).addListener((ChannelFutureListener)f ->
        {
            if (f.isSuccess() && f.channel() instanceof DuplexChannel)
            {
                ((DuplexChannel)f.channel()).shutdownOutput();
            }
            else
            {
                if (f.cause() instanceof FileBodyRegion.FileReadException)
                {
                    fileFailed(f.cause());
                }
                f.channel().close();
            }
        });
    }

    /** The head is out, the rest of the body cannot be read: the client can only learn it from the close. */
    private void fileFailed(final Throwable cause)
    {
        server.counters.fileErrors.increment();
        server.fileErrors.warn(cause.getMessage() + "; response cut short, connection closed");
    }

    /**
     * Called by the decoder after each read: whether a partial request head waits (header timeout) or a
     * request body is being read.
     *
     * @param partialHead bytes of an unfinished head are buffered.
     * @param inBody      a request body is being read.
     */
    void inputState(final boolean partialHead, final boolean inBody)
    {
        if (closing)
        {
            return;
        }
        final byte next = inBody ? BODY : partialHead ? HEADER : IDLE;
        if (next != phase)
        {
            phase = next;
            phaseStart = System.nanoTime();
        }
    }

    /** Bytes of a response reached the socket. */
    void progress(final long bytes)
    {
        written += bytes;
    }

    /** A file region was released: sent, or dropped with the connection. */
    void regionDone()
    {
        inFlight--;
        if (null != waiting && !waiting.isEmpty() && channel.isActive())
        {
            // Released inside Netty's flush: answer the next ones after it returns.
            channel.eventLoop().execute(drain);
        }
    }

    @Override
    public void sweep(final long now)
    {
        if (!channel.isActive())
        {
            return;
        }
        if (written != seenWritten)
        {
            seenWritten = written;
            lastProgress = now;
        }
        final ChannelOutboundBuffer outbound = channel.unsafe().outboundBuffer();
        final boolean sending = null != outbound && outbound.totalPendingWriteBytes() + outbound.size() > 0;
        if (LINGER == phase)
        {
            if (now - phaseStart > LINGER_NANOS)
            {
                channel.close();
            }
            return;
        }
        if (sending)
        {
            if (now - lastProgress > server.sendTimeoutNanos)
            {
                server.counters.sendTimeouts.increment();
                channel.close();
            }
            return;
        }
        if (IDLE == phase)
        {
            if (now - Math.max(phaseStart, lastProgress) > server.keepaliveTimeoutNanos)
            {
                server.counters.keepaliveTimeouts.increment();
                channel.close();
            }
        }
        else if (now - phaseStart > server.headerTimeoutNanos)
        {
            server.counters.headerTimeouts.increment();
            channel.close();
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
