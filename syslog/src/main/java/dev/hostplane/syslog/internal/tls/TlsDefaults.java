package dev.hostplane.syslog.internal.tls;

/**
 * The config-wide netstream driver defaults of {@code global(defaultNetstreamDriver=
 * defaultNetstreamDriverCAFile= defaultNetstreamDriverCertFile= defaultNetstreamDriverKeyFile=)}:
 * what a TLS listener or forwarding action uses when it does not name its own driver or files.
 */
public final class TlsDefaults
{
    /** {@code defaultNetstreamDriver}: {@code ptcp} (plain), {@code gtls} or {@code ossl}. */
    public String driver = "ptcp";
    /** {@code defaultNetstreamDriverCAFile}, or null. */
    public String caFile;
    /** {@code defaultNetstreamDriverCertFile}, or null. */
    public String certFile;
    /** {@code defaultNetstreamDriverKeyFile}, or null. */
    public String keyFile;
}
