package dev.hostplane.vswitch.port;

/**
 * A port's link as the switch sees it; an OpenFlow agent reports it in port descriptions and sends
 * PORT_STATUS (MODIFY) when it changes.
 */
public enum LinkState
{
    /** Administratively up with a working link: frames can pass. */
    UP,
    /** Administratively up, but without a link (no carrier). */
    NO_LINK,
    /** Administratively down (for a TAP device: {@code ip link set DEV down}). */
    ADMIN_DOWN
}
