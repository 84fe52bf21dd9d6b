package dev.hostplane.syslog.internal.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

/**
 * Netty {@link SslContext}s for a TLS listener and a TLS sender, built from {@link TlsSettings} the
 * way rsyslog's drivers use them: a listener needs its certificate and key and, unless {@code anon},
 * requires the sender's certificate; a sender presents its certificate when it has one. Host-name
 * verification is off: the peer check is {@link PeerTrust}'s, whichever engine runs the handshake.
 * <p>
 * The engine is Netty's OpenSSL one (BoringSSL from netty-tcnative) where that library loads, as
 * rsyslogd runs on GnuTLS or OpenSSL: the JDK's SSLEngine costs about twice their CPU per message.
 * Where it does not load, the JDK's engine is used and the cause logged once. The system property
 * {@value #PROVIDER_PROPERTY} ({@code jdk} or {@code openssl}) chooses one; {@code openssl} where
 * the library does not load is a configuration error.
 */
public final class TlsContexts
{
    /** System property choosing the TLS engine: {@code jdk} or {@code openssl} (default: openssl if it loads). */
    public static final String PROVIDER_PROPERTY = "hostplane.syslog.tls.provider";

    private static final Logger LOG = LoggerFactory.getLogger(TlsContexts.class);
    private static SslProvider provider;

    private TlsContexts()
    {
    }

    /**
     * The engine contexts are built on.
     *
     * @return {@link SslProvider#OPENSSL} or {@link SslProvider#JDK}.
     * @throws IOException when the property asks for an engine that cannot run here.
     */
    public static synchronized SslProvider provider() throws IOException
    {
        // Chosen once per JVM, so the fallback is logged once; contexts are built only at configuration load.
        if (null == provider)
        {
            provider = choose(System.getProperty(PROVIDER_PROPERTY, ""));
        }
        return provider;
    }

    static SslProvider choose(final String wanted) throws IOException
    {
        switch (wanted)
        {
            case "jdk":
                return SslProvider.JDK;
            case "openssl":
                if (!OpenSsl.isAvailable())
                {
                    throw new IOException("-D" + PROVIDER_PROPERTY + "=openssl, but netty-tcnative does not load: " +
                        OpenSsl.unavailabilityCause());
                }
                return SslProvider.OPENSSL;
            case "":
                if (OpenSsl.isAvailable())
                {
                    return SslProvider.OPENSSL;
                }
                LOG.warn("TLS runs on the JDK's engine, which costs about twice the CPU per message: netty-tcnative " +
                    "(BoringSSL) does not load here ({}); put netty-tcnative-boringssl-static for this platform on " +
                    "the class path", String.valueOf(OpenSsl.unavailabilityCause()));
                return SslProvider.JDK;
            default:
                throw new IOException("-D" + PROVIDER_PROPERTY + "=" + wanted + ": expected jdk or openssl");
        }
    }

    /**
     * A listener's context.
     *
     * @param s settings.
     * @return context.
     * @throws IOException naming the file or setting that is missing or unreadable.
     */
    public static SslContext server(final TlsSettings s) throws IOException
    {
        return server(s, provider());
    }

    static SslContext server(final TlsSettings s, final SslProvider engine) throws IOException
    {
        if (null == s.certFile() || null == s.keyFile())
        {
            throw new IOException("a TLS listener needs a certificate and a key (defaultNetstreamDriverCertFile/" +
                "KeyFile or streamDriver.certFile/keyFile)");
        }
        final SslContextBuilder b = SslContextBuilder.forServer(key(s), chain(s))
            .sslProvider(engine)
            .clientAuth(AuthMode.ANON == s.authMode() ? ClientAuth.NONE : ClientAuth.REQUIRE)
            .trustManager(trust(s, null));
        return build(b);
    }

    /**
     * A sender's context.
     *
     * @param s    settings.
     * @param host the host it connects to (the permitted name when none is configured).
     * @return context.
     * @throws IOException naming the file or setting that is missing or unreadable.
     */
    public static SslContext client(final TlsSettings s, final String host) throws IOException
    {
        return client(s, host, provider());
    }

    static SslContext client(final TlsSettings s, final String host, final SslProvider engine) throws IOException
    {
        final SslContextBuilder b = SslContextBuilder.forClient()
            .sslProvider(engine)
            .endpointIdentificationAlgorithm(null)
            .trustManager(trust(s, host));
        if (null != s.certFile() && null != s.keyFile())
        {
            b.keyManager(key(s), chain(s));
        }
        return build(b);
    }

    private static SslContext build(final SslContextBuilder b) throws IOException
    {
        try
        {
            return b.build();
        }
        catch (final SSLException ex)
        {
            throw new IOException("cannot set up TLS: " + ex.getMessage(), ex);
        }
    }

    private static PrivateKey key(final TlsSettings s) throws IOException
    {
        return PemFiles.privateKey(s.keyFile());
    }

    private static X509Certificate[] chain(final TlsSettings s) throws IOException
    {
        return PemFiles.certificates(s.certFile()).toArray(new X509Certificate[0]);
    }

    private static TrustManager trust(final TlsSettings s, final String host) throws IOException
    {
        final boolean chains = AuthMode.CERT_VALID == s.authMode() || AuthMode.NAME == s.authMode();
        if (!chains)
        {
            return new PeerTrust(s.authMode(), s.permittedPeers(), null, host, s.checks());
        }
        if (null == s.caFile())
        {
            throw new IOException(s.authMode().rsyslogName() + " needs a CA file (defaultNetstreamDriverCAFile or " +
                "streamDriver.CAFile)");
        }
        return new PeerTrust(s.authMode(), s.permittedPeers(), pkix(PemFiles.certificates(s.caFile())), host,
            s.checks());
    }

    private static X509TrustManager pkix(final List<X509Certificate> cas) throws IOException
    {
        try
        {
            final KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            for (int i = 0; i < cas.size(); i++)
            {
                ks.setCertificateEntry("ca" + i, cas.get(i));
            }
            final TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
            f.init(ks);
            for (final TrustManager t : f.getTrustManagers())
            {
                if (t instanceof X509TrustManager)
                {
                    return (X509TrustManager)t;
                }
            }
            throw new IOException("no X.509 trust manager in this JDK");
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IOException("cannot load the CA certificates: " + ex.getMessage(), ex);
        }
    }
}
