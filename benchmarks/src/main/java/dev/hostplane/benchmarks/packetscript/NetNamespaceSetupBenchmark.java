package dev.hostplane.benchmarks.packetscript;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import dev.hostplane.packetscript.live.net.IpVersion;
import dev.hostplane.packetscript.live.net.LocalNetConfig;
import dev.hostplane.packetscript.live.net.LocalNetwork;
import dev.hostplane.packetscript.live.netns.NetNamespace;

/**
 * What packetscript pays per script to get a fresh network namespace inside the running JVM (an owner thread
 * that unshare()s, lo up, then tun0 with addresses and route as packetdrill sets them up), to compare with a
 * child JVM under {@code unshare -n} per script. Needs root; every namespace it makes is anonymous and gone
 * after each operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class NetNamespaceSetupBenchmark
{
    private final LocalNetConfig config = LocalNetConfig.defaults(IpVersion.IPV4)
        .withLocalIp("192.168.0.1").withGatewayIp("192.168.0.1").withRemoteIp("192.0.2.1");

    /**
     * A namespace with lo up, then closed.
     *
     * @return its id, so the work is not dead code.
     */
    @Benchmark
    public String namespaceOnly()
    {
        try (NetNamespace namespace = NetNamespace.create("bench"))
        {
            return namespace.id();
        }
    }

    /**
     * A namespace with tun0 (vnet header, offloads, address, route via one ip -batch) and the sniffer, then
     * closed: the whole per-script setup.
     *
     * @return the tun ifindex.
     * @throws Exception when the kernel refuses.
     */
    @Benchmark
    public int namespaceWithTun0() throws Exception
    {
        try (NetNamespace namespace = NetNamespace.create("bench"); LocalNetwork network = LocalNetwork.setUp(namespace,
            config))
        {
            return network.tun().index();
        }
    }
}
