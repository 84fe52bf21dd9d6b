package dev.hostplane.syslog.internal.input;

import java.net.InetSocketAddress;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;

import dev.hostplane.syslog.internal.queue.MainQueue;

/**
 * imudp: one datagram is one message. Empty datagrams are counted and dropped; datagrams longer
 * than {@code maxMessageSize} are truncated to it and counted (each datagram stands alone, so the
 * next one is unaffected).
 */
public final class UdpInput implements NetInput
{
    private static final byte[] INPUT_NAME = {'i', 'm', 'u', 'd', 'p'};
    private static final int MAX_DATAGRAM = 65_536;

    private final InputStats stats;
    private final Channel channel;

    /**
     * Binds.
     *
     * @param group      event loops.
     * @param address    listen address.
     * @param port       port (0 = any).
     * @param queue      main queue.
     * @param senders    fromhost cache.
     * @param maxMessage maxMessageSize.
     * @param acl        allowed senders.
     */
    public UdpInput(final EventLoopGroup group, final String address, final int port, final MainQueue queue,
        final Senders senders, final int maxMessage, final SenderAcl acl)
    {
        final InputStats[] ref = {new InputStats("imudp:" + address + ":" + port)};
        final Bootstrap b = new Bootstrap()
            .group(group)
            .channel(Transports.datagramChannel())
            .option(ChannelOption.SO_RCVBUF, 4 * 1024 * 1024)
            .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM))
            .handler(new SimpleChannelInboundHandler<DatagramPacket>()
            {
                @Override
                protected void channelRead0(final ChannelHandlerContext ctx, final DatagramPacket packet)
                {
                    final InputStats st = ref[0];
                    final ByteBuf content = packet.content();
                    final InetSocketAddress sender = packet.sender();
                    int length = content.readableBytes();
                    if (!acl.allows(sender.getAddress()))
                    {
                        st.refuseSender();
                        return;
                    }
                    final String peer = sender.getAddress().getHostAddress() + ":" + sender.getPort();
                    if (0 == length)
                    {
                        st.empty(peer);
                        return;
                    }
                    if (length > maxMessage)
                    {
                        st.oversize(peer, "datagram length=" + length + " exceeds maxMessageSize=" + maxMessage +
                            ": truncated");
                        length = maxMessage;
                    }
                    final byte[][] names = senders.lookup(sender.getAddress());
                    final long seq = queue.claim();
                    try
                    {
                        final MainQueue.MessageSlot s = queue.slot(seq);
                        content.getBytes(content.readerIndex(), s.ensure(length), 0, length);
                        s.length = length;
                        s.inputName = INPUT_NAME;
                        s.fromHost = names[0];
                        s.fromHostIp = names[1];
                    }
                    finally
                    {
                        queue.publish(seq);
                    }
                    st.message(length);
                }
            });
        channel = TcpListener.bind(b, "imudp", "cannot bind", address, port);
        stats = ref[0];
    }

    @Override
    public InputStats stats()
    {
        return stats;
    }

    @Override
    public int port()
    {
        return TcpListener.port(channel);
    }

    @Override
    public void close()
    {
        channel.close().syncUninterruptibly();
    }
}
