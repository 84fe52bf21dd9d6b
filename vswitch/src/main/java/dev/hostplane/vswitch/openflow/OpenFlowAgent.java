package dev.hostplane.vswitch.openflow;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;

import dev.hostplane.vswitch.VirtualSwitch;
import dev.hostplane.vswitch.internal.LibraryThreads;
import dev.hostplane.vswitch.openflow.internal.OfChannelHandler;
import dev.hostplane.vswitch.openflow.internal.OfFrameDecoder;
import dev.hostplane.vswitch.openflow.internal.OfMessageEncoder;
import dev.hostplane.vswitch.openflow.internal.OfSwitchState;
import dev.hostplane.vswitch.openflow.internal.ReconnectBackoff;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenFlow 1.3 agent for an embedded {@link VirtualSwitch} (VS-C4): controllers and
 * {@code ovs-ofctl -O OpenFlow13} add, modify and delete flows and groups, read statistics, get
 * packet-ins and send packet-outs, over TCP or TLS. It can listen ({@code ptcp:}/{@code pssl:},
 * loopback unless told otherwise) and connect out to controllers ({@code tcp:}/{@code ssl:}),
 * reconnecting with back-off (by default 1 s doubling to 8 s, as Open vSwitch; see
 * {@link Builder#reconnectBackoff}) for as long as it runs.
 *
 * <pre>{@code
 * try (OpenFlowAgent agent = OpenFlowAgent.builder(sw)
 *         .listen(OpenFlowTarget.parseListen("6653"))
 *         .controller(OpenFlowTarget.parse("tcp:127.0.0.1:6633"))
 *         .build().start())
 * {
 *     ...
 * }
 * }</pre>
 *
 * <p>The switch keeps its OpenFlow 1.3 default: a frame no rule matches is dropped, unless the
 * controller installs a table-miss rule (priority 0, match all) that outputs to CONTROLLER. All
 * protocol work runs on one Netty I/O thread; the data plane never waits for it.
 *
 * <p>Threads: the agent owns that I/O thread ({@code hostplane-vswitch-openflow-0}, daemon) from
 * {@link #start()} until {@link #close()}, which must be called; it does not close the switch.
 */
public final class OpenFlowAgent implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(OpenFlowAgent.class);
    /** Open vSwitch's first wait before reconnecting to a controller. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
    /** Open vSwitch's longest wait between attempts (its {@code max_backoff} default). */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(8);

    private final OfSwitchState state;
    private final List<OpenFlowTarget> listens;
    private final List<OpenFlowTarget> controllers;
    private final OpenFlowTls tls;
    private final long probeMillis;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final EventLoopGroup group;
    private final List<Channel> servers = new CopyOnWriteArrayList<>();
    private final List<Channel> clients = new CopyOnWriteArrayList<>();
    private SslContext serverTls;
    private SslContext clientTls;
    private volatile boolean closed;

    private OpenFlowAgent(final Builder b)
    {
        this.state = new OfSwitchState(b.sw, b.datapathId, b.buffers);
        this.listens = List.copyOf(b.listens);
        this.controllers = List.copyOf(b.controllers);
        this.tls = b.tls;
        this.probeMillis = b.probeMillis;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.group = new MultiThreadIoEventLoopGroup(1, LibraryThreads.factory("openflow"),
            NioIoHandler.newFactory());
    }

    /**
     * A builder for an agent on a switch.
     *
     * @param sw the switch (the agent registers listeners on it; it does not own it).
     * @return builder.
     */
    public static Builder builder(final VirtualSwitch sw)
    {
        return new Builder(sw);
    }

    /**
     * Binds the listeners and starts connecting to the controllers.
     *
     * @return this.
     * @throws IOException when a listener cannot bind or TLS material cannot be loaded.
     */
    public OpenFlowAgent start() throws IOException
    {
        try
        {
            loadTls();
            state.attach();
            for (final OpenFlowTarget t : listens)
            {
                final ChannelFuture f = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 << 10, 1 << 20))
                    .childHandler(initializer(t.tls() ? serverTls : null, null))
                    .bind(t.host(), t.port())
                    .awaitUninterruptibly();
                if (!f.isSuccess())
                {
                    throw new IOException("cannot listen for OpenFlow on " + t + ": " + f.cause(), f.cause());
                }
                servers.add(f.channel());
                LOG.info("OpenFlow agent listening on {} ({})", f.channel().localAddress(), t);
            }
            for (final OpenFlowTarget t : controllers)
            {
                connect(t, new ReconnectBackoff(initialBackoff.toNanos(), maxBackoff.toNanos()), false);
            }
            return this;
        }
        catch (final IOException | RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    /**
     * Addresses the listeners are bound to (with the real port when 0 was asked for).
     *
     * @return one per listen target, in order.
     */
    public List<InetSocketAddress> listenAddresses()
    {
        final List<InetSocketAddress> out = new ArrayList<>();
        for (final Channel ch : servers)
        {
            out.add((InetSocketAddress)ch.localAddress());
        }
        return out;
    }

    /**
     * Datapath id reported to controllers.
     *
     * @return id.
     */
    public long datapathId()
    {
        return state.datapathId();
    }

    /**
     * Counters: messages received, errors sent, packet-ins sent, packet-ins dropped (peer not
     * reading), connections closed for bad or missing input.
     *
     * @return the counters.
     */
    public Stats stats()
    {
        final long[] c = state.counters();
        return new Stats(c[0], c[1], c[2], c[3], c[4], state.peerCount());
    }

    /**
     * Agent counters.
     *
     * @param messagesReceived OpenFlow messages parsed.
     * @param errorsSent OFPT_ERROR replies sent.
     * @param packetInsSent packet-ins queued to controllers.
     * @param packetInsDropped packet-ins dropped because a controller was not reading.
     * @param connectionsClosed connections closed for bad input, silence or not reading.
     * @param connections open connections.
     */
    public record Stats(long messagesReceived, long errorsSent, long packetInsSent, long packetInsDropped,
        long connectionsClosed, int connections)
    {
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        state.detach();
        for (final Channel ch : servers)
        {
            ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        for (final Channel ch : clients)
        {
            ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private void connect(final OpenFlowTarget target, final ReconnectBackoff backoff, final boolean quiet)
    {
        if (closed)
        {
            return;
        }
        final Bootstrap b = new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 << 10, 1 << 20))
            .handler(initializer(target.tls() ? clientTls : null, target));
        b.connect(target.host(), target.port()).addListener((ChannelFuture f) ->
        {
            if (!f.isSuccess())
            {
                final long wait = backoff.failed();
                if (!quiet)
                {
                    LOG.warn("OpenFlow controller {} unreachable ({}); retrying with back-off up to {} ms", target,
                        f.cause() == null ? "?" : f.cause().getMessage(), maxBackoff.toMillis());
                }
                retry(target, backoff, wait, true);
                return;
            }
            final Channel ch = f.channel();
            clients.add(ch);
            backoff.connected(System.nanoTime());
            LOG.info("OpenFlow agent connected to controller {}", target);
            ch.closeFuture().addListener(c ->
            {
                clients.remove(ch);
                if (!closed)
                {
                    final long wait = backoff.dropped(System.nanoTime());
                    LOG.warn("OpenFlow controller {} disconnected; reconnecting in {} ms", target,
                        TimeUnit.NANOSECONDS.toMillis(wait));
                    retry(target, backoff, wait, false);
                }
            });
        });
    }

    private void retry(final OpenFlowTarget target, final ReconnectBackoff backoff, final long waitNanos,
        final boolean quiet)
    {
        if (closed || group.isShuttingDown())
        {
            return;
        }
        // Jitter so that many switches do not reconnect in step.
        final long delay = waitNanos + ThreadLocalRandom.current().nextLong(waitNanos / 8 + 1);
        group.schedule(() -> connect(target, backoff, quiet), delay, TimeUnit.NANOSECONDS);
    }

    private ChannelInitializer<SocketChannel> initializer(final SslContext ssl, final OpenFlowTarget target)
    {
        return new ChannelInitializer<>()
        {
            @Override
            protected void initChannel(final SocketChannel ch)
            {
                final ChannelPipeline p = ch.pipeline();
                if (ssl != null)
                {
                    p.addLast("tls", target == null ? ssl.newHandler(ch.alloc()) :
                        ssl.newHandler(ch.alloc(), target.host(), target.port()));
                }
                final OfFrameDecoder decoder = new OfFrameDecoder();
                p.addLast("framer", decoder);
                p.addLast("encoder", OfMessageEncoder.INSTANCE);
                p.addLast("openflow", new OfChannelHandler(state, decoder, probeMillis));
            }
        };
    }

    private void loadTls() throws IOException
    {
        final boolean needed = listens.stream().anyMatch(OpenFlowTarget::tls) ||
            controllers.stream().anyMatch(OpenFlowTarget::tls);
        if (!needed)
        {
            return;
        }
        if (tls == null)
        {
            throw new IOException("ssl:/pssl: OpenFlow targets need TLS material (private key, certificate, CA)");
        }
        try
        {
            serverTls = SslContextBuilder.forServer(tls.certificate().toFile(), tls.privateKey().toFile())
                .trustManager(tls.caCertificate().toFile())
                .clientAuth(ClientAuth.REQUIRE)
                .build();
            // As Open vSwitch: a controller is trusted by its certificate chaining to the CA, not by the
            // name it is reached under (controllers are often addressed by IP).
            clientTls = SslContextBuilder.forClient()
                .keyManager(tls.certificate().toFile(), tls.privateKey().toFile())
                .trustManager(tls.caCertificate().toFile())
                .endpointIdentificationAlgorithm(null)
                .build();
        }
        catch (final SSLException | IllegalArgumentException ex)
        {
            throw new IOException("cannot load OpenFlow TLS material (" + tls + "): " + ex.getMessage(), ex);
        }
    }

    /** Builds an {@link OpenFlowAgent}. */
    public static final class Builder
    {
        private final VirtualSwitch sw;
        private final List<OpenFlowTarget> listens = new ArrayList<>();
        private final List<OpenFlowTarget> controllers = new ArrayList<>();
        private OpenFlowTls tls;
        private long datapathId = ThreadLocalRandom.current().nextLong(1, 1L << 48);
        private int buffers = 256;
        private long probeMillis = 5000;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;

        private Builder(final VirtualSwitch sw)
        {
            this.sw = sw;
        }

        /**
         * Adds a listener.
         *
         * @param target a passive target ({@code ptcp:}/{@code pssl:}).
         * @return this.
         */
        public Builder listen(final OpenFlowTarget target)
        {
            if (!target.passive())
            {
                throw new IllegalArgumentException("listen needs a passive target (ptcp:/pssl:): " + target);
            }
            listens.add(target);
            return this;
        }

        /**
         * Adds a controller to connect to.
         *
         * @param target an active target ({@code tcp:}/{@code ssl:}).
         * @return this.
         */
        public Builder controller(final OpenFlowTarget target)
        {
            if (target.passive())
            {
                throw new IllegalArgumentException("controller needs an active target (tcp:/ssl:): " + target);
            }
            controllers.add(target);
            return this;
        }

        /**
         * TLS material for ssl:/pssl: targets.
         *
         * @param tls key, certificate and CA.
         * @return this.
         */
        public Builder tls(final OpenFlowTls tls)
        {
            this.tls = tls;
            return this;
        }

        /**
         * Datapath id (default: random 48-bit).
         *
         * @param id datapath id.
         * @return this.
         */
        public Builder datapathId(final long id)
        {
            this.datapathId = id;
            return this;
        }

        /**
         * Packet buffers for packet-ins sent truncated (default 256).
         *
         * @param count power of two up to 4096.
         * @return this.
         */
        public Builder packetBuffers(final int count)
        {
            this.buffers = count;
            return this;
        }

        /**
         * Inactivity probe interval (default 5 s, as Open vSwitch): an idle connection is sent an echo
         * request after this long and closed after twice this long.
         *
         * @param millis interval.
         * @return this.
         */
        public Builder probeIntervalMillis(final long millis)
        {
            if (millis < 100)
            {
                throw new IllegalArgumentException("probe interval must be >= 100 ms: " + millis);
            }
            this.probeMillis = millis;
            return this;
        }

        /**
         * How long the agent waits before reconnecting to a controller (default 1 s doubling up to 8 s,
         * as Open vSwitch). The first attempt is immediate; each failed attempt, and each connection that
         * drops before it outlived the wait it was reached after, doubles the wait up to {@code max}; a
         * connection that lived longer starts over at {@code initial}. A jitter of up to 1/8 is added so
         * that many switches do not reconnect in step.
         *
         * @param initial the first wait, positive.
         * @param max the longest wait, at least {@code initial}.
         * @return this.
         */
        public Builder reconnectBackoff(final Duration initial, final Duration max)
        {
            if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0)
            {
                throw new IllegalArgumentException("reconnect back-off needs 0 < initial <= max: " + initial +
                    ", " + max);
            }
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /**
         * Builds the agent (not started).
         *
         * @return the agent.
         */
        public OpenFlowAgent build()
        {
            if (listens.isEmpty() && controllers.isEmpty())
            {
                throw new IllegalArgumentException("an OpenFlow agent needs a listen target or a controller");
            }
            return new OpenFlowAgent(this);
        }
    }
}
