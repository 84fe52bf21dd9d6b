package dev.hostplane.vswitch;

import dev.hostplane.vswitch.port.Port;

/**
 * Receives port changes (a port added to or removed from the switch, its configuration changed, or
 * its {@link dev.hostplane.vswitch.port.Port#linkState() link} went up or down), on the thread that
 * made the change; link changes come from the switch's control thread, which polls them. An OpenFlow agent turns them into PORT_STATUS messages.
 */
@FunctionalInterface
public interface PortStatusListener
{
    /** A port was added (OpenFlow OFPPR_ADD). */
    int REASON_ADD = 0;
    /** A port was removed (OFPPR_DELETE). */
    int REASON_DELETE = 1;
    /** A port's configuration or link state changed (OFPPR_MODIFY). */
    int REASON_MODIFY = 2;

    /**
     * A port changed.
     *
     * @param port the port (after removal it is closed, but its number and counters stay readable).
     * @param reason {@link #REASON_ADD}, {@link #REASON_DELETE} or {@link #REASON_MODIFY}.
     */
    void onPortStatus(Port port, int reason);
}
