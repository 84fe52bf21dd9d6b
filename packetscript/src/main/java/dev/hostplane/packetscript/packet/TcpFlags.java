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
     * @param letters e.g. {@code P.}.
     * @return the bits (AE is bit 8).
     */
    public static int bits(final String letters)
    {
        int bits = 0;
        for (int i = 0; i < letters.length(); i++)
        {
            final int index = LETTERS.indexOf(letters.charAt(i));
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
