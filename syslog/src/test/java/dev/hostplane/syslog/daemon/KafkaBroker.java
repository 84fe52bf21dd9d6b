package dev.hostplane.syslog.daemon;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A real Apache Kafka broker for tests: the Maven Central {@code kafka_2.13} server in KRaft mode
 * (one node, broker and controller) in a child JVM, with a temporary log directory and listeners on
 * 127.0.0.1 only. One broker serves every Kafka test of a run ({@link #shared()}): starting one costs
 * seconds. It can be stopped and started again on the same ports and data (the restart tests).
 */
final class KafkaBroker implements AutoCloseable
{
    private static KafkaBroker shared;

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private Process process;

    private KafkaBroker(final Path dir, final int port, final int controllerPort)
    {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /**
     * The broker of this test run, started on first use and stopped when the JVM exits.
     *
     * @return the running broker.
     * @throws IOException when it cannot be started.
     */
    static synchronized KafkaBroker shared() throws IOException
    {
        if (null == shared)
        {
            final KafkaBroker b = create();
            b.start();
            Runtime.getRuntime().addShutdownHook(new Thread(b::close, "kafka-broker-stop"));
            shared = b;
        }
        else if (!shared.running())
        {
            shared.start();
        }
        return shared;
    }

    private static KafkaBroker create() throws IOException
    {
        final Path dir = Files.createTempDirectory("i19-kafka-broker-");
        final int port = freePort();
        int controller = freePort();
        while (controller == port)
        {
            controller = freePort();
        }
        final KafkaBroker b = new KafkaBroker(dir, port, controller);
        final String props = String.join("\n",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.voters=1@127.0.0.1:" + controller,
            "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
            "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "log.dirs=" + dir.resolve("data"),
            "num.partitions=1",
            "auto.create.topics.enable=true",
            // Records stamped with an old message time (rsyslog's omkafka) must not be deleted by time-based retention.
            "log.retention.ms=-1",
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=1",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            "log.flush.interval.messages=1",
            "") ;
        Files.writeString(b.config(), props);
        final Process format = b.java("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c",
            b.config().toString(), "--ignore-formatted").redirectOutput(dir.resolve("format.log").toFile())
            .redirectErrorStream(true).start();
        try
        {
            if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0)
            {
                format.destroyForcibly();
                throw new IOException("kafka storage format failed: " + Files.readString(dir.resolve("format.log")));
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while formatting the broker's storage", ex);
        }
        return b;
    }

    private Path config()
    {
        return dir.resolve("server.properties");
    }

    private ProcessBuilder java(final String main, final String... args)
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Dlog4j2.level=WARN");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main);
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(dir.toFile());
    }

    /**
     * Starts (or restarts) the broker process and waits until it serves clients.
     *
     * @throws IOException when it does not come up within two minutes.
     */
    synchronized void start() throws IOException
    {
        if (running())
        {
            return;
        }
        process = java("kafka.Kafka", config().toString()).redirectOutput(
            ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile())).redirectErrorStream(true).start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline)
        {
            if (!process.isAlive())
            {
                throw new IOException("kafka broker exited: " + tail());
            }
            if (listening() && metadataReady())
            {
                return;
            }
            sleep(200);
        }
        throw new IOException("kafka broker did not come up within 120 s: " + tail());
    }

    private boolean listening()
    {
        try (Socket s = new Socket())
        {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private boolean metadataReady()
    {
        final Properties p = new Properties();
        p.setProperty("bootstrap.servers", bootstrap());
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(p))
        {
            admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
            return true;
        }
        catch (final Exception ex)
        {
            return false;
        }
    }

    /** Stops the broker process (SIGTERM: a clean shutdown), keeping its data for a restart. */
    synchronized void stop()
    {
        if (null == process)
        {
            return;
        }
        process.destroy();
        try
        {
            if (!process.waitFor(60, TimeUnit.SECONDS))
            {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    synchronized boolean running()
    {
        return null != process && process.isAlive();
    }

    /** host:port for clients. */
    String bootstrap()
    {
        return "127.0.0.1:" + port;
    }

    /**
     * Reads every record of a topic (partition 0 .. partitions-1) from the beginning with the Java
     * consumer, until {@code expected} records were seen or the timeout passed.
     *
     * @param topic    topic.
     * @param expected how many records to wait for.
     * @param timeout  how long to wait.
     * @return the values (and keys) in partition order.
     */
    List<ConsumerRecord<byte[], byte[]>> readAll(final String topic, final int expected, final Duration timeout)
    {
        final Properties p = new Properties();
        p.setProperty("bootstrap.servers", bootstrap());
        p.setProperty("enable.auto.commit", "false");
        final List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer()))
        {
            final List<TopicPartition> parts = new ArrayList<>();
            final long deadline = System.nanoTime() + timeout.toNanos();
            while (parts.isEmpty() && System.nanoTime() < deadline)
            {
                c.partitionsFor(topic, Duration.ofSeconds(5)).forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            while (out.size() < expected && System.nanoTime() < deadline)
            {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /**
     * Values of {@link #readAll} as text.
     *
     * @param records records.
     * @return values.
     */
    static List<String> values(final List<ConsumerRecord<byte[], byte[]>> records)
    {
        final List<String> v = new ArrayList<>(records.size());
        records.forEach(r -> v.add(new String(r.value(), StandardCharsets.UTF_8)));
        return v;
    }

    private String tail()
    {
        try
        {
            final List<String> lines = Files.readAllLines(dir.resolve("broker.log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        }
        catch (final IOException ex)
        {
            return "(no broker log: " + ex + ")";
        }
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket s = new ServerSocket())
        {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    private static void sleep(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close()
    {
        stop();
        try (Stream<Path> walk = Files.walk(dir))
        {
            walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
        catch (final IOException ex)
        {
            // a temp directory left behind is harmless
        }
    }
}
