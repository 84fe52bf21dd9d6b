package dev.hostplane.packetscript.live.net;

import dev.hostplane.packetscript.live.netns.Interfaces;
import dev.hostplane.packetscript.live.netns.NetNamespace;
import dev.hostplane.packetscript.live.netns.NetNamespaceException;

import java.nio.charset.StandardCharsets;

/**
 * packetdrill's local mode inside one {@link NetNamespace}: {@code tun0} with a virtio-net header
 * and TSO/checksum offloads, up, with its MTU, the local address, a route for the remote prefix
 * via the gateway, and an outbound sniffer.
 *
 * <p>Device, MTU and link state are set with ioctls from the namespace's owner thread; the
 * address and route go through one {@code ip -batch -} run in the namespace (netlink needs no
 * reimplementation for two messages, and the {@code ip} spawn costs ~2 ms; packetdrill itself
 * shells out to {@code ip} for these). Close it (or just let the namespace die) to tear
 * everything down.
 */
public final class LocalNetwork implements AutoCloseable
{
    /** The device name packetdrill scripts rely on ({@code tc qdisc ... dev tun0}). */
    public static final String DEVICE = "tun0";

    private final LocalNetConfig config;
    private final TunDevice tun;
    private final PacketSniffer sniffer;

    private LocalNetwork(final LocalNetConfig config, final TunDevice tun, final PacketSniffer sniffer)
    {
        this.config = config;
        this.tun = tun;
        this.sniffer = sniffer;
    }

    /**
     * Sets up tun0 in the namespace.
     *
     * @param namespace the namespace (its owner thread does the work).
     * @param config addresses and MTU.
     * @return the network.
     * @throws Exception when a step fails; the message names it.
     */
    public static LocalNetwork setUp(final NetNamespace namespace, final LocalNetConfig config) throws Exception
    {
        final TunDevice tun = namespace.call(
            () ->
            {
                final TunDevice device = TunDevice.open(DEVICE, true);
                if (LocalNetConfig.DEFAULT_MTU != config.mtu())
                {
                    Interfaces.setMtu(DEVICE, config.mtu());
                }
                return device;
            });
        try
        {
            final String family = config.ipVersion().wireIpv6() ? "-6" : "-4";
            final String batch =
                "addr add " + config.localAddress().getHostAddress() + "/" + config.localPrefixLength() +
                " dev " + DEVICE + (config.ipVersion().wireIpv6() ? " nodad" : "") + "\n" +
                "route add " + config.remotePrefix() + " dev " + DEVICE + " via " +
                config.gatewayAddress().getHostAddress() + "\n";
            final NetNamespace.ExecResult result = namespace.execWithInput(
                null, 10_000, batch.getBytes(StandardCharsets.US_ASCII), "ip", family, "-batch", "-");
            if (0 != result.exitStatus())
            {
                throw new NetNamespaceException("ip setup failed: " + result + " batch=" + batch.replace('\n', ';'));
            }
            final PacketSniffer sniffer = namespace.call(() -> PacketSniffer.open(tun.index()));
            return new LocalNetwork(config, tun, sniffer);
        }
        catch (final Exception ex)
        {
            tun.close();
            throw ex;
        }
    }

    /**
     * The configuration.
     *
     * @return the config.
     */
    public LocalNetConfig config()
    {
        return config;
    }

    /**
     * The TUN device for injecting.
     *
     * @return tun0.
     */
    public TunDevice tun()
    {
        return tun;
    }

    /**
     * The outbound sniffer.
     *
     * @return the sniffer.
     */
    public PacketSniffer sniffer()
    {
        return sniffer;
    }

    @Override
    public void close()
    {
        sniffer.close();
        tun.close();
    }
}
