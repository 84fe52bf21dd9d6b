package dev.hostplane.vswitch;

/**
 * Receives packet-ins on the switch's control thread. The listener may call the switch's control
 * API (add flows, packet-out) from inside the callback.
 */
@FunctionalInterface
public interface PacketInListener
{
    /**
     * One packet-in; valid only during the call.
     *
     * @param packetIn the packet.
     */
    void onPacketIn(PacketIn packetIn);
}
