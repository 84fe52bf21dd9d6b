package dev.hostplane.syslog.internal.input;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.hostplane.syslog.internal.queue.MainQueue;
import dev.hostplane.syslog.internal.thread.LibraryThreads;

/**
 * imkafka: a consumer in a group reads a topic and hands every non-empty record value to the main
 * queue as a syslog frame, as rsyslog's imkafka does (the value is parsed like any received frame;
 * without {@code parseHostname="on"} no hostname is taken from it). The consumer reconnects by
 * itself while the broker is away; offsets are committed by the client (auto-commit), so a restart
 * continues after what was read.
 */
public final class KafkaInput implements NetInput
{
    private static final Logger LOG = LoggerFactory.getLogger(KafkaInput.class);
    private static final byte[] NONE = {};

    private final InputStats stats;
    private final Thread thread;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean running = true;

    /**
     * Starts consuming.
     *
     * @param config    consumer properties (bootstrap servers, group, translated confParams).
     * @param topic     the topic.
     * @param queue     the main queue (bound to the input's ruleset).
     * @param inputName the inputname bytes the parser sees (see {@code MessageParser}).
     */
    public KafkaInput(final Properties config, final String topic, final MainQueue queue, final byte[] inputName)
    {
        final String name = "imkafka:" + config.getProperty("bootstrap.servers") + "/" + topic;
        this.stats = new InputStats(name);
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        this.thread = LibraryThreads.thread("imkafka", () -> run(queue, inputName));
        thread.start();
    }

    private void run(final MainQueue queue, final byte[] inputName)
    {
        try
        {
            while (running)
            {
                final ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                for (final ConsumerRecord<byte[], byte[]> r : records)
                {
                    final byte[] v = r.value();
                    if (null == v || v.length == 0)
                    {
                        // rsyslog's imkafka does not process empty records either.
                        stats.empty(r.topic() + "/" + r.partition() + "@" + r.offset());
                        continue;
                    }
                    stats.message(v.length);
                    queue.publish(v, 0, v.length, inputName, NONE, NONE);
                }
            }
        }
        catch (final WakeupException ex)
        {
            // close() woke the poll up.
        }
        catch (final RuntimeException ex)
        {
            LOG.error("{}: consumer stopped: {}", stats, ex.toString(), ex);
        }
        finally
        {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    @Override
    public InputStats stats()
    {
        return stats;
    }

    @Override
    public int port()
    {
        return -1;
    }

    @Override
    public void close()
    {
        running = false;
        consumer.wakeup();
        try
        {
            thread.join(10_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** The inputname rsyslog's imkafka gives its messages. */
    public static byte[] inputName()
    {
        return "imkafka".getBytes(StandardCharsets.US_ASCII);
    }
}
