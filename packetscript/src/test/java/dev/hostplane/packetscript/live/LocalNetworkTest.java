package dev.hostplane.packetscript.live;

import com.sun.jna.Memory;
import dev.hostplane.packetscript.live.net.IpVersion;
import dev.hostplane.packetscript.live.net.LocalNetConfig;
import dev.hostplane.packetscript.live.net.LocalNetwork;
import dev.hostplane.packetscript.live.net.SniffedPacket;
import dev.hostplane.packetscript.live.netns.NetNamespace;
import dev.hostplane.packetscript.live.internal.sys.LibC;
import dev.hostplane.packetscript.live.internal.sys.LinuxConstants;
import dev.hostplane.packetscript.live.internal.sys.Sockaddr;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class LocalNetworkTest
{
    private static final int EINPROGRESS = 115;
    private static final int POLLOUT = 0x4;

    @BeforeEach
    void setUp()
    {
        LiveAssumptions.assumeNamespaces();
    }

    @Test
    void shouldConfigureTunAddressesAndRoutesLikePacketdrillInsideTheNamespaceOnly() throws Exception
    {
        final LocalNetConfig config = LocalNetConfig.defaults(IpVersion.IPV4)
            .withLocalIp("192.168.0.1").withGatewayIp("192.168.0.1").withNetmaskIp("255.255.0.0")
            .withRemoteIp("192.0.2.1").withMtu(1520);
        try (NetNamespace ns = NetNamespace.create("netcfg"); LocalNetwork net = LocalNetwork.setUp(ns, config))
        {
            final String addr = ns.exec(null, 10_000, "ip", "-o", "addr", "show", "dev", "tun0").output();
            assertThat(addr).contains("192.168.0.1/16");
            final String link = ns.exec(null, 10_000, "ip", "-o", "link", "show", "dev", "tun0").output();
            assertThat(link).contains("mtu 1520").contains("UP");
            final String route = ns.exec(null, 10_000, "ip", "-4", "route", "get", "192.0.2.1").output();
            assertThat(route).contains("dev tun0");
            assertThat(net.tun().index()).isPositive();
        }
        final Process host = new ProcessBuilder("ip", "-o", "addr").redirectErrorStream(true).start();
        assertThat(new String(host.getInputStream().readAllBytes())).doesNotContain("192.168.0.1/16");
    }

    @Test
    void shouldSniffOutboundSynAndCompleteConnectWithInjectedSynAck() throws Exception
    {
        final LocalNetConfig config = LocalNetConfig.defaults(IpVersion.IPV4)
            .withLocalIp("192.168.0.1").withGatewayIp("192.168.0.1").withRemoteIp("192.0.2.1");
        try (NetNamespace ns = NetNamespace.create("syn"); LocalNetwork net = LocalNetwork.setUp(ns, config))
        {
            final String verdict = ns.call(
                () ->
                {
                    final int fd = LibC.socket(LinuxConstants.AF_INET,
                        LinuxConstants.SOCK_STREAM | LinuxConstants.SOCK_NONBLOCK, 0);
                    assertThat(fd).isPositive();
                    try
                    {
                        final Memory remote = Sockaddr.of(config.remoteAddress(), 8080);
                        final long before = Instant.now().toEpochMilli() * 1_000_000L;
                        assertThat(LibC.connect(fd, remote, Sockaddr.IN_SIZE)).isEqualTo(-1);
                        assertThat(LibC.errno()).isEqualTo(EINPROGRESS);

                        final SniffedPacket syn = net.sniffer().next(2_000);
                        assertThat(syn).as("SYN sniffed").isNotNull();
                        final byte[] p = syn.bytes();
                        assertThat(syn.ipVersion()).isEqualTo(4);
                        assertThat(TestPackets.protocol(p)).isEqualTo(6);
                        assertThat(TestPackets.tcpFlags(p)).isEqualTo(TestPackets.SYN);
                        assertThat(TestPackets.dstPort(p)).isEqualTo(8080);
                        assertThat(syn.realtimeNanos()).isBetween(before - 1_000_000_000L, before + 5_000_000_000L);
                        net.tun().drain();

                        final int localPort = TestPackets.srcPort(p);
                        final long isn = TestPackets.seq(p);
                        final byte[] mss = {2, 4, 0x05, (byte)0xb4};
                        final byte[] synAck = TestPackets.tcp4(config.remoteAddress(), config.localAddress(), 8080,
                            localPort, 1000, isn + 1, TestPackets.SYN | TestPackets.ACK, 65535, mss, new byte[0]);
                        net.tun().write(synAck, 0, synAck.length);

                        final Memory pfd = new Memory(8);
                        pfd.setInt(0, fd);
                        pfd.setShort(4, (short)POLLOUT);
                        pfd.setShort(6, (short)0);
                        assertThat(LibC.poll(pfd, 1, 2_000)).isEqualTo(1);
                        final Memory err = new Memory(4);
                        final Memory len = new Memory(4);
                        len.setInt(0, 4);
                        assertThat(LibC.getsockopt(fd, LinuxConstants.SOL_SOCKET, 4 /* SO_ERROR */, err, len))
                            .isZero();
                        assertThat(err.getInt(0)).as("SO_ERROR after SYN-ACK").isZero();

                        final SniffedPacket ack = net.sniffer().next(2_000);
                        assertThat(ack).as("ACK of SYN-ACK sniffed").isNotNull();
                        assertThat(TestPackets.tcpFlags(ack.bytes())).isEqualTo(TestPackets.ACK);
                        assertThat(TestPackets.ack(ack.bytes())).isEqualTo(1001);
                        assertThat(TestPackets.seq(ack.bytes())).isEqualTo(isn + 1);
                        return "connected";
                    }
                    finally
                    {
                        LibC.close(fd);
                    }
                });
            assertThat(verdict).isEqualTo("connected");
            assertThat(InetAddress.getByName("192.0.2.1")).isEqualTo(config.remoteAddress());
        }
    }
}
