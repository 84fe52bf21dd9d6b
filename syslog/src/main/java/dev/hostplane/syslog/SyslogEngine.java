package dev.hostplane.syslog;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;

import dev.hostplane.syslog.internal.config.Config;
import dev.hostplane.syslog.internal.config.ConfigParser;
import dev.hostplane.syslog.internal.engine.Action;
import dev.hostplane.syslog.internal.engine.EngineAccess;
import dev.hostplane.syslog.internal.engine.Stmts;
import dev.hostplane.syslog.internal.message.EngineClock;
import dev.hostplane.syslog.internal.message.MessageParser;
import dev.hostplane.syslog.internal.message.SyslogMessage;
import dev.hostplane.syslog.internal.template.RenderContext;

/**
 * The embeddable rsyslog-compatible engine: built from an rsyslog.conf (file or string), it takes
 * raw syslog frames with their input metadata, runs them through the compiled rule graph and
 * writes the outputs rsyslogd would write. Not thread-safe per instance: submit from one thread
 * (or synchronise), as rsyslog's single main-queue worker does.
 *
 * <p>Threads: actions with a queue of their own (omfwd, omrelp, omkafka, ompipe...) each own a daemon worker
 * ({@code hostplane-syslog-action-N}) until {@link #close()}, which drains or spools them: close the engine.
 */
public final class SyslogEngine implements AutoCloseable
{
    static
    {
        // The daemon reaches the declared inputs and the actions through this, not through public methods.
        EngineAccess.register(new EngineAccess.Accessor()
        {
            @Override
            public java.util.List<dev.hostplane.syslog.internal.config.InputSpec> declaredInputs(
                final SyslogEngine engine)
            {
                return java.util.Collections.unmodifiableList(engine.config.inputSpecs);
            }

            @Override
            public java.util.List<Action> actions(final SyslogEngine engine)
            {
                return java.util.Collections.unmodifiableList(engine.config.actions);
            }
        });
    }

    private final Config config;
    private final EngineClock clock;
    private final RenderContext ctx;
    private final SyslogMessage message = new SyslogMessage();
    private final Stmts.Block ruleset;
    private final MessageParser parser;
    /** Index 0: the default binding (imtcp's ruleset, as in replay); then every ruleset by name. */
    private final Stmts.Block[] rulesetBlocks;
    private final MessageParser[] rulesetParsers;
    private final java.util.List<String> rulesetNames;
    private final byte[] defaultInput;
    private final byte[] defaultFromHost;
    private final byte[] defaultFromHostIp;
    private long processed;
    private boolean closed;

    private SyslogEngine(final Builder b, final Config config)
    {
        this.config = config;
        String host = null != b.localHostname ? b.localHostname : config.localHostname;
        if (null == host)
        {
            host = systemHostname();
        }
        this.clock = new EngineClock(b.clock, b.zone, host);
        final Map<String, Object> globals = RenderContext.newGlobals();
        this.ctx = new RenderContext(clock, globals);
        this.ctx.message = message;
        this.ruleset = config.tcpRuleset();
        this.parser = config.tcpParser();
        final int n = config.rulesets.size() + 1;
        this.rulesetBlocks = new Stmts.Block[n];
        this.rulesetParsers = new MessageParser[n];
        final java.util.List<String> names = new java.util.ArrayList<>();
        names.add(null);
        rulesetBlocks[0] = ruleset;
        rulesetParsers[0] = parser;
        for (final Map.Entry<String, Stmts.Block> e : config.rulesets.entrySet())
        {
            final int i = names.size();
            names.add(e.getKey());
            rulesetBlocks[i] = e.getValue();
            final MessageParser p = config.rulesetParsers.get(e.getKey());
            rulesetParsers[i] = null == p ? config.parser : p;
        }
        this.rulesetNames = java.util.Collections.unmodifiableList(names);
        this.defaultInput = latin1(b.inputName);
        this.defaultFromHostIp = latin1(b.fromHostIp);
        this.defaultFromHost = latin1(null != b.fromHost ? b.fromHost : config.enableDns ? "localhost" : b.fromHostIp);
    }

    private static String systemHostname()
    {
        try
        {
            final String name = InetAddress.getLocalHost().getHostName();
            final int dot = name.indexOf('.');
            return dot > 0 ? name.substring(0, dot) : name;
        }
        catch (final UnknownHostException ex)
        {
            return "localhost";
        }
    }

    private static byte[] latin1(final String s)
    {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Starts building an engine.
     *
     * @return a builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Processes one frame as received from the builder's default input and sender.
     *
     * @param data   frame bytes (without framing).
     * @param offset first byte.
     * @param length number of bytes.
     */
    public void submit(final byte[] data, final int offset, final int length)
    {
        submit(data, offset, length, defaultInput, defaultFromHost, defaultFromHostIp);
    }

    /**
     * Processes one frame with explicit input metadata.
     *
     * @param data       frame bytes.
     * @param offset     first byte.
     * @param length     number of bytes.
     * @param inputName  {@code inputname} (e.g. "imtcp").
     * @param fromHost   {@code fromhost}.
     * @param fromHostIp {@code fromhost-ip}.
     */
    public void submit(final byte[] data, final int offset, final int length, final byte[] inputName,
        final byte[] fromHost, final byte[] fromHostIp)
    {
        if (closed)
        {
            throw new SyslogException("engine closed: cannot submit");
        }
        if (offset < 0 || length < 0 || offset + length > data.length)
        {
            throw new SyslogException("invalid range: offset=" + offset + " length=" + length + " capacity=" +
                data.length);
        }
        parser.parse(message, data, offset, length, inputName, fromHost, fromHostIp, clock);
        ruleset.exec(ctx);
        processed++;
    }

    /**
     * The index of a ruleset for {@link #submit(byte[], int, int, byte[], byte[], byte[], int)}: what an
     * input's {@code ruleset=} parameter binds it to.
     *
     * @param name ruleset name, or null for {@code RSYSLOG_DefaultRuleset}.
     * @return index.
     * @throws SyslogException when the config has no ruleset of that name.
     */
    public int rulesetIndex(final String name)
    {
        final int i = rulesetNames.indexOf(null == name ? Config.DEFAULT_RULESET : name);
        if (i < 0)
        {
            throw new SyslogException("unknown ruleset '" + name + "': the config defines " + rulesetNames.subList(1,
                rulesetNames.size()));
        }
        return i;
    }

    /**
     * Processes one frame through a given ruleset with that ruleset's parser chain.
     *
     * @param data         frame bytes.
     * @param offset       first byte.
     * @param length       number of bytes.
     * @param inputName    {@code inputname}.
     * @param fromHost     {@code fromhost}.
     * @param fromHostIp   {@code fromhost-ip}.
     * @param rulesetIndex from {@link #rulesetIndex(String)}; 0 = the default binding.
     */
    public void submit(final byte[] data, final int offset, final int length, final byte[] inputName,
        final byte[] fromHost, final byte[] fromHostIp, final int rulesetIndex)
    {
        if (closed)
        {
            throw new SyslogException("engine closed: cannot submit");
        }
        if (offset < 0 || length < 0 || offset + length > data.length)
        {
            throw new SyslogException("invalid range: offset=" + offset + " length=" + length + " capacity=" +
                data.length);
        }
        rulesetParsers[rulesetIndex].parse(message, data, offset, length, inputName, fromHost, fromHostIp, clock);
        rulesetBlocks[rulesetIndex].exec(ctx);
        processed++;
    }

    /**
     * Traces one frame (as received by the builder's default input) through the rules without
     * writing outputs: which filters matched, which actions it reached ({@code hostplane syslog
     * explain}).
     *
     * @param frame the syslog line.
     * @return a readable report.
     */
    public String explain(final String frame)
    {
        final byte[] b = frame.getBytes(StandardCharsets.UTF_8);
        parser.parse(message, b, 0, b.length, defaultInput, defaultFromHost, defaultFromHostIp, clock);
        return dev.hostplane.syslog.internal.explain.Explainer.explain(ruleset, config.tcpRuleset, ctx);
    }

    /**
     * Convenience: submits a string frame (UTF-8).
     *
     * @param frame the syslog line.
     */
    public void submit(final String frame)
    {
        final byte[] b = frame.getBytes(StandardCharsets.UTF_8);
        submit(b, 0, b.length);
    }

    /** Writes every output's buffered data to its file. */
    public void flush()
    {
        for (final Action a : config.actions)
        {
            a.flush();
        }
    }

    /**
     * Closes every output file so that the next message re-opens it by name: the HUP-equivalent
     * for log rotation (rename the file, call this, the engine creates a fresh one).
     */
    public void reopenFiles()
    {
        for (final Action a : config.actions)
        {
            a.reopen();
        }
    }

    /**
     * The largest message the input accepts ({@code maxMessageSize}); longer frames are split.
     *
     * @return bytes.
     */
    public int maxMessageSize()
    {
        return parser.maxMessageSize();
    }

    /**
     * {@code main_queue(queue.size=)} of the config, for the daemon.
     *
     * @return messages, or 0 when the config does not set it.
     */
    public int mainQueueSize()
    {
        return config.mainQueueSize;
    }

    /**
     * {@code global(net.enableDNS=)}: whether inputs resolve {@code fromhost} names.
     *
     * @return true when DNS is on.
     */
    public boolean dnsEnabled()
    {
        return config.enableDns;
    }

    /**
     * Messages processed so far.
     *
     * @return count.
     */
    public long messagesProcessed()
    {
        return processed;
    }

    /**
     * Warnings collected while loading the config (deprecated syntax, ignored directives).
     *
     * @return warnings.
     */
    public java.util.List<String> warnings()
    {
        return java.util.Collections.unmodifiableList(config.warnings);
    }

    /**
     * The compiled rule graph in readable form ({@code hostplane syslog check}).
     *
     * @return description.
     */
    public String describe()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("modules: ").append(config.modules).append('\n');
        sb.append("inputs (not started): ").append(config.inputs).append('\n');
        sb.append("imtcp ruleset: ").append(config.tcpRuleset).append('\n');
        for (final Map.Entry<String, Stmts.Block> e : config.rulesets.entrySet())
        {
            sb.append("ruleset ").append(e.getKey()).append(" {\n");
            e.getValue().describe(sb, "  ");
            sb.append("}\n");
        }
        for (final String w : config.warnings)
        {
            sb.append("warning: ").append(w).append('\n');
        }
        return sb.toString();
    }

    /** Flushes and closes all output files. */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        SyslogException first = null;
        for (final Action a : config.actions)
        {
            try
            {
                a.close();
            }
            catch (final SyslogException ex)
            {
                if (null == first)
                {
                    first = ex;
                }
            }
        }
        if (null != first)
        {
            throw first;
        }
    }

    /**
     * Builds a {@link SyslogEngine}: the config source plus the injectable clock, zone, local
     * host name and default sender.
     */
    public static final class Builder
    {
        private Path configFile;
        private String configText;
        private String configName = "<string>";
        private Clock clock = Clock.systemUTC();
        private ZoneId zone = ZoneId.systemDefault();
        private String localHostname;
        private String inputName = "imtcp";
        private String fromHost;
        private String fromHostIp = "127.0.0.1";

        private Builder()
        {
        }

        /**
         * Reads the config from a file.
         *
         * @param file rsyslog.conf.
         * @return this builder.
         */
        public Builder configFile(final Path file)
        {
            this.configFile = file;
            this.configText = null;
            return this;
        }

        /**
         * Uses config text.
         *
         * @param text config.
         * @return this builder.
         */
        public Builder configText(final String text)
        {
            this.configText = text;
            this.configFile = null;
            return this;
        }

        /**
         * Label used in error messages for config text.
         *
         * @param name label.
         * @return this builder.
         */
        public Builder configName(final String name)
        {
            this.configName = name;
            return this;
        }

        /**
         * Reception time source.
         *
         * @param clock clock.
         * @return this builder.
         */
        public Builder clock(final Clock clock)
        {
            this.clock = clock;
            return this;
        }

        /**
         * Receiver's local time zone.
         *
         * @param zone zone.
         * @return this builder.
         */
        public Builder zone(final ZoneId zone)
        {
            this.zone = zone;
            return this;
        }

        /**
         * Local host name (overrides the config's {@code localHostname}).
         *
         * @param name host name.
         * @return this builder.
         */
        public Builder localHostname(final String name)
        {
            this.localHostname = name;
            return this;
        }

        /**
         * Default input metadata for {@link SyslogEngine#submit(byte[], int, int)}.
         *
         * @param inputName  inputname.
         * @param fromHost   fromhost, or null for the DNS rule ("localhost" / the IP when DNS is off).
         * @param fromHostIp fromhost-ip.
         * @return this builder.
         */
        public Builder sender(final String inputName, final String fromHost, final String fromHostIp)
        {
            this.inputName = inputName;
            this.fromHost = fromHost;
            this.fromHostIp = fromHostIp;
            return this;
        }

        /**
         * Parses and compiles the config and builds the engine.
         *
         * @return the engine.
         * @throws SyslogConfigException with file:line:column on config errors.
         */
        public SyslogEngine build()
        {
            final Config config;
            try
            {
                if (null != configFile)
                {
                    config = ConfigParser.load(configFile);
                }
                else if (null != configText)
                {
                    config = ConfigParser.loadString(configName, configText);
                }
                else
                {
                    throw new SyslogException("no config: call configFile() or configText()");
                }
            }
            catch (final SyslogException ex)
            {
                throw ex;
            }
            catch (final RuntimeException ex)
            {
                throw new SyslogException("config could not be loaded: " + ex, ex);
            }
            return new SyslogEngine(this, config);
        }
    }
}
