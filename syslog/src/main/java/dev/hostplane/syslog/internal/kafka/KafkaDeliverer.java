package dev.hostplane.syslog.internal.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Properties;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
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
    private final Object lock = new Object();
    private final ArrayDeque<long[]> pending = new ArrayDeque<>();

    private KafkaProducer<byte[], byte[]> producer;
    private long written;
    private long confirmed;
    private long refused;
    private int generation;
    private int roundRobin;
    private Exception failure;

    /**
     * Creates the transport.
     *
     * @param config         producer properties (bootstrap servers and translated confParams).
     * @param target         brokers and topic, for messages.
     * @param fixedPartition a partition to use always, {@link #PARTITION_AUTO}, or -2 for rsyslog's
     *                       round robin over {@code partitions}.
     * @param partitions     {@code partitions.number} (round robin).
     * @param errorFile      where refused records are recorded (may be null).
     */
    KafkaDeliverer(final Properties config, final String target, final int fixedPartition, final int partitions,
        final Path errorFile)
    {
        this.config = config;
        this.target = target;
        this.fixedPartition = fixedPartition;
        this.partitions = Math.max(1, partitions);
        this.errorFile = errorFile;
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
        synchronized (lock)
        {
            generation++;
            written = 0;
            confirmed = 0;
            pending.clear();
            failure = null;
        }
    }

    @Override
    public void write(final byte[] data, final int offset, final int length) throws IOException
    {
        final KafkaRecords.Record r = KafkaRecords.unpack(data, offset, length);
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
        final long[] entry;
        final int gen;
        synchronized (lock)
        {
            written += length;
            entry = new long[] {written, 0};
            pending.add(entry);
            gen = generation;
        }
        try
        {
            producer.send(new ProducerRecord<>(r.topic, partition, r.key, r.value), new Ack(gen, entry, r.value));
        }
        catch (final RuntimeException ex)
        {
            throw new IOException("Kafka send to " + target + " failed: " + ex, ex);
        }
    }

    @Override
    public void flush()
    {
        // The producer sends by itself (linger.ms); acknowledgements are polled in confirmedBytes().
    }

    @Override
    public long confirmedBytes() throws IOException
    {
        synchronized (lock)
        {
            if (null != failure)
            {
                throw new IOException("Kafka write to " + target + " failed: " + failure, failure);
            }
            return advance();
        }
    }

    @Override
    public long confirmedAfterFailure()
    {
        synchronized (lock)
        {
            return advance();
        }
    }

    /** Under the lock: the end of the longest prefix of records the broker acknowledged. */
    private long advance()
    {
        while (!pending.isEmpty() && pending.peek()[1] != 0)
        {
            confirmed = pending.poll()[0];
        }
        return confirmed;
    }

    @Override
    public long writtenBytes()
    {
        synchronized (lock)
        {
            return written;
        }
    }

    @Override
    public void reset()
    {
        final KafkaProducer<byte[], byte[]> p = producer;
        producer = null;
        synchronized (lock)
        {
            // Late callbacks of the closed producer belong to an older generation and are ignored.
            generation++;
            pending.clear();
            failure = null;
        }
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
        synchronized (lock)
        {
            return refused;
        }
    }

    /** The producer's completion callback for one record. */
    private final class Ack implements Callback
    {
        private final int gen;
        private final long[] entry;
        private final byte[] value;

        Ack(final int gen, final long[] entry, final byte[] value)
        {
            this.gen = gen;
            this.entry = entry;
            this.value = value;
        }

        @Override
        public void onCompletion(final RecordMetadata metadata, final Exception ex)
        {
            synchronized (lock)
            {
                if (gen != generation)
                {
                    return;
                }
                if (null == ex)
                {
                    entry[1] = 1;
                }
                else if (ex instanceof RetriableException)
                {
                    if (null == failure)
                    {
                        failure = ex;
                    }
                }
                else
                {
                    refused++;
                    entry[1] = 1;
                    recordError(value, ex);
                }
            }
        }
    }

    /** One JSON line per refused record, with the fields rsyslog's omkafka writes. */
    private void recordError(final byte[] value, final Exception ex)
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
