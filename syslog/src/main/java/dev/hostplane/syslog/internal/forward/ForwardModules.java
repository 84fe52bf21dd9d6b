package dev.hostplane.syslog.internal.forward;

import java.io.IOException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import io.netty.handler.ssl.SslContext;

import dev.hostplane.syslog.internal.engine.Action;
import dev.hostplane.syslog.internal.module.OutputContext;
import dev.hostplane.syslog.internal.module.OutputModule;
import dev.hostplane.syslog.internal.module.Param;
import dev.hostplane.syslog.internal.module.ParamSet;
import dev.hostplane.syslog.internal.module.Params;
import dev.hostplane.syslog.internal.queue.Deliverer;
import dev.hostplane.syslog.internal.queue.QueueOptions;
import dev.hostplane.syslog.internal.relp.RelpDeliverer;
import dev.hostplane.syslog.internal.relp.RelpDescriptor;
import dev.hostplane.syslog.internal.relp.RelpTls;
import dev.hostplane.syslog.internal.tls.PeerChecks;
import dev.hostplane.syslog.internal.tls.TlsContexts;
import dev.hostplane.syslog.internal.tls.TlsSettings;

/**
 * The outputs that deliver through their own {@link QueuedOutput} queue: {@code omfwd} (UDP/TCP
 * syslog), {@code omrelp}, {@code ompipe} and {@code omstdout}, each with its parameters as rsyslog
 * 8.2302 declares them.
 */
public final class ForwardModules
{
    /** Default template of omfwd (rsyslog 8). */
    public static final String FORWARD_TEMPLATE = "RSYSLOG_TraditionalForwardFormat";
    private static final int UDP_MAX = 65_507;
    private static final String NO_TLS = "this TLS option is not built: the JDK's protocol and cipher defaults apply";
    private static final String NO_PRIORITY = "a GnuTLS priority string (OpenSSL commands with ossl) has no JDK " +
        "equivalent: the JDK's protocol and cipher settings apply (jdk.tls.* properties restrict them)";

    /** {@code omfwd}. */
    public static final OutputModule OMFWD = new Module("omfwd", false, ParamSet.of(
        Param.string("target").required(),
        Param.integer("port", 1, 65535, 514),
        Param.choice("protocol", "udp", "udp", "tcp"),
        Param.choice("tcp_framing", "traditional", "traditional", "octet-counted"),
        Param.string("template"),
        Param.integer("tcp_framedelimiter", 0, 255, 10).noEffect("frames end with LF"),
        Param.string("address").noEffect("the kernel picks the source address"),
        Param.string("device").noEffect("the kernel picks the interface"),
        Param.binary("ipfreebind", false).noEffect("the kernel picks the source address"),
        Param.string("networknamespace").unsupported("run the daemon inside the namespace instead"),
        Param.integer("ziplevel", 0, 9, 0).unsupported("compressed syslog is not built"),
        Param.choice("compression.mode", "none", "none", "single", "stream:always").unsupported("compressed syslog is not built"),
        Param.binary("compression.stream.flushontxend", true).noEffect("no compression"),
        Param.integer("maxerrormessages", 0, Integer.MAX_VALUE, 5).noEffect("errors are reported once per outage"),
        Param.integer("rebindinterval", 0, Integer.MAX_VALUE, 0).noEffect("connections stay until they fail"),
        Param.binary("keepalive", false).noEffect("no TCP keep-alive probes"),
        Param.integer("keepalive.probes", 0, Integer.MAX_VALUE, 0).noEffect("no TCP keep-alive probes"),
        Param.integer("keepalive.time", 0, Integer.MAX_VALUE, 0).noEffect("no TCP keep-alive probes"),
        Param.integer("keepalive.interval", 0, Integer.MAX_VALUE, 0).noEffect("no TCP keep-alive probes"),
        Param.binary("conerrskip", false).noEffect("connection errors are reported once per outage"),
        Param.binary("resendlastmsgonreconnect", false).noEffect("unacknowledged messages are always re-sent"),
        Param.binary("udp.sendtoall", false).noEffect("one target address"),
        Param.integer("udp.senddelay", 0, Integer.MAX_VALUE, 0).noEffect("no send delay"),
        Param.size("udp.sendbuf", 0, Integer.MAX_VALUE, 0).noEffect("the kernel's default buffer"),
        Param.integer("ratelimit.interval", 0, Integer.MAX_VALUE, 0).noEffect("no rate limit"),
        Param.integer("ratelimit.burst", 0, Integer.MAX_VALUE, 200).noEffect("no rate limit"),
        Param.choice("streamdriver", null, "ptcp", "gtls", "ossl"),
        Param.integer("streamdrivermode", 0, 1, 0),
        Param.choice("streamdriverauthmode", "x509/name", "anon", "x509/certvalid", "x509/name", "x509/fingerprint"),
        Param.array("streamdriverpermittedpeers"),
        Param.string("streamdriver.cafile"),
        Param.string("streamdriver.keyfile"),
        Param.string("streamdriver.certfile"),
        Param.binary("streamdriver.checkextendedkeypurpose", false),
        Param.binary("streamdriver.prioritizesan", false).unsupported(NO_TLS),
        Param.integer("streamdriver.tlsverifydepth", 2, 64, PeerChecks.DEFAULTS.verifyDepth()),
        Param.string("gnutlsprioritystring").unsupported(NO_PRIORITY)))
    {
        @Override
        public Action create(final Params p, final OutputContext ctx)
        {
            final boolean tcp = "tcp".equals(p.string("protocol"));
            final Deliverer d = tcp ? new TcpDeliverer(p.string("target"), p.integer("port"),
                "octet-counted".equals(p.string("tcp_framing")), clientTls(p, ctx)) :
                new UdpDeliverer(p.string("target"), p.integer("port"), UDP_MAX);
            return new QueuedOutput("omfwd", d, ctx.template(p, FORWARD_TEMPLATE), ctx.queue(p));
        }
    };

    /** {@code omrelp}. */
    public static final OutputModule OMRELP = new Module("omrelp", true, ParamSet.of(
        Param.string("target").required(),
        Param.integer("port", 1, 65535, 514),
        Param.string("template"),
        Param.integer("windowsize", 0, 1_000_000, 0),
        Param.integer("timeout", 1, Integer.MAX_VALUE, 90),
        Param.integer("conn.timeout", 1, Integer.MAX_VALUE, 10),
        Param.string("localclientip").unsupported("the kernel picks the source address"),
        Param.integer("rebindinterval", 0, Integer.MAX_VALUE, 0).unsupported("sessions stay until they fail"),
        Param.binary("keepalive", false).unsupported("no TCP keep-alive probes"),
        Param.integer("keepalive.probes", 0, Integer.MAX_VALUE, 0).unsupported("no TCP keep-alive probes"),
        Param.integer("keepalive.time", 0, Integer.MAX_VALUE, 0).unsupported("no TCP keep-alive probes"),
        Param.integer("keepalive.interval", 0, Integer.MAX_VALUE, 0).unsupported("no TCP keep-alive probes"))
        .plus(RelpTls.PARAMS))
    {
        @Override
        public Action create(final Params p, final OutputContext ctx)
        {
            final int window = p.integer("windowsize");
            final RelpDeliverer d = new RelpDeliverer(p.string("target"), p.integer("port"),
                0 == window ? RelpDescriptor.DEFAULT_WINDOW : window, p.number("timeout") * 1000L,
                p.number("conn.timeout") * 1000L, RelpDescriptor.DEFAULT_MAX_DATA,
                RelpTls.client(p, p.string("target")));
            return new QueuedOutput("omrelp", d, ctx.template(p, "RSYSLOG_ForwardFormat"), ctx.queue(p));
        }
    };

    /** {@code ompipe}. */
    public static final OutputModule OMPIPE = new Module("ompipe", false, ParamSet.of(
        Param.string("pipe").required(),
        Param.string("template"),
        Param.binary("tryresumereopen", false).noEffect("a broken pipe is always re-opened")))
    {
        @Override
        public Action create(final Params p, final OutputContext ctx)
        {
            return new QueuedOutput("ompipe", new StreamDeliverer(Paths.get(p.string("pipe"))), ctx.template(p, null),
                ctx.queue(p));
        }
    };

    /** {@code omstdout}. */
    public static final OutputModule OMSTDOUT = new Module("omstdout", true, ParamSet.of(
        Param.string("template"),
        Param.binary("ensurelfending", true).noEffect("templates end their own lines")))
    {
        @Override
        public Action create(final Params p, final OutputContext ctx)
        {
            return new QueuedOutput("omstdout", new StreamDeliverer(null), ctx.template(p, null), ctx.queue(p));
        }
    };

    private ForwardModules()
    {
    }

    /** omfwd's TLS context from its {@code StreamDriver*} parameters and the global defaults, or null for plain TCP. */
    private static SslContext clientTls(final Params p, final OutputContext ctx)
    {
        final List<String> peers = new ArrayList<>();
        if (p.isSet("streamdriverpermittedpeers"))
        {
            for (final String entry : p.list("streamdriverpermittedpeers"))
            {
                for (final String peer : entry.split(","))
                {
                    if (!peer.isBlank())
                    {
                        peers.add(peer.trim());
                    }
                }
            }
        }
        final TlsSettings s = TlsSettings.resolve(p.string("streamdriver"), p.integer("streamdrivermode"),
            p.string("streamdriverauthmode"), peers, p.string("streamdriver.cafile"), p.string("streamdriver.certfile"),
            p.string("streamdriver.keyfile"), ctx.tlsDefaults());
        if (null == s)
        {
            return null;
        }
        if (!"tcp".equals(p.string("protocol")))
        {
            throw p.error("streamdrivermode", "TLS needs protocol=\"tcp\"");
        }
        final PeerChecks checks = new PeerChecks(PeerChecks.DEFAULTS.expired(),
            p.bool("streamdriver.checkextendedkeypurpose"), p.integer("streamdriver.tlsverifydepth"));
        try
        {
            return TlsContexts.client(s.with(checks), p.string("target"));
        }
        catch (final IOException ex)
        {
            throw p.error("streamdrivermode", "omfwd TLS: " + ex.getMessage());
        }
    }

    /**
     * A legacy pipe action {@code |/path}: its queue has the defaults.
     *
     * @param pipe     path after the bar.
     * @param template template.
     * @return the action.
     */
    public static Action legacyPipe(final String pipe, final dev.hostplane.syslog.internal.template.Template template)
    {
        return new QueuedOutput("ompipe", new StreamDeliverer(Paths.get(pipe.trim())), template, new QueueOptions());
    }

    /** Name, load rule and parameters; subclasses build the action. */
    private abstract static class Module implements OutputModule
    {
        private final String name;
        private final boolean needsLoad;
        private final ParamSet params;

        Module(final String name, final boolean needsLoad, final ParamSet params)
        {
            this.name = name;
            this.needsLoad = needsLoad;
            this.params = params;
        }

        @Override
        public String name()
        {
            return name;
        }

        @Override
        public ParamSet params()
        {
            return params;
        }

        @Override
        public boolean needsLoad()
        {
            return needsLoad;
        }
    }
}
