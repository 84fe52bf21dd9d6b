package dev.hostplane.syslog.internal.tls;

import java.util.List;

/**
 * The TLS settings of one listener or one forwarding action, resolved from its own parameters and
 * the {@link TlsDefaults}: whether TLS is on ({@code streamDriver.mode="1"} with the {@code gtls} or
 * {@code ossl} driver), how the peer is checked, who is permitted, and the PEM files.
 *
 * @param authMode       peer check.
 * @param permittedPeers names (x509/name, {@code *.domain} allowed) or fingerprints (x509/fingerprint).
 * @param caFile         CA certificates (PEM), or null.
 * @param certFile       own certificate chain (PEM), or null.
 * @param keyFile        own private key (PEM: PKCS#8 or PKCS#1 RSA), or null.
 * @param checks         the optional peer checks.
 */
public record TlsSettings(AuthMode authMode, List<String> permittedPeers, String caFile, String certFile,
    String keyFile, PeerChecks checks)
{
    /**
     * Settings with rsyslog's default peer checks.
     *
     * @param authMode       peer check.
     * @param permittedPeers names or fingerprints.
     * @param caFile         CA certificates, or null.
     * @param certFile       own certificate chain, or null.
     * @param keyFile        own private key, or null.
     */
    public TlsSettings(final AuthMode authMode, final List<String> permittedPeers, final String caFile,
        final String certFile, final String keyFile)
    {
        this(authMode, permittedPeers, caFile, certFile, keyFile, PeerChecks.DEFAULTS);
    }

    /**
     * The same settings with other optional peer checks.
     *
     * @param c checks.
     * @return a copy.
     */
    public TlsSettings with(final PeerChecks c)
    {
        return new TlsSettings(authMode, permittedPeers, caFile, certFile, keyFile, c);
    }

    /** The drivers that speak TLS; {@code ptcp} is plain TCP. */
    public static final List<String> DRIVERS = List.of("ptcp", "gtls", "ossl");

    /**
     * Resolves an endpoint's settings.
     *
     * @param driver   the endpoint's driver name, or null for the default.
     * @param mode     {@code streamDriver.mode}: 0 plain, 1 TLS.
     * @param authMode configured auth mode or null.
     * @param peers    permitted peers (may be empty).
     * @param caFile   own CA file or null for the default.
     * @param certFile own certificate file or null for the default.
     * @param keyFile  own key file or null for the default.
     * @param defaults the config's defaults.
     * @return settings, or null when the endpoint is plain TCP.
     * @throws IllegalArgumentException naming what is wrong (the caller adds file:line:column).
     */
    public static TlsSettings resolve(final String driver, final int mode, final String authMode,
        final List<String> peers, final String caFile, final String certFile, final String keyFile,
        final TlsDefaults defaults)
    {
        final String d = null == driver ? defaults.driver : driver.toLowerCase(java.util.Locale.ROOT);
        if (!DRIVERS.contains(d))
        {
            throw new IllegalArgumentException("unknown netstream driver '" + d + "' (ptcp, gtls or ossl)");
        }
        if (1 != mode || "ptcp".equals(d))
        {
            return null;
        }
        final AuthMode m = AuthMode.of(authMode);
        if (null == m)
        {
            throw new IllegalArgumentException("unknown auth mode '" + authMode +
                "' (anon, x509/certvalid, x509/name or x509/fingerprint)");
        }
        return new TlsSettings(m, List.copyOf(peers), or(caFile, defaults.caFile), or(certFile, defaults.certFile),
            or(keyFile, defaults.keyFile));
    }

    private static String or(final String own, final String dflt)
    {
        return null == own ? dflt : own;
    }
}
