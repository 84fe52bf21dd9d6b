package dev.hostplane.vswitch.port;

import org.agrona.MutableDirectBuffer;

/**
 * A switch port (VS-D6/D7). The switch pulls frames the endpoint sent with
 * {@link #receive(FrameBatch, int)} and pushes frames to the endpoint with
 * {@link #transmit(int, MutableDirectBuffer, int, int, boolean)}; both are called only by
 * switching workers. A port is polled by exactly one worker, but any worker may transmit to it, so
 * implementations keep one single-producer queue per worker (or a thread-safe device).
 */
public abstract class Port implements AutoCloseable
{
    private final String name;
    private final PortCounters counters = new PortCounters();
    private volatile int number;
    private volatile boolean flood = true;
    private volatile WorkerSignal signal;

    /**
     * Creates a port.
     *
     * @param name human name.
     */
    protected Port(final String name)
    {
        this.name = name;
    }

    /**
     * Port number in the switch (assigned when added).
     *
     * @return number, 0 before the port is added.
     */
    public int number()
    {
        return number;
    }

    /**
     * Name.
     *
     * @return name.
     */
    public String name()
    {
        return name;
    }

    /**
     * Counters.
     *
     * @return the live counters.
     */
    public PortCounters counters()
    {
        return counters;
    }

    /**
     * The port's link now. The switch polls it a few times a second on its control thread and tells
     * port-status listeners when it changes; a port without a device of its own is always up.
     *
     * @return the link state.
     */
    public LinkState linkState()
    {
        return LinkState.UP;
    }

    /**
     * Whether flood includes this port.
     *
     * @return true by default.
     */
    public boolean isFlood()
    {
        return flood;
    }

    /**
     * Includes or excludes this port from flood (OpenFlow no_flood).
     *
     * @param flood true to include.
     */
    public void flood(final boolean flood)
    {
        this.flood = flood;
    }

    /**
     * Called by the switch when the port is added.
     *
     * @param portNumber assigned number.
     * @param workers number of workers that may transmit to it.
     */
    public void attach(final int portNumber, final int workers)
    {
        this.number = portNumber;
    }

    /**
     * Called by the switch when the polling worker changes; endpoints use it to wake a parked worker.
     *
     * @param signal the polling worker's signal.
     */
    public void signal(final WorkerSignal signal)
    {
        this.signal = signal;
    }

    /**
     * The polling worker's signal, if any.
     *
     * @return signal or null.
     */
    protected WorkerSignal signal()
    {
        return signal;
    }

    /**
     * Moves up to {@code limit} frames the endpoint sent into the batch.
     *
     * @param batch destination (frames are committed after its current size).
     * @param limit most frames to take.
     * @return frames taken.
     */
    public abstract int receive(FrameBatch batch, int limit);

    /**
     * Delivers a frame to the endpoint; never blocks. A full queue drops and counts.
     *
     * @param worker index of the calling worker.
     * @param buffer holding the frame, with {@link FrameBatch#HEADROOM} bytes before it.
     * @param frameOffset frame start.
     * @param frameLength frame length.
     * @param hasOffloadHeader whether a virtio_net_hdr precedes the frame at
     *                         {@code frameOffset - 12}.
     * @return true when delivered.
     */
    public abstract boolean transmit(
        int worker, MutableDirectBuffer buffer, int frameOffset, int frameLength, boolean hasOffloadHeader);

    /**
     * Delivers a frame that sits in a worker's {@link LentFrames} store, when preemptive copy is
     * off: a port whose endpoint can copy the frame later takes a reference to it (and a loan on
     * the store); every other port copies it now, as {@link #transmit} does, which is the default.
     *
     * @param worker index of the calling worker.
     * @param lender the worker's stores.
     * @param store store holding the frame.
     * @param slot slot of the frame in the store.
     * @param buffer the slot's buffer.
     * @param frameOffset frame start.
     * @param frameLength frame length.
     * @param hasOffloadHeader whether a virtio_net_hdr precedes the frame.
     * @return true when delivered.
     */
    public boolean transmitLent(
        final int worker,
        final LentFrames lender,
        final int store,
        final int slot,
        final MutableDirectBuffer buffer,
        final int frameOffset,
        final int frameLength,
        final boolean hasOffloadHeader)
    {
        return transmit(worker, buffer, frameOffset, frameLength, hasOffloadHeader);
    }

    /**
     * End of a worker's batch: wake the endpoint if it waits (notification batching).
     *
     * @param worker index of the calling worker.
     */
    public void flush(final int worker)
    {
    }

    /**
     * Whether the endpoint has sent frames the switch has not taken yet, for ports that can tell
     * cheaply (a blocking worker re-checks this after announcing it will park, so a frame sent just
     * before the announcement is not left waiting for the park timeout).
     *
     * @return true when input is known to be pending; false when none or unknown.
     */
    public boolean hasPendingInput()
    {
        return false;
    }

    /**
     * File descriptor a blocking worker can poll for input, or -1 when the port wakes the worker
     * through its {@link WorkerSignal} instead.
     *
     * @return fd or -1.
     */
    public int pollFd()
    {
        return -1;
    }

    @Override
    public void close()
    {
    }

    @Override
    public String toString()
    {
        return name + "(" + number + ")";
    }
}
