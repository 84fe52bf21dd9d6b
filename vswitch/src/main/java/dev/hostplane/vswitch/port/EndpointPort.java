package dev.hostplane.vswitch.port;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
 * With preemptive copy off the ring carries a reference to the frame in the worker's
 * {@link LentFrames} instead, and the endpoint copies the frame out when it receives it.
 *
 * <p>The endpoint may wait with {@link #awaitFrames(long)}. With batched notification (the default)
 * workers wake it once per batch, and only when it is actually waiting; without, every frame
 * delivered unparks the endpoint's receiving thread, waiting or not (and every frame sent unparks
 * the worker), which is what the batching is measured against.
 */
public final class EndpointPort extends Port
{
    /** Default bytes per ring (power of two). */
    public static final int DEFAULT_RING_CAPACITY = 1 << 20;
    private static final int MSG_FRAME = 1;
    private static final int MSG_LENT = 2;
    // A reference to a lent frame: store, slot, generation, frame offset, frame length.
    private static final int LENT_RECORD_LENGTH = 20;
    private static final int EXPIRED = -2;
    private static final VarHandle WAITER;

    static
    {
        try
        {
            WAITER = MethodHandles.lookup().findVarHandle(EndpointPort.class, "waiter", Thread.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final int ringCapacity;
    private final OneToOneRingBuffer txRing;
    private volatile OneToOneRingBuffer[] rxRings = new OneToOneRingBuffer[0];
    private final boolean[] pendingWake = new boolean[PortCounters.MAX_WORKERS];
    // Written by a worker before it commits a reference into its ring, read by the endpoint after
    // reading that reference, so the ring's commit publishes it.
    private final LentFrames[] lenders = new LentFrames[PortCounters.MAX_WORKERS];
    private volatile boolean batchedNotification = true;
    @SuppressWarnings("unused")
    private volatile Thread waiter;
    private volatile Thread receiver;
    private FrameBatch fillBatch;
    private final MessageHandler fill = this::fill;
    private FrameHandler currentHandler;
    private int readingRing;
    private final MessageHandler deliver = this::deliver;
    private int nextRxRing;
    private UnsafeBuffer lentCopy;
    private long expiredLoans;
    private long workerWakeups;
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
     * Chooses how this port's endpoint and its worker notify each other (the switch sets it from
     * {@code SwitchConfig.batchedNotification()} when the port is added).
     *
     * @param batched true: once per batch and only a parked thread; false: on every frame.
     */
    public void batchedNotification(final boolean batched)
    {
        this.batchedNotification = batched;
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
                if (batchedNotification)
                {
                    // The ring's tail is a release store; without a full fence the read of the
                    // worker's state could pass it and miss a worker that is just parking.
                    VarHandle.fullFence();
                    if (s.wakeIfParked())
                    {
                        workerWakeups++;
                    }
                }
                else if (s.wakeAlways())
                {
                    workerWakeups++;
                }
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
                readingRing = r;
                while (rings[r].controlledRead(copyOut, 1) > 0)
                {
                    if (receivedLength != EXPIRED)
                    {
                        nextRxRing = r + 1;
                        return receivedLength;
                    }
                    receivedLength = -1;
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
                readingRing = r;
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
        final Thread me = Thread.currentThread();
        if (receiver != me)
        {
            receiver = me;
        }
        try
        {
            final long deadline = System.nanoTime() + timeoutNanos;
            while (true)
            {
                // Announce, then re-check: a worker that delivers after the check sees the announcement.
                waiter = me;
                if (hasFrames())
                {
                    return true;
                }
                final long left = deadline - System.nanoTime();
                if (left <= 0)
                {
                    return false;
                }
                LockSupport.parkNanos(this, left);
            }
        }
        finally
        {
            waiter = null;
        }
    }

    /**
     * Wake-ups this endpoint's sends gave its worker (the sending thread's count).
     *
     * @return count.
     */
    public long workerWakeups()
    {
        return workerWakeups;
    }

    /**
     * Lent frames (preemptive copy off) the worker took back before this endpoint copied them; they
     * were counted as transmitted but never delivered.
     *
     * @return count (the receiving thread's view).
     */
    public long expiredLoans()
    {
        return expiredLoans;
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
            delivered(worker);
            return true;
        }
        counters().addTxDropped(worker);
        return false;
    }

    @Override
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
        if (hasOffloadHeader && (OffloadSupport.isGso(buffer, frameOffset) ||
            OffloadSupport.needsChecksum(buffer, frameOffset)))
        {
            return transmit(worker, buffer, frameOffset, frameLength, true);
        }
        final OneToOneRingBuffer ring = rxRings[worker];
        final int generation = lender.lend(store);
        final int index = ring.tryClaim(MSG_LENT, LENT_RECORD_LENGTH);
        if (index <= 0)
        {
            lender.release(store, generation);
            counters().addTxDropped(worker);
            return false;
        }
        lenders[worker] = lender;
        final MutableDirectBuffer record = ring.buffer();
        record.putInt(index, store);
        record.putInt(index + 4, slot);
        record.putInt(index + 8, generation);
        record.putInt(index + 12, frameOffset);
        record.putInt(index + 16, frameLength);
        ring.commit(index);
        counters().addTx(worker, frameLength);
        delivered(worker);
        return true;
    }

    @Override
    public void flush(final int worker)
    {
        if (pendingWake[worker])
        {
            pendingWake[worker] = false;
            // Order this batch's ring writes (release stores) before reading whether the endpoint
            // parks, or a parking endpoint could miss them and sleep until its timeout.
            VarHandle.fullFence();
            final Thread t = waiter;
            if (t != null && WAITER.compareAndSet(this, t, null))
            {
                LockSupport.unpark(t);
                counters().addNotification(worker);
            }
        }
    }

    private void delivered(final int worker)
    {
        if (batchedNotification)
        {
            pendingWake[worker] = true;
            return;
        }
        final Thread t = receiver;
        if (t != null)
        {
            LockSupport.unpark(t);
            counters().addNotification(worker);
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
        delivered(worker);
        return true;
    }

    private void deliver(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (msgTypeId == MSG_FRAME)
        {
            currentHandler.onFrame(buffer, index, length);
            return;
        }
        // The deferred copy: out of the worker's store into this endpoint's own buffer.
        final LentFrames lender = lenders[readingRing];
        final int store = buffer.getInt(index);
        final int generation = buffer.getInt(index + 8);
        final int frameLength = buffer.getInt(index + 16);
        if (!lender.valid(store, generation))
        {
            expiredLoans++;
            return;
        }
        UnsafeBuffer copy = lentCopy;
        if (copy == null)
        {
            copy = new UnsafeBuffer(ByteBuffer.allocateDirect(FrameBatch.MAX_FRAME));
            lentCopy = copy;
        }
        copy.putBytes(0, lender.slot(store, buffer.getInt(index + 4)), buffer.getInt(index + 12), frameLength);
        final boolean valid = lender.valid(store, generation);
        lender.release(store, generation);
        if (!valid)
        {
            expiredLoans++;
            return;
        }
        currentHandler.onFrame(copy, 0, frameLength);
    }

    private ControlledMessageHandler.Action copyOut(
        final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final ByteBuffer target = receiveTarget;
        if (msgTypeId == MSG_FRAME)
        {
            receivedLength = length;
            if (length > target.remaining())
            {
                return ControlledMessageHandler.Action.ABORT;
            }
            buffer.getBytes(index, target, target.position(), length);
            target.position(target.position() + length);
            return ControlledMessageHandler.Action.COMMIT;
        }
        final LentFrames lender = lenders[readingRing];
        final int store = buffer.getInt(index);
        final int generation = buffer.getInt(index + 8);
        final int frameLength = buffer.getInt(index + 16);
        receivedLength = frameLength;
        if (!lender.valid(store, generation))
        {
            expiredLoans++;
            receivedLength = EXPIRED;
            return ControlledMessageHandler.Action.COMMIT;
        }
        if (frameLength > target.remaining())
        {
            return ControlledMessageHandler.Action.ABORT;
        }
        lender.slot(store, buffer.getInt(index + 4)).getBytes(buffer.getInt(index + 12), target, target.position(),
            frameLength);
        final boolean valid = lender.valid(store, generation);
        lender.release(store, generation);
        if (!valid)
        {
            expiredLoans++;
            receivedLength = EXPIRED;
            return ControlledMessageHandler.Action.COMMIT;
        }
        target.position(target.position() + frameLength);
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
