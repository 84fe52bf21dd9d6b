package dev.hostplane.iopipe.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A static-file HTTP/1.1 server meant to face the internet, with bodies moved by iopipe's kernel path
 * ({@code sendfile} from the event loop, see {@link FileBodyRegion}): event-driven on Netty (epoll, a
 * fixed number of event loops), Netty's request decoder plus the RFC 9112 rules it leaves out, every file
 * opened race-free beneath the root ({@code openat2(RESOLVE_BENEATH)}) and its descriptor kept for a second
 * for the next request of the same path ({@link Builder#openFileValid}), and nginx's timeouts and limits
 * under the same names and defaults. Keep-alive, pipelining, {@code Range}, {@code HEAD}, Content-Type by
 * extension, {@code Last-Modified}; GET and HEAD only.
 *
 * <pre>{@code
 * try (HttpFileServer server = HttpFileServer.builder(Path.of("/srv/www"))
 *     .bind(new InetSocketAddress("127.0.0.1", 8080)).start())
 * {
 *     ...
 * }
 * }</pre>
 *
 * <p>Needs the optional Netty dependencies of iopipe ({@code netty-codec-http}, and
 * {@code netty-transport-native-epoll} for epoll) and Linux. Status codes: 400 for a malformed or
 * ambiguous request (duplicate Content-Length, Content-Length with Transfer-Encoding, obs-fold, a missing
 * or repeated Host in HTTP/1.1, a {@code ..} above the root), 403 for a path that leaves the root or is not
 * a regular file, 404, 405, 413, 414, 416, 431, 503 when no descriptor is left, 505; every 4xx for a
 * malformed request closes the connection.
 *
 * <p>Threads: the server owns its event loops ({@code hostplane-iopipe-http-N}, daemon) from
 * {@link Builder#start()} until {@link #close()}, which must be called.
 *
 * <p>Memory: an open connection holds about 2 KB of heap (Netty's channel and pipeline, the request
 * decoder, the connection's state) and no buffer while it is idle; reads borrow from Netty's allocator only
 * for the read itself, and bodies never enter the heap. Size the heap as about 48 MB plus 2 KB per
 * connection allowed by {@link Builder#maxConnections(int)}; with G1 and no {@code -Xmx} the JVM grows its
 * heap far past that under load (a server holding 10,000 connections reached 330 MB RSS under wrk; with
 * {@code -XX:+UseSerialGC -Xmx96m}, which {@code hostplane pipe serve} uses, it stayed at 136 MB).
 */
public final class HttpFileServer implements AutoCloseable
{
    static final Logger LOG = LoggerFactory.getLogger(HttpFileServer.class);

    final RootDirectory root;
    final boolean copy;
    final NotSentLowat notSentLowat;
    final CongestionControl congestionControl;
    final long headerTimeoutNanos;
    final long keepaliveTimeoutNanos;
    final long sendTimeoutNanos;
    final long sweepIntervalNanos;
    final ServerCounters counters = new ServerCounters();
    final RateLimitedLog openFailures;
    final RateLimitedLog fileErrors;
    final Map<Thread, Sweeper> sweepers = Sweeper.newMap();
    final long openFileValidNanos;
    final Map<Thread, OpenFileCache> openFiles = OpenFileCache.newMap();
    private final HttpDecoderConfig decoderConfig;
    private final AcceptGuard acceptGuard;
    private final EventLoopGroup group;
    private final Channel listener;

    private HttpFileServer(final Builder b) throws IOException
    {
        this.root = RootDirectory.open(b.root, b.noSymlinks);
        this.copy = b.copy;
        this.notSentLowat = new NotSentLowat(b.notSentLowat, LOG);
        this.congestionControl = CongestionControl.choose(b.congestionControl, b.bind, LOG);
        this.headerTimeoutNanos = b.headerTimeout.toNanos();
        this.keepaliveTimeoutNanos = b.keepaliveTimeout.toNanos();
        this.sendTimeoutNanos = b.sendTimeout.toNanos();
        this.openFileValidNanos = b.openFileValid.toNanos();
        this.sweepIntervalNanos = Sweeper.interval(headerTimeoutNanos, keepaliveTimeoutNanos, sendTimeoutNanos);
        final long logInterval = TimeUnit.SECONDS.toNanos(1);
        this.openFailures = new RateLimitedLog(LOG, logInterval);
        this.fileErrors = new RateLimitedLog(LOG, logInterval);
        this.acceptGuard = new AcceptGuard(b.maxConnections, b.acceptBackoff.toNanos(), new RateLimitedLog(LOG,
            Math.max(logInterval, b.acceptBackoff.toNanos())));
        this.decoderConfig = new HttpDecoderConfig()
            .setMaxInitialLineLength(Math.min(8192, b.maxHeaderBytes))
            .setMaxHeaderSize(b.maxHeaderBytes)
            .setChunkedSupported(true)
            // nginx accepts a bare LF as a line end (RFC 9112 section 2.2 allows it); Netty refuses it by default.
            .setStrictLineParsing(false);
        this.group = Transport.group(b.eventLoops, b.threadName);
        try
        {
            final ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(Transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, b.backlog)
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(acceptGuard)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, false)
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel ch)
                    {
                        final HttpConnection connection = new HttpConnection(HttpFileServer.this);
                        ch.pipeline().addLast(new StrictRequestDecoder(decoderConfig, connection), connection);
                    }
                });
            final Channel registered = bootstrap.register().syncUninterruptibly().channel();
            // Before listen, so every accepted socket starts with it (set on an accepted socket it would come
            // after the system default's initialisation, which may already have turned on pacing).
            congestionControl.applyToListener(registered);
            this.listener = registered.bind(b.bind).syncUninterruptibly().channel();
        }
        catch (final RuntimeException ex)
        {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            root.close();
            throw new IOException("bind=" + b.bind + " failed: " + ex.getMessage(), ex);
        }
        LOG.info("serving root={} on {} with {} event loops ({}), files opened by {}, congestion control {}",
            root.path(), listener.localAddress(), b.eventLoops, Transport.epoll() ? "epoll" : "nio",
            root.beneath() ? "openat2(RESOLVE_BENEATH)" : "an O_NOFOLLOW walk", congestionControl);
    }

    /**
     * Starts a builder with nginx's defaults.
     *
     * @param root the directory to serve; nothing outside it is reachable.
     * @return the builder.
     */
    public static Builder builder(final Path root)
    {
        return new Builder(root);
    }

    /**
     * The bound port.
     *
     * @return the port.
     */
    public int port()
    {
        return ((InetSocketAddress)listener.localAddress()).getPort();
    }

    /**
     * A snapshot of the counters.
     *
     * @return the stats.
     */
    public Stats stats()
    {
        final ServerCounters c = counters;
        return new Stats(acceptGuard.accepted(), acceptGuard.openConnections(), acceptGuard.refused(),
            acceptGuard.pauses(), c.requests.sum(), c.badRequests.sum(), c.notFound.sum(), c.forbidden.sum(),
            c.serverErrors.sum(), c.sendfileBytes.sum(), c.copyBytes.sum(), c.headerTimeouts.sum(),
            c.keepaliveTimeouts.sum(), c.sendTimeouts.sum(), c.fileErrors.sum());
    }

    /** Stops accepting, closes every connection and stops the event loops. */
    @Override
    public void close()
    {
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        OpenFileCache.closeAll(openFiles);
        root.close();
    }

    /**
     * The server's counters.
     *
     * @param accepted          connections accepted.
     * @param open              connections open now.
     * @param refused           connections closed at once because the limit was reached.
     * @param acceptPauses      times accepting paused after a failure (EMFILE, ENFILE).
     * @param requests          requests answered.
     * @param badRequests       malformed or ambiguous requests refused (400, 414, 431, 505...).
     * @param notFound          404 answers.
     * @param forbidden         403 answers (outside the root, not a regular file).
     * @param serverErrors      500 and 503 answers.
     * @param sendfileBytes     response bytes moved by sendfile (the zero-copy strategy).
     * @param copyBytes         response body bytes copied through a buffer (copy mode, or no descriptor).
     * @param headerTimeouts    connections closed by the header timeout.
     * @param keepaliveTimeouts connections closed by the keep-alive timeout.
     * @param sendTimeouts      connections closed by the send timeout.
     * @param fileErrors        responses cut short because their file failed mid-send (EIO, the file shrank);
     *                          each is logged, at most once a second with the count in between.
     */
    public record Stats(long accepted, int open, long refused, long acceptPauses, long requests, long badRequests,
        long notFound, long forbidden, long serverErrors, long sendfileBytes, long copyBytes, long headerTimeouts,
        long keepaliveTimeouts, long sendTimeouts, long fileErrors)
    {
    }

    /** Builder for {@link HttpFileServer}; every value is checked when set. */
    public static final class Builder
    {
        private final Path root;
        private InetSocketAddress bind = new InetSocketAddress("127.0.0.1", 8080);
        private int eventLoops = Math.max(1, Runtime.getRuntime().availableProcessors());
        private Duration headerTimeout = Duration.ofSeconds(60);
        private Duration keepaliveTimeout = Duration.ofSeconds(75);
        private Duration sendTimeout = Duration.ofSeconds(60);
        private int maxConnections = 16384;
        private int maxHeaderBytes = 32 * 1024;
        private Duration acceptBackoff = Duration.ofMillis(500);
        private int backlog = 511;
        private boolean copy;
        private int notSentLowat;
        private String congestionControl;
        private boolean noSymlinks;
        private String threadName = "hostplane-iopipe-http";
        private Duration openFileValid = Duration.ofSeconds(1);

        private Builder(final Path root)
        {
            this.root = Objects.requireNonNull(root, "root");
        }

        /**
         * Address to listen on.
         *
         * @param bind the address (port 0 picks one).
         * @return this.
         */
        public Builder bind(final InetSocketAddress bind)
        {
            this.bind = Objects.requireNonNull(bind, "bind");
            return this;
        }

        /**
         * Event loop threads (default: one per CPU); each serves its share of connections.
         *
         * @param eventLoops 1..256.
         * @return this.
         */
        public Builder eventLoops(final int eventLoops)
        {
            this.eventLoops = BuilderChecks.inRange("eventLoops", eventLoops, 1, 256);
            return this;
        }

        /**
         * nginx's {@code client_header_timeout} (default 60 s): a request head must arrive whole this long after
         * its first byte (or after the connection opened); otherwise the connection is closed.
         *
         * @param timeout positive duration.
         * @return this.
         */
        public Builder headerTimeout(final Duration timeout)
        {
            this.headerTimeout = BuilderChecks.positive("headerTimeout", timeout);
            return this;
        }

        /**
         * nginx's {@code keepalive_timeout} (default 75 s): an idle keep-alive connection is closed after this.
         *
         * @param timeout positive duration.
         * @return this.
         */
        public Builder keepaliveTimeout(final Duration timeout)
        {
            this.keepaliveTimeout = BuilderChecks.positive("keepaliveTimeout", timeout);
            return this;
        }

        /**
         * nginx's {@code send_timeout} (default 60 s): a response the client does not read from for this long
         * (no byte accepted by the socket) is abandoned and the connection closed.
         *
         * @param timeout positive duration.
         * @return this.
         */
        public Builder sendTimeout(final Duration timeout)
        {
            this.sendTimeout = BuilderChecks.positive("sendTimeout", timeout);
            return this;
        }

        /**
         * The most connections open at once (nginx's {@code worker_connections}, all loops together; default
         * 16384). At the limit the server stops accepting and the kernel's backlog holds new clients.
         *
         * @param maxConnections 1..10,000,000.
         * @return this.
         */
        public Builder maxConnections(final int maxConnections)
        {
            this.maxConnections = BuilderChecks.inRange("maxConnections", maxConnections, 1, 10_000_000);
            return this;
        }

        /**
         * The largest request head (request line and fields; default 32 KiB, nginx's
         * {@code large_client_header_buffers 4 8k}); the request line alone may have at most 8 KiB. Longer
         * heads get 414 (line) or 431 (fields) and the connection is closed.
         *
         * @param maxHeaderBytes 256..1 MiB.
         * @return this.
         */
        public Builder maxHeaderBytes(final int maxHeaderBytes)
        {
            this.maxHeaderBytes = BuilderChecks.inRange("maxHeaderBytes", maxHeaderBytes, 256, 1 << 20);
            return this;
        }

        /**
         * How long accepting pauses after accept fails (EMFILE, ENFILE), like nginx's
         * {@code accept_mutex_delay} (default 500 ms); the failure is logged at most once per pause.
         *
         * @param backoff 1 ms .. 1 min.
         * @return this.
         */
        public Builder acceptBackoff(final Duration backoff)
        {
            BuilderChecks.positive("acceptBackoff", backoff);
            if (backoff.toMillis() < 1 || backoff.toMinutes() > 1)
            {
                throw new IllegalArgumentException("acceptBackoff=" + backoff + " (expected: 1 ms .. 1 min)");
            }
            this.acceptBackoff = backoff;
            return this;
        }

        /**
         * Listen backlog (default 511, nginx's).
         *
         * @param backlog 1..65535.
         * @return this.
         */
        public Builder backlog(final int backlog)
        {
            this.backlog = BuilderChecks.inRange("backlog", backlog, 1, 65535);
            return this;
        }

        /**
         * TCP_NOTSENT_LOWAT of every client socket (default 0: the kernel's, no limit). A socket then takes
         * only about this many not-yet-sent bytes per sendfile, so a large body leaves in the server's own
         * calls instead of being sent later from the client's ACKs, in the client's context.
         *
         * @param bytes 0 (unset), or 4 KiB .. 64 MiB.
         * @return this.
         */
        public Builder notSentLowat(final int bytes)
        {
            this.notSentLowat = 0 == bytes ? 0 : BuilderChecks.inRange("notSentLowat", bytes, 4096, 64 << 20);
            return this;
        }

        /**
         * TCP_CONGESTION of every client socket. Default (null): reno when the server is bound to a loopback address,
         * the system's ({@code net.ipv4.tcp_congestion_control}) otherwise; {@code "system"} keeps the system's
         * everywhere. Where nothing can queue between the ends (loopback, a queue-free network) a system default
         * that paces costs CPU for nothing: BBR without the fq qdisc paces every connection with its own
         * per-segment timers, whose transmits land in whichever process runs (on a same-host peer, often the
         * peer). Leave the system's for clients across the internet, where its choice is what it is for. Set
         * before listen/connect, so a connection has it from the start. A name the kernel refuses (not in
         * {@code net.ipv4.tcp_allowed_congestion_control} without CAP_NET_ADMIN, or not loaded) is logged once
         * and the sockets keep the system's.
         *
         * @param name an algorithm, e.g. {@code reno} or {@code cubic}; {@code "system"}; or null for the choice
         *             above.
         * @return this.
         */
        public Builder congestionControl(final String name)
        {
            this.congestionControl = BuilderChecks.congestionControl(name);
            return this;
        }

        /**
         * Copy bodies through a buffer (pread + send) instead of sendfile, to compare the two.
         *
         * @param copy true to copy.
         * @return this.
         */
        public Builder copy(final boolean copy)
        {
            this.copy = copy;
            return this;
        }

        /**
         * Refuse every symbolic link, also those that stay inside the root (nginx's
         * {@code disable_symlinks on}); by default links are followed while they stay beneath the root.
         *
         * @param noSymlinks true to refuse links.
         * @return this.
         */
        public Builder noSymlinks(final boolean noSymlinks)
        {
            this.noSymlinks = noSymlinks;
            return this;
        }

        /**
         * How long a served file's descriptor is kept open for the next request of the same path, like nginx's
         * {@code open_file_cache valid=} (default 1 s; zero turns the cache off, and every request opens its
         * file). A repeated request then costs one {@code statx} of the open file instead of opening, describing
         * and closing it. The descriptor came from the race-free open beneath the root, so it never reaches
         * outside the root. Every request reads size, type and mtime from the file itself, and a file deleted
         * or renamed over is opened again at once; only a file moved away while still linked elsewhere keeps
         * being served under its old path, at most this long. Up to 1000 files per event loop are kept.
         *
         * @param valid zero, or 1 ms .. 1 h.
         * @return this.
         */
        public Builder openFileValid(final Duration valid)
        {
            if (null == valid || valid.isNegative() || valid.compareTo(Duration.ofHours(1)) > 0
                || (!valid.isZero() && valid.toMillis() < 1))
            {
                throw new IllegalArgumentException("openFileValid=" + valid + " (expected: 0, or 1 ms .. 1 h)");
            }
            this.openFileValid = valid;
            return this;
        }

        /**
         * Prefix of the event loop thread names (default {@code hostplane-iopipe-http}: threads {@code <prefix>-N}).
         *
         * @param name the prefix.
         * @return this.
         */
        public Builder threadName(final String name)
        {
            this.threadName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Opens the root, binds and starts serving.
         *
         * @return the running server; close it to stop.
         * @throws IOException if the root cannot be opened or the address bound.
         */
        public HttpFileServer start() throws IOException
        {
            return new HttpFileServer(this);
        }
    }
}
