package dev.hostplane.packetscript.model;

import java.util.List;

/**
 * A packet statement: {@code < S 0:0(0) win 32792 <mss 1000>} or {@code > P. 1:1001(1000) ack 1}.
 *
 * @param direction      inject or expect.
 * @param encapsulations outer layers written before the packet, e.g. {@code encap psp spi 7}; usually empty.
 * @param ipInfo         the IP clause; {@link IpInfo#NONE} when absent.
 * @param transport      the TCP, UDP or ICMP part.
 */
public record PacketSpec(Direction direction, List<Encapsulation> encapsulations, IpInfo ipInfo,
    TransportSpec transport) implements Action
{
    /**
     * Copies the list.
     *
     * @param direction      inject or expect.
     * @param encapsulations outer layers.
     * @param ipInfo         the IP clause.
     * @param transport      the transport part.
     */
    public PacketSpec
    {
        encapsulations = List.copyOf(encapsulations);
    }
}
