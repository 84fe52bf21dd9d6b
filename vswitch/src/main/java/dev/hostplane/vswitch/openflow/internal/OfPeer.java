package dev.hostplane.vswitch.openflow.internal;

import org.projectfloodlight.openflow.protocol.OFMessage;

/** One controller connection, as the switch side sees it when it has something to tell. */
public interface OfPeer
{
    /**
     * Whether the handshake is done (asynchronous messages go only to established peers).
     *
     * @return true after HELLO negotiation.
     */
    boolean established();

    /**
     * Whether the controller took the slave role (no packet-ins, no flow changes).
     *
     * @return true for slave.
     */
    boolean isSlave();

    /**
     * Queues an asynchronous message without blocking.
     *
     * @param message the message.
     * @param droppable true for packet-ins, which are dropped (and counted) when the peer does not
     *                  keep up; other messages are always queued.
     * @return false when dropped.
     */
    boolean deliver(OFMessage message, boolean droppable);
}
