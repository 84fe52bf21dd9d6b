package dev.hostplane.syslog.internal.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.x500.X500Principal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer check of one TLS endpoint, as rsyslog's gtls and ossl drivers make it: nothing in
 * {@code anon} mode; the PKIX chain to the configured CA and the validity period in
 * {@code x509/certvalid}; that plus a permitted name (subjectAltName DNS entries, then the subject
 * CN; a permitted {@code *.domain} matches one more label; a sender without permitted peers accepts
 * the host it connected to) in {@code x509/name}; a permitted SHA-1 or SHA-256 fingerprint
 * ({@code SHA1:AA:BB:...}) in {@code x509/fingerprint}, without chain or validity check. The
 * optional {@link PeerChecks} apply on top in every mode but {@code anon}. A refusal is a {@link
 * CertificateException} whose message says why, which ends the handshake.
 */
final class PeerTrust extends X509ExtendedTrustManager
{
    private static final Logger LOG = LoggerFactory.getLogger(PeerTrust.class);
    private static final X509Certificate[] NONE = new X509Certificate[0];
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String ANY_PURPOSE = "2.5.29.37.0";

    private final AuthMode mode;
    private final List<String> permitted;
    private final X509TrustManager pkix;
    private final String connectHost;
    private final PeerChecks checks;

    /**
     * A check.
     *
     * @param mode        auth mode.
     * @param permitted   permitted names or fingerprints.
     * @param pkix        the CA's chain check (null unless the mode checks chains).
     * @param connectHost the host a sender connected to (null on a listener).
     * @param checks      the optional checks.
     */
    PeerTrust(final AuthMode mode, final List<String> permitted, final X509TrustManager pkix, final String connectHost,
        final PeerChecks checks)
    {
        this.checks = checks;
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

    /**
     * None named: a listener's certificate request then carries no list of CAs. librelp's GnuTLS
     * client (rsyslog's omrelp) answers a TLS 1.3 request from the JDK that names CAs with an empty
     * certificate; without the list every client sends the certificate it has, and the CA check
     * here stays the same.
     */
    @Override
    public X509Certificate[] getAcceptedIssuers()
    {
        return NONE;
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
        if (chain.length > checks.verifyDepth())
        {
            throw new CertificateException("the peer's certificate chain has " + chain.length + " certificates, " +
                "more than tlsVerifyDepth=" + checks.verifyDepth());
        }
        if (checks.checkPurpose())
        {
            checkPurpose(chain[0], client);
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
            if (PeerChecks.Expired.OFF == checks.expired() || !expired(ex) || !validWhenLastInDate(chain))
            {
                throw new CertificateException("certificate of " + chain[0].getSubjectX500Principal().getName() +
                    " not valid: " + rootMessage(ex), ex);
            }
            if (PeerChecks.Expired.WARN == checks.expired())
            {
                LOG.warn("TLS: accepting the expired certificate of {} (not valid after {}): permitExpiredCerts=warn",
                    chain[0].getSubjectX500Principal().getName(), chain[0].getNotAfter().toInstant());
            }
        }
        if (AuthMode.NAME == mode)
        {
            checkName(chain[0]);
        }
    }

    /** A peer certificate that names its purposes must name TLS client use (a sender) or server use (a listener). */
    private static void checkPurpose(final X509Certificate peer, final boolean client) throws CertificateException
    {
        final List<String> purposes = peer.getExtendedKeyUsage();
        final String wanted = client ? CLIENT_AUTH : SERVER_AUTH;
        if (null != purposes && !purposes.contains(wanted) && !purposes.contains(ANY_PURPOSE))
        {
            throw new CertificateException("the extended key usage " + purposes + " of " +
                peer.getSubjectX500Principal().getName() + " does not allow TLS " + (client ? "client" : "server") +
                " use (" + wanted + "; checkExtendedKeyPurpose=on)");
        }
    }

    private static boolean expired(final Throwable t)
    {
        for (Throwable c = t; null != c; c = c.getCause() == c ? null : c.getCause())
        {
            if (c instanceof CertificateExpiredException || (c instanceof CertPathValidatorException &&
                CertPathValidatorException.BasicReason.EXPIRED == ((CertPathValidatorException)c).getReason()))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the chain is valid at the last instant the peer's certificate was: what the CA check
     * says once expiry is forgiven, every other reason to refuse (a wrong CA, a bad signature) intact.
     */
    private boolean validWhenLastInDate(final X509Certificate[] chain)
    {
        try
        {
            final Set<TrustAnchor> anchors = new HashSet<>();
            final Set<X509Certificate> cas = new HashSet<>(Arrays.asList(pkix.getAcceptedIssuers()));
            for (final X509Certificate ca : cas)
            {
                anchors.add(new TrustAnchor(ca, null));
            }
            final List<X509Certificate> path = new ArrayList<>(Arrays.asList(chain));
            while (path.size() > 1 && cas.contains(path.get(path.size() - 1)))
            {
                path.remove(path.size() - 1);
            }
            final PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            params.setDate(new Date(chain[0].getNotAfter().getTime()));
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path),
                params);
            return true;
        }
        catch (final GeneralSecurityException | RuntimeException ex)
        {
            return false;
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
