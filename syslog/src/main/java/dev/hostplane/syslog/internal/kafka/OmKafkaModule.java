package dev.hostplane.syslog.internal.kafka;

import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.List;
import java.util.Properties;

import dev.hostplane.syslog.SyslogException;
import dev.hostplane.syslog.internal.engine.Action;
import dev.hostplane.syslog.internal.forward.QueuedOutput;
import dev.hostplane.syslog.internal.message.ByteSink;
import dev.hostplane.syslog.internal.module.OutputContext;
import dev.hostplane.syslog.internal.module.OutputModule;
import dev.hostplane.syslog.internal.module.Param;
import dev.hostplane.syslog.internal.module.ParamSet;
import dev.hostplane.syslog.internal.module.Params;
import dev.hostplane.syslog.internal.queue.QueueOptions;
import dev.hostplane.syslog.internal.template.Template;

/**
 * {@code action(type="omkafka" ...)} with rsyslog 8.2302's parameters: {@code broker}, {@code topic},
 * {@code dynaTopic}, {@code key}, {@code dynaKey}, {@code template} (default RSYSLOG_FileFormat),
 * {@code partitions.auto}, {@code partitions.number}, {@code partitions.useFixed}, {@code confParam},
 * {@code topicConfParam}, {@code errorFile}, plus the action's {@code queue.*} parameters. librdkafka
 * property names are translated or refused by {@link KafkaConfParams}; a message counts as delivered
 * only when the broker acknowledged it ({@link KafkaDeliverer}).
 */
public final class OmKafkaModule implements OutputModule
{
    /** The module. */
    public static final OmKafkaModule INSTANCE = new OmKafkaModule();

    private static final String QUEUED = "unacknowledged messages always stay in the action queue and are sent again";

    private static final ParamSet PARAMS = ParamSet.of(
        Param.array("broker"),
        Param.string("topic").required(),
        Param.binary("dynatopic", false),
        Param.integer("dynatopic.cachesize", 0, Integer.MAX_VALUE, 50).noEffect("topics need no per-topic handle"),
        Param.string("key"),
        Param.binary("dynakey", false),
        Param.string("template"),
        Param.binary("partitions.auto", false),
        Param.integer("partitions.number", 1, Integer.MAX_VALUE, 1),
        Param.integer("partitions.usefixed", 0, Integer.MAX_VALUE, 0),
        Param.array("confparam"),
        Param.array("topicconfparam"),
        Param.string("errorfile"),
        Param.binary("resubmitonfailure", false).noEffect(QUEUED),
        Param.integer("closetimeout", 1, Integer.MAX_VALUE, 2000).noEffect("closing waits for the action queue"),
        Param.binary("reopenonhup", true).noEffect("errorFile is opened for every record it gets"),
        Param.string("statsname").noEffect("librdkafka statistics have no Java-client equivalent"),
        Param.string("statsfile").unsupported("librdkafka statistics have no Java-client equivalent"),
        Param.binary("keepfailedmessages", false).unsupported(QUEUED + "; give the action queue.filename= to keep " +
            "them on disk across restarts"),
        Param.string("failedmsgfile").unsupported(QUEUED + "; give the action queue.filename= to keep them on disk " +
            "across restarts"));

    private OmKafkaModule()
    {
    }

    @Override
    public String name()
    {
        return "omkafka";
    }

    @Override
    public ParamSet params()
    {
        return PARAMS;
    }

    @Override
    public Action create(final Params p, final OutputContext ctx)
    {
        final Properties config = new Properties();
        final List<String> brokers = p.isSet("broker") ? p.list("broker") : List.of("localhost:9092");
        config.setProperty("bootstrap.servers", String.join(",", brokers));
        // Bounded waits, so a broker that is away turns into a retry of the action queue, not a stuck thread.
        config.setProperty("max.block.ms", "5000");
        config.setProperty("delivery.timeout.ms", "30000");
        config.setProperty("request.timeout.ms", "10000");
        config.setProperty("acks", "all");
        // The Java client's 16 KiB batches hold ~100 syslog lines, and its I/O thread then spends more per
        // message on requests and responses than the sender on the message; librdkafka (rsyslog's omkafka)
        // batches up to 1 MB. The Java client takes a whole batch.size from buffer.memory (32 MiB) for every
        // partition with an open batch, so 256 KiB still leaves room for 128 (dynaTopic) at once.
        config.setProperty("batch.size", "262144");
        for (final String param : new String[] {"confparam", "topicconfparam"})
        {
            if (p.isSet(param))
            {
                try
                {
                    KafkaConfParams.apply(p.list(param), false, config);
                }
                catch (final SyslogException ex)
                {
                    throw p.error(param, ex.getMessage());
                }
            }
        }
        final String topic = p.string("topic");
        final boolean dynaKey = p.bool("dynakey");
        if (dynaKey && !p.isSet("key"))
        {
            throw p.error("dynakey", "dynaKey=\"on\" needs key= naming a template");
        }
        final int partition = p.bool("partitions.auto") ? KafkaDeliverer.PARTITION_AUTO :
            p.isSet("partitions.usefixed") ? p.integer("partitions.usefixed") : -2;
        final Template template = ctx.template(p, "RSYSLOG_FileFormat");
        final Template topicTemplate = p.bool("dynatopic") ? ctx.namedTemplate(p, "topic") : null;
        final Template keyTemplate = dynaKey ? ctx.namedTemplate(p, "key") : null;
        final QueuedOutput.Renderer renderer = renderer(topic, p.isSet("key") && !dynaKey ? p.string("key") : null,
            topicTemplate, keyTemplate, template);
        final String target = config.getProperty("bootstrap.servers") + "/" + (null != topicTemplate ? "%" + topic + "%" : topic);
        final KafkaDeliverer deliverer = new KafkaDeliverer(config, target, partition, p.integer("partitions.number"),
            p.isSet("errorfile") ? Paths.get(p.string("errorfile")) : null, null == topicTemplate ? topic : null);
        final QueueOptions options = ctx.queue(p);
        if (!p.isSet("action.resumeretrycount"))
        {
            // rsyslog's omkafka hands messages to librdkafka, which keeps retrying them for minutes while a broker
            // is away; here they wait in the action queue instead, so by default it never gives them up.
            options.resumeRetryCount = -1;
        }
        return QueuedOutput.of("omkafka", deliverer, renderer, template.name(), options);
    }

    /** Packs topic, key and value of a message into one queue record ({@link KafkaRecords}). */
    private static QueuedOutput.Renderer renderer(final String topic, final String key, final Template topicTemplate,
        final Template keyTemplate, final Template template)
    {
        final byte[] topicBytes = topic.getBytes(StandardCharsets.ISO_8859_1);
        final byte[] keyBytes = null == key ? null : key.getBytes(StandardCharsets.ISO_8859_1);
        final ByteSink scratch = new ByteSink();
        return (ctx, out) ->
        {
            if (null == topicTemplate)
            {
                KafkaRecords.topic(out, topicBytes, topicBytes.length);
            }
            else
            {
                scratch.clear();
                topicTemplate.render(ctx, scratch);
                KafkaRecords.topic(out, scratch.array(), Math.min(scratch.length(), 0xFFFF));
            }
            if (null == keyTemplate)
            {
                KafkaRecords.key(out, keyBytes, null == keyBytes ? -1 : keyBytes.length);
            }
            else
            {
                scratch.clear();
                keyTemplate.render(ctx, scratch);
                KafkaRecords.key(out, scratch.array(), scratch.length());
            }
            template.render(ctx, out);
        };
    }
}
