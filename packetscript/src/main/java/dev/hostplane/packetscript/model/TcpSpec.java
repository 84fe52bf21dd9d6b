package dev.hostplane.packetscript.model;

import java.util.List;

/**
 * A TCP segment in script space: flags, {@code start:end(len)}, optional ack, window, urgent pointer and options.
 *
 * @param srcPort       explicit source port ({@code 8080>9090 S ...}), or null for the connection's.
 * @param dstPort       explicit destination port, or null.
 * @param flags         flag letters as written, e.g. {@code S.}, {@code P.}, {@code SEW}, {@code ""} for {@code -};
 *                      a digit 0-7 is the AccECN ACE field ({@link #ace()}).
 * @param startSequence script-space sequence number of the first byte.
 * @param payloadLength payload bytes.
 * @param ack           script-space ack number, or null when not written.
 * @param window        advertised window, or null when not written (then not checked outbound).
 * @param urgentPointer urgent pointer, or null.
 * @param options        TCP options; {@code null} means {@code <...>} (options not checked).
 */
public record TcpSpec(Integer srcPort, Integer dstPort, String flags, long startSequence, int payloadLength, Long ack,
    Integer window, Integer urgentPointer, List<TcpOption> options) implements TransportSpec
{
    /** Valid flag letters: FIN SYN RST PSH ACK('.') URG ECE CWR AE. */
    public static final String FLAG_LETTERS = "FSRP.UEWA";

    /**
     * Copies the option list.
     *
     * @param srcPort       explicit source port or null.
     * @param dstPort       explicit destination port or null.
     * @param flags         flag letters.
     * @param startSequence first sequence number.
     * @param payloadLength payload bytes.
     * @param ack           ack or null.
     * @param window        window or null.
     * @param urgentPointer urgent pointer or null.
     * @param options       options or null for {@code <...>}.
     */
    public TcpSpec
    {
        options = options == null ? null : List.copyOf(options);
    }

    /**
     * Script-space sequence number after the payload.
     *
     * @return {@code startSequence + payloadLength}.
     */
    public long endSequence()
    {
        return startSequence + payloadLength;
    }

    /**
     * Whether a flag letter is present.
     *
     * @param letter one of {@link #FLAG_LETTERS}.
     * @return true if written.
     */
    public boolean hasFlag(final char letter)
    {
        return flags.indexOf(letter) >= 0;
    }

    /**
     * The AccECN ACE field written as a flag digit ({@code S.6}, {@code .5}, {@code P5}): AE, CWR and ECE read as
     * one 3-bit number.
     *
     * @return 0-7, or -1 when no digit is written.
     */
    public int ace()
    {
        for (int i = 0; i < flags.length(); i++)
        {
            final char c = flags.charAt(i);
            if (c >= '0' && c <= '7')
            {
                return c - '0';
            }
        }
        return -1;
    }

    /**
     * Whether the options are {@code <...>} (not checked).
     *
     * @return true for {@code <...>}.
     */
    public boolean optionsUnchecked()
    {
        return options == null;
    }
}
