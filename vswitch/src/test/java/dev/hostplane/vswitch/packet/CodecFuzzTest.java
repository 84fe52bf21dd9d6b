package dev.hostplane.vswitch.packet;

import static org.assertj.core.api.Assertions.assertThatCode;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;

/** Random bytes must never make a validated flyweight throw. */
class CodecFuzzTest
{
    @Property(tries = 2000)
    void shouldNeverThrowOnRandomBytesAfterValidation(@ForAll @Size(max = 120) final byte[] data)
    {
        final UnsafeBuffer b = new UnsafeBuffer(data);
        assertThatCode(() ->
        {
            final EthernetFrame eth = new EthernetFrame();
            eth.wrap(b, 0, data.length);
            if (eth.isValid())
            {
                eth.destination();
                eth.source();
                eth.vlanId();
                eth.payloadEtherType();
            }
            final Ipv4Header ip = new Ipv4Header();
            ip.wrap(b, 0, data.length);
            if (ip.isValid())
            {
                ip.isChecksumValid();
                ip.pseudoHeaderSum();
                final TcpHeader tcp = new TcpHeader();
                tcp.wrap(b, ip.payloadOffset(), ip.payloadLength());
                if (tcp.isValid())
                {
                    tcp.areOptionsValid();
                    tcp.mss();
                    tcp.windowScale();
                    tcp.timestampValue();
                    tcp.sackBlockCount();
                    tcp.isChecksumValid(ip.pseudoHeaderSum(), ip.payloadLength());
                }
                final UdpHeader udp = new UdpHeader();
                udp.wrap(b, ip.payloadOffset(), ip.payloadLength());
                if (udp.isValid())
                {
                    udp.isChecksumValid(ip.pseudoHeaderSum());
                }
            }
            final Ipv6Header ip6 = new Ipv6Header();
            ip6.wrap(b, 0, data.length);
            if (ip6.isValid() && ip6.parseExtensionHeaders())
            {
                ip6.pseudoHeaderSum();
            }
            final ArpPacket arp = new ArpPacket();
            arp.wrap(b, 0, data.length);
            if (arp.isValid())
            {
                arp.targetProtocolAddress();
            }
        }).doesNotThrowAnyException();
    }
}
