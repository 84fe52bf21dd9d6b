package dev.hostplane.packetscript.live.internal;

import dev.hostplane.packetscript.live.LiveAssumptions;
import dev.hostplane.packetscript.live.Precondition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kernel probe against this machine's kernel, in its own namespace: what every Linux has is offered, what no
 * Linux has is refused with the kernel's reason, and nothing changes in the host namespace.
 */
class KernelFeaturesTest
{
    @BeforeEach
    void setUp()
    {
        LiveAssumptions.assumeNamespaces();
    }

    @Test
    void shouldOfferPfifoAndRefuseAnUnknownQdiscWithTcsMessage()
    {
        final KernelFeatures kernel = KernelFeatures.current();
        assertThat(kernel.refusal(qdisc("pfifo"))).isNull();
        assertThat(kernel.refusal(qdisc("nosuchqdisc"))).startsWith("qdisc nosuchqdisc: ").contains("unknown");
    }

    @Test
    void shouldJudgeSysctlValuesInAProbeNamespaceOnly() throws Exception
    {
        final String hostEcn = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv4/tcp_ecn"));
        final KernelFeatures kernel = KernelFeatures.current();
        assertThat(kernel.refusal(sysctl("net.ipv4.tcp_ecn", hostEcn.strip().equals("1") ? "0" : "1"))).isNull();
        assertThat(kernel.refusal(sysctl("net.ipv4.tcp_ecn", "99")))
            .isEqualTo("net.ipv4.tcp_ecn=99: EINVAL (Invalid argument)");
        assertThat(kernel.refusal(sysctl("net.ipv4.tcp_no_such_knob", "1")))
            .isEqualTo("net.ipv4.tcp_no_such_knob=1: this kernel has no such sysctl");
        // reno is built in and always allowed in a namespace.
        assertThat(kernel.refusal(sysctl(Precondition.CONGESTION_CONTROL, "reno"))).isNull();
        assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv4/tcp_ecn")))
            .as("the host namespace's value").isEqualTo(hostEcn);
    }

    @Test
    void shouldSummariseReleaseHzAndCongestionControls()
    {
        final String summary = KernelFeatures.current().summary();
        System.out.println("kernel probe: " + summary);
        assertThat(summary).startsWith("kernel ").contains(", HZ=").contains("congestion controls a namespace may " +
            "select: ").contains("reno");
    }

    private static Precondition qdisc(final String kind)
    {
        return new Precondition(Precondition.Kind.QDISC, kind, null, "test", true);
    }

    private static Precondition sysctl(final String key, final String value)
    {
        return new Precondition(Precondition.Kind.SYSCTL, key, value, "test", true);
    }
}
