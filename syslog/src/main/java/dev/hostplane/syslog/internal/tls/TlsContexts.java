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

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

/**
 * Netty {@link SslContext}s (JDK provider) for a TLS listener and a TLS sender, built from
 * {@link TlsSettings} the way rsyslog's drivers use them: a listener needs its certificate and key
 * and, unless {@code anon}, requires the sender's certificate; a sender presents its certificate
 * when it has one. Host-name verification is off: the peer check is {@link PeerTrust}'s.
 */
public final class TlsContexts
{
    private TlsContexts()
    {
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
        if (null == s.certFile() || null == s.keyFile())
        {
            throw new IOException("a TLS listener needs a certificate and a key (defaultNetstreamDriverCertFile/" +
                "KeyFile or streamDriver.certFile/keyFile)");
        }
        final SslContextBuilder b = SslContextBuilder.forServer(key(s), chain(s))
            .sslProvider(SslProvider.JDK)
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
        final SslContextBuilder b = SslContextBuilder.forClient()
            .sslProvider(SslProvider.JDK)
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
