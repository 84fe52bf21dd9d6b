package dev.hostplane.packetscript.live.internal.exec;

import dev.hostplane.packetscript.Script;
import dev.hostplane.packetscript.live.net.IpVersion;
import dev.hostplane.packetscript.live.net.LocalNetConfig;

import java.util.Map;

/**
 * The effective packetdrill options of one run: a script's header options overridden by the
 * command line's (as packetdrill's {@code parse_and_finalize_config} does).
 */
public final class LiveOptions
{
    private final Map<String, String> commandLine;
    private final Script script;

    /**
     * @param commandLine long options given on the command line (name without dashes to value).
     * @param script the parsed script (its header options are the defaults).
     */
    public LiveOptions(final Map<String, String> commandLine, final Script script)
    {
        this.commandLine = Map.copyOf(commandLine);
        this.script = script;
    }

    /**
     * Effective value of an option.
     *
     * @param name e.g. {@code tolerance_usecs}.
     * @return the value, or null when neither gives it.
     */
    public String get(final String name)
    {
        final String value = commandLine.get(name);
        return null != value ? value : script.option(name);
    }

    /**
     * Whether a flag option (no value) is set on the command line or in the header.
     *
     * @param name e.g. {@code strict_segments}.
     * @return true if present.
     */
    public boolean flag(final String name)
    {
        if (commandLine.containsKey(name))
        {
            return true;
        }
        return script.options().stream().anyMatch((o) -> o.name().equals(name));
    }

    long longValue(final String name, final long defaultValue)
    {
        final String value = get(name);
        return null == value ? defaultValue : Long.decode(value.trim());
    }

    double doubleValue(final String name, final double defaultValue)
    {
        final String value = get(name);
        return null == value ? defaultValue : Double.parseDouble(value.trim());
    }

    /**
     * The local-mode network of this run.
     *
     * @return addresses, routes, MTU, ports.
     */
    public LocalNetConfig network()
    {
        final String version = get("ip_version");
        LocalNetConfig config = LocalNetConfig.defaults(null == version ? IpVersion.IPV4 : IpVersion.parse(version));
        if (null != get("local_ip"))
        {
            config = config.withLocalIp(get("local_ip"));
        }
        if (null != get("remote_ip"))
        {
            config = config.withRemoteIp(get("remote_ip"));
        }
        if (null != get("gateway_ip"))
        {
            config = config.withGatewayIp(get("gateway_ip"));
        }
        if (null != get("netmask_ip"))
        {
            config = config.withNetmaskIp(get("netmask_ip"));
        }
        if (null != get("mtu"))
        {
            config = config.withMtu(Integer.parseInt(get("mtu").trim()));
        }
        if (null != get("bind_port"))
        {
            config = config.withBindPort(Integer.parseInt(get("bind_port").trim()));
        }
        if (null != get("connect_port"))
        {
            config = config.withConnectPort(Integer.parseInt(get("connect_port").trim()));
        }
        return config;
    }
}
