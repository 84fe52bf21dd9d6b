package dev.hostplane.vswitch.port;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * An in-process endpoint port (VS-D7): how a VM, container or application in the same JVM plugs
 * into the switch. The endpoint calls {@link #send} and {@link #receive}; the switch polls and
 * fills the rings behind them.
 *
 * <p>Rings (VS-D6): one TX ring (endpoint to switch) and one RX ring per worker (switch to
 * endpoint), each an Agrona {@link OneToOneRingBuffer} over off-heap memory, so every ring has a
 * single producer and a single consumer and frames are copied straight into the ring (the
 * "preemptive copy" of Hyper-Switch). A full RX ring drops and counts; it never blocks a worker.
 * The endpoint may wait with {@link #awaitFrames(long)}; workers wake it once per batch, and only
 * when it is actually waiting.
 */
public final class EndpointPort extends Port
{
    /** Default bytes per ring (power of two). */
    public static final int DEFAULT_RING_CAPACITY = 1 << 20;
    private static final int MSG_FRAME = 1;

    private final int ringCapacity;
    private final OneToOneRingBuffer txRing;
    private volatile OneToOneRingBuffer[] rxRings = new OneToOneRingBuffer[0];
    private final boolean[] pendingWake = new boolean[64];
    private volatile Thread waiter;
    private FrameBatch fillBatch;
    private final MessageHandler fill = this::fill;
    private FrameHandler currentHandler;
    private final MessageHandler deliver = (msgTypeId, buffer, index, length) ->
        currentHandler.onFrame(buffer, index, length);
    private int nextRxRing;
    // Endpoint-side views for the byte[]/ByteBuffer overloads: the endpoint is the rings' single
    // producer/consumer, so one re-pointable view each is enough and sending allocates nothing.
    private final UnsafeBuffer sendView = new UnsafeBuffer(0, 0);
    private ByteBuffer receiveTarget;
    private int receivedLength;
    private final ControlledMessageHandler copyOut = this::copyOut;

    /**
     * Creates an endpoint port.
     *
     * @param name port name.
     * @param ringCapacity bytes per ring, a power of two (at least 4 KiB).
     */
    public EndpointPort(final String name, final int ringCapacity)
    {
        super(name);
        if (ringCapacity < 4096 || Integer.bitCount(ringCapacity) != 1)
        {
            throw new IllegalArgumentException("ring capacity must be a power of 2 >= 4096: ringCapacity=" +
                ringCapacity);
        }
        this.ringCapacity = ringCapacity;
        this.txRing = newRing(ringCapacity);
    }

    @Override
    public void attach(final int portNumber, final int workers)
    {
        super.attach(portNumber, workers);
        if (workers > pendingWake.length)
        {
            throw new IllegalArgumentException("too many workers for an endpoint port: workers=" + workers);
        }
        final OneToOneRingBuffer[] rings = new OneToOneRingBuffer[workers];
        for (int i = 0; i < workers; i++)
        {
            rings[i] = newRing(ringCapacity);
        }
        rxRings = rings;
    }

    /**
     * Endpoint side: sends a frame into the switch. Never blocks.
     *
     * @param buffer frame bytes.
     * @param offset frame start.
     * @param length frame length.
     * @return false when the TX ring is full (the frame was not sent).
     */
    public boolean send(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length > FrameBatch.MAX_FRAME)
        {
            throw new IllegalArgumentException("frame too long: length=" + length + " max=" + FrameBatch.MAX_FRAME);
        }
        final boolean written = txRing.write(MSG_FRAME, buffer, offset, length);
        if (written)
        {
            final WorkerSignal s = signal();
            if (s != null)
            {
                s.wake();
            }
        }
        return written;
    }

    /**
     * Endpoint side: sends {@code length} bytes of {@code frame} from {@code offset} into the switch.
     * Never blocks; the bytes are copied into the TX ring before this returns.
     *
     * @param frame  frame bytes.
     * @param offset frame start.
     * @param length frame length.
     * @return false when the TX ring is full (the frame was not sent).
     */
    public boolean send(final byte[] frame, final int offset, final int length)
    {
        sendView.wrap(frame, offset, length);
        return send(sendView, 0, length);
    }

    /**
     * Endpoint side: sends the bytes between {@code frame}'s position and limit into the switch (a
     * heap or direct buffer). Never blocks. The position moves past the frame only when it was sent.
     *
     * @param frame the frame, from position to limit.
     * @return false when the TX ring is full (the frame was not sent).
     */
    public boolean send(final ByteBuffer frame)
    {
        final int length = frame.remaining();
        sendView.wrap(frame, frame.position(), length);
        final boolean sent = send(sendView, 0, length);
        if (sent)
        {
            frame.position(frame.limit());
        }
        return sent;
    }

    /**
     * Endpoint side: copies the next frame the switch delivered into {@code frame} at its position
     * and moves the position past it. Never blocks: wait with {@link #awaitFrames(long)}.
     *
     * @param frame where the frame goes; {@link FrameBatch#MAX_FRAME} bytes remaining always suffice.
     * @return the frame's length, or 0 when no frame is waiting.
     * @throws IllegalArgumentException when the next frame is longer than {@code frame.remaining()};
     *                                  the frame stays in the ring for a larger buffer.
     */
    public int receive(final ByteBuffer frame)
    {
        final OneToOneRingBuffer[] rings = rxRings;
        receiveTarget = frame;
        receivedLength = -1;
        try
        {
            for (int i = 0; i < rings.length; i++)
            {
                final int r = (nextRxRing + i) % rings.length;
                if (rings[r].controlledRead(copyOut, 1) > 0)
                {
                    nextRxRing = r + 1;
                    return receivedLength;
                }
                if (receivedLength >= 0)
                {
                    throw new IllegalArgumentException("frame does not fit: length=" + receivedLength +
                        " remaining=" + frame.remaining());
                }
            }
            return 0;
        }
        finally
        {
            receiveTarget = null;
        }
    }

    /**
     * Endpoint side: receives up to {@code limit} frames the switch delivered.
     *
     * @param handler called per frame.
     * @param limit most frames.
     * @return frames received.
     */
    public int receive(final FrameHandler handler, final int limit)
    {
        final OneToOneRingBuffer[] rings = rxRings;
        currentHandler = handler;
        int total = 0;
        try
        {
            for (int i = 0; i < rings.length && total < limit; i++)
            {
                final int r = (nextRxRing + i) % rings.length;
                total += rings[r].read(deliver, limit - total);
            }
        }
        finally
        {
            currentHandler = null;
        }
        nextRxRing++;
        return total;
    }

    /**
     * Endpoint side: waits until at least one frame can be received or the timeout passes.
     *
     * @param timeoutNanos longest wait.
     * @return true when frames are waiting.
     */
    public boolean awaitFrames(final long timeoutNanos)
    {
        if (hasFrames())
        {
            return true;
        }
        waiter = Thread.currentThread();
        try
        {
            final long deadline = System.nanoTime() + timeoutNanos;
            while (!hasFrames())
            {
                final long left = deadline - System.nanoTime();
                if (left <= 0)
                {
                    return false;
                }
                LockSupport.parkNanos(this, left);
            }
            return true;
        }
        finally
        {
            waiter = null;
        }
    }

    /**
     * Frames waiting for the endpoint.
     *
     * @return true when any RX ring is non-empty.
     */
    public boolean hasFrames()
    {
        for (final OneToOneRingBuffer ring : rxRings)
        {
            if (ring.producerPosition() != ring.consumerPosition())
            {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean hasPendingInput()
    {
        return txRing.producerPosition() != txRing.consumerPosition();
    }

    @Override
    public int receive(final FrameBatch batch, final int limit)
    {
        fillBatch = batch;
        final int n = txRing.read(fill, Math.min(limit, batch.capacity() - batch.size()));
        fillBatch = null;
        return n;
    }

    @Override
    public boolean transmit(
        final int worker,
        final MutableDirectBuffer buffer,
        final int frameOffset,
        final int frameLength,
        final boolean hasOffloadHeader)
    {
        final OneToOneRingBuffer ring = rxRings[worker];
        if (hasOffloadHeader && (OffloadSupport.isGso(buffer, frameOffset) ||
            OffloadSupport.needsChecksum(buffer, frameOffset)))
        {
            return transmitWithOffload(worker, ring, buffer, frameOffset, frameLength);
        }
        if (ring.write(MSG_FRAME, buffer, frameOffset, frameLength))
        {
            counters().addTx(worker, frameLength);
            pendingWake[worker] = true;
            return true;
        }
        counters().addTxDropped(worker);
        return false;
    }

    @Override
    public void flush(final int worker)
    {
        if (pendingWake[worker])
        {
            pendingWake[worker] = false;
            final Thread t = waiter;
            if (t != null)
            {
                LockSupport.unpark(t);
            }
        }
    }

    private boolean transmitWithOffload(
        final int worker,
        final OneToOneRingBuffer ring,
        final MutableDirectBuffer buffer,
        final int frameOffset,
        final int frameLength)
    {
        // An endpoint has no segmentation offload: a GSO super-frame cannot be delivered as is.
        if (OffloadSupport.isGso(buffer, frameOffset))
        {
            counters().addTxDropped(worker);
            return false;
        }
        final int index = ring.tryClaim(MSG_FRAME, frameLength);
        if (index <= 0)
        {
            counters().addTxDropped(worker);
            return false;
        }
        final MutableDirectBuffer dst = ring.buffer();
        dst.putBytes(index, buffer, frameOffset, frameLength);
        // Complete the partial checksum in the ring copy; the source keeps its offload form for other ports.
        OffloadSupport.completeChecksum(buffer, frameOffset, dst, index, frameLength);
        ring.commit(index);
        counters().addTx(worker, frameLength);
        pendingWake[worker] = true;
        return true;
    }

    private ControlledMessageHandler.Action copyOut(
        final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final ByteBuffer target = receiveTarget;
        receivedLength = length;
        if (length > target.remaining())
        {
            return ControlledMessageHandler.Action.ABORT;
        }
        buffer.getBytes(index, target, target.position(), length);
        target.position(target.position() + length);
        return ControlledMessageHandler.Action.COMMIT;
    }

    private void fill(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final FrameBatch batch = fillBatch;
        final UnsafeBuffer slot = batch.nextSlot();
        slot.putBytes(FrameBatch.HEADROOM, buffer, index, length);
        batch.commit(length, false);
    }

    private static OneToOneRingBuffer newRing(final int capacity)
    {
        return new OneToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH)));
    }
}
