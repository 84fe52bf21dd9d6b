package dev.hostplane.syslog.internal.kafka;

import java.util.List;
import java.util.Properties;

import dev.hostplane.syslog.SyslogException;
import dev.hostplane.syslog.internal.input.InputContext;
import dev.hostplane.syslog.internal.input.InputModule;
import dev.hostplane.syslog.internal.input.KafkaInput;
import dev.hostplane.syslog.internal.input.NetInput;
import dev.hostplane.syslog.internal.message.MessageParser;
import dev.hostplane.syslog.internal.module.Param;
import dev.hostplane.syslog.internal.module.ParamSet;
import dev.hostplane.syslog.internal.module.Params;

/**
 * {@code input(type="imkafka" broker=[...] topic= consumerGroup= ruleset= parseHostname= confParam=[...])}
 * with rsyslog 8.2302's defaults: brokers localhost:9092, a consumer group that starts at the earliest
 * offset it has not committed, and no hostname taken from the record unless {@code parseHostname="on"}.
 */
public final class ImKafkaModule implements InputModule
{
    /** The module. */
    public static final ImKafkaModule INSTANCE = new ImKafkaModule();

    private static final ParamSet PARAMS = ParamSet.of(
        Param.array("broker"),
        Param.string("topic").required(),
        Param.string("consumergroup"),
        Param.string("ruleset"),
        Param.binary("parsehostname", false),
        Param.array("confparam"));

    private ImKafkaModule()
    {
    }

    @Override
    public String name()
    {
        return "imkafka";
    }

    @Override
    public ParamSet params()
    {
        return PARAMS;
    }

    @Override
    public ParamSet moduleParams()
    {
        return ParamSet.EMPTY;
    }

    /**
     * The consumer properties of an {@code input()}: checked when the config loads, so a librdkafka name
     * without a Java equivalent is reported at its file:line:column.
     *
     * @param in the input's parameters.
     * @return properties.
     */
    static Properties consumerConfig(final Params in)
    {
        final Properties config = new Properties();
        config.setProperty("bootstrap.servers", String.join(",", in.isSet("broker") ? in.list("broker") :
            List.of("localhost:9092")));
        config.setProperty("group.id", in.isSet("consumergroup") ? in.string("consumergroup") : "default");
        // rsyslog's imkafka starts a new group at the beginning of the topic ("smallest").
        config.setProperty("auto.offset.reset", "earliest");
        if (in.isSet("confparam"))
        {
            try
            {
                KafkaConfParams.apply(in.list("confparam"), true, config);
            }
            catch (final SyslogException ex)
            {
                throw in.error("confparam", ex.getMessage());
            }
        }
        return config;
    }

    @Override
    public NetInput start(final Params in, final Params module, final InputContext ctx)
    {
        return new KafkaInput(consumerConfig(in), in.string("topic"), ctx.queue,
            in.bool("parsehostname") ? KafkaInput.inputName() : MessageParser.IMKAFKA_WITHOUT_HOSTNAME);
    }
}
