package dev.hostplane.syslog.internal.kafka;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import dev.hostplane.syslog.SyslogException;

/**
 * rsyslog's omkafka/imkafka pass {@code confParam=["name=value", ...]} to librdkafka; this engine
 * runs the official Java client, whose property names differ. Each librdkafka name is translated to
 * its Java equivalent, taken as it is where both clients share it, or refused (naming the parameter
 * and why) where the Java client has nothing that does the same, so a config never silently means
 * something else.
 */
public final class KafkaConfParams
{
    private KafkaConfParams()
    {
    }

    /**
     * Applies {@code confParam} / {@code topicConfParam} entries to Java client properties.
     *
     * @param entries  the "name=value" strings as written.
     * @param consumer whether the properties are for a consumer (imkafka) rather than a producer.
     * @param out      the properties to fill.
     * @throws SyslogException naming the first entry that is malformed or has no Java equivalent.
     */
    public static void apply(final List<String> entries, final boolean consumer, final Properties out)
    {
        for (final String entry : entries)
        {
            final int eq = entry.indexOf('=');
            if (eq <= 0)
            {
                throw new SyslogException("confParam \"" + entry + "\": expected name=value");
            }
            final String name = entry.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            final String value = entry.substring(eq + 1).trim();
            translate(name, value, consumer, out);
        }
    }

    private static void translate(final String name, final String value, final boolean consumer, final Properties out)
    {
        final String same = SAME.get(name);
        if (null != same)
        {
            out.setProperty(same, value);
            return;
        }
        switch (name)
        {
            case "compression.codec":
                out.setProperty("compression.type", value);
                return;
            case "queue.buffering.max.ms":
                out.setProperty("linger.ms", value);
                return;
            case "queue.buffering.max.kbytes":
                out.setProperty("buffer.memory", Long.toString(number(name, value) * 1024L));
                return;
            case "message.timeout.ms":
                out.setProperty("delivery.timeout.ms", value);
                return;
            case "request.required.acks":
                out.setProperty("acks", value);
                return;
            case "message.send.max.retries":
                out.setProperty("retries", value);
                return;
            case "message.max.bytes":
                out.setProperty(consumer ? "max.partition.fetch.bytes" : "max.request.size", value);
                return;
            case "max.in.flight":
                out.setProperty("max.in.flight.requests.per.connection", value);
                return;
            case "topic.metadata.refresh.interval.ms":
                out.setProperty("metadata.max.age.ms", value);
                return;
            case "sasl.mechanisms":
                out.setProperty("sasl.mechanism", value);
                return;
            case "ssl.ca.location":
                out.setProperty("ssl.truststore.type", "PEM");
                out.setProperty("ssl.truststore.location", value);
                return;
            case "auto.offset.reset":
                out.setProperty("auto.offset.reset", "smallest".equals(value) || "beginning".equals(value) ? "earliest" :
                    "largest".equals(value) || "end".equals(value) ? "latest" : value);
                return;
            default:
                break;
        }
        final String why = REFUSED.get(name);
        throw new SyslogException("confParam \"" + name + "\": " + (null != why ? why :
            "not a librdkafka property this engine knows how to map to the Java Kafka client"));
    }

    private static long number(final String name, final String value)
    {
        try
        {
            return Long.parseLong(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new SyslogException("confParam \"" + name + "\": expected a number, got '" + value + "'", ex);
        }
    }

    /** librdkafka names the Java client spells the same and means the same. */
    private static final Map<String, String> SAME = Map.ofEntries(
        Map.entry("client.id", "client.id"),
        Map.entry("acks", "acks"),
        Map.entry("retries", "retries"),
        Map.entry("retry.backoff.ms", "retry.backoff.ms"),
        Map.entry("retry.backoff.max.ms", "retry.backoff.max.ms"),
        Map.entry("request.timeout.ms", "request.timeout.ms"),
        Map.entry("linger.ms", "linger.ms"),
        Map.entry("compression.type", "compression.type"),
        Map.entry("batch.size", "batch.size"),
        Map.entry("enable.idempotence", "enable.idempotence"),
        Map.entry("max.in.flight.requests.per.connection", "max.in.flight.requests.per.connection"),
        Map.entry("metadata.max.age.ms", "metadata.max.age.ms"),
        Map.entry("security.protocol", "security.protocol"),
        Map.entry("sasl.mechanism", "sasl.mechanism"),
        Map.entry("reconnect.backoff.ms", "reconnect.backoff.ms"),
        Map.entry("reconnect.backoff.max.ms", "reconnect.backoff.max.ms"),
        Map.entry("socket.connection.setup.timeout.ms", "socket.connection.setup.timeout.ms"),
        Map.entry("group.id", "group.id"),
        Map.entry("session.timeout.ms", "session.timeout.ms"),
        Map.entry("heartbeat.interval.ms", "heartbeat.interval.ms"),
        Map.entry("max.poll.interval.ms", "max.poll.interval.ms"),
        Map.entry("enable.auto.commit", "enable.auto.commit"),
        Map.entry("auto.commit.interval.ms", "auto.commit.interval.ms"),
        Map.entry("fetch.min.bytes", "fetch.min.bytes"),
        Map.entry("fetch.max.bytes", "fetch.max.bytes"),
        Map.entry("fetch.wait.max.ms", "fetch.max.wait.ms"),
        Map.entry("isolation.level", "isolation.level"),
        Map.entry("partition.assignment.strategy", "partition.assignment.strategy"));

    /** librdkafka names with no Java-client equivalent, and why. */
    private static final Map<String, String> REFUSED = Map.ofEntries(
        Map.entry("batch.num.messages", "librdkafka counts messages per batch; the Java client only limits batch " +
            "bytes (use batch.size)"),
        Map.entry("queue.buffering.max.messages", "the Java client bounds its buffer in bytes only " +
            "(use queue.buffering.max.kbytes, or the action queue's queue.size)"),
        Map.entry("socket.keepalive.enable", "the Java client always enables TCP keepalive and has no switch for it"),
        Map.entry("statistics.interval.ms", "librdkafka's JSON statistics have no Java-client equivalent " +
            "(the Java client exposes metrics instead)"),
        Map.entry("socket.timeout.ms", "the Java client has no per-socket-operation timeout " +
            "(request.timeout.ms bounds requests)"),
        Map.entry("partitioner", "librdkafka's partitioner names have no Java-client equivalent " +
            "(use partitions.auto or partitions.useFixed)"),
        Map.entry("debug", "librdkafka debug contexts have no Java-client equivalent (use SLF4J logging)"),
        Map.entry("api.version.request", "the Java client always negotiates API versions"),
        Map.entry("broker.version.fallback", "the Java client always negotiates API versions"),
        Map.entry("sasl.username", "the Java client takes credentials only through sasl.jaas.config, which this " +
            "engine does not build"),
        Map.entry("sasl.password", "the Java client takes credentials only through sasl.jaas.config, which this " +
            "engine does not build"),
        Map.entry("ssl.certificate.location", "client certificates need a Java keystore; not mapped by this engine"),
        Map.entry("ssl.key.location", "client certificates need a Java keystore; not mapped by this engine"),
        Map.entry("offset.store.method", "the Java client stores offsets only in the broker"));
}
