package dev.hostplane.packetscript.live;

import dev.hostplane.packetscript.live.netns.NetNamespace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class NetNamespaceTest
{
    @BeforeEach
    void setUp()
    {
        LiveAssumptions.assumeNamespaces();
    }

    @Test
    void shouldPutOwnerThreadHelperThreadsAndChildrenInOneFreshNamespace() throws Exception
    {
        final String hostId = NetNamespace.currentNamespaceId();
        try (NetNamespace ns = NetNamespace.create("test"))
        {
            assertThat(ns.id()).startsWith("net:[").isNotEqualTo(hostId);
            assertThat(ns.call(NetNamespace::currentNamespaceId)).isEqualTo(ns.id());

            final AtomicReference<String> helperId = new AtomicReference<>();
            final Thread helper = ns.newThread("helper", () -> helperId.set(NetNamespace.currentNamespaceId()));
            helper.start();
            helper.join();
            assertThat(helperId.get()).isEqualTo(ns.id());

            final NetNamespace.ExecResult child = ns.exec(null, 10_000, "readlink", "/proc/self/ns/net");
            assertThat(child.exitStatus()).isZero();
            assertThat(child.output().strip()).isEqualTo(ns.id());

            final NetNamespace.ExecResult links = ns.exec(null, 10_000, "ip", "-o", "link", "show");
            assertThat(links.output()).contains("lo:").contains("UP").doesNotContain("eth0");
        }
        assertThat(NetNamespace.currentNamespaceId()).isEqualTo(hostId);
    }

    @Test
    void shouldGiveEachNamespaceItsOwnIdentity() throws Exception
    {
        try (NetNamespace a = NetNamespace.create("a"); NetNamespace b = NetNamespace.create("b"))
        {
            assertThat(a.id()).isNotEqualTo(b.id());
            final NetNamespace.ExecResult failing = a.exec(null, 10_000, "sh", "-c", "exit 3");
            assertThat(failing.exitStatus()).isEqualTo(3);
        }
    }
}
