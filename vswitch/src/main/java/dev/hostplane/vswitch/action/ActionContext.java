package dev.hostplane.vswitch.action;

import org.agrona.MutableDirectBuffer;

/**
 * What an {@link Action} sees and can do while it runs on one frame: the frame bytes (which it may
 * rewrite in place), and the switch operations that send the frame somewhere. Implemented by the
 * switching worker (one instance per worker, reused for every frame) and by the tracer.
 */
public interface ActionContext
{
    /**
     * Buffer holding the frame; it has at least 4 spare bytes after the frame for a VLAN push.
     *
     * @return the frame buffer.
     */
    MutableDirectBuffer buffer();

    /**
     * Offset of the frame's first byte.
     *
     * @return offset.
     */
    int frameOffset();

    /**
     * Current frame length.
     *
     * @return bytes.
     */
    int frameLength();

    /**
     * Sets the frame length after an action grew or shrank it.
     *
     * @param length new length.
     */
    void frameLength(int length);

    /**
     * Ingress port of the frame.
     *
     * @return port number.
     */
    int inPort();

    /**
     * Per-thread helper that rewrites header fields with checksum fix-up.
     *
     * @return the rewriter.
     */
    FrameRewriter rewriter();

    /**
     * Whether the frame carries offload metadata (virtio_net_hdr) whose L4 checksum is partial
     * (only the pseudo-header sum is stored), as GSO frames from TAP devices do.
     *
     * @return true when the L4 checksum field holds a partial sum.
     */
    boolean partialChecksum();

    /**
     * Shifts the offload metadata's header offsets after the L2 header grew or shrank.
     *
     * @param delta bytes added (positive) or removed (negative) in front of L3.
     */
    void adjustOffloadOffsets(int delta);

    /**
     * Sends a copy of the frame, as it is now, to a port.
     *
     * @param port port number.
     */
    void output(int port);

    /**
     * Sends to the ingress port.
     */
    void outputInPort();

    /**
     * Sends to every port except the ingress port and ports excluded from flooding.
     */
    void flood();

    /**
     * Sends to every port except the ingress port.
     */
    void all();

    /**
     * Sends a packet-in to the controller.
     *
     * @param maxLength bytes of the frame to include (65535 = whole frame).
     */
    void controller(int maxLength);

    /**
     * Sends a packet-in carrying the whole frame, with the number of bytes the controller asked
     * for, so that an OpenFlow agent can buffer the frame and send only that many bytes. Contexts
     * without buffering send {@code maxLength} bytes.
     *
     * @param maxLength bytes the controller asked for (65535 = whole frame).
     */
    default void controllerBuffered(final int maxLength)
    {
        controller(maxLength);
    }

    /**
     * Looks the frame up in the flow table and runs the matching rule's actions (packet-out's
     * {@code OFPP_TABLE}). Contexts that cannot do that drop the frame.
     */
    default void table()
    {
        dropped("table lookup is only valid in a packet-out");
    }

    /**
     * Runs a group.
     *
     * @param groupId group id.
     */
    void group(int groupId);

    /**
     * Records that the frame was dropped by an action (for example TTL expiry).
     *
     * @param reason short reason for traces.
     */
    void dropped(String reason);
}
