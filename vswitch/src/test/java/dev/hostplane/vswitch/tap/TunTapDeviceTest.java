package dev.hostplane.vswitch.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;

import dev.hostplane.vswitch.packet.ArpPacket;
import dev.hostplane.vswitch.packet.EthernetFrame;
import dev.hostplane.vswitch.packet.IcmpHeader;
import dev.hostplane.vswitch.packet.IpProtocols;
import dev.hostplane.vswitch.packet.Ipv4Header;
import dev.hostplane.vswitch.testing.Host;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Talks to the real kernel through TUN/TAP devices inside a network namespace this test creates. */
class TunTapDeviceTest
{
    private String ns;

    @AfterEach
    void cleanUp()
    {
        if (ns != null)
        {
            Host.deleteNamespace(ns);
        }
    }

    /** Skips (saying why) without kernel networking; otherwise a fresh namespace that cleanUp deletes. */
    private void createNamespace()
    {
        Host.assumeKernelNetworking("ip");
        ns = Host.uniqueName("vswt");
        Host.runOk("ip", "netns", "add", ns);
    }

    @Test
    void shouldRejectBadArguments()
    {
        assertThatThrownBy(() -> TunTapDevice.open("a-name-that-is-too-long", TunTapDevice.IFF_TAP))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name=a-name-that-is-too-long");
        assertThatThrownBy(() -> TunTapDevice.open("x0", TunTapDevice.IFF_TAP | TunTapDevice.IFF_TUN))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly one of IFF_TUN and IFF_TAP");
    }

    @Test
    void shouldRejectOffsetPlusLengthThatOverflowsBeforeTheSyscall() throws Exception
    {
        createNamespace();
        final String devName = Host.uniqueName("vtap");
        try (TunTapDevice tap = TunTapDevice.openInNamespace(ns, devName, TunTapDevice.IFF_TAP | TunTapDevice.IFF_NO_PI))
        {
            tap.setNonBlocking(true);
            final UnsafeBuffer small = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
            // 8 + Integer.MAX_VALUE wraps to a negative sum; it must not reach read(2)/write(2) as a
            // length far past the 64-byte buffer.
            assertThatThrownBy(() -> tap.read(small, 8, Integer.MAX_VALUE))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("offset=8");
            assertThatThrownBy(() -> tap.write(small, 8, Integer.MAX_VALUE))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("capacity=64");
            assertThatThrownBy(() -> tap.read(small, 60, 8)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThat(tap.read(small, 0, 64)).as("in-bounds non-blocking read of an empty queue").isZero();
        }
    }

    @Test
    void shouldExchangeIcmpWithKernelOverTun() throws Exception
    {
        createNamespace();
        final String devName = Host.uniqueName("vtun");
        try (TunTapDevice tun = TunTapDevice.openInNamespace(ns, devName, TunTapDevice.IFF_TUN | TunTapDevice.IFF_NO_PI))
        {
            assertThat(tun.name()).isEqualTo(devName);
            Host.runOk("ip", "-n", ns, "addr", "add", "10.201.0.1/24", "dev", devName);
            Host.runOk("ip", "-n", ns, "link", "set", devName, "up");
            tun.setNonBlocking(true);

            final ByteBuffer out = ByteBuffer.allocateDirect(2048);
            final UnsafeBuffer ob = new UnsafeBuffer(out);
            final Ipv4Header ip = new Ipv4Header();
            ip.wrap(ob, 0, 36);
            ip.write(0, 36, 1, 0, 64, IpProtocols.ICMP, 0x0AC90002, 0x0AC90001);
            final IcmpHeader icmp = new IcmpHeader();
            icmp.wrap(ob, 20, 16);
            ob.putLong(28, 0x1122334455667788L);
            icmp.write(IcmpHeader.TYPE_ECHO_REQUEST, 0, 0x4242, 7).updateChecksum(16);
            assertThat(tun.write(ob, 0, 36)).isEqualTo(36);

            final ByteBuffer in = ByteBuffer.allocateDirect(2048);
            final UnsafeBuffer ib = new UnsafeBuffer(in);
            final long deadline = System.nanoTime() + 5_000_000_000L;
            boolean replied = false;
            while (!replied && System.nanoTime() < deadline)
            {
                if (!tun.awaitReadable(200))
                {
                    continue;
                }
                final int n = tun.read(ib, 0, 2048);
                ip.wrap(ib, 0, n);
                if (n > 0 && ip.isValid() && ip.protocol() == IpProtocols.ICMP)
                {
                    icmp.wrap(ib, ip.payloadOffset(), ip.payloadLength());
                    assertThat(icmp.type()).isEqualTo(IcmpHeader.TYPE_ECHO_REPLY);
                    assertThat(icmp.identifier()).isEqualTo(0x4242);
                    assertThat(icmp.sequence()).isEqualTo(7);
                    assertThat(icmp.isChecksumValid(ip.payloadLength())).isTrue();
                    assertThat(ip.isChecksumValid()).isTrue();
                    assertThat(ip.destination()).isEqualTo(0x0AC90002);
                    replied = true;
                }
            }
            assertThat(replied).as("kernel answered our echo request").isTrue();
            assertThat(tun.read(ib, 0, 2048)).as("non-blocking read of an empty queue").isZero();
        }
    }

    @Test
    void shouldExchangeArpWithKernelOverTapWithVnetHeader() throws Exception
    {
        createNamespace();
        final String devName = Host.uniqueName("vtap");
        final int flags = TunTapDevice.IFF_TAP | TunTapDevice.IFF_NO_PI | TunTapDevice.IFF_VNET_HDR;
        try (TunTapDevice tap = TunTapDevice.openInNamespace(ns, devName, flags))
        {
            assertThat(tap.hasVnetHeader()).isTrue();
            tap.setVnetHeaderSize(VirtioNetHeader.LENGTH_MRG);
            tap.setOffload(TunTapDevice.TUN_F_CSUM | TunTapDevice.TUN_F_TSO4 | TunTapDevice.TUN_F_TSO6);
            tap.setNonBlocking(true);
            Host.runOk("ip", "-n", ns, "addr", "add", "10.202.0.1/24", "dev", devName);
            Host.runOk("ip", "-n", ns, "link", "set", devName, "up");
            final String link = Host.runOk("ip", "-n", ns, "-d", "link", "show", devName);
            assertThat(link).contains("vnet_hdr on");

            final int hdr = tap.vnetHeaderSize();
            final UnsafeBuffer ob = new UnsafeBuffer(ByteBuffer.allocateDirect(2048));
            new VirtioNetHeader().wrap(ob, 0).clear(hdr);
            final EthernetFrame eth = new EthernetFrame();
            final long ourMac = 0x02_AA_00_00_00_02L;
            eth.wrap(ob, hdr, 42).destination(EthernetFrame.BROADCAST).source(ourMac)
                .etherType(EthernetFrame.ETHER_TYPE_ARP);
            final ArpPacket arp = new ArpPacket();
            arp.wrap(ob, hdr + 14, 28).write(ArpPacket.OP_REQUEST, ourMac, 0x0ACA0002, 0, 0x0ACA0001);
            assertThat(tap.write(ob, 0, hdr + 42)).isEqualTo(hdr + 42);

            final UnsafeBuffer ib = new UnsafeBuffer(ByteBuffer.allocateDirect(70_000));
            final VirtioNetHeader vnet = new VirtioNetHeader();
            final long deadline = System.nanoTime() + 5_000_000_000L;
            boolean replied = false;
            while (!replied && System.nanoTime() < deadline)
            {
                if (!tap.awaitReadable(200))
                {
                    continue;
                }
                final int n = tap.read(ib, 0, ib.capacity());
                if (n < hdr + 14)
                {
                    continue;
                }
                vnet.wrap(ib, 0);
                eth.wrap(ib, hdr, n - hdr);
                if (eth.etherType() == EthernetFrame.ETHER_TYPE_ARP)
                {
                    assertThat(vnet.isGso()).isFalse();
                    arp.wrap(ib, hdr + 14, n - hdr - 14);
                    assertThat(arp.isValid()).isTrue();
                    assertThat(arp.operation()).isEqualTo(ArpPacket.OP_REPLY);
                    assertThat(arp.senderProtocolAddress()).isEqualTo(0x0ACA0001);
                    assertThat(eth.destination()).isEqualTo(ourMac);
                    replied = true;
                }
            }
            assertThat(replied).as("kernel answered our ARP request").isTrue();
        }
    }
}
