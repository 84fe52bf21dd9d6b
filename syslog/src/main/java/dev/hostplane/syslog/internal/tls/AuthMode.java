package dev.hostplane.syslog.internal.tls;

import java.util.Locale;

/**
 * How a TLS session checks its peer, with rsyslog's names: {@code anon} (no check: encryption
 * only), {@code x509/certvalid} (the certificate chains to the CA and is in its validity period),
 * {@code x509/name} (that, and one of its names is a permitted peer) and {@code x509/fingerprint}
 * (its SHA-1 or SHA-256 fingerprint is a permitted peer; no CA needed).
 */
public enum AuthMode
{
    /** No peer check. */
    ANON("anon"),
    /** Chain and validity only. */
    CERT_VALID("x509/certvalid"),
    /** Chain, validity and a permitted name. */
    NAME("x509/name"),
    /** A permitted fingerprint. */
    FINGERPRINT("x509/fingerprint");

    private final String rsyslogName;

    AuthMode(final String rsyslogName)
    {
        this.rsyslogName = rsyslogName;
    }

    /**
     * The mode rsyslog's drivers pick for a configured value: none given means {@code x509/name}.
     *
     * @param value configured value or null.
     * @return mode, or null when the value names no mode.
     */
    public static AuthMode of(final String value)
    {
        if (null == value || value.isEmpty())
        {
            return NAME;
        }
        final String v = value.toLowerCase(Locale.ROOT);
        for (final AuthMode m : values())
        {
            if (m.rsyslogName.equals(v))
            {
                return m;
            }
        }
        return null;
    }

    /**
     * rsyslog's name of the mode.
     *
     * @return name.
     */
    public String rsyslogName()
    {
        return rsyslogName;
    }
}
