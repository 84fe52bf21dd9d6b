package dev.hostplane.examples.syslog;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.concurrent.Callable;

import dev.hostplane.syslog.SyslogConfigException;
import dev.hostplane.syslog.SyslogEngine;
import dev.hostplane.syslog.SyslogException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hostplane syslog explain --config FILE --message 'RAW'}: shows how one message is parsed,
 * which filters of the config match it and which actions it reaches (nothing is written).
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
    description = {"Trace one message through a config: parsed properties, each filter with its outcome, " +
        "the actions reached. Outputs are not written. Config errors: exit 2."})
public final class SyslogExplainCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, description = "rsyslog.conf")
    private Path config;

    @Option(names = "--message", required = true, description = "the raw syslog frame, e.g. '<13>Nov 26 10:00:00 h app: x'")
    private String message;

    @Option(names = "--input", defaultValue = "imtcp", description = "inputname (default imtcp)")
    private String inputName;

    @Option(names = "--from-ip", defaultValue = "127.0.0.1", description = "fromhost-ip (default 127.0.0.1)")
    private String fromIp;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        try (SyslogEngine engine = SyslogEngine.builder().configFile(config).zone(zone())
            .sender(inputName, null, fromIp).build())
        {
            out.print(engine.explain(message));
            out.flush();
            return 0;
        }
        catch (final SyslogConfigException ex)
        {
            err.println(ex.getMessage());
            err.flush();
            return SyslogCommand.EXIT_CONFIG;
        }
        catch (final SyslogException ex)
        {
            err.println("syslog explain: " + ex.getMessage());
            err.flush();
            return 1;
        }
    }

    private static ZoneId zone()
    {
        final String tz = System.getenv("TZ");
        try
        {
            return null == tz || tz.isEmpty() ? ZoneId.systemDefault() : ZoneId.of(tz.startsWith(":") ? tz.substring(1) : tz);
        }
        catch (final java.time.DateTimeException ex)
        {
            return ZoneId.systemDefault();
        }
    }
}
