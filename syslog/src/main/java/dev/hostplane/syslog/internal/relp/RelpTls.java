package dev.hostplane.syslog.internal.relp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.netty.handler.ssl.SslContext;

import dev.hostplane.syslog.internal.module.Param;
import dev.hostplane.syslog.internal.module.ParamSet;
import dev.hostplane.syslog.internal.module.Params;
import dev.hostplane.syslog.internal.tls.AuthMode;
import dev.hostplane.syslog.internal.tls.TlsContexts;
import dev.hostplane.syslog.internal.tls.TlsSettings;

/**
 * RELP over TLS with librelp's parameters, as omrelp and imrelp take them: {@code tls="on"},
 * {@code tls.cacert}, {@code tls.mycert}, {@code tls.myprivkey}, {@code tls.authmode}
 * ({@code certvalid}, {@code name} or {@code fingerprint}; none given checks nothing) and
 * {@code tls.permittedpeer}. librelp runs anonymous Diffie-Hellman TLS when an endpoint has no
 * certificate of its own; the JDK does not offer those cipher suites, so such a config is refused at
 * load rather than failing every handshake later.
 */
public final class RelpTls
{
    private static final String NO_PRIORITY = "a TLS library's own cipher setting: the JDK's protocol and cipher " +
        "defaults apply";

    /** The TLS parameters both omrelp and imrelp take. */
    public static final ParamSet PARAMS = ParamSet.of(
        Param.binary("tls", false),
        Param.binary("tls.compression", false).noEffect("the JDK's TLS does not compress"),
        Param.choice("tls.authmode", null, "certvalid", "name", "fingerprint"),
        Param.array("tls.permittedpeer"),
        Param.string("tls.cacert"),
        Param.string("tls.mycert"),
        Param.string("tls.myprivkey"),
        Param.string("tls.prioritystring").unsupported(NO_PRIORITY),
        Param.string("tls.tlscfgcmd").unsupported(NO_PRIORITY));

    private RelpTls()
    {
    }

    /**
     * A sender's TLS context.
     *
     * @param p    omrelp's parameters.
     * @param host the target (the permitted name when {@code tls.authmode="name"} lists none).
     * @return context, or null without {@code tls="on"}.
     */
    public static SslContext client(final Params p, final String host)
    {
        final TlsSettings s = settings(p, "omrelp");
        if (null == s)
        {
            return null;
        }
        try
        {
            return TlsContexts.client(s, host);
        }
        catch (final IOException ex)
        {
            throw p.error("tls", "omrelp TLS: " + ex.getMessage());
        }
    }

    /**
     * A listener's TLS context.
     *
     * @param p imrelp's input parameters.
     * @return context, or null without {@code tls="on"}.
     */
    public static SslContext server(final Params p)
    {
        final TlsSettings s = settings(p, "imrelp");
        if (null == s)
        {
            return null;
        }
        try
        {
            return TlsContexts.server(s);
        }
        catch (final IOException ex)
        {
            throw p.error("tls", "imrelp TLS: " + ex.getMessage());
        }
    }

    private static TlsSettings settings(final Params p, final String module)
    {
        if (!p.bool("tls"))
        {
            return null;
        }
        if (null == p.string("tls.mycert") || null == p.string("tls.myprivkey"))
        {
            throw p.error("tls", module + " TLS needs tls.mycert and tls.myprivkey: without a certificate librelp " +
                "uses anonymous Diffie-Hellman TLS, which the JDK does not offer");
        }
        final AuthMode mode = authMode(p.string("tls.authmode"));
        if ((AuthMode.NAME == mode || AuthMode.CERT_VALID == mode) && null == p.string("tls.cacert"))
        {
            throw p.error("tls.authmode", module + " tls.authmode=\"" + p.string("tls.authmode") +
                "\" needs tls.cacert");
        }
        final List<String> peers = new ArrayList<>();
        if (p.isSet("tls.permittedpeer"))
        {
            for (final String peer : p.list("tls.permittedpeer"))
            {
                if (!peer.isBlank())
                {
                    peers.add(peer.trim());
                }
            }
        }
        return new TlsSettings(mode, List.copyOf(peers), p.string("tls.cacert"), p.string("tls.mycert"),
            p.string("tls.myprivkey"));
    }

    /** librelp's auth mode names; none given means no peer check. */
    private static AuthMode authMode(final String value)
    {
        if (null == value)
        {
            return AuthMode.ANON;
        }
        switch (value)
        {
            case "certvalid":
                return AuthMode.CERT_VALID;
            case "fingerprint":
                return AuthMode.FINGERPRINT;
            default:
                return AuthMode.NAME;
        }
    }
}
