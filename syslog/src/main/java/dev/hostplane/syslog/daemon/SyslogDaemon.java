package dev.hostplane.syslog.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.EventLoopGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hostplane.syslog.SyslogEngine;
import dev.hostplane.syslog.SyslogException;
import dev.hostplane.syslog.internal.config.InputSpec;
import dev.hostplane.syslog.internal.engine.EngineAccess;
import dev.hostplane.syslog.internal.input.InputContext;
import dev.hostplane.syslog.internal.input.InputStats;
import dev.hostplane.syslog.internal.input.NetInput;
import dev.hostplane.syslog.internal.input.Senders;
import dev.hostplane.syslog.internal.input.Transports;
import dev.hostplane.syslog.internal.queue.MainQueue;

/**
 * {@code hostplane syslogd}: the engine plus the inputs its config declares (imtcp, imudp, imrelp,
 * imuxsock sockets), a main queue between them and the rules, and the outputs with their own queues. Runs
 * until {@link #close()} (SIGTERM in {@link #runUntilTerminated()}), which stops the inputs, drains
 * the main queue, then drains or spools every action queue. {@link #reopenFiles()} (SIGHUP) closes
 * output files between two batches so log rotation works.
 *
 * <p>Threads: the daemon owns its I/O event loops ({@code hostplane-syslog-io-N}), the main queue's worker
 * ({@code hostplane-syslog-main-queue-N}), one worker per queued action ({@code hostplane-syslog-action-N}) and
 * per-input readers ({@code hostplane-syslog-imuxsock-N}, {@code -imkafka-N}, {@code -omrelp-reader-N}). All are
 * daemon threads: {@link #close()} is what drains and ends them, so always close a started daemon; an application
 * that runs only the daemon keeps its main thread in {@link #runUntilTerminated()}. The Kafka client's own
 * threads (omkafka, imkafka) keep Kafka's names.
 */
public final class SyslogDaemon implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(SyslogDaemon.class);
    private static final int DEFAULT_MAIN_QUEUE = 8192;

    private final SyslogEngine engine;
    private final MainQueue queue;
    private final EventLoopGroup group;
    private final List<NetInput> inputs = new ArrayList<>();
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile boolean reopenRequested;
    private boolean closed;

    private SyslogDaemon(final Builder b)
    {
        final SyslogEngine.Builder eb = SyslogEngine.builder().zone(b.zone).clock(b.clock);
        if (null != b.configFile)
        {
            eb.configFile(b.configFile);
        }
        else
        {
            eb.configText(b.configText).configName(b.configName);
        }
        if (null != b.localHostname)
        {
            eb.localHostname(b.localHostname);
        }
        this.engine = eb.build();
        this.queue = new MainQueue(ringSize(b.mainQueueSize > 0 ? b.mainQueueSize : engine.mainQueueSize()),
            new MainQueue.Consumer()
        {
            @Override
            public void onMessage(final MainQueue.MessageSlot s)
            {
                if (reopenRequested)
                {
                    // HUP seen: the first message after it already goes to the new file.
                    reopenRequested = false;
                    engine.reopenFiles();
                }
                try
                {
                    engine.submit(s.data, 0, s.length, s.inputName, s.fromHost, s.fromHostIp, s.ruleset);
                }
                catch (final SyslogException ex)
                {
                    if (failures.incrementAndGet() <= 5)
                    {
                        LOG.warn("message failed: {}", ex.getMessage());
                    }
                }
                processed.lazySet(processed.get() + 1);
            }

            @Override
            public void onIdle()
            {
                engine.flush();
            }

            @Override
            public void onBatchEnd()
            {
                if (reopenRequested)
                {
                    reopenRequested = false;
                    engine.reopenFiles();
                }
                engine.flush();
            }
        });
        this.group = Transports.group(b.ioThreads);
        try
        {
            for (final dev.hostplane.syslog.internal.engine.Action a : EngineAccess.actions(engine))
            {
                a.daemonStarting();
            }
            startInputs();
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    /**
     * The ring's slot count: the requested messages rounded up to a power of two, by default
     * {@value #DEFAULT_MAIN_QUEUE} slots. Small on purpose: each slot owns a message buffer, and a
     * ring whose buffers stay in the CPU caches (8192 x ~0.5 KiB) cost ~15% less CPU per message in
     * the race than one of 65536 slots streaming 32 MiB through memory; 1024 slots blocked the
     * input too often. A burst larger than the ring is held back by TCP backpressure.
     */
    private static int ringSize(final int messages)
    {
        final int wanted = messages > 0 ? messages : DEFAULT_MAIN_QUEUE;
        int size = 2;
        while (size < wanted && size < (1 << 30))
        {
            size <<= 1;
        }
        return size;
    }

    /**
     * Starts building a daemon.
     *
     * @return builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    private void startInputs()
    {
        final Senders senders = new Senders(engine.dnsEnabled());
        final int maxMessage = Math.max(1, engine.maxMessageSize());
        for (final InputSpec spec : EngineAccess.declaredInputs(engine))
        {
            final String where = spec.params().where().toString();
            final InputContext ctx = new InputContext(group, boundQueue(spec, where), senders, maxMessage,
                EngineAccess.actions(engine), spec.acl(), spec.tls());
            final NetInput input = spec.module().start(spec.params(), spec.moduleParams(), ctx);
            if (null == input)
            {
                LOG.warn("{}: input(type=\"{}\") without socket= is not started (the system log socket is left " +
                    "alone)", where, spec.module().name());
                continue;
            }
            inputs.add(input);
            if (spec.params().isSet("listenportfilename"))
            {
                writePortFile(Paths.get(spec.params().string("listenportfilename")), input.port(), where);
            }
        }
    }

    /** The main queue as this input sees it: tagged with the ruleset its {@code ruleset=} names. */
    private MainQueue boundQueue(final InputSpec spec, final String where)
    {
        try
        {
            return this.queue.boundTo(engine.rulesetIndex(spec.ruleset()));
        }
        catch (final SyslogException ex)
        {
            throw new SyslogException(where + ": " + spec.params().object() + ": " + ex.getMessage(), ex);
        }
    }

    private static void writePortFile(final Path file, final int port, final String where)
    {
        try
        {
            final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, Integer.toString(port).getBytes(StandardCharsets.US_ASCII));
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException ex)
        {
            throw new SyslogException(where + ": cannot write listenPortFileName=" + file + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * The bound ports of the started inputs, in config order (-1 for unix sockets).
     *
     * @return ports.
     */
    public List<Integer> ports()
    {
        final List<Integer> ports = new ArrayList<>();
        for (final NetInput i : inputs)
        {
            ports.add(i.port());
        }
        return ports;
    }

    /**
     * Counters of every started input.
     *
     * @return snapshots in config order.
     */
    public List<InputCounters> inputCounters()
    {
        final List<InputCounters> list = new ArrayList<>();
        for (final NetInput i : inputs)
        {
            final InputStats s = i.stats();
            list.add(new InputCounters(s.name(), i.port(), s.messages(), s.bytes(), s.oversize(), s.framingErrors(),
                s.truncated(), s.empty(), s.sessionsOpened(), s.sessionsOpen(), s.sessionsRejected(), s.disallowed(),
                s.tlsRefused()));
        }
        return list;
    }

    /**
     * Outage counters of every output that can fail (files, forwarding), read on the caller's thread:
     * the counts may lag the rule thread by a batch.
     *
     * @return snapshots in config order.
     */
    public List<ActionCounters> actionCounters()
    {
        final List<ActionCounters> list = new ArrayList<>();
        for (final dev.hostplane.syslog.internal.engine.Action a : EngineAccess.actions(engine))
        {
            final dev.hostplane.syslog.internal.engine.ActionStats s = a.stats();
            if (null != s)
            {
                list.add(new ActionCounters(s.name(), s.suspended(), s.suspensions(), s.retries(), s.held(),
                    s.discarded(), s.lastError()));
            }
        }
        return list;
    }

    /**
     * Messages the rule engine has processed.
     *
     * @return count.
     */
    public long messagesProcessed()
    {
        return processed.get();
    }

    /**
     * Waits until the rules have processed at least {@code count} messages.
     *
     * @param count   messages.
     * @param timeout limit.
     * @return true if reached.
     */
    public boolean awaitProcessed(final long count, final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (processed.get() < count)
        {
            if (System.nanoTime() > deadline)
            {
                return false;
            }
            try
            {
                TimeUnit.MILLISECONDS.sleep(2);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Asks the rule thread to close every output file before the next message (SIGHUP). */
    public void reopenFiles()
    {
        // Applied on the rule thread before the next message: files are never closed under a writer.
        reopenRequested = true;
    }

    /**
     * Runs until SIGTERM/SIGINT (or {@link #close()} from another thread), handling SIGHUP as
     * {@link #reopenFiles()}; then shuts down gracefully.
     */
    public void runUntilTerminated()
    {
        Signals.on("HUP", this::reopenFiles);
        Signals.on("TERM", terminated::countDown);
        Signals.on("INT", terminated::countDown);
        try
        {
            terminated.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        close();
    }

    /** Stops the inputs, processes everything already received, then drains the output queues. */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        terminated.countDown();
        for (final NetInput i : inputs)
        {
            try
            {
                i.close();
            }
            catch (final RuntimeException ex)
            {
                LOG.warn("closing input {} failed", i.stats().name(), ex);
            }
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        queue.close();
        engine.close();
    }

    /**
     * Builds a {@link SyslogDaemon} from an rsyslog.conf.
     */
    public static final class Builder
    {
        private Path configFile;
        private String configText;
        private String configName = "<string>";
        private ZoneId zone = ZoneId.systemDefault();
        private Clock clock = Clock.systemUTC();
        private String localHostname;
        private int mainQueueSize;
        private int ioThreads = 1;

        private Builder()
        {
        }

        /**
         * Config file.
         *
         * @param file rsyslog.conf.
         * @return this.
         */
        public Builder configFile(final Path file)
        {
            this.configFile = file;
            return this;
        }

        /**
         * Config text.
         *
         * @param text config.
         * @param name label for error messages.
         * @return this.
         */
        public Builder configText(final String text, final String name)
        {
            this.configText = text;
            this.configName = name;
            this.configFile = null;
            return this;
        }

        /**
         * Local time zone.
         *
         * @param zone zone.
         * @return this.
         */
        public Builder zone(final ZoneId zone)
        {
            this.zone = zone;
            return this;
        }

        /**
         * Reception clock.
         *
         * @param clock clock.
         * @return this.
         */
        public Builder clock(final Clock clock)
        {
            this.clock = clock;
            return this;
        }

        /**
         * Local host name (overrides the config).
         *
         * @param name host name.
         * @return this.
         */
        public Builder localHostname(final String name)
        {
            this.localHostname = name;
            return this;
        }

        /**
         * Main queue size in messages (rounded up to a power of two); overrides the config's
         * {@code main_queue(queue.size=)}. Default 8192.
         *
         * @param size messages.
         * @return this.
         */
        public Builder mainQueueSize(final int size)
        {
            this.mainQueueSize = size;
            return this;
        }

        /**
         * Network event-loop threads.
         *
         * @param threads threads (default 1: one core for I/O, one for the rules).
         * @return this.
         */
        public Builder ioThreads(final int threads)
        {
            this.ioThreads = Math.max(1, threads);
            return this;
        }

        /**
         * Loads the config and starts the inputs.
         *
         * @return the running daemon.
         * @throws dev.hostplane.syslog.SyslogConfigException on config errors (file:line:column).
         */
        public SyslogDaemon start()
        {
            if (null == configFile && null == configText)
            {
                throw new SyslogException("no config: call configFile() or configText()");
            }
            return new SyslogDaemon(this);
        }
    }
}
