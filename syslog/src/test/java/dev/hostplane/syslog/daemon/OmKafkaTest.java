package dev.hostplane.syslog.daemon;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.hostplane.syslog.SyslogConfigException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * omkafka against a real broker (Apache Kafka in KRaft mode, {@link KafkaBroker}): every message
 * read back with the Java consumer and with Debian's kcat; the broker stopped mid-stream and
 * restarted loses nothing; a record the client refuses goes to errorFile and the stream goes on;
 * librdkafka confParam names are translated or refused with file:line:column; and rsyslogd's own
 * omkafka (Debian rsyslog-kafka) writes the same multiset of records for the same config.
 */
class OmKafkaTest
{
    private static final int MESSAGES = 10_000;
    /** The differential with rsyslogd's omkafka sends this many (the acceptance count). */
    private static final int DIFF_MESSAGES = 20_000;
    private static final Path RSYSLOG_OMKAFKA = Path.of("/usr/lib/x86_64-linux-gnu/rsyslog/omkafka.so");

    private static KafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() throws IOException
    {
        broker = KafkaBroker.shared();
    }

    private String config(final String topic, final String extra)
    {
        return "module(load=\"imtcp\")\nmodule(load=\"omkafka\")\n" +
            "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\")\n" +
            "template(name=\"kv\" type=\"string\" string=\"%hostname% %syslogtag%%msg%\")\n" +
            "action(type=\"omkafka\" broker=[\"" + broker.bootstrap() + "\"] topic=\"" + topic + "\" template=\"kv\"" +
            extra + ")\n";
    }

    private static List<String> expected(final int from, final int to)
    {
        final List<String> v = new ArrayList<>();
        for (int i = from; i < to; i++)
        {
            final String m = DaemonTestSupport.seqMessage(i);
            // "<PRI>Nov 26 10:mm:ss webNN app[n]: seq=..." -> "webNN app[n]: seq=..."
            v.add(m.substring(m.indexOf(" web") + 1));
        }
        return v;
    }

    @Test
    void shouldWriteEveryMessageOnlyOnceAndInOrderReadBackByTheJavaConsumerAndKcat() throws Exception
    {
        final String topic = "i19-omkafka-order";
        try (dev.hostplane.syslog.daemon.SyslogDaemon d = DaemonTestSupport.start(config(topic, "")))
        {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), d.ports().get(0)))
            {
                DaemonTestSupport.sendSeq(s.getOutputStream(), 0, MESSAGES);
            }
            final List<ConsumerRecord<byte[], byte[]>> records = broker.readAll(topic, MESSAGES, Duration.ofSeconds(60));
            assertThat(KafkaBroker.values(records)).containsExactlyElementsOf(expected(0, MESSAGES));
            assertThat(records).allSatisfy(r -> assertThat(r.key()).isNull());
        }
        final Path kcat = Path.of("/usr/bin/kcat");
        if (!Files.isExecutable(kcat))
        {
            System.out.println("SKIP kcat read-back: /usr/bin/kcat not found (apt-get install -y kcat)");
            return;
        }
        final Process p = new ProcessBuilder(kcat.toString(), "-b", broker.bootstrap(), "-C", "-t", topic, "-o",
            "beginning", "-e", "-q", "-D", "\n").redirectError(dir.resolve("kcat.err").toFile()).start();
        final byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        final List<String> lines = new ArrayList<>(List.of(new String(out, StandardCharsets.UTF_8).split("\n")));
        assertThat(lines).as("kcat %s", Files.readString(dir.resolve("kcat.err"))).containsExactlyElementsOf(expected(0, MESSAGES));
    }

    @Test
    void shouldSetTheProducerUpWhenTheDaemonStartsNotWithTheFirstMessage() throws Exception
    {
        final String topic = "i19-omkafka-early";
        try (dev.hostplane.syslog.daemon.SyslogDaemon d = DaemonTestSupport.start(config(topic, ""));
            org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", broker.bootstrap())))
        {
            // No message sent yet: the producer's metadata request for the topic has created it.
            assertThat(DaemonTestSupport.await(() -> topicExists(admin, topic)))
                .as("topic created by the producer the daemon set up at start").isTrue();
            DaemonTestSupport.sendTcp(d.ports().get(0), "<13>Nov 26 10:00:00 web01 app[1]: first\n");
            assertThat(KafkaBroker.values(broker.readAll(topic, 1, Duration.ofSeconds(60))))
                .containsExactly("web01 app[1]: first");
        }
    }

    private static boolean topicExists(final org.apache.kafka.clients.admin.Admin admin, final String topic)
    {
        try
        {
            return admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic);
        }
        catch (final Exception ex)
        {
            return false;
        }
    }

    @Test
    void shouldLoseNothingWhenTheBrokerStopsMidStreamAndComesBack() throws Exception
    {
        final String topic = "i19-omkafka-restart";
        try (dev.hostplane.syslog.daemon.SyslogDaemon d = DaemonTestSupport.start(config(topic, "")))
        {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), d.ports().get(0)))
            {
                final OutputStream out = s.getOutputStream();
                DaemonTestSupport.sendSeq(out, 0, MESSAGES / 2);
                assertThat(broker.readAll(topic, MESSAGES / 2, Duration.ofSeconds(60))).hasSize(MESSAGES / 2);
                broker.stop();
                // These wait in the action queue while the broker is down.
                DaemonTestSupport.sendSeq(out, MESSAGES / 2, MESSAGES);
                Thread.sleep(3_000);
                broker.start();
            }
            final List<String> got = KafkaBroker.values(broker.readAll(topic, MESSAGES, Duration.ofSeconds(90)));
            final Map<String, Integer> counts = new HashMap<>();
            got.forEach(v -> counts.merge(v, 1, Integer::sum));
            assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(expected(0, MESSAGES));
            final long duplicates = got.size() - counts.size();
            System.out.println("omkafka broker restart: " + MESSAGES + " messages, " + got.size() + " records, " +
                duplicates + " duplicates (at-least-once while the broker was down)");
        }
        finally
        {
            KafkaBroker.shared();
        }
    }

    @Test
    void shouldRecordARefusedMessageInErrorFileAndDeliverTheRest() throws Exception
    {
        final String topic = "i19-omkafka-errorfile";
        final Path errorFile = dir.resolve("kafka-errors.json");
        final String config = config(topic, " confParam=[\"message.max.bytes=2000\"] errorFile=\"" + errorFile + "\"");
        try (dev.hostplane.syslog.daemon.SyslogDaemon d = DaemonTestSupport.start(config))
        {
            final String big = "<13>Nov 26 10:00:00 web01 app[1]: big " + "x".repeat(5000) + "\n";
            DaemonTestSupport.sendTcp(d.ports().get(0), "<13>Nov 26 10:00:00 web01 app[1]: before\n" + big +
                "<13>Nov 26 10:00:00 web01 app[1]: after\n");
            assertThat(KafkaBroker.values(broker.readAll(topic, 2, Duration.ofSeconds(60))))
                .containsExactly("web01 app[1]: before", "web01 app[1]: after");
            assertThat(DaemonTestSupport.await(() -> DaemonTestSupport.lineCount(errorFile) == 1)).isTrue();
            final String line = Files.readString(errorFile);
            assertThat(line).startsWith("{ \"errcode\": ").contains("\"errmsg\": ").contains("\"data\": \"web01 app[1]: big xxx");
        }
    }

    @Test
    void shouldRefuseALibrdkafkaPropertyWithoutAJavaEquivalentNamingFileLineAndColumn()
    {
        final String config = config("i19-omkafka-refused", "\n    confParam=[\"compression.codec=lz4\", \"batch.num.messages=100\"]");
        assertThatThrownBy(() -> DaemonTestSupport.start(config))
            .isInstanceOf(SyslogConfigException.class)
            .hasMessageContaining("test.conf:6:5")
            .hasMessageContaining("batch.num.messages")
            .hasMessageContaining("batch.size");
    }

    @Test
    void shouldWriteTheSameRecordsAsRsyslogdsOmkafka() throws Exception
    {
        if (!Rsyslogd.available())
        {
            return;
        }
        if (!Files.exists(RSYSLOG_OMKAFKA))
        {
            System.out.println("SKIP rsyslogd omkafka differential: " + RSYSLOG_OMKAFKA +
                " not found (apt-get install -y rsyslog-kafka)");
            return;
        }
        final String rsTopic = "i19-omkafka-diff-rsyslogd";
        final String hpTopic = "i19-omkafka-diff-hostplane";
        final String body = "module(load=\"imtcp\")\nmodule(load=\"omkafka\")\n" +
            "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\" listenPortFileName=\"" + dir.resolve("port") + "\")\n" +
            "template(name=\"kv\" type=\"string\" string=\"%hostname% %syslogtag%%msg%\")\n" +
            "action(type=\"omkafka\" broker=[\"" + broker.bootstrap() + "\"] topic=\"" + rsTopic + "\" template=\"kv\")\n";
        try (Rsyslogd rs = Rsyslogd.start(dir, body))
        {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), rs.port("port")))
            {
                DaemonTestSupport.sendSeq(s.getOutputStream(), 0, DIFF_MESSAGES);
            }
            final List<String> rsValues = KafkaBroker.values(broker.readAll(rsTopic, DIFF_MESSAGES, Duration.ofSeconds(90)));
            try (dev.hostplane.syslog.daemon.SyslogDaemon d = DaemonTestSupport.start(config(hpTopic, "")))
            {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), d.ports().get(0)))
                {
                    DaemonTestSupport.sendSeq(s.getOutputStream(), 0, DIFF_MESSAGES);
                }
                final List<String> hpValues = KafkaBroker.values(broker.readAll(hpTopic, DIFF_MESSAGES, Duration.ofSeconds(90)));
                final List<String> a = new ArrayList<>(rsValues);
                final List<String> b = new ArrayList<>(hpValues);
                Collections.sort(a);
                Collections.sort(b);
                assertThat(a).hasSize(DIFF_MESSAGES);
                assertThat(b).isEqualTo(a);
            }
        }
    }
}
