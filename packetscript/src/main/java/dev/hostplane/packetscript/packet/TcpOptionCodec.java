package dev.hostplane.packetscript.packet;

import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;

import org.agrona.MutableDirectBuffer;

import dev.hostplane.packetscript.model.IntValue;
import dev.hostplane.packetscript.model.TcpOption;

/**
 * Writes script TCP options in wire format. The vswitch codec covers the classic options; fast open (kind 34 and
 * the experimental kind 254 with magic 0xF989) and MD5 (kind 19) are written here.
 */
public final class TcpOptionCodec
{
    private final Map<String, String> definitions;

    /**
     * Creates a codec.
     *
     * @param definitions {@code -D} definitions for symbolic values ({@code mss MSS}, {@code FO TFO_COOKIE}).
     */
    public TcpOptionCodec(final Map<String, String> definitions)
    {
        this.definitions = definitions;
    }

    /**
     * Bytes one option takes on the wire.
     *
     * @param option the option.
     * @return its length.
     */
    public int length(final TcpOption option)
    {
        if (option instanceof TcpOption.Nop || option instanceof TcpOption.Eol)
        {
            return 1;
        }
        if (option instanceof TcpOption.Mss)
        {
            return 4;
        }
        if (option instanceof TcpOption.WindowScale)
        {
            return 3;
        }
        if (option instanceof TcpOption.SackPermitted)
        {
            return 2;
        }
        if (option instanceof TcpOption.Sack s)
        {
            return 2 + 8 * s.blocks().size();
        }
        if (option instanceof TcpOption.Timestamp)
        {
            return 10;
        }
        if (option instanceof TcpOption.FastOpen f)
        {
            return (f.experimental() ? 4 : 2) + cookie(f).length;
        }
        if (option instanceof TcpOption.AccEcn a)
        {
            return 2 + 3 * a.counters().size();
        }
        return 2 + hex(((TcpOption.Md5)option).digest(), "md5 digest").length;
    }

    /**
     * Writes one option.
     *
     * @param option  the option.
     * @param buffer  target buffer.
     * @param offset  where to write.
     * @param sackMap maps SACK edges (identity for script space).
     * @param ecrMap  maps the TS ecr (identity for script space).
     * @return bytes written.
     * @throws PacketBuildException when a symbolic value is not defined.
     */
    public int write(final TcpOption option, final MutableDirectBuffer buffer, final int offset,
        final LongUnaryOperator sackMap, final LongUnaryOperator ecrMap)
    {
        int p = offset;
        if (option instanceof TcpOption.Nop)
        {
            buffer.putByte(p++, (byte)TcpOption.KIND_NOP);
        }
        else if (option instanceof TcpOption.Eol)
        {
            buffer.putByte(p++, (byte)TcpOption.KIND_EOL);
        }
        else if (option instanceof TcpOption.Mss m)
        {
            p = header(buffer, p, TcpOption.KIND_MSS, 4);
            p = u16(buffer, p, (int)resolve(m.value(), "mss", 0xFFFF));
        }
        else if (option instanceof TcpOption.WindowScale w)
        {
            p = header(buffer, p, TcpOption.KIND_WSCALE, 3);
            buffer.putByte(p++, (byte)w.shift());
        }
        else if (option instanceof TcpOption.SackPermitted)
        {
            p = header(buffer, p, TcpOption.KIND_SACK_PERMITTED, 2);
        }
        else if (option instanceof TcpOption.Sack s)
        {
            p = header(buffer, p, TcpOption.KIND_SACK, 2 + 8 * s.blocks().size());
            for (final TcpOption.SackBlock b : s.blocks())
            {
                p = u32(buffer, p, sackMap.applyAsLong(b.left()));
                p = u32(buffer, p, sackMap.applyAsLong(b.right()));
            }
        }
        else if (option instanceof TcpOption.Timestamp ts)
        {
            p = header(buffer, p, TcpOption.KIND_TIMESTAMP, 10);
            p = u32(buffer, p, ts.val());
            p = u32(buffer, p, ecrMap.applyAsLong(ts.ecr()));
        }
        else if (option instanceof TcpOption.FastOpen f)
        {
            final byte[] cookie = cookie(f);
            p = header(buffer, p, f.kind(), (f.experimental() ? 4 : 2) + cookie.length);
            if (f.experimental())
            {
                p = u16(buffer, p, TcpOption.FAST_OPEN_MAGIC);
            }
            buffer.putBytes(p, cookie);
            p += cookie.length;
        }
        else if (option instanceof TcpOption.AccEcn a)
        {
            p = header(buffer, p, a.kind(), 2 + 3 * a.counters().size());
            for (final long counter : a.counters())
            {
                buffer.putByte(p++, (byte)(counter >>> 16));
                buffer.putByte(p++, (byte)(counter >>> 8));
                buffer.putByte(p++, (byte)counter);
            }
        }
        else
        {
            final byte[] digest = hex(((TcpOption.Md5)option).digest(), "md5 digest");
            p = header(buffer, p, TcpOption.KIND_MD5, 2 + digest.length);
            buffer.putBytes(p, digest);
            p += digest.length;
        }
        return p - offset;
    }

    private long resolve(final IntValue value, final String what, final long max)
    {
        if (!value.isSymbolic())
        {
            return value.value();
        }
        final String defined = definitions.get(value.symbol());
        if (defined == null)
        {
            throw new PacketBuildException(what + " value " + value.symbol() + " is not defined (use -D " +
                value.symbol() + "=N)");
        }
        try
        {
            final long v = defined.startsWith("0x") ? Long.parseLong(defined.substring(2), 16) :
                Long.parseLong(defined.strip());
            if (v < 0 || v > max)
            {
                throw new PacketBuildException(what + " value out of range: " + value.symbol() + "=" + defined);
            }
            return v;
        }
        catch (final NumberFormatException ex)
        {
            throw new PacketBuildException(what + " value " + value.symbol() + "=" + defined + " is not a number");
        }
    }

    private byte[] cookie(final TcpOption.FastOpen f)
    {
        String text = f.cookie();
        if (!text.isEmpty() && !isHex(text))
        {
            final String defined = definitions.get(text);
            if (defined == null)
            {
                throw new PacketBuildException("TCP fast open cookie " + text + " is not defined (use -D " + text +
                    "=<hex>)");
            }
            text = defined.strip();
        }
        return hex(text, "TCP fast open cookie");
    }

    /**
     * Decodes hex digits.
     *
     * @param text hex digits (even count), may be empty.
     * @param what for the error message.
     * @return the bytes.
     * @throws PacketBuildException for odd length or non-hex characters.
     */
    public static byte[] hex(final String text, final String what)
    {
        if ((text.length() & 1) != 0 || !(text.isEmpty() || isHex(text)))
        {
            throw new PacketBuildException(what + " '" + text + "' is not a valid hex string");
        }
        final byte[] bytes = new byte[text.length() / 2];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)Integer.parseInt(text.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }

    /**
     * Options as they were on the wire, in packetdrill's words ({@code <nop,nop,TS val 1 ecr 2>}), for messages
     * and packet dumps.
     *
     * @param options whole options (kind, length, value) in wire order, NOP and EOL as one byte each.
     * @return the list in angle brackets.
     */
    public static String describe(final List<byte[]> options)
    {
        final StringBuilder text = new StringBuilder("<");
        for (final byte[] option : options)
        {
            if (text.length() > 1)
            {
                text.append(',');
            }
            describe(option, text);
        }
        return text.append('>').toString();
    }

    private static void describe(final byte[] option, final StringBuilder text)
    {
        final int kind = option[0] & 0xFF;
        switch (kind)
        {
            case TcpOption.KIND_EOL -> text.append("eol");
            case TcpOption.KIND_NOP -> text.append("nop");
            case TcpOption.KIND_MSS -> text.append("mss ").append(((option[2] & 0xFF) << 8) | (option[3] & 0xFF));
            case TcpOption.KIND_WSCALE -> text.append("wscale ").append(option[2] & 0xFF);
            case TcpOption.KIND_SACK_PERMITTED -> text.append("sackOK");
            case TcpOption.KIND_SACK ->
            {
                text.append("sack");
                for (int b = 2; b + 8 <= option.length; b += 8)
                {
                    text.append(' ').append(u32(option, b)).append(':').append(u32(option, b + 4));
                }
            }
            case TcpOption.KIND_MD5 -> text.append("md5 ").append(hexText(option, Math.min(2, option.length)));
            case TcpOption.KIND_TIMESTAMP -> text.append("TS val ").append(u32(option, 2)).append(" ecr ")
                .append(u32(option, 6));
            case TcpOption.KIND_FAST_OPEN -> text.append("FO ").append(hexText(option, 2));
            case TcpOption.KIND_EXPERIMENTAL -> text.append("FOEXP ").append(hexText(option, Math.min(4, option.length)));
            case TcpOption.KIND_ACCECN0, TcpOption.KIND_ACCECN1 ->
            {
                text.append("ECN");
                for (int i = 0; 2 + 3 * i + 3 <= option.length && i < 3; i++)
                {
                    text.append(' ').append(TcpOption.AccEcn.label(kind == TcpOption.KIND_ACCECN1, i)).append(' ')
                        .append(((option[2 + 3 * i] & 0xFF) << 16) | ((option[3 + 3 * i] & 0xFF) << 8) |
                            (option[4 + 3 * i] & 0xFF));
                }
            }
            default -> text.append("kind ").append(kind).append(" len ").append(option.length);
        }
    }

    static long u32(final byte[] bytes, final int offset)
    {
        return ((bytes[offset] & 0xFFL) << 24) | ((bytes[offset + 1] & 0xFFL) << 16) |
            ((bytes[offset + 2] & 0xFFL) << 8) | (bytes[offset + 3] & 0xFFL);
    }

    private static String hexText(final byte[] bytes, final int from)
    {
        final StringBuilder text = new StringBuilder();
        for (int i = from; i < bytes.length; i++)
        {
            text.append(Character.forDigit((bytes[i] >> 4) & 0xF, 16)).append(Character.forDigit(bytes[i] & 0xF, 16));
        }
        return text.toString();
    }

    private static boolean isHex(final String s)
    {
        for (int i = 0; i < s.length(); i++)
        {
            if (Character.digit(s.charAt(i), 16) < 0)
            {
                return false;
            }
        }
        return !s.isEmpty();
    }

    private static int header(final MutableDirectBuffer buffer, final int p, final int kind, final int length)
    {
        buffer.putByte(p, (byte)kind);
        buffer.putByte(p + 1, (byte)length);
        return p + 2;
    }

    private static int u16(final MutableDirectBuffer buffer, final int p, final int value)
    {
        buffer.putByte(p, (byte)(value >>> 8));
        buffer.putByte(p + 1, (byte)value);
        return p + 2;
    }

    private static int u32(final MutableDirectBuffer buffer, final int p, final long value)
    {
        buffer.putByte(p, (byte)(value >>> 24));
        buffer.putByte(p + 1, (byte)(value >>> 16));
        buffer.putByte(p + 2, (byte)(value >>> 8));
        buffer.putByte(p + 3, (byte)value);
        return p + 4;
    }
}
