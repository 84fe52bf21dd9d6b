package dev.hostplane.benchmarks.vswitch;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How vswitch chose its port rings (VS-D6): enqueue a batch of 32 frames and dequeue them again, as a
 * port does per duty cycle, through an Agrona {@link OneToOneRingBuffer} (variable-length records
 * copied into off-heap memory, one position update per batch on both sides) and through an LMAX
 * Disruptor {@link RingBuffer} of preallocated 2 KiB slots (claim {@code next(32)}, copy, publish the
 * range; drain with an {@link EventPoller}). Score is frames per microsecond, single thread, so it
 * isolates the per-frame cost of each ring, copies included.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar RingChoiceBenchmark -f 1 -wi 2 -w 1s -i 3 -r 1s}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class RingChoiceBenchmark
{
    private static final int BATCH = 32;

    @Param({"64", "1500"})
    int frameSize;

    private UnsafeBuffer frame;
    private OneToOneRingBuffer agrona;
    private RingBuffer<Slot> disruptor;
    private EventPoller<Slot> poller;
    private final UnsafeBuffer sink = new UnsafeBuffer(ByteBuffer.allocateDirect(2048));
    private long consumed;
    private final MessageHandler agronaHandler = this::onAgrona;
    private final EventPoller.Handler<Slot> disruptorHandler = this::onDisruptor;

    /** A preallocated Disruptor slot holding one frame. */
    public static final class Slot
    {
        final UnsafeBuffer bytes = new UnsafeBuffer(ByteBuffer.allocateDirect(2048));
        int length;
    }

    /** Builds both rings. */
    @Setup(Level.Trial)
    public void setUp()
    {
        frame = new UnsafeBuffer(new byte[frameSize]);
        agrona = new OneToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect((1 << 20) + RingBufferDescriptor.TRAILER_LENGTH)));
        disruptor = RingBuffer.createSingleProducer(Slot::new, 1024);
        poller = disruptor.newPoller();
        disruptor.addGatingSequences(poller.getSequence());
    }

    /**
     * Agrona: 32 writes, one batched read.
     *
     * @return frames consumed so far.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long agronaOneToOne()
    {
        for (int i = 0; i < BATCH; i++)
        {
            agrona.write(1, frame, 0, frameSize);
        }
        agrona.read(agronaHandler, BATCH);
        return consumed;
    }

    /**
     * Disruptor: claim 32 slots, copy, publish the range, poll them back.
     *
     * @return frames consumed so far.
     * @throws Exception from the poller.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long disruptorSingleProducer() throws Exception
    {
        final long hi = disruptor.next(BATCH);
        final long lo = hi - BATCH + 1;
        for (long s = lo; s <= hi; s++)
        {
            final Slot slot = disruptor.get(s);
            slot.bytes.putBytes(0, frame, 0, frameSize);
            slot.length = frameSize;
        }
        disruptor.publish(lo, hi);
        poller.poll(disruptorHandler);
        return consumed;
    }

    private void onAgrona(final int type, final MutableDirectBuffer buffer, final int index, final int length)
    {
        sink.putBytes(0, buffer, index, length);
        consumed++;
    }

    private boolean onDisruptor(final Slot slot, final long sequence, final boolean endOfBatch)
    {
        sink.putBytes(0, slot.bytes, 0, slot.length);
        consumed++;
        return true;
    }
}
