package dev.hostplane.vswitch.policy;

import java.util.Arrays;

import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.flow.FlowKey;

/**
 * A located packet as policies see it (Pyretic's packet): its header fields, which include the
 * switch port it came in on, and the port it is to go out of ({@link #outport()}, 0 until a
 * {@code fwd} sets it). Immutable: {@code modify} and {@code fwd} make new packets.
 */
public final class Packet
{
    private final long[] words;
    private final int outport;
    private final Query query;

    private Packet(final long[] words, final int outport)
    {
        this(words, outport, null);
    }

    private Packet(final long[] words, final int outport, final Query query)
    {
        this.words = words;
        this.outport = outport;
        this.query = query;
    }

    /**
     * The query this packet was delivered to, if it left the policy that way.
     *
     * @return the query or null.
     */
    public Query query()
    {
        return query;
    }

    Packet deliveredTo(final Query q)
    {
        return new Packet(words, outport, q);
    }

    /**
     * A packet with these header fields (a copy is taken).
     *
     * @param header extracted flow key.
     * @return the packet, with no outport.
     */
    public static Packet of(final FlowKey header)
    {
        return new Packet(header.words().clone(), 0);
    }

    /**
     * A header field.
     *
     * @param field field.
     * @return value.
     */
    public long get(final FlowField field)
    {
        final long w = words[field.word()];
        return field.width() == 64 ? w : (w >>> field.shift()) & field.maxValue();
    }

    /**
     * The port the packet came in on.
     *
     * @return port number.
     */
    public int inport()
    {
        return (int)get(FlowField.IN_PORT);
    }

    /**
     * The port the packet is to go out of.
     *
     * @return port number, 0 when none was chosen (the packet is dropped at the end).
     */
    public int outport()
    {
        return outport;
    }

    /**
     * This packet with a field changed.
     *
     * @param field field.
     * @param value value.
     * @return new packet.
     */
    public Packet with(final FlowField field, final long value)
    {
        final long[] w = words.clone();
        final int i = field.word();
        w[i] = (w[i] & ~field.wordMask()) | ((value << field.shift()) & field.wordMask());
        return new Packet(w, outport);
    }

    /**
     * This packet with an outport.
     *
     * @param port port number.
     * @return new packet.
     */
    public Packet withOutport(final int port)
    {
        return new Packet(words, port);
    }

    /**
     * The header as a flow key.
     *
     * @return a new key.
     */
    public FlowKey header()
    {
        final FlowKey k = new FlowKey();
        System.arraycopy(words, 0, k.words(), 0, FlowKey.WORDS);
        return k;
    }

    long word(final int i)
    {
        return words[i];
    }

    /**
     * This packet with the header words given (fields outside {@code mask} kept).
     *
     * @param value new values (masked).
     * @param mask which bits to take.
     * @param port outport, or 0 to keep this one's.
     * @return new packet.
     */
    Packet modified(final long[] value, final long[] mask, final int port)
    {
        return modified(value, mask, port, null);
    }

    Packet modified(final long[] value, final long[] mask, final int port, final Query q)
    {
        final long[] w = words.clone();
        for (int i = 0; i < w.length; i++)
        {
            w[i] = (w[i] & ~mask[i]) | value[i];
        }
        return new Packet(w, port != 0 ? port : outport, q != null ? q : query);
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof Packet && ((Packet)o).outport == outport && ((Packet)o).query == query &&
            Arrays.equals(((Packet)o).words, words);
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(words) * 31 + outport;
    }

    @Override
    public String toString()
    {
        return "Packet{" + dev.hostplane.vswitch.policy.internal.Matches.describe(words) + ", outport=" + outport +
            (query == null ? "" : ", query=" + query.name()) + "}";
    }
}
