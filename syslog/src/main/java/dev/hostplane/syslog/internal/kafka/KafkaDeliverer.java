package dev.hostplane.syslog.internal.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hostplane.syslog.internal.message.ByteSink;
import dev.hostplane.syslog.internal.message.Json;
import dev.hostplane.syslog.internal.queue.Deliverer;

/**
 * omkafka's transport: sends each queued record with the official Java producer and counts it as
 * delivered only when the broker acknowledged the write (the producer's {@code acks}, "all" by
 * default). The action queue keeps every message until then, so a broker that is down means
 * messages wait in the queue (and its disk spool, if configured) and go out when it is back.
 *
 * <p>Records in the queue are packed by {@link KafkaRecords}: topic, key, value. Failures the client
 * calls retriable (broker unreachable, leader moving, timeouts) make the queue re-send everything
 * not yet acknowledged on a fresh producer; a record the broker refuses for good (too large, topic
 * invalid, not authorised) is written to {@code errorFile} as rsyslog's omkafka does and skipped.
 *
 * <p>All methods run on the action queue's worker thread. The records in flight are tracked by the
 * futures {@code send} returns, in a ring only that thread touches, and looked at when the queue asks
 * what is confirmed: no completion callback, so the producer's I/O thread and the worker share no
 * lock and nothing is allocated per record beyond what the client itself needs.
 */
final class KafkaDeliverer implements Deliverer
{
    private static final Logger LOG = LoggerFactory.getLogger(KafkaDeliverer.class);

    /** {@code partitions.auto="on"}: the client's partitioner chooses. */
    static final int PARTITION_AUTO = -1;

    private final Properties config;
    private final String target;
    private final int fixedPartition;
    private final int partitions;
    private final Path errorFile;
    /** The topic whose metadata is fetched ahead of the first message, or null (dynaTopic). */
    private final String staticTopic;
    private final AtomicLong refused = new AtomicLong();

    private KafkaProducer<byte[], byte[]> producer;
    private KafkaRecords.Record previous;
    private long written;
    private long confirmed;
    private int roundRobin;
    /** Records sent and not yet looked at, oldest at {@code head}; grows to the queue's batch in flight. */
    private Future<?>[] inFlight = new Future<?>[256];
    private long[] ends = new long[256];
    private byte[][] values = new byte[256][];
    private int head;
    private int count;

    /**
     * Creates the transport.
     *
     * @param config         producer properties (bootstrap servers and translated confParams).
     * @param target         brokers and topic, for messages.
     * @param fixedPartition a partition to use always, {@link #PARTITION_AUTO}, or -2 for rsyslog's
     *                       round robin over {@code partitions}.
     * @param partitions     {@code partitions.number} (round robin).
     * @param errorFile      where refused records are recorded (may be null).
     * @param staticTopic    the one topic of the action, or null when it is a dynaTopic.
     */
    KafkaDeliverer(final Properties config, final String target, final int fixedPartition, final int partitions,
        final Path errorFile, final String staticTopic)
    {
        this.staticTopic = staticTopic;
        this.config = config;
        this.target = target;
        this.fixedPartition = fixedPartition;
        this.partitions = Math.max(1, partitions);
        this.errorFile = errorFile;
    }

    /**
     * A producer costs a few hundred classes, its configuration, metrics and an idempotent-producer
     * handshake, and its first send waits for the topic's metadata: all of that happens when the
     * daemon starts, not on the first messages.
     */
    @Override
    public boolean startsWithDaemon()
    {
        return true;
    }

    @Override
    public void prepare() throws IOException
    {
        open();
        if (null != staticTopic)
        {
            try
            {
                producer.partitionsFor(staticTopic);
            }
            catch (final RuntimeException ex)
            {
                throw new IOException("Kafka metadata of " + target + ": " + ex, ex);
            }
        }
    }

    @Override
    public void open() throws IOException
    {
        if (null != producer)
        {
            return;
        }
        try
        {
            producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        }
        catch (final RuntimeException ex)
        {
            throw new IOException("cannot create a Kafka producer for " + target + ": " + ex.getMessage(), ex);
        }
        written = 0;
        confirmed = 0;
        clearInFlight();
    }

    @Override
    public void write(final byte[] data, final int offset, final int length) throws IOException
    {
        final KafkaRecords.Record r = KafkaRecords.unpack(data, offset, length, previous);
        previous = r;
        final Integer partition;
        if (fixedPartition >= 0)
        {
            partition = fixedPartition;
        }
        else if (fixedPartition == PARTITION_AUTO)
        {
            partition = null;
        }
        else
        {
            // rsyslog increments before it takes the remainder: the first record goes to 1 % n.
            roundRobin++;
            partition = Integer.remainderUnsigned(roundRobin, partitions);
        }
        final Future<?> sent;
        try
        {
            sent = producer.send(new ProducerRecord<>(r.topic, partition, r.key, r.value));
        }
        catch (final RuntimeException ex)
        {
            throw new IOException("Kafka send to " + target + " failed: " + ex, ex);
        }
        written += length;
        if (count == inFlight.length)
        {
            grow();
        }
        final int slot = (head + count) & (inFlight.length - 1);
        inFlight[slot] = sent;
        ends[slot] = written;
        values[slot] = r.value;
        count++;
    }

    @Override
    public void flush()
    {
        // The producer sends by itself (linger.ms); acknowledgements are looked at in confirmedBytes().
    }

    @Override
    public long confirmedBytes() throws IOException
    {
        final Throwable failure = advance();
        if (null != failure)
        {
            throw new IOException("Kafka write to " + target + " failed: " + failure, failure);
        }
        return confirmed;
    }

    @Override
    public long confirmedAfterFailure()
    {
        // Acknowledgements are the broker's: those that arrived before a failure stay valid.
        advance();
        return confirmed;
    }

    /**
     * Moves {@code confirmed} over the longest prefix of finished records: acknowledged ones, and
     * refused ones (recorded in errorFile, never to be sent again).
     *
     * @return the retriable failure of the oldest unfinished record, or null.
     */
    private Throwable advance()
    {
        final int mask = inFlight.length - 1;
        while (count > 0)
        {
            final Future<?> f = inFlight[head];
            if (!f.isDone())
            {
                return null;
            }
            try
            {
                f.get();
            }
            catch (final ExecutionException ex)
            {
                final Throwable cause = null == ex.getCause() ? ex : ex.getCause();
                if (cause instanceof RetriableException)
                {
                    return cause;
                }
                refused.incrementAndGet();
                recordError(values[head], cause);
            }
            catch (final InterruptedException ex)
            {
                // Not reached: a done future does not wait.
                Thread.currentThread().interrupt();
                return ex;
            }
            confirmed = ends[head];
            inFlight[head] = null;
            values[head] = null;
            head = (head + 1) & mask;
            count--;
        }
        return null;
    }

    private void grow()
    {
        final int size = inFlight.length;
        final Future<?>[] f = new Future<?>[size << 1];
        final long[] e = new long[size << 1];
        final byte[][] v = new byte[size << 1][];
        for (int i = 0; i < count; i++)
        {
            final int from = (head + i) & (size - 1);
            f[i] = inFlight[from];
            e[i] = ends[from];
            v[i] = values[from];
        }
        inFlight = f;
        ends = e;
        values = v;
        head = 0;
    }

    private void clearInFlight()
    {
        java.util.Arrays.fill(inFlight, null);
        java.util.Arrays.fill(values, null);
        head = 0;
        count = 0;
    }

    @Override
    public long writtenBytes()
    {
        return written;
    }

    @Override
    public void reset()
    {
        final KafkaProducer<byte[], byte[]> p = producer;
        producer = null;
        // What the closed producer still had is sent again by the queue on the next producer.
        clearInFlight();
        if (null != p)
        {
            p.close(Duration.ZERO);
        }
    }

    @Override
    public String target()
    {
        return target;
    }

    /**
     * Records the broker refused for good since start.
     *
     * @return count.
     */
    long refused()
    {
        return refused.get();
    }

    /** One JSON line per refused record, with the fields rsyslog's omkafka writes. */
    private void recordError(final byte[] value, final Throwable ex)
    {
        LOG.warn("omkafka {}: record refused by the broker ({}); {}", target, ex.toString(),
            null == errorFile ? "no errorFile configured, it is dropped" : "recorded in " + errorFile);
        if (null == errorFile)
        {
            return;
        }
        final ByteSink line = new ByteSink();
        line.putLatin1("{ \"errcode\": ").putLong(Errors.forException(ex).code()).putLatin1(", \"errmsg\": ");
        Json.quote(String.valueOf(ex.getMessage()), line);
        line.putLatin1(", \"data\": ");
        Json.quote(new String(value, StandardCharsets.ISO_8859_1), line);
        line.putLatin1(" }\n");
        try
        {
            Files.write(errorFile, java.util.Arrays.copyOf(line.array(), line.length()), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        }
        catch (final IOException io)
        {
            LOG.error("omkafka {}: cannot append to errorFile {}: {}", target, errorFile, io.toString());
        }
    }
}
