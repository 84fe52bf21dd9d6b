package dev.hostplane.examples.packetscript;

import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine.Option;

/**
 * packetdrill's command-line flags for running scripts against the kernel, spelled as packetdrill spells
 * them; a picocli mixin shared by {@code hostplane packetscript} and {@code hostplane packetscript run-all}.
 * Flags given here override the options in a script's header, as in packetdrill.
 */
public final class LiveFlags
{
    @Option(names = "--ip_version", paramLabel = "ipv4|ipv4-mapped-ipv6|ipv6", description = "IP mode.")
    String ipVersion;

    @Option(names = "--local_ip", description = "Local (kernel side) address on tun0.")
    String localIp;

    @Option(names = "--remote_ip", description = "Remote (script side) address, optionally /prefix.")
    String remoteIp;

    @Option(names = "--gateway_ip", description = "Gateway the remote prefix is routed through.")
    String gatewayIp;

    @Option(names = "--netmask_ip", description = "IPv4 netmask of the local address.")
    String netmaskIp;

    @Option(names = "--mtu", description = "MTU of tun0.")
    Integer mtu;

    @Option(names = "--bind_port", description = "Port '...' means in bind().")
    Integer bindPort;

    @Option(names = "--connect_port", description = "Port '...' means in connect().")
    Integer connectPort;

    @Option(names = "--tolerance_usecs", description = "Timing tolerance in microseconds (default 4000).")
    Long toleranceUsecs;

    @Option(names = "--tolerance_percent", description = "Tolerance as a percentage of the gap (default 12.5).")
    Double tolerancePercent;

    @Option(names = "--tcp_ts_tick_usecs", description = "Check outbound TS val with this tick (default 0: off).")
    Long tcpTsTickUsecs;

    @Option(names = "--strict_segments", description = "Do not aggregate TSO/GSO segments.")
    boolean strictSegments;

    @Option(names = "--code_command", description = "Interpreter for %%{ }%% blocks (default python3).")
    String codeCommand;

    @Option(names = "--send_omit_free", description = "Accepted for run_all.py compatibility; no effect.")
    boolean sendOmitFree;

    @Option(names = {"-v", "--verbose"}, description = "Print each script's verdict and time.")
    boolean verbose;

    /**
     * Sets one flag as picocli would for {@code --name=value} (or {@code --name} alone for a flag without a value),
     * for the start path that runs a script without building picocli's model ({@link ScriptArgs}).
     *
     * @param name  the option as written, with its dashes.
     * @param value its value, or null when none was written.
     * @return false when the name is not one of these flags, a value is missing, surplus or not of the option's type,
     *         or the flag was already given: picocli must then parse the command line and say what is wrong.
     */
    boolean set(final String name, final String value)
    {
        try
        {
            switch (name)
            {
                case "--ip_version": return null == ipVersion && null != (ipVersion = value);
                case "--local_ip": return null == localIp && null != (localIp = value);
                case "--remote_ip": return null == remoteIp && null != (remoteIp = value);
                case "--gateway_ip": return null == gatewayIp && null != (gatewayIp = value);
                case "--netmask_ip": return null == netmaskIp && null != (netmaskIp = value);
                case "--code_command": return null == codeCommand && null != (codeCommand = value);
                case "--mtu": return null == mtu && null != value && null != (mtu = Integer.valueOf(value));
                case "--bind_port": return null == bindPort && null != value && null != (bindPort = Integer.valueOf(value));
                case "--connect_port":
                    return null == connectPort && null != value && null != (connectPort = Integer.valueOf(value));
                case "--tolerance_usecs":
                    return null == toleranceUsecs && null != value && null != (toleranceUsecs = Long.valueOf(value));
                case "--tolerance_percent":
                    return null == tolerancePercent && null != value &&
                        null != (tolerancePercent = Double.valueOf(value));
                case "--tcp_ts_tick_usecs":
                    return null == tcpTsTickUsecs && null != value && null != (tcpTsTickUsecs = Long.valueOf(value));
                case "--strict_segments": return null == value && !strictSegments && (strictSegments = true);
                case "--send_omit_free": return null == value && !sendOmitFree && (sendOmitFree = true);
                case "-v", "--verbose": return null == value && !verbose && (verbose = true);
                default: return false;
            }
        }
        catch (final NumberFormatException ex)
        {
            return false;
        }
    }

    /**
     * The flags that were given, as packetdrill long-option names without dashes.
     *
     * @return option name to value ({@code ""} for flags without a value).
     */
    public Map<String, String> options()
    {
        final Map<String, String> options = new LinkedHashMap<>();
        put(options, "ip_version", ipVersion);
        put(options, "local_ip", localIp);
        put(options, "remote_ip", remoteIp);
        put(options, "gateway_ip", gatewayIp);
        put(options, "netmask_ip", netmaskIp);
        put(options, "mtu", mtu);
        put(options, "bind_port", bindPort);
        put(options, "connect_port", connectPort);
        put(options, "tolerance_usecs", toleranceUsecs);
        put(options, "tolerance_percent", tolerancePercent);
        put(options, "tcp_ts_tick_usecs", tcpTsTickUsecs);
        put(options, "code_command", codeCommand);
        if (strictSegments)
        {
            options.put("strict_segments", "");
        }
        return options;
    }

    private static void put(final Map<String, String> options, final String name, final Object value)
    {
        if (null != value)
        {
            options.put(name, value.toString());
        }
    }
}
