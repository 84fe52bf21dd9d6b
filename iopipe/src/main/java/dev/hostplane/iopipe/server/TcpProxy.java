package dev.hostplane.iopipe.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.hostplane.iopipe.internal.LibC;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy meant to face the internet: each client connection is joined to a new backend connection,
 * and the bytes go both ways through {@code splice} on Netty's epoll event loops (see
 * {@link ProxySession}), never through user space and never through a thread hand-off. HAProxy's timeouts
 * under its names ({@code timeout connect}, {@code timeout client}, {@code timeout server}), its
 * {@code maxconn}, and an accept back-off when descriptors run out (logged once per interval). Needs Linux
 * and the epoll transport (iopipe's optional Netty dependencies). A session holds no Netty channel and no
 * buffer: its two sockets, a few small objects, and a splice pipe from its loop's pool only while bytes sit
 * in it (kernel memory, at most {@link Builder#pipeSize(int)} per direction).
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.builder(new InetSocketAddress("127.0.0.1", 8080))
 *     .bind(new InetSocketAddress("127.0.0.1", 9000)).start())
 * {
 *     ...
 * }
 * }</pre>
 *
 * <p>Threads: the proxy owns its event loops ({@code hostplane-iopipe-proxy-N}, daemon) from
 * {@link Builder#start()} until {@link #close()}, which must be called.
 */
public final class TcpProxy implements AutoCloseable
{
    static final Logger LOG = LoggerFactory.getLogger(TcpProxy.class);

    final long connectTimeoutNanos;
    final long clientTimeoutNanos;
    final long serverTimeoutNanos;
    final long acceptBackoffNanos;
    private final InetSocketAddress backend;
    private final int maxConnections;
    private final int pipeSize;
    final NotSentLowat notSentLowat;
    /** For the listener (client sockets inherit it). */
    final CongestionControl congestionControl;
    /** For backend sockets. */
    final CongestionControl backendCongestionControl;
    private final long sweepIntervalNanos;
    private final EventLoopGroup group;
    private final List<IoEventLoop> loops = new ArrayList<>();
    private final Map<Thread, Sweeper> sweepers = Sweeper.newMap();
    private final Map<Thread, SplicePipes> pipes = new ConcurrentHashMap<>();
    private final ProxyListener listener;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong accepted = new AtomicLong();
    private final LongAdder bytesUp = new LongAdder();
    private final LongAdder bytesDown = new LongAdder();
    private final LongAdder connectFailures = new LongAdder();
    private final LongAdder connectTimeouts = new LongAdder();
    private final LongAdder clientTimeouts = new LongAdder();
    private final LongAdder serverTimeouts = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder backendAborts = new LongAdder();
    private final LongAdder smallPipes = new LongAdder();
    private final AtomicBoolean smallPipeSaid = new AtomicBoolean();
    private final AtomicLong acceptPauses = new AtomicLong();
    private final RateLimitedLog acceptLog;
    private final RateLimitedLog connectLog = new RateLimitedLog(LOG, TimeUnit.SECONDS.toNanos(1));
    private final RateLimitedLog resourceLog = new RateLimitedLog(LOG, TimeUnit.SECONDS.toNanos(1));
    private int nextLoop;
    private volatile boolean pausedAtLimit;

    private TcpProxy(final Builder b) throws IOException
    {
        if (!LibC.AVAILABLE || !Transport.epoll())
        {
            throw new IOException("TcpProxy needs Linux, JNA and Netty's epoll transport: "
                + (LibC.AVAILABLE ? String.valueOf(Epoll.unavailabilityCause()) : LibC.UNAVAILABLE_REASON));
        }
        this.backend = b.backend;
        this.maxConnections = b.maxConnections;
        this.pipeSize = b.pipeSize;
        this.notSentLowat = new NotSentLowat(b.notSentLowat, LOG);
        this.congestionControl = CongestionControl.choose(b.congestionControl, b.bind, LOG);
        this.backendCongestionControl = CongestionControl.choose(b.congestionControl, b.backend, LOG);
        this.connectTimeoutNanos = b.connectTimeout.toNanos();
        this.clientTimeoutNanos = b.clientTimeout.toNanos();
        this.serverTimeoutNanos = b.serverTimeout.toNanos();
        this.acceptBackoffNanos = b.acceptBackoff.toNanos();
        this.sweepIntervalNanos = Sweeper.interval(connectTimeoutNanos, clientTimeoutNanos, serverTimeoutNanos);
        this.acceptLog = new RateLimitedLog(LOG, Math.max(TimeUnit.SECONDS.toNanos(1), acceptBackoffNanos));
        this.group = Transport.group(b.eventLoops, b.threadName);
        for (final EventExecutor e : group)
        {
            loops.add((IoEventLoop)e);
        }
        final IoEventLoop first = loops.get(0);
        try
        {
            listener = first.submit(() ->
            {
                final ProxyListener l = new ProxyListener(this, first, b.bind, b.backlog);
                l.start();
                return l;
            }).get();
        }
        catch (final Exception ex)
        {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            final Throwable cause = null != ex.getCause() ? ex.getCause() : ex;
            throw new IOException("bind=" + b.bind + " failed: " + cause.getMessage(), cause);
        }
        LOG.info("proxying {} -> {} with {} event loops (splice), congestion control {} / {}", b.bind, backend,
            b.eventLoops, congestionControl, backendCongestionControl);
    }

    /**
     * Starts a builder with HAProxy-like defaults.
     *
     * @param backend where each client is connected to.
     * @return the builder.
     */
    public static Builder builder(final InetSocketAddress backend)
    {
        return new Builder(backend);
    }

    /**
     * The bound port.
     *
     * @return the port.
     */
    public int port()
    {
        return listener.port();
    }

    /**
     * A snapshot of the counters.
     *
     * @return the stats.
     */
    public Stats stats()
    {
        return new Stats(accepted.get(), open.get(), acceptPauses.get(), bytesUp.sum(), bytesDown.sum(),
            connectFailures.sum(), connectTimeouts.sum(), clientTimeouts.sum(), serverTimeouts.sum(), failures.sum(),
            backendAborts.sum(), smallPipes.sum());
    }

    boolean mayAccept()
    {
        if (open.get() >= maxConnections)
        {
            pausedAtLimit = true;
            return false;
        }
        return true;
    }

    /** Listener loop: a connection was accepted; create its session on the next loop. */
    void accepted(final Socket clientSocket)
    {
        open.incrementAndGet();
        accepted.incrementAndGet();
        final IoEventLoop loop = loops.get(nextLoop);
        nextLoop = (nextLoop + 1) % loops.size();
        loop.execute(() -> startSession(loop, clientSocket));
    }

    private void startSession(final IoEventLoop loop, final Socket clientSocket)
    {
        final Socket serverSocket;
        try
        {
            serverSocket = Socket.newSocketStream();
        }
        catch (final RuntimeException ex)
        {
            resourceLog.warn("cannot open a backend socket: " + ex.getMessage() + "; closing the client (raise the "
                + "descriptor limit, or lower --max-connections)");
            failures.increment();
            try
            {
                clientSocket.close();
            }
            catch (final IOException ignore)
            {
                // nothing more to do for it
            }
            sessionClosed(0, 0);
            return;
        }
        final Thread thread = Thread.currentThread();
        final SplicePipes loopPipes = pipes.computeIfAbsent(thread, t -> new SplicePipes(pipeSize, this::smallerPipe));
        final Sweeper sweeper = Sweeper.of(sweepers, loop, sweepIntervalNanos);
        new ProxySession(this, loop, loopPipes, sweeper, clientSocket, serverSocket).start(backend);
    }

    void sessionClosed(final long up, final long down)
    {
        bytesUp.add(up);
        bytesDown.add(down);
        open.decrementAndGet();
        if (pausedAtLimit)
        {
            pausedAtLimit = false;
            listener.wake();
        }
    }

    void acceptFailed(final IOException cause)
    {
        acceptPauses.incrementAndGet();
        acceptLog.warn("accept failed: " + cause.getMessage() + "; not accepting for "
            + TimeUnit.NANOSECONDS.toMillis(acceptBackoffNanos) + " ms, open sessions=" + open.get());
    }

    void connectFailed(final InetSocketAddress to, final Exception cause)
    {
        connectFailures.increment();
        connectLog.warn("backend " + backend + " connect failed: " + cause.getMessage() + "; client closed");
    }

    void connectTimedOut()
    {
        connectTimeouts.increment();
        connectLog.warn("backend " + backend + " did not answer the connect within "
            + TimeUnit.NANOSECONDS.toMillis(connectTimeoutNanos) + " ms (timeout connect); client closed");
    }

    void clientTimedOut()
    {
        clientTimeouts.increment();
    }

    void serverTimedOut()
    {
        serverTimeouts.increment();
    }

    void backendDied(final int errno, final long deliveredSoFar)
    {
        backendAborts.increment();
        connectLog.warn("backend " + backend + " connection failed mid-session: errno=" + errno + " ("
            + LibC.strerror(errno) + "); what it sent was passed on (" + deliveredSoFar
            + " bytes so far), then the client's side closed");
    }

    void sessionFailed()
    {
        failures.increment();
    }

    void pipeFailed(final int errno)
    {
        resourceLog.warn("cannot create a splice pipe: errno=" + errno + " (" + LibC.strerror(errno)
            + "); session closed (raise the descriptor limit, or lower --max-connections)");
    }

    void smallerPipe(final int wanted, final int granted, final int errno)
    {
        smallPipes.increment();
        if (smallPipeSaid.compareAndSet(false, true))
        {
            LOG.warn("splice pipes are {} bytes, not the {} asked for ({}); large transfers take more calls and "
                + "wake-ups (fix: raise fs.pipe-max-size (now {}) and fs.pipe-user-pages-soft, run with "
                + "CAP_SYS_RESOURCE, or ask for a smaller --pipe-size). Said once; Stats.smallPipes counts them",
                granted, wanted, 0 == errno ? "granted less" : "errno=" + errno + " " + LibC.strerror(errno),
                pipeMaxSize());
        }
    }

    private static String pipeMaxSize()
    {
        try
        {
            return Files.readString(Path.of("/proc/sys/fs/pipe-max-size")).strip();
        }
        catch (final IOException | RuntimeException ex)
        {
            return "unknown";
        }
    }

    /** Stops accepting, closes every session and stops the event loops. */
    @Override
    public void close()
    {
        try
        {
            loops.get(0).submit(listener::close).get(5, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            LOG.debug("closing the listener", ex);
        }
        for (final IoEventLoop loop : loops)
        {
            loop.execute(() ->
            {
                final SplicePipes p = pipes.remove(Thread.currentThread());
                if (null != p)
                {
                    p.closeAll();
                }
            });
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * The proxy's counters.
     *
     * @param accepted        client connections accepted.
     * @param open            sessions open now.
     * @param acceptPauses    times accepting paused after a failure (EMFILE, ENFILE).
     * @param bytesUp         bytes client to backend (closed sessions).
     * @param bytesDown       bytes backend to client (closed sessions).
     * @param connectFailures backend connects refused or failed.
     * @param connectTimeouts backend connects that timed out (timeout connect).
     * @param clientTimeouts  sessions closed for client inactivity (timeout client).
     * @param serverTimeouts  sessions closed for backend inactivity (timeout server).
     * @param failures        sessions ended by an error (client reset, no descriptor for a socket or pipe).
     * @param backendAborts   sessions whose backend connection failed mid-session (reset, process died): what
     *                        it sent reached the client, then the client's side was closed.
     * @param smallPipes      splice pipes the kernel made smaller than {@link Builder#pipeSize(int)} (above
     *                        fs.pipe-max-size, or the user's pipe page budget spent); the first is logged.
     */
    public record Stats(long accepted, int open, long acceptPauses, long bytesUp, long bytesDown, long connectFailures,
        long connectTimeouts, long clientTimeouts, long serverTimeouts, long failures, long backendAborts,
        long smallPipes)
    {
    }

    /** Builder for {@link TcpProxy}; every value is checked when set. */
    public static final class Builder
    {
        private final InetSocketAddress backend;
        private InetSocketAddress bind = new InetSocketAddress("127.0.0.1", 9000);
        private int eventLoops = Math.max(1, Runtime.getRuntime().availableProcessors());
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration clientTimeout = Duration.ofSeconds(60);
        private Duration serverTimeout = Duration.ofSeconds(60);
        private Duration acceptBackoff = Duration.ofMillis(500);
        private int maxConnections = 16384;
        private int backlog = 511;
        private int pipeSize = 1 << 20;
        private int notSentLowat = 128 * 1024;
        private String congestionControl;
        private String threadName = "hostplane-iopipe-proxy";

        private Builder(final InetSocketAddress backend)
        {
            this.backend = Objects.requireNonNull(backend, "backend");
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
         * Event loop threads (default: one per CPU).
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
         * HAProxy's {@code timeout connect} (default 5 s): a backend that does not complete the connect in
         * this time is given up and the client closed.
         *
         * @param timeout positive duration.
         * @return this.
         */
        public Builder connectTimeout(final Duration timeout)
        {
            this.connectTimeout = BuilderChecks.positive("connectTimeout", timeout);
            return this;
        }

        /**
         * HAProxy's {@code timeout client} (default 60 s here; HAProxy has none and warns): a session whose
         * client neither sends nor takes a byte for this long is closed.
         *
         * @param timeout positive duration.
         * @return this.
         */
        public Builder clientTimeout(final Duration timeout)
        {
            this.clientTimeout = BuilderChecks.positive("clientTimeout", timeout);
            return this;
        }

        /**
         * HAProxy's {@code timeout server} (default 60 s here): a session whose backend neither sends nor takes
         * a byte for this long is closed.
         *
         * @param timeout positive duration.
         * @return this.
         */
        public Builder serverTimeout(final Duration timeout)
        {
            this.serverTimeout = BuilderChecks.positive("serverTimeout", timeout);
            return this;
        }

        /**
         * How long accepting pauses after accept fails (EMFILE, ENFILE); default 500 ms.
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
         * HAProxy's {@code maxconn}: sessions open at once (default 16384); at the limit accepting stops and
         * the kernel's backlog holds new clients.
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
         * Listen backlog (default 511).
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
         * Wanted size of the splice pipes (default 1 MiB; the kernel may grant less).
         *
         * @param pipeSize 4 KiB .. 16 MiB.
         * @return this.
         */
        public Builder pipeSize(final int pipeSize)
        {
            this.pipeSize = BuilderChecks.inRange("pipeSize", pipeSize, 4096, 16 << 20);
            return this;
        }

        /**
         * TCP_NOTSENT_LOWAT of both sockets of a session (default 128 KiB; 0 = the kernel's, no limit). A socket
         * then takes only about this many not-yet-sent bytes per splice, so a large response leaves in the
         * proxy's own calls instead of being sent later from the receiver's ACKs, in the receiver's context.
         * Bytes in flight do not count, so it does not cap a connection's throughput.
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
         * TCP_CONGESTION of both sockets of a session. Default (null): reno when the proxy listens on (client sockets) or the backend is at (backend sockets) a loopback address,
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
         * Prefix of the event loop thread names (default {@code hostplane-iopipe-proxy}: threads {@code <prefix>-N}).
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
         * Binds and starts proxying.
         *
         * @return the running proxy; close it to stop.
         * @throws IOException if the address cannot be bound, or epoll is unavailable.
         */
        public TcpProxy start() throws IOException
        {
            return new TcpProxy(this);
        }
    }
}
