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
