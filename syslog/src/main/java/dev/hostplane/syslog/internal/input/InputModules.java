package dev.hostplane.syslog.internal.input;

import java.io.IOException;
import java.nio.file.Paths;
import java.util.List;

import io.netty.handler.ssl.SslContext;

import dev.hostplane.syslog.internal.module.Param;
import dev.hostplane.syslog.internal.module.ParamSet;
import dev.hostplane.syslog.internal.module.Params;
import dev.hostplane.syslog.internal.relp.AckGate;
import dev.hostplane.syslog.internal.relp.RelpDescriptor;
import dev.hostplane.syslog.internal.relp.RelpTls;
import dev.hostplane.syslog.internal.tls.PeerChecks;
import dev.hostplane.syslog.internal.tls.TlsContexts;
import dev.hostplane.syslog.internal.tls.TlsDefaults;
import dev.hostplane.syslog.internal.tls.TlsSettings;

/**
 * The inputs the daemon runs, each with the parameters rsyslog 8.2302 declares for its
 * {@code input()} and {@code module(load=)}: imtcp (and imptcp, served by the same listener), imudp,
 * imrelp and imuxsock. Module-level settings are the defaults of the module's inputs.
 */
public final class InputModules
{
    private static final int DEFAULT_MAX_FRAME = 200_000;
    private static final int DEFAULT_MAX_SESSIONS = 200;
    private static final String NO_TLS = "this TLS option is not built: the JDK's protocol and cipher defaults apply";
    private static final String NO_PRIORITY = "a GnuTLS priority string (OpenSSL commands with ossl) has no JDK " +
        "equivalent: the JDK's protocol and cipher settings apply (jdk.tls.* properties restrict them)";
    private static final String NO_KEEPALIVE = "no TCP keep-alive probes";

    /** Parameters imtcp takes both per module and per input (the input's value wins). */
    private static final ParamSet TCP_SHARED = ParamSet.of(
        Param.integer("maxsessions", 1, Integer.MAX_VALUE, DEFAULT_MAX_SESSIONS),
        Param.integer("maxlisteners", 1, Integer.MAX_VALUE, 20).noEffect("one listener per input()"),
        Param.size("maxframesize", 1, 200_000_000, DEFAULT_MAX_FRAME),
        Param.binary("flowcontrol", true).noEffect("TCP inputs always push back when the main queue is full"),
        Param.binary("disablelfdelimiter", false).unsupported("frames are LF-delimited or octet-counted"),
        Param.integer("addtlframedelimiter", -1, 255, -1).unsupported("frames are LF-delimited or octet-counted"),
        Param.binary("discardtruncatedmsg", false).noEffect("oversized messages are truncated and counted"),
        Param.binary("notifyonconnectionclose", false).noEffect("sessions are counted in the statistics"),
        Param.binary("notifyonconnectionopen", false).noEffect("sessions are counted in the statistics"),
        Param.binary("preservecase", true).noEffect("fromhost keeps its case"),
        Param.binary("keepalive", false).noEffect(NO_KEEPALIVE),
        Param.integer("keepalive.probes", 0, Integer.MAX_VALUE, 0).noEffect(NO_KEEPALIVE),
        Param.integer("keepalive.time", 0, Integer.MAX_VALUE, 0).noEffect(NO_KEEPALIVE),
        Param.integer("keepalive.interval", 0, Integer.MAX_VALUE, 0).noEffect(NO_KEEPALIVE),
        Param.choice("streamdriver.name", null, "ptcp", "gtls", "ossl"),
        Param.integer("streamdriver.mode", 0, 1, 0),
        Param.choice("streamdriver.authmode", "x509/name", "anon", "x509/certvalid", "x509/name", "x509/fingerprint"),
        Param.choice("streamdriver.permitexpiredcerts", "off", "off", "warn", "on"),
        Param.binary("streamdriver.checkextendedkeypurpose", false),
        Param.binary("streamdriver.prioritizesan", false).unsupported(NO_TLS),
        Param.integer("streamdriver.tlsverifydepth", 2, 64, PeerChecks.DEFAULTS.verifyDepth()),
        Param.array("permittedpeer"),
        Param.string("gnutlsprioritystring").unsupported(NO_PRIORITY));

    /** Parameters of every network input. */
    private static final ParamSet LISTEN = ParamSet.of(
        Param.integer("port", 0, 65535, 514).required(),
        Param.string("address").withDefault("0.0.0.0"),
        Param.string("name"),
        Param.string("ruleset"),
        Param.string("listenportfilename"),
        Param.integer("ratelimit.interval", 0, Integer.MAX_VALUE, 0).noEffect("no rate limit"),
        Param.integer("ratelimit.burst", 0, Integer.MAX_VALUE, 10000).noEffect("no rate limit"),
        Param.string("defaulttz").noEffect("timestamps without a zone take the daemon's zone"));

    /** {@code imtcp}; also serves {@code imptcp} configs. */
    public static final InputModule IMTCP = tcp("imtcp");
    /** {@code imptcp}: served by the imtcp listener. */
    public static final InputModule IMPTCP = tcp("imptcp");

    /** {@code imudp}. */
    public static final InputModule IMUDP = new Module("imudp",
        LISTEN.plus(ParamSet.of(
            Param.integer("rcvbufsize", 0, Integer.MAX_VALUE, 0).noEffect("4 MiB receive buffer"),
            Param.string("device").noEffect("binds by address"),
            Param.binary("ipfreebind", false).noEffect("binds by address"))),
        ParamSet.of(
            Param.integer("threads", 1, 32, 1).noEffect("one event loop reads every socket"),
            Param.integer("batchsize", 1, Integer.MAX_VALUE, 32).noEffect("datagrams are read one by one"),
            Param.choice("timerequery", "2", "2").noEffect("each datagram gets its own reception time"),
            Param.integer("schedulingpriority", 0, 99, 0).noEffect("normal scheduling"),
            Param.string("schedulingpolicy").noEffect("normal scheduling"),
            Param.binary("preservecase", false).noEffect("fromhost keeps its case")))
    {
        @Override
        public NetInput start(final Params in, final Params module, final InputContext ctx)
        {
            return new UdpInput(ctx.group, in.string("address"), in.integer("port"), ctx.queue, ctx.senders, ctx.maxMessage,
                ctx.acl);
        }
    };

    /** {@code imrelp}: answers only what is safe ({@link AckGate}), so a killed receiver loses nothing. */
    public static final InputModule IMRELP = new Module("imrelp",
        LISTEN.plus(ParamSet.of(
            Param.size("maxdatasize", 1, 200_000_000, RelpDescriptor.DEFAULT_MAX_DATA),
            Param.integer("maxsessions", 1, Integer.MAX_VALUE, DEFAULT_MAX_SESSIONS),
            Param.binary("keepalive", false).noEffect(NO_KEEPALIVE),
            Param.integer("keepalive.probes", 0, Integer.MAX_VALUE, 0).noEffect(NO_KEEPALIVE),
            Param.integer("keepalive.time", 0, Integer.MAX_VALUE, 0).noEffect(NO_KEEPALIVE),
            Param.integer("keepalive.interval", 0, Integer.MAX_VALUE, 0).noEffect(NO_KEEPALIVE),
            Param.binary("oversizemode", false).unsupported("oversized RELP frames close the session"),
            Param.integer("tls.dhbits", 0, Integer.MAX_VALUE, 0).noEffect("the JDK picks the Diffie-Hellman group"))
            .plus(RelpTls.PARAMS)),
        ParamSet.of(Param.string("ruleset"),
            Param.choice("tls.tlslib", null, "gnutls", "openssl").noEffect("the JDK's TLS serves GnuTLS and OpenSSL peers")))
    {
        @Override
        public NetInput start(final Params in, final Params module, final InputContext ctx)
        {
            return new RelpInput(ctx.group, in.string("address"), in.integer("port"), ctx.queue,
                new AckGate(ctx.queue::completed, ctx.actions), ctx.senders, ctx.maxMessage,
                in.integer("maxdatasize"), in.integer("maxsessions"), RelpTls.server(in));
        }
    };

    /** {@code imuxsock}: only explicit sockets; the system socket belongs to the host's syslog daemon. */
    public static final InputModule IMUXSOCK = new Module("imuxsock",
        ParamSet.of(
            Param.string("socket"),
            Param.string("ruleset"),
            Param.binary("annotate", false),
            Param.binary("createpath", false).noEffect("the socket's directory must exist"),
            Param.binary("parsetrusted", false).noEffect("trusted properties are annotated"),
            Param.binary("unlink", true).noEffect("the socket is replaced at start"),
            Param.binary("usepidfromsystem", false).noEffect("the sender's pid comes from SCM_CREDENTIALS"),
            Param.binary("usesystimestamp", true).noEffect("the message's own timestamp is kept"),
            Param.binary("usespecialparser", true).noEffect("the standard parser reads local messages"),
            Param.binary("parsehostname", false).noEffect("the standard parser reads local messages"),
            Param.string("hostname").noEffect("local messages keep the local host name"),
            Param.binary("ignoretimestamp", true).noEffect("the message's own timestamp is kept"),
            Param.binary("ignoreownmessages", true).noEffect("every message is taken"),
            Param.binary("flowcontrol", false).noEffect("datagrams are never blocked"),
            Param.integer("ratelimit.interval", 0, Integer.MAX_VALUE, 0).noEffect("no rate limit"),
            Param.integer("ratelimit.burst", 0, Integer.MAX_VALUE, 200).noEffect("no rate limit"),
            Param.integer("ratelimit.severity", 0, 7, 1).noEffect("no rate limit")),
        ParamSet.of(
            Param.binary("syssock.use", true).noEffect("the system socket is left alone"),
            Param.string("syssock.name").noEffect("the system socket is left alone"),
            Param.binary("syssock.ignoretimestamp", true).noEffect("the system socket is left alone"),
            Param.binary("syssock.ignoreownmessages", true).noEffect("the system socket is left alone"),
            Param.binary("syssock.flowcontrol", false).noEffect("the system socket is left alone"),
            Param.binary("syssock.usepidfromsystem", false).noEffect("the system socket is left alone"),
            Param.binary("syssock.usesystimestamp", true).noEffect("the system socket is left alone"),
            Param.binary("syssock.annotate", false).noEffect("the system socket is left alone"),
            Param.binary("syssock.parsetrusted", false).noEffect("the system socket is left alone"),
            Param.binary("syssock.unlink", true).noEffect("the system socket is left alone"),
            Param.binary("syssock.usespecialparser", true).noEffect("the system socket is left alone"),
            Param.binary("syssock.parsehostname", false).noEffect("the system socket is left alone"),
            Param.integer("syssock.ratelimit.interval", 0, Integer.MAX_VALUE, 0).noEffect("the system socket is left alone"),
            Param.integer("syssock.ratelimit.burst", 0, Integer.MAX_VALUE, 200).noEffect("the system socket is left alone"),
            Param.integer("syssock.ratelimit.severity", 0, 7, 1).noEffect("the system socket is left alone"),
            Param.binary("syssock.ratelimit.interval.enabled", true).noEffect("the system socket is left alone")))
    {
        @Override
        public NetInput start(final Params in, final Params module, final InputContext ctx)
        {
            if (!in.isSet("socket"))
            {
                return null;
            }
            return new UnixDatagramInput(Paths.get(in.string("socket")), ctx.queue, ctx.maxMessage,
                in.bool("annotate"));
        }
    };

    private InputModules()
    {
    }

    private static InputModule tcp(final String name)
    {
        return new Module(name, LISTEN.plus(TCP_SHARED).plus(ParamSet.of(
            Param.binary("supportoctetcountedframing", true).noEffect("octet counting is detected per frame"),
            Param.binary("framingfix.cisco.asa", false).noEffect("frames are LF-delimited or octet-counted"),
            Param.string("streamdriver.cafile"),
            Param.string("streamdriver.keyfile"),
            Param.string("streamdriver.certfile"))),
            TCP_SHARED)
        {
            @Override
            public NetInput start(final Params in, final Params module, final InputContext ctx)
            {
                return new TcpInput(ctx.group, in.string("address"), in.integer("port"), ctx.queue, ctx.senders, ctx.maxMessage,
                    shared(in, module, "maxframesize"), shared(in, module, "maxsessions"), ctx.acl,
                    serverTls(in, module, ctx.tls));
            }
        };
    }

    /**
     * The listener's TLS context from its {@code streamDriver.*} and {@code permittedPeer} settings
     * (the input's, else the module's, else the global defaults), or null for plain TCP.
     */
    private static SslContext serverTls(final Params in, final Params module, final TlsDefaults defaults)
    {
        final TlsSettings s = TlsSettings.resolve(sharedString(in, module, "streamdriver.name"),
            shared(in, module, "streamdriver.mode"), sharedString(in, module, "streamdriver.authmode"),
            sharedList(in, module, "permittedpeer"), in.string("streamdriver.cafile"), in.string("streamdriver.certfile"),
            in.string("streamdriver.keyfile"), defaults);
        if (null == s)
        {
            return null;
        }
        final PeerChecks checks = new PeerChecks(
            PeerChecks.Expired.of(sharedString(in, module, "streamdriver.permitexpiredcerts")),
            sharedBool(in, module, "streamdriver.checkextendedkeypurpose"),
            shared(in, module, "streamdriver.tlsverifydepth"));
        try
        {
            return TlsContexts.server(s.with(checks));
        }
        catch (final IOException ex)
        {
            throw in.error("streamdriver.mode", "imtcp TLS: " + ex.getMessage());
        }
    }

    private static String sharedString(final Params in, final Params module, final String name)
    {
        return in.isSet(name) || null == module ? in.string(name) : module.string(name);
    }

    private static List<String> sharedList(final Params in, final Params module, final String name)
    {
        final Params from = in.isSet(name) || null == module ? in : module;
        return from.isSet(name) ? from.list(name) : List.of();
    }

    private static boolean sharedBool(final Params in, final Params module, final String name)
    {
        return in.isSet(name) || null == module ? in.bool(name) : module.bool(name);
    }

    /** A setting both module() and input() take: the input's own value, else the module's. */
    private static int shared(final Params in, final Params module, final String name)
    {
        return in.isSet(name) || null == module ? in.integer(name) : module.integer(name);
    }

    /** Name and parameter lists; subclasses start the input. */
    private abstract static class Module implements InputModule
    {
        private final String name;
        private final ParamSet params;
        private final ParamSet moduleParams;

        Module(final String name, final ParamSet params, final ParamSet moduleParams)
        {
            this.name = name;
            this.params = params;
            this.moduleParams = moduleParams;
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
        public ParamSet moduleParams()
        {
            return moduleParams;
        }
    }
}
