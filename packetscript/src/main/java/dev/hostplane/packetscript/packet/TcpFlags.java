package dev.hostplane.packetscript.packet;

import dev.hostplane.vswitch.packet.TcpHeader;

/**
 * Script flag letters to TCP header flag bits and back.
 */
public final class TcpFlags
{
    private static final String LETTERS = "FSRP.UEWA";
    private static final int[] BITS = {
        TcpHeader.FIN, TcpHeader.SYN, TcpHeader.RST, TcpHeader.PSH, TcpHeader.ACK, TcpHeader.URG, TcpHeader.ECE,
        TcpHeader.CWR, TcpHeader.AE};
    private static final String[] FIELDS = {
        "tcp_fin", "tcp_syn", "tcp_rst", "tcp_psh", "tcp_ack", "tcp_urg", "tcp_ece", "tcp_cwr", "tcp_ae"};

    private TcpFlags()
    {
    }

    /**
     * Flag bits of script letters.
     *
     * @param letters e.g. {@code P.}; a digit 0-7 is the AccECN ACE field.
     * @return the bits (AE is bit 8).
     */
    public static int bits(final String letters)
    {
        int bits = 0;
        for (int i = 0; i < letters.length(); i++)
        {
            final char c = letters.charAt(i);
            if (c >= '0' && c <= '7')
            {
                // The AccECN ACE field: bit 0 is ECE, bit 1 CWR, bit 2 AE.
                final int ace = c - '0';
                bits |= ((ace & 1) != 0 ? TcpHeader.ECE : 0) | ((ace & 2) != 0 ? TcpHeader.CWR : 0) |
                    ((ace & 4) != 0 ? TcpHeader.AE : 0);
                continue;
            }
            final int index = LETTERS.indexOf(c);
            if (index < 0)
            {
                throw new PacketBuildException("bad TCP flag '" + letters.charAt(i) + "'");
            }
            bits |= BITS[index];
        }
        return bits;
    }

    /**
     * Number of flags known.
     *
     * @return 9.
     */
    static int count()
    {
        return BITS.length;
    }

    static int bit(final int index)
    {
        return BITS[index];
    }

    static String field(final int index)
    {
        return FIELDS[index];
    }
}
