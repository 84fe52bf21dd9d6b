package dev.hostplane.syslog.internal.tls;

import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.x500.X500Principal;

/**
 * The peer check of one TLS endpoint, as rsyslog's gtls and ossl drivers make it: nothing in
 * {@code anon} mode; the PKIX chain to the configured CA and the validity period in
 * {@code x509/certvalid}; that plus a permitted name (subjectAltName DNS entries, then the subject
 * CN; a permitted {@code *.domain} matches one more label; a sender without permitted peers accepts
 * the host it connected to) in {@code x509/name}; a permitted SHA-1 or SHA-256 fingerprint
 * ({@code SHA1:AA:BB:...}) in {@code x509/fingerprint}, without chain or validity check. A refusal
 * is a {@link CertificateException} whose message says why, which ends the handshake.
 */
final class PeerTrust extends X509ExtendedTrustManager
{
    private static final X509Certificate[] NONE = new X509Certificate[0];

    private final AuthMode mode;
    private final List<String> permitted;
    private final X509TrustManager pkix;
    private final String connectHost;

    /**
     * A check.
     *
     * @param mode        auth mode.
     * @param permitted   permitted names or fingerprints.
     * @param pkix        the CA's chain check (null unless the mode checks chains).
     * @param connectHost the host a sender connected to (null on a listener).
     */
    PeerTrust(final AuthMode mode, final List<String> permitted, final X509TrustManager pkix, final String connectHost)
    {
        this.mode = mode;
        this.permitted = permitted;
        this.pkix = pkix;
        this.connectHost = connectHost;
    }

    @Override
    public void checkClientTrusted(final X509Certificate[] chain, final String authType) throws CertificateException
    {
        check(chain, authType, true);
    }

    @Override
    public void checkServerTrusted(final X509Certificate[] chain, final String authType) throws CertificateException
    {
        check(chain, authType, false);
    }

    @Override
    public void checkClientTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
        throws CertificateException
    {
        check(chain, authType, true);
    }

    @Override
    public void checkServerTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
        throws CertificateException
    {
        check(chain, authType, false);
    }

    @Override
    public void checkClientTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
        throws CertificateException
    {
        check(chain, authType, true);
    }

    @Override
    public void checkServerTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
        throws CertificateException
    {
        check(chain, authType, false);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers()
    {
        return null == pkix ? NONE : pkix.getAcceptedIssuers();
    }

    private void check(final X509Certificate[] chain, final String authType, final boolean client)
        throws CertificateException
    {
        if (AuthMode.ANON == mode)
        {
            return;
        }
        if (null == chain || 0 == chain.length)
        {
            throw new CertificateException("the peer sent no certificate (" + mode.rsyslogName() + ")");
        }
        if (AuthMode.FINGERPRINT == mode)
        {
            checkFingerprint(chain[0]);
            return;
        }
        try
        {
            if (client)
            {
                pkix.checkClientTrusted(chain, authType);
            }
            else
            {
                pkix.checkServerTrusted(chain, authType);
            }
        }
        catch (final CertificateException ex)
        {
            throw new CertificateException("certificate of " + chain[0].getSubjectX500Principal().getName() +
                " not valid: " + rootMessage(ex), ex);
        }
        if (AuthMode.NAME == mode)
        {
            checkName(chain[0]);
        }
    }

    private void checkFingerprint(final X509Certificate peer) throws CertificateException
    {
        final String sha1 = fingerprint("SHA-1", "SHA1", peer);
        final String sha256 = fingerprint("SHA-256", "SHA256", peer);
        for (final String p : permitted)
        {
            if (p.equalsIgnoreCase(sha1) || p.equalsIgnoreCase(sha256))
            {
                return;
            }
        }
        throw new CertificateException("fingerprint " + sha1 + " not permitted (permitted: " + permitted + ")");
    }

    private void checkName(final X509Certificate peer) throws CertificateException
    {
        final List<String> names = names(peer);
        final List<String> allowed = permitted.isEmpty() && null != connectHost ? List.of(connectHost) : permitted;
        for (final String name : names)
        {
            for (final String p : allowed)
            {
                if (matches(p, name))
                {
                    return;
                }
            }
        }
        throw new CertificateException("peer names " + names + " not permitted (permitted: " + allowed + ")");
    }

    /**
     * rsyslog's fingerprint text: the algorithm, then the digest's bytes in upper-case hex joined by colons.
     *
     * @param algorithm JCA digest name.
     * @param label     rsyslog's prefix ({@code SHA1}, {@code SHA256}).
     * @param cert      certificate.
     * @return fingerprint.
     * @throws CertificateException when the certificate cannot be encoded.
     */
    static String fingerprint(final String algorithm, final String label, final X509Certificate cert)
        throws CertificateException
    {
        try
        {
            final byte[] d = MessageDigest.getInstance(algorithm).digest(cert.getEncoded());
            final StringBuilder sb = new StringBuilder(label);
            for (final byte b : d)
            {
                sb.append(':').append(String.format("%02X", b & 0xFF));
            }
            return sb.toString();
        }
        catch (final NoSuchAlgorithmException | CertificateEncodingException ex)
        {
            throw new CertificateException("cannot compute the fingerprint: " + ex, ex);
        }
    }

    private static List<String> names(final X509Certificate cert) throws CertificateParsingException
    {
        final List<String> names = new ArrayList<>();
        final Collection<List<?>> alt = cert.getSubjectAlternativeNames();
        if (null != alt)
        {
            for (final List<?> entry : alt)
            {
                if (Integer.valueOf(2).equals(entry.get(0)))
                {
                    names.add(entry.get(1).toString());
                }
            }
        }
        final String dn = cert.getSubjectX500Principal().getName(X500Principal.RFC2253);
        for (final String rdn : dn.split("(?<!\\\\),"))
        {
            if (rdn.regionMatches(true, 0, "CN=", 0, 3))
            {
                names.add(rdn.substring(3));
            }
        }
        return names;
    }

    private static boolean matches(final String pattern, final String name)
    {
        final String p = pattern.toLowerCase(Locale.ROOT);
        final String n = name.toLowerCase(Locale.ROOT);
        if (p.startsWith("*."))
        {
            final int dot = n.indexOf('.');
            return dot > 0 && n.substring(dot).equals(p.substring(1));
        }
        return p.equals(n);
    }

    private static String rootMessage(final Throwable t)
    {
        Throwable c = t;
        while (null != c.getCause() && c.getCause() != c)
        {
            c = c.getCause();
        }
        return null == c.getMessage() ? c.toString() : c.getMessage();
    }
}
