package dev.hostplane.vswitch.testing;

import java.util.ArrayList;
import java.util.List;

import dev.hostplane.vswitch.port.EndpointPort;

/** Collects frames an endpoint port receives. */
public final class Collector
{
    private final List<byte[]> frames = new ArrayList<>();

    public List<byte[]> frames()
    {
        return frames;
    }

    public int drain(final EndpointPort port)
    {
        return port.receive((buffer, offset, length) ->
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            frames.add(copy);
        }, 1024);
    }

    /** Waits until at least {@code count} frames arrived (or 5 s). */
    public List<byte[]> await(final EndpointPort port, final int count)
    {
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (frames.size() < count && System.nanoTime() < deadline)
        {
            port.awaitFrames(10_000_000L);
            drain(port);
        }
        return frames;
    }
}
