package dev.hostplane.syslog.internal.tls;

import java.util.Locale;

/**
 * The optional peer-certificate checks of rsyslog's TLS drivers, beyond the auth mode:
 * {@code permitExpiredCerts} ({@code off} refuses an expired certificate, {@code warn} takes it and
 * logs that, {@code on} takes it), {@code checkExtendedKeyPurpose} (a peer certificate that lists
 * extended key usages must list TLS client use for a sender, TLS server use for a listener; one
 * without the extension is not restricted, as in GnuTLS) and {@code tlsVerifyDepth} (the longest
 * certificate chain a peer may present).
 *
 * @param expired      what to do with an expired certificate.
 * @param checkPurpose whether to check the extended key usage.
 * @param verifyDepth  longest chain a peer may present.
 */
public record PeerChecks(Expired expired, boolean checkPurpose, int verifyDepth)
{
    /** rsyslog 8.2302's defaults: expired certificates refused, no purpose check, chains of up to 10. */
    public static final PeerChecks DEFAULTS = new PeerChecks(Expired.OFF, false, 10);

    /** {@code permitExpiredCerts}. */
    public enum Expired
    {
        /** Refused. */
        OFF,
        /** Taken, with a warning per session. */
        WARN,
        /** Taken. */
        ON;

        /**
         * The setting for a configured value.
         *
         * @param value {@code on}, {@code off} or {@code warn}, or null for the default.
         * @return setting.
         * @throws IllegalArgumentException for any other value.
         */
        public static Expired of(final String value)
        {
            if (null == value)
            {
                return OFF;
            }
            switch (value.toLowerCase(Locale.ROOT))
            {
                case "off":
                    return OFF;
                case "warn":
                    return WARN;
                case "on":
                    return ON;
                default:
                    throw new IllegalArgumentException("permitExpiredCerts must be on, off or warn, not '" + value +
                        "'");
            }
        }
    }
}
