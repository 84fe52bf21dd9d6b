package dev.hostplane.vswitch.port;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostplane.vswitch.IdleMode;
import dev.hostplane.vswitch.SwitchConfig;
import dev.hostplane.vswitch.VirtualSwitch;
import dev.hostplane.vswitch.testing.Host;
import org.junit.jupiter.api.Test;

/** A TAP port whose device fails stops being polled; the switch keeps running and reports once. */
class TapPortFailureTest
{
    @Test
    void shouldStopPollingAFailedDeviceAndKeepSwitching() throws Exception
    {
        Host.assumeKernelNetworking("ip");
        final String ns = Host.uniqueName("vswf");
        try
        {
            Host.runOk("ip", "netns", "add", ns);
            try (VirtualSwitch sw = new VirtualSwitch(SwitchConfig.builder().idleMode(IdleMode.BLOCKING).build()))
            {
                final TapPort tap = sw.addPort(TapPort.openInNamespace(ns, Host.uniqueName("vtf"), true));
                final EndpointPort other = sw.addEndpointPort("other");
                sw.start();
                tap.device().close();
                final long deadline = System.nanoTime() + 5_000_000_000L;
                while (tap.failure() == null && System.nanoTime() < deadline)
                {
                    Thread.sleep(5);
                }
                assertThat(tap.failure()).as("read on the closed descriptor failed").isNotNull();
                assertThat(tap.pollFd()).isEqualTo(-1);
                Thread.sleep(200);
                assertThat(sw.errorCount()).as("reported once, not every duty cycle").isEqualTo(1);
                assertThat(sw.isRunning()).isTrue();
                assertThat(other.counters().rxDropped()).isZero();
            }
        }
        finally
        {
            Host.deleteNamespace(ns);
        }
    }
}
