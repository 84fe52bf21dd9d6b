package dev.hostplane.iopipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;

import dev.hostplane.iopipe.netty.NettyEndpoints;
import dev.hostplane.iopipe.netty.PipeBody;
import dev.hostplane.iopipe.netty.PipeHandler;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Netty integration: HttpServerCodec writes the header, the pipe writes the body, keep-alive holds. */
class NettyPipeTest
{
    @TempDir
    Path dir;

    /** A Netty transport by name: its event-loop factory and server channel type. */
    private record Transport(IoHandlerFactory ioFactory, Class<? extends ServerSocketChannel> channelType)
    {
        /** Skips the calling test, saying why, when "epoll" is asked for and not available. */
        static Transport named(final String name)
        {
            if (!"epoll".equals(name))
            {
                return new Transport(NioIoHandler.newFactory(), NioServerSocketChannel.class);
            }
            if (!Epoll.isAvailable())
            {
                System.out.println("SKIP epoll variant: " + Epoll.unavailabilityCause());
            }
            Assumptions.assumeTrue(Epoll.isAvailable(), "epoll transport not available");
            return new Transport(EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void shouldServeBodiesThroughThePipeInANettyHttpPipeline(final String transport) throws Exception
    {
        final Transport netty = Transport.named(transport);
        final byte[] body = Loopback.bytes(3_000_017, 5);
        final Path file = Loopback.file(dir, "netty-body", body);
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, netty.ioFactory());
        try (PipeService pipes = PipeService.builder().workers(2).build())
        {
            final Channel server = new ServerBootstrap().group(group).channel(netty.channelType())
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel ch)
                    {
                        ch.pipeline().addLast(new PipeHandler(pipes), new HttpServerCodec(),
                            new HttpObjectAggregator(8192), new SimpleChannelInboundHandler<FullHttpRequest>()
                            {
                                @Override
                                protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest req)
                                {
                                    final HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                                        HttpResponseStatus.OK);
                                    head.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
                                    ctx.write(head);
                                    ctx.write(new PipeBody(Source.file(file), TransferOptions.DEFAULT));
                                    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                                }
                            });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
            final int port = ((InetSocketAddress)server.localAddress()).getPort();
            final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < 3; i++)
            {
                final java.net.http.HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/x")).timeout(Duration.ofSeconds(30)).build(),
                    BodyHandlers.ofByteArray());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo(body);
            }
            assertThat(pipes.strategyStats(Strategy.SENDFILE).bytes()).isEqualTo(3L * body.length);
            assertThat(pipes.strategyStats(Strategy.SENDFILE).completed()).isEqualTo(3);
            server.close().sync();
        }
        finally
        {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void shouldPipeFromANettyChannelIntoAFileAndHandTheChannelBack(final String transport) throws Exception
    {
        final Transport netty = Transport.named(transport);
        final byte[] body = Loopback.bytes(2_500_009, 8);
        final byte[] tail = "TAIL".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        final java.util.concurrent.CompletableFuture<Channel> accepted = new java.util.concurrent.CompletableFuture<>();
        final java.io.ByteArrayOutputStream afterPipe = new java.io.ByteArrayOutputStream();
        final java.util.concurrent.CountDownLatch gotTail = new java.util.concurrent.CountDownLatch(1);
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, netty.ioFactory());
        try (PipeService pipes = PipeService.builder().workers(2).build())
        {
            final Channel server = new ServerBootstrap().group(group).channel(netty.channelType())
                // The pipe reads the socket first, so the pipeline must not: autoRead off until it is done.
                .childOption(io.netty.channel.ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel ch)
                    {
                        ch.pipeline().addLast(new SimpleChannelInboundHandler<io.netty.buffer.ByteBuf>()
                        {
                            @Override
                            protected void channelRead0(final ChannelHandlerContext ctx, final io.netty.buffer.ByteBuf msg)
                            {
                                final byte[] b = new byte[msg.readableBytes()];
                                msg.readBytes(b);
                                afterPipe.writeBytes(b);
                                if (afterPipe.size() >= tail.length)
                                {
                                    gotTail.countDown();
                                }
                            }
                        });
                        accepted.complete(ch);
                    }
                }).bind("127.0.0.1", 0).sync().channel();
            final int port = ((InetSocketAddress)server.localAddress()).getPort();
            try (java.nio.channels.SocketChannel client = java.nio.channels.SocketChannel.open(
                new InetSocketAddress("127.0.0.1", port)))
            {
                final byte[] all = java.util.Arrays.copyOf(body, body.length + tail.length);
                System.arraycopy(tail, 0, all, body.length, tail.length);
                Loopback.feed(client, all, false);
                final Channel ch = accepted.get(10, java.util.concurrent.TimeUnit.SECONDS);
                final Path out = dir.resolve("from-netty");
                final TransferResult result = pipes.transfer(NettyEndpoints.source(ch, body.length), Sink.file(out),
                    TransferOptions.DEFAULT);
                assertThat(result.strategy()).isEqualTo(Strategy.SPLICE);
                assertThat(java.util.Arrays.equals(java.nio.file.Files.readAllBytes(out), body)).isTrue();
                // Control back to Netty: the bytes after the piped body arrive through the pipeline.
                ch.config().setAutoRead(true);
                assertThat(gotTail.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                assertThat(afterPipe.toByteArray()).isEqualTo(tail);
            }
            server.close().sync();
        }
        finally
        {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }
}
