package dev.hostplane.syslog.internal.queue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.TimeoutBlockingWaitStrategy;
import com.lmax.disruptor.dsl.ProducerType;
import dev.hostplane.syslog.internal.thread.LibraryThreads;

/**
 * The main message queue between the inputs and the rule engine: a multi-producer Disruptor ring of
 * preallocated, reusable message slots consumed in batches by one worker (the engine is
 * single-threaded, as rsyslog with one main-queue worker, which keeps output order = arrival order).
 * A full ring blocks the producing input thread, which stops reading its sockets: that is the
 * backpressure TCP senders see.
 */
public final class MainQueue implements AutoCloseable
{
    /** How long the worker waits for a message before it retries suspended outputs. */
    private static final long IDLE_MS = 250;
    /** First and longest pause of an input waiting for room in a full ring. */
    private static final long MIN_FULL_WAIT_NANOS = 20_000;
    private static final long MAX_FULL_WAIT_NANOS = 1_000_000;

    private final RingBuffer<MessageSlot> ring;
    private final BatchEventProcessor<MessageSlot> processor;
    private final Thread worker;
    private final int ruleset;

    /**
     * Creates and starts the queue.
     *
     * @param size     slots (power of two).
     * @param consumer the rule engine side.
     */
    public MainQueue(final int size, final Consumer consumer)
    {
        // The time-out wakes the worker when no message comes, so suspended outputs are retried on time.
        this.ring = RingBuffer.create(ProducerType.MULTI, MessageSlot::new, size,
            new TimeoutBlockingWaitStrategy(IDLE_MS, TimeUnit.MILLISECONDS));
        final EventHandler<MessageSlot> handler = new EventHandler<MessageSlot>()
        {
            @Override
            public void onEvent(final MessageSlot event, final long sequence, final boolean endOfBatch)
            {
                consumer.onMessage(event);
                if (endOfBatch)
                {
                    consumer.onBatchEnd();
                }
            }

            @Override
            public void onTimeout(final long sequence)
            {
                consumer.onIdle();
            }
        };
        this.processor = new BatchEventProcessorBuilder().build(ring, ring.newBarrier(), handler);
        this.processor.setExceptionHandler(new SurvivingExceptionHandler());
        ring.addGatingSequences(processor.getSequence());
        this.worker = LibraryThreads.thread("main-queue", processor);
        this.ruleset = 0;
        this.worker.start();
    }

    private MainQueue(final MainQueue shared, final int ruleset)
    {
        this.ring = shared.ring;
        this.processor = shared.processor;
        this.worker = shared.worker;
        this.ruleset = ruleset;
    }

    /**
     * The same queue as seen by an input bound to a ruleset: every slot it hands out (and every
     * message it publishes) carries that ruleset's index, so inputs need not know about rulesets.
     * Only the queue created by the constructor may be closed.
     *
     * @param rulesetIndex index from the engine ({@code SyslogEngine.rulesetIndex}).
     * @return a view sharing this queue's ring and worker.
     */
    public MainQueue boundTo(final int rulesetIndex)
    {
        return new MainQueue(this, rulesetIndex);
    }

    /**
     * Claims the next slot, blocking while the ring is full.
     *
     * @return sequence to fill via {@link #slot(long)} and then {@link #publish(long)}.
     */
    public long claim()
    {
        long seq = tryClaim();
        // The Disruptor's own next() re-polls a full ring every parkNanos(1), tens of thousands of
        // wake-ups a second for as long as a slow output holds the worker back: that cost an input
        // thread more CPU than reading its messages. A full ring drains in milliseconds at best,
        // so waiting up to MAX_FULL_WAIT_NANOS between looks costs no throughput.
        long wait = MIN_FULL_WAIT_NANOS;
        while (seq < 0)
        {
            LockSupport.parkNanos(wait);
            wait = Math.min(MAX_FULL_WAIT_NANOS, wait << 1);
            seq = tryClaim();
        }
        return seq;
    }

    /**
     * Claims the next slot without blocking.
     *
     * @return sequence, or -1 when the ring is full.
     */
    public long tryClaim()
    {
        try
        {
            return ring.tryNext();
        }
        catch (final com.lmax.disruptor.InsufficientCapacityException ex)
        {
            return -1;
        }
    }

    /**
     * Hands a range of filled slots (claimed by this thread, contiguous) to the worker at once: one
     * wake-up of the worker per network read instead of one per message.
     *
     * @param low  first sequence.
     * @param high last sequence.
     */
    public void publish(final long low, final long high)
    {
        ring.publish(low, high);
    }

    /**
     * The slot of a claimed sequence.
     *
     * @param sequence claimed sequence.
     * @return slot.
     */
    public MessageSlot slot(final long sequence)
    {
        final MessageSlot s = ring.get(sequence);
        s.ruleset = ruleset;
        return s;
    }

    /**
     * Hands a filled slot to the worker.
     *
     * @param sequence claimed sequence.
     */
    public void publish(final long sequence)
    {
        ring.publish(sequence);
    }

    /**
     * Copies one message in and publishes it.
     *
     * @param data       bytes.
     * @param offset     first byte.
     * @param length     bytes.
     * @param inputName  inputname.
     * @param fromHost   fromhost.
     * @param fromHostIp fromhost-ip.
     */
    public void publish(final byte[] data, final int offset, final int length, final byte[] inputName,
        final byte[] fromHost, final byte[] fromHostIp)
    {
        final long seq = claim();
        try
        {
            final MessageSlot s = ring.get(seq);
            System.arraycopy(data, offset, s.ensure(length), 0, length);
            s.length = length;
            s.inputName = inputName;
            s.fromHost = fromHost;
            s.fromHostIp = fromHostIp;
            s.ruleset = ruleset;
        }
        finally
        {
            ring.publish(seq);
        }
    }

    /**
     * Messages published but not processed yet.
     *
     * @return count.
     */
    public long backlog()
    {
        return ring.getCursor() - processor.getSequence().get();
    }

    /**
     * The highest sequence whose batch is complete: the worker has run {@link Consumer#onBatchEnd()}
     * (outputs flushed) for it and every sequence before it. imrelp acknowledges by this.
     *
     * @return sequence, -1 before the first batch.
     */
    public long completed()
    {
        return processor.getSequence().get();
    }

    /** Waits until every published message is processed, then stops the worker. */
    @Override
    public void close()
    {
        final long end = ring.getCursor();
        while (processor.getSequence().get() < end && worker.isAlive())
        {
            try
            {
                TimeUnit.MILLISECONDS.sleep(1);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                break;
            }
        }
        processor.halt();
        try
        {
            worker.join(5_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** The rule-engine side of the queue. */
    public interface Consumer
    {
        /**
         * One message (the slot is reused after the call returns).
         *
         * @param slot message.
         */
        void onMessage(MessageSlot slot);

        /** The end of a batch: flush outputs, apply pending HUP. */
        void onBatchEnd();

        /** No message for a while: retry suspended outputs. */
        default void onIdle()
        {
        }
    }

    /**
     * What the worker does with an exception a message or an output threw: report it (the first few
     * of each kind) and go on with the next message. The default handler would end the thread, and
     * with it every output, while the inputs kept accepting.
     */
    private static final class SurvivingExceptionHandler implements com.lmax.disruptor.ExceptionHandler<MessageSlot>
    {
        private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MainQueue.class);
        private final java.util.Map<Class<?>, Integer> seen = new java.util.HashMap<>();

        @Override
        public void handleEventException(final Throwable ex, final long sequence, final MessageSlot event)
        {
            report("processing message " + sequence, ex);
        }

        @Override
        public void handleOnStartException(final Throwable ex)
        {
            report("starting", ex);
        }

        @Override
        public void handleOnShutdownException(final Throwable ex)
        {
            report("stopping", ex);
        }

        private void report(final String what, final Throwable ex)
        {
            final int n = seen.merge(ex.getClass(), 1, Integer::sum);
            if (n <= 3)
            {
                LOG.error("syslog main queue: {} failed, going on with the next message{}", what,
                    n == 3 ? " (further " + ex.getClass().getSimpleName() + "s are not reported)" : "", ex);
            }
        }
    }

    /** A reusable message slot of the ring. */
    public static final class MessageSlot
    {
        /** Message bytes (grown as needed, never shrunk). */
        public byte[] data = new byte[512];
        /** Valid bytes. */
        public int length;
        /** {@code inputname}. */
        public byte[] inputName;
        /** {@code fromhost}. */
        public byte[] fromHost;
        /** {@code fromhost-ip}. */
        public byte[] fromHostIp;
        /** The ruleset of the input it came from (engine index; 0 = the default binding). */
        public int ruleset;

        /**
         * Makes room for a message.
         *
         * @param n bytes.
         * @return the array to fill.
         */
        public byte[] ensure(final int n)
        {
            if (data.length < n)
            {
                data = new byte[Math.max(n, data.length * 2)];
            }
            return data;
        }
    }
}
