package dev.hostplane.syslog.internal.message;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Facility and severity names exactly as rsyslog spells them, and the lookups used by selectors.
 */
public final class SyslogNames
{
    /** Facility code rsyslog uses for a message whose PRI could not be parsed. */
    public static final int FACILITY_INVALID = 24;
    /** Number of facility slots including the invalid one. */
    public static final int FACILITY_SLOTS = 25;

    private static final String[] FACILITY_NAMES = {
        "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp",
        "ntp", "audit", "alert", "clock", "local0", "local1", "local2", "local3", "local4", "local5", "local6",
        "local7", "invld"
    };

    private static final String[] SEVERITY_NAMES = {
        "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"
    };

    private static final byte[][] FACILITY_BYTES = toBytes(FACILITY_NAMES);
    private static final byte[][] SEVERITY_BYTES = toBytes(SEVERITY_NAMES);
    private static final byte[][] NUMBERS = new byte[256][];

    static
    {
        for (int i = 0; i < NUMBERS.length; i++)
        {
            NUMBERS[i] = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
        }
    }

    private SyslogNames()
    {
    }

    private static byte[][] toBytes(final String[] names)
    {
        final byte[][] result = new byte[names.length][];
        for (int i = 0; i < names.length; i++)
        {
            result[i] = names[i].getBytes(StandardCharsets.US_ASCII);
        }
        return result;
    }

    /**
     * The facility's name as rsyslog prints it.
     *
     * @param facility 0..24.
     * @return name bytes.
     */
    public static byte[] facilityName(final int facility)
    {
        return FACILITY_BYTES[facility < 0 || facility >= FACILITY_SLOTS ? FACILITY_INVALID : facility];
    }

    /**
     * The severity's name as rsyslog prints it.
     *
     * @param severity 0..7.
     * @return name bytes.
     */
    public static byte[] severityName(final int severity)
    {
        return SEVERITY_BYTES[severity & 7];
    }

    /**
     * Decimal digits of a small number without allocating.
     *
     * @param value 0..255.
     * @return digits.
     */
    public static byte[] smallNumber(final int value)
    {
        return NUMBERS[value];
    }

    /**
     * Looks up a facility by its selector name.
     *
     * @param name name such as {@code mail}, {@code local3}, {@code security}.
     * @return facility code, or -1 when unknown.
     */
    public static int facilityCode(final String name)
    {
        final String n = name.toLowerCase(Locale.ROOT);
        switch (n)
        {
            case "security":
                return 4;
            case "mark":
                return FACILITY_INVALID;
            default:
                break;
        }
        for (int i = 0; i < FACILITY_SLOTS - 1; i++)
        {
            if (FACILITY_NAMES[i].equals(n))
            {
                return i;
            }
        }
        if (isDigits(n))
        {
            final int v = Integer.parseInt(n);
            return v < FACILITY_SLOTS ? v : -1;
        }
        return -1;
    }

    /**
     * Looks up a severity by its selector name.
     *
     * @param name name such as {@code err}, {@code warn}, {@code panic}.
     * @return severity code, or -1 when unknown.
     */
    public static int severityCode(final String name)
    {
        final String n = name.toLowerCase(Locale.ROOT);
        switch (n)
        {
            case "emerg":
            case "panic":
                return 0;
            case "alert":
                return 1;
            case "crit":
                return 2;
            case "err":
            case "error":
                return 3;
            case "warning":
            case "warn":
                return 4;
            case "notice":
                return 5;
            case "info":
                return 6;
            case "debug":
                return 7;
            default:
                if (isDigits(n))
                {
                    final int v = Integer.parseInt(n);
                    return v < 8 ? v : -1;
                }
                return -1;
        }
    }

    private static boolean isDigits(final String s)
    {
        if (s.isEmpty() || s.length() > 3)
        {
            return false;
        }
        for (int i = 0; i < s.length(); i++)
        {
            if (s.charAt(i) < '0' || s.charAt(i) > '9')
            {
                return false;
            }
        }
        return true;
    }
}
