package dev.hostplane.iopipe.netty;

import java.util.ArrayDeque;

import dev.hostplane.iopipe.PipeService;
import dev.hostplane.iopipe.TransferFuture;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Outbound handler that turns a {@link PipeBody} into a zero-copy transfer straight into the channel's
 * socket (sendfile for a file), interleaved correctly with the pipeline: everything written before the
 * body is flushed first, and everything written while the body is in flight is held back and written,
 * in order, once the pipe hands the socket back. Place it closest to the socket, before any encoder
 * ({@code pipeline.addLast(new PipeHandler(pipes)); pipeline.addLast(new HttpServerCodec()); ...}), so
 * encoders pass the body through untouched. Works with the NIO and epoll transports. Not for TLS
 * channels: bytes would bypass the SslHandler.
 */
public final class PipeHandler extends ChannelOutboundHandlerAdapter
{
    private final PipeService pipes;
    private final ArrayDeque<Object> heldMessages = new ArrayDeque<>();
    private final ArrayDeque<ChannelPromise> heldPromises = new ArrayDeque<>();
    private boolean piping;
    private boolean flushHeld;

    /**
     * Creates the handler.
     *
     * @param pipes the service whose workers move the bytes.
     */
    public PipeHandler(final PipeService pipes)
    {
        this.pipes = pipes;
    }

    @Override
    public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise)
    {
        if (piping)
        {
            heldMessages.add(msg);
            heldPromises.add(promise);
            return;
        }
        if (msg instanceof PipeBody)
        {
            startPipe(ctx, (PipeBody)msg, promise);
            return;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void flush(final ChannelHandlerContext ctx)
    {
        if (piping)
        {
            flushHeld = true;
            return;
        }
        ctx.flush();
    }

    private void startPipe(final ChannelHandlerContext ctx, final PipeBody body, final ChannelPromise promise)
    {
        piping = true;
        // Everything before the body must be on the wire (not just in Netty's outbound buffer) before the
        // pipe writes to the socket directly.
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(flushed ->
        {
            if (!flushed.isSuccess())
            {
                promise.tryFailure(flushed.cause());
                resume(ctx);
                return;
            }
            final TransferFuture transfer = pipes.submit(body.source(), NettyEndpoints.flushedSink(ctx.channel()),
                body.options());
            transfer.stopped().whenComplete((bytes, ignore) -> ctx.executor().execute(() ->
            {
                if (transfer.isCompletedExceptionally())
                {
                    try
                    {
                        transfer.join();
                    }
                    catch (final RuntimeException ex)
                    {
                        promise.tryFailure(null != ex.getCause() ? ex.getCause() : ex);
                    }
                }
                else
                {
                    promise.trySuccess();
                }
                resume(ctx);
            }));
        });
    }

    private void resume(final ChannelHandlerContext ctx)
    {
        piping = false;
        while (!heldMessages.isEmpty() && !piping)
        {
            write(ctx, heldMessages.poll(), heldPromises.poll());
        }
        if (flushHeld && !piping)
        {
            flushHeld = false;
            ctx.flush();
        }
    }
}
