package dev.hostplane.vswitch.port;

import org.agrona.DirectBuffer;

/**
 * Receives frames from an {@link EndpointPort}. The buffer is valid only during the call.
 */
@FunctionalInterface
public interface FrameHandler
{
    /**
     * One frame.
     *
     * @param buffer holding the frame.
     * @param offset frame start.
     * @param length frame length.
     */
    void onFrame(DirectBuffer buffer, int offset, int length);
}
