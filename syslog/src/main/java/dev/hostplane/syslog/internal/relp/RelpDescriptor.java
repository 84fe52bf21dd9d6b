package dev.hostplane.syslog.internal.relp;

import java.nio.charset.StandardCharsets;

/**
 * Constants of the RELP wire format (librelp's {@code doc/relp.md}): a frame is
 * {@code TXNR SP COMMAND SP DATALEN [SP DATA] LF}, TXNR and DATALEN have at most nine digits, a
 * command at most 32 letters; TXNR 0 is reserved for server hints, a session starts at 1 and wraps
 * from 999,999,999 back to 1.
 */
public final class RelpDescriptor
{
    /** Largest transaction number; the next one is 1. */
    public static final int MAX_TXNR = 999_999_999;
    /** Most digits of TXNR and DATALEN. */
    public static final int MAX_DIGITS = 9;
    /** Most letters of a command. */
    public static final int MAX_COMMAND = 32;
    /** librelp's default (and rsyslog's, maxDataSize) largest DATA part. */
    public static final int DEFAULT_MAX_DATA = 128 * 1024;
    /** librelp's default window: commands sent and not yet answered. */
    public static final int DEFAULT_WINDOW = 128;
    /** The protocol version librelp speaks (its "current" experimental version 0). */
    public static final int PROTOCOL_VERSION = 0;

    /** Command {@code open}. */
    public static final byte[] OPEN = ascii("open");
    /** Command {@code syslog}. */
    public static final byte[] SYSLOG = ascii("syslog");
    /** Command {@code close}. */
    public static final byte[] CLOSE = ascii("close");
    /** Pseudo-command {@code rsp}. */
    public static final byte[] RSP = ascii("rsp");
    /** Hint {@code serverclose} (TXNR 0, not answered). */
    public static final byte[] SERVERCLOSE = ascii("serverclose");
    /** Data of a positive response. */
    public static final byte[] OK = ascii("200 OK");
    /** Our {@code relp_software} offer value. */
    public static final String SOFTWARE = "hostplane,1,https://hostplane.dev";

    private RelpDescriptor()
    {
    }

    /**
     * The transaction number after {@code txnr}.
     *
     * @param txnr current.
     * @return next (wraps to 1).
     */
    public static int next(final int txnr)
    {
        return txnr >= MAX_TXNR ? 1 : txnr + 1;
    }

    static byte[] ascii(final String s)
    {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
