package dev.hostplane.vswitch.testing;

import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;

import dev.hostplane.vswitch.VirtualSwitch;
import dev.hostplane.vswitch.port.TapPort;

/**
 * Two network namespaces, each with one TAP device owned by a switch (ports 1 and 2, in that
 * order) and an address on a random 10.x/24 that exists only inside them. Deleted on close, even
 * after a failure.
 */
public final class TwoNamespaces implements AutoCloseable
{
    public final String nsA = Host.uniqueName("ofa");
    public final String nsB = Host.uniqueName("ofb");
    public final String tapA = Host.uniqueName("tpa");
    public final String tapB = Host.uniqueName("tpb");
    public final String ipA;
    public final String ipB;

    /**
     * Creates the namespaces and adds their TAP devices to the switch.
     *
     * @param sw the switch (not yet carrying other ports, so these become 1 and 2).
     * @throws IOException when a device cannot be opened.
     */
    public TwoNamespaces(final VirtualSwitch sw) throws IOException
    {
        final int net = ThreadLocalRandom.current().nextInt(2, 250);
        ipA = "10.78." + net + ".1";
        ipB = "10.78." + net + ".2";
        boolean ok = false;
        try
        {
            Host.runOk("ip", "netns", "add", nsA);
            Host.runOk("ip", "netns", "add", nsB);
            sw.addPort(TapPort.openInNamespace(nsA, tapA, true));
            sw.addPort(TapPort.openInNamespace(nsB, tapB, true));
            configure(nsA, tapA, ipA);
            configure(nsB, tapB, ipB);
            ok = true;
        }
        finally
        {
            if (!ok)
            {
                close();
            }
        }
    }

    private static void configure(final String ns, final String dev, final String ip)
    {
        Host.runOk("ip", "-n", ns, "addr", "add", ip + "/24", "dev", dev);
        Host.runOk("ip", "-n", ns, "link", "set", dev, "up");
        Host.runOk("ip", "-n", ns, "link", "set", "lo", "up");
    }

    @Override
    public void close()
    {
        Host.deleteNamespace(nsA);
        Host.deleteNamespace(nsB);
    }
}
