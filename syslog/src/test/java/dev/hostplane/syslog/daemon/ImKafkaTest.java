package dev.hostplane.syslog.daemon;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * imkafka against a real broker ({@link KafkaBroker}): records written by the Java producer reach
 * omfile with the same bytes rsyslogd's own imkafka (Debian rsyslog-kafka) writes for the same
 * config, with and without parseHostname; and a round trip omkafka → broker → imkafka → omfile
 * delivers every message.
 */
class ImKafkaTest
{
    private static final int MESSAGES = 5_000;
    private static final Path RSYSLOG_IMKAFKA = Path.of("/usr/lib/x86_64-linux-gnu/rsyslog/imkafka.so");
    private static final String TEMPLATE = "template(name=\"p\" type=\"string\" " +
        "string=\"%hostname%|%syslogtag%|%programname%|%msg%|%inputname%|%fromhost%|%fromhost-ip%|%pri-text%\\n\")\n";

    private static KafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() throws IOException
    {
        broker = KafkaBroker.shared();
    }

    private static void produce(final String topic, final List<String> values) throws Exception
    {
        final Properties p = new Properties();
        p.setProperty("bootstrap.servers", broker.bootstrap());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
            new ByteArraySerializer()))
        {
            for (final String v : values)
            {
                producer.send(new ProducerRecord<>(topic, v.getBytes(StandardCharsets.UTF_8))).get();
            }
        }
    }

    private static String body(final String topic, final String group, final String parseHostname, final Path out)
    {
        return "module(load=\"imkafka\")\n" + TEMPLATE +
            "input(type=\"imkafka\" broker=[\"" + broker.bootstrap() + "\"] topic=\"" + topic + "\" consumerGroup=\"" +
            group + "\"" + parseHostname + ")\n" +
            "action(type=\"omfile\" file=\"" + out + "\" template=\"p\")\n";
    }

    @Test
    void shouldWriteTheSameFileAsRsyslogdsImkafkaWithAndWithoutParseHostname() throws Exception
    {
        if (!Rsyslogd.available())
        {
            return;
        }
        if (!Files.exists(RSYSLOG_IMKAFKA))
        {
            System.out.println("SKIP imkafka differential: " + RSYSLOG_IMKAFKA + " not found (apt-get install -y rsyslog-kafka)");
            return;
        }
        final List<String> values = new ArrayList<>();
        for (int i = 0; i < 200; i++)
        {
            values.add(DaemonTestSupport.seqMessage(i));
        }
        values.add("<34>1 2026-11-03T08:01:02.123Z host5 app 42 ID7 [a@1 b=\"c\"] rfc5424 message");
        values.add("no header at all");
        values.add("<13>Nov 26 10:00:00 [10.0.0.1] app: bracketed");
        values.add("");
        for (final String parseHostname : new String[] {"", " parseHostname=\"on\""})
        {
            final String topic = "i19-imkafka-diff" + (parseHostname.isEmpty() ? "" : "-ph");
            produce(topic, values);
            final Path rsOut = dir.resolve("rs" + parseHostname.length() + ".log");
            final Path hpOut = dir.resolve("hp" + parseHostname.length() + ".log");
            final Path rsDir = Files.createDirectories(dir.resolve("rsyslogd" + parseHostname.length()));
            // One consumer group per daemon and topic: a group a stopped member did not leave cleanly waits out
            // its session timeout before it hands the partition to a new member.
            final int lines = values.size() - 1;
            try (Rsyslogd rs = Rsyslogd.start(rsDir, body(topic, topic + "-rsyslogd", parseHostname, rsOut)))
            {
                assertThat(DaemonTestSupport.await(() -> DaemonTestSupport.lineCount(rsOut) >= lines))
                    .as("rsyslogd imkafka wrote %d lines", lines).isTrue();
            }
            try (dev.hostplane.syslog.daemon.SyslogDaemon d = DaemonTestSupport.start(body(topic, topic + "-hostplane",
                parseHostname, hpOut)))
            {
                assertThat(DaemonTestSupport.await(() -> DaemonTestSupport.lineCount(hpOut) >= lines)).isTrue();
            }
            System.out.println("imkafka differential" + parseHostname + ", first lines of rsyslogd's file: " +
                DaemonTestSupport.lines(rsOut).subList(0, 2) + " ... " + DaemonTestSupport.lines(rsOut).subList(lines - 3, lines));
            assertThat(Files.readString(hpOut, StandardCharsets.ISO_8859_1)).as("parseHostname=%s", parseHostname)
                .isEqualTo(Files.readString(rsOut, StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void shouldCarryEveryMessageThroughOmkafkaBrokerImkafkaToOmfile() throws Exception
    {
        final String topic = "i19-kafka-roundtrip";
        final Path out = dir.resolve("roundtrip.log");
        final String producerConfig = "module(load=\"imtcp\")\nmodule(load=\"omkafka\")\n" +
            "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\")\n" +
            "template(name=\"raw\" type=\"string\" string=\"%rawmsg%\")\n" +
            "action(type=\"omkafka\" broker=[\"" + broker.bootstrap() + "\"] topic=\"" + topic + "\" template=\"raw\")\n";
        final String consumerConfig = "module(load=\"imkafka\")\n" +
            "template(name=\"t\" type=\"string\" string=\"%hostname% %syslogtag%%msg%\\n\")\n" +
            "input(type=\"imkafka\" broker=[\"" + broker.bootstrap() + "\"] topic=\"" + topic +
            "\" consumerGroup=\"roundtrip\" parseHostname=\"on\")\n" +
            "action(type=\"omfile\" file=\"" + out + "\" template=\"t\")\n";
        try (dev.hostplane.syslog.daemon.SyslogDaemon consumer = DaemonTestSupport.start(consumerConfig);
             dev.hostplane.syslog.daemon.SyslogDaemon producer = DaemonTestSupport.start(producerConfig))
        {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), producer.ports().get(0)))
            {
                DaemonTestSupport.sendSeq(s.getOutputStream(), 0, MESSAGES);
            }
            assertThat(DaemonTestSupport.await(() -> DaemonTestSupport.lineCount(out) >= MESSAGES)).isTrue();
        }
        final List<String> expected = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++)
        {
            final String m = DaemonTestSupport.seqMessage(i);
            expected.add(m.substring(m.indexOf(" web") + 1));
        }
        assertThat(DaemonTestSupport.lines(out)).containsExactlyElementsOf(expected);
    }
}
