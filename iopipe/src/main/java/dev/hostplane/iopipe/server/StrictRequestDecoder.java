package dev.hostplane.iopipe.server;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Netty's request decoder with the one RFC 9112 rule it does not enforce: a header line that starts with
 * a space or tab (obs-fold, section 5.2) makes the request invalid, where Netty would join it to the
 * previous field. Netty already refuses a duplicate Content-Length, Content-Length together with
 * Transfer-Encoding, a Transfer-Encoding whose last coding is not chunked, bad field names and values, and
 * oversized lines; it accepts a bare LF as a line end, as nginx does. This class only watches the bytes
 * the decoder consumed while reading a head; it parses nothing itself. It also tells the connection when
 * a partial request is waiting, which starts the header timeout.
 */
final class StrictRequestDecoder extends HttpRequestDecoder
{
    private final HttpConnection connection;
    /** Reading a request head (not a body). */
    private boolean inHead = true;
    /** The last head byte consumed was a LF: a space or tab next would start a folded line. */
    private boolean afterLineFeed;
    private boolean folded;

    StrictRequestDecoder(final HttpDecoderConfig config, final HttpConnection connection)
    {
        super(config);
        this.connection = connection;
    }

    @Override
    protected void decode(final ChannelHandlerContext ctx, final ByteBuf buffer, final List<Object> out)
        throws Exception
    {
        final int start = buffer.readerIndex();
        final int produced = out.size();
        final boolean head = inHead;
        super.decode(ctx, buffer, out);
        if (head)
        {
            scanForFolding(buffer, start, buffer.readerIndex());
        }
        for (int i = produced; i < out.size(); i++)
        {
            final Object message = out.get(i);
            if (message instanceof HttpRequest)
            {
                inHead = false;
                if (folded)
                {
                    ((HttpRequest)message).setDecoderResult(DecoderResult.failure(new IllegalArgumentException(
                        "obsolete line folding (a header line starting with a space or tab, RFC 9112 section 5.2)")));
                }
            }
            if (message instanceof LastHttpContent)
            {
                inHead = true;
                afterLineFeed = false;
                folded = false;
            }
        }
    }

    private void scanForFolding(final ByteBuf buffer, final int from, final int to)
    {
        boolean lf = afterLineFeed;
        for (int i = from; i < to && !folded; i++)
        {
            final byte b = buffer.getByte(i);
            if (lf && (' ' == b || '\t' == b))
            {
                folded = true;
            }
            lf = '\n' == b;
        }
        afterLineFeed = lf;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg) throws Exception
    {
        super.channelRead(ctx, msg);
        connection.inputState(inHead && actualReadableBytes() > 0, !inHead);
    }
}
