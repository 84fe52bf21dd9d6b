package dev.hostplane.packetscript.live;

import dev.hostplane.packetscript.live.netns.NetNamespace;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Skips kernel tests (printing why) where namespaces or /dev/net/tun are unavailable.
 */
public final class LiveAssumptions
{
    private static volatile String reason;
    private static volatile boolean checked;

    private LiveAssumptions()
    {
    }

    /**
     * Assumes root-level namespace support; prints the reason when skipping.
     */
    public static void assumeNamespaces()
    {
        if (!checked)
        {
            reason = NetNamespace.unsupportedReason();
            checked = true;
        }
        if (null != reason)
        {
            System.out.println("SKIPPED kernel test: " + reason);
        }
        assumeTrue(null == reason, () -> "kernel test skipped: " + reason);
    }
}
