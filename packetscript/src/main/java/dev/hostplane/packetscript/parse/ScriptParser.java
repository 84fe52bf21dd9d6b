package dev.hostplane.packetscript.parse;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.hostplane.packetscript.Script;
import dev.hostplane.packetscript.ScriptParseException;
import dev.hostplane.packetscript.model.Action;
import dev.hostplane.packetscript.model.Direction;
import dev.hostplane.packetscript.model.Ecn;
import dev.hostplane.packetscript.model.Encapsulation;
import dev.hostplane.packetscript.model.Event;
import dev.hostplane.packetscript.model.Expression;
import dev.hostplane.packetscript.model.IcmpSpec;
import dev.hostplane.packetscript.model.IntValue;
import dev.hostplane.packetscript.model.IpInfo;
import dev.hostplane.packetscript.model.OptionSetting;
import dev.hostplane.packetscript.model.PacketSpec;
import dev.hostplane.packetscript.model.PythonCode;
import dev.hostplane.packetscript.model.ShellCommand;
import dev.hostplane.packetscript.model.SourcePosition;
import dev.hostplane.packetscript.model.StructKind;
import dev.hostplane.packetscript.model.SyscallSpec;
import dev.hostplane.packetscript.model.TcpOption;
import dev.hostplane.packetscript.model.TcpSpec;
import dev.hostplane.packetscript.model.Timing;
import dev.hostplane.packetscript.model.TransportSpec;
import dev.hostplane.packetscript.model.UdpSpec;

/**
 * Recursive-descent parser for the packetdrill language, following the structure of packetdrill's grammar:
 * {@code script := options [init_command] events [cleanup_command]}, {@code event := time action}.
 *
 * <p>Semantic rules packetdrill checks while parsing are checked here too (consistent {@code start:end(len)},
 * value ranges, {@code *} and ranges only on outbound packets, {@code <...>} only outbound, struct fields), and
 * every error names the position, the text found and what was expected.
 */
public final class ScriptParser
{
    private static final long MAX_U32 = 0xFFFF_FFFFL;
    private static final BigDecimal MICROS_PER_SECOND = BigDecimal.valueOf(1_000_000);
    /** Bound on times (about 11.5 days) so absurd values fail clearly rather than overflow. */
    private static final long MAX_TIME_MICROS = 1_000_000L * 1_000_000L;
    private static final int MAX_NESTING = 64;
    /** A TCP header has 40 option bytes; fast open needs 2 (FO) or 4 (FOEXP) of them. */
    private static final int MAX_COOKIE_BYTES = 38;

    private final Lexer lexer;
    private final String source;
    private final List<Token> buffer = new ArrayList<>();
    private int nesting;

    /**
     * Creates a parser over a script's text.
     *
     * @param source      source name used in positions.
     * @param text        script text.
     * @param definitions caller {@code -D} definitions (override the script's own).
     */
    public ScriptParser(final String source, final String text, final Map<String, String> definitions)
    {
        this.source = source;
        this.lexer = new Lexer(source, text, definitions);
    }

    /**
     * Parses the whole script.
     *
     * @return the script model.
     * @throws ScriptParseException on the first error.
     */
    public Script parse()
    {
        final List<OptionSetting> options = new ArrayList<>();
        while (peek(0).kind() == TokenKind.OPTION)
        {
            options.add(option(take()));
        }
        ShellCommand init = null;
        if (peek(0).kind() == TokenKind.BACK_QUOTED)
        {
            init = new ShellCommand(take().text());
        }
        final List<Event> events = new ArrayList<>();
        ShellCommand cleanup = null;
        while (peek(0).kind() != TokenKind.EOF)
        {
            final Token t = peek(0);
            if (t.kind() == TokenKind.BACK_QUOTED && !events.isEmpty() && peek(1).kind() == TokenKind.EOF)
            {
                cleanup = new ShellCommand(take().text());
                break;
            }
            if (t.kind() == TokenKind.OPTION)
            {
                throw error(t, "an event; options like " + t.text() + " must come before the first event");
            }
            events.add(event());
        }
        return new Script(source, options, init, events, cleanup);
    }

    // ---------------------------------------------------------------- tokens

    private Token peek(final int k)
    {
        while (buffer.size() <= k)
        {
            buffer.add(lexer.next());
        }
        return buffer.get(k);
    }

    private Token take()
    {
        peek(0);
        return buffer.remove(0);
    }

    private ScriptParseException error(final Token at, final String expected)
    {
        return new ScriptParseException(new SourcePosition(source, at.line(), at.column()), at.display(),
            "expected " + expected);
    }

    private ScriptParseException semantic(final Token at, final String problem)
    {
        return new ScriptParseException(new SourcePosition(source, at.line(), at.column()), at.display(), problem);
    }

    private Token expectPunct(final char c, final String context)
    {
        final Token t = peek(0);
        if (!t.is(c))
        {
            throw error(t, "'" + c + "' " + context);
        }
        return take();
    }

    private Token expectWord(final String word, final String context)
    {
        final Token t = peek(0);
        if (!t.isWord(word))
        {
            throw error(t, "'" + word + "' " + context);
        }
        return take();
    }

    private boolean accept(final char c)
    {
        if (peek(0).is(c))
        {
            take();
            return true;
        }
        return false;
    }

    private long integer(final String what, final long min, final long max)
    {
        final Token t = peek(0);
        if (t.kind() != TokenKind.INTEGER && t.kind() != TokenKind.HEX_INTEGER)
        {
            throw error(t, what + " (an integer)");
        }
        take();
        final long value = parseInteger(t, what);
        if (value < min || value > max)
        {
            throw semantic(t, what + " out of range: " + value + " (expected " + min + ".." + max + ")");
        }
        return value;
    }

    private long parseInteger(final Token t, final String what)
    {
        try
        {
            if (t.kind() == TokenKind.HEX_INTEGER)
            {
                return Long.parseUnsignedLong(t.text().substring(2), 16);
            }
            return Long.parseLong(t.text());
        }
        catch (final NumberFormatException ex)
        {
            throw semantic(t, what + " out of range: " + t.text());
        }
    }

    // ---------------------------------------------------------------- header

    private OptionSetting option(final Token t)
    {
        final SourcePosition position = new SourcePosition(source, t.line(), t.column());
        String line = t.text();
        String name;
        String value;
        if (line.startsWith("-D"))
        {
            name = "define";
            value = line.substring(2).strip();
            if (value.isEmpty())
            {
                throw semantic(t, "expected NAME=VALUE after -D");
            }
        }
        else
        {
            line = line.substring(2);
            final int eq = line.indexOf('=');
            name = (eq < 0 ? line : line.substring(0, eq)).strip();
            value = eq < 0 ? null : line.substring(eq + 1).strip();
            if (!name.matches("[A-Za-z][A-Za-z0-9_-]*"))
            {
                throw semantic(t, "expected an option name like --tolerance_usecs=N");
            }
        }
        if ("define".equals(name))
        {
            final int eq = value == null ? -1 : value.indexOf('=');
            if (eq <= 0)
            {
                throw semantic(t, "expected NAME=VALUE in definition");
            }
            lexer.defineFromScript(value.substring(0, eq).strip(), value.substring(eq + 1).strip());
        }
        return new OptionSetting(position, name, value);
    }

    // ---------------------------------------------------------------- events

    private Event event()
    {
        final Token start = peek(0);
        final SourcePosition position = new SourcePosition(source, start.line(), start.column());
        final Timing timing = timing();
        Long end = null;
        if (peek(0).kind() == TokenKind.ELLIPSIS)
        {
            take();
            end = time("the end time of a blocking system call (e.g. +0...0.200)");
        }
        final Token actionToken = peek(0);
        final Action action;
        if (end != null)
        {
            if (actionToken.kind() != TokenKind.WORD)
            {
                throw error(actionToken, "a system call after a blocking time range a...b");
            }
            action = syscall(end);
        }
        else if (actionToken.is('<') || actionToken.is('>'))
        {
            action = packet();
        }
        else if (actionToken.kind() == TokenKind.WORD && peek(1).is('('))
        {
            action = syscall(null);
        }
        else if (actionToken.kind() == TokenKind.BACK_QUOTED)
        {
            action = new ShellCommand(take().text());
        }
        else if (actionToken.kind() == TokenKind.CODE)
        {
            action = new PythonCode(take().text());
        }
        else
        {
            throw error(actionToken, "a packet (< or >), a system call, a `shell command` or %{ python }%");
        }
        final boolean outboundPacket = action instanceof PacketSpec p && p.direction() == Direction.OUTBOUND;
        if (timing instanceof Timing.AnyTime && !outboundPacket)
        {
            throw semantic(start, "event time * can only be used with outbound packets");
        }
        if ((timing instanceof Timing.AbsoluteRange || timing instanceof Timing.RelativeRange) && !outboundPacket)
        {
            throw semantic(start, "event time range can only be used with outbound packets");
        }
        return new Event(position, timing, action);
    }

    private Timing timing()
    {
        final Token t = peek(0);
        if (t.is('*'))
        {
            take();
            return new Timing.AnyTime();
        }
        if (t.is('+'))
        {
            take();
            final long start = time("a relative time after '+' (e.g. +0.1)");
            if (peek(0).is('~'))
            {
                final Token tilde = take();
                expectPunct('+', "after '~' in a relative time range (e.g. +0.1~+0.2)");
                final long end = time("the end of the relative time range");
                if (end < start)
                {
                    throw semantic(tilde, "time range is backwards");
                }
                return new Timing.RelativeRange(start, end);
            }
            return new Timing.Relative(start);
        }
        if (t.kind() == TokenKind.INTEGER || t.kind() == TokenKind.FLOAT)
        {
            final long start = time("a time");
            if (peek(0).is('~'))
            {
                final Token tilde = take();
                final long end = time("the end of the time range (e.g. 0.750~0.900)");
                if (end < start)
                {
                    throw semantic(tilde, "time range is backwards");
                }
                return new Timing.AbsoluteRange(start, end);
            }
            return new Timing.Absolute(start);
        }
        throw error(t, "an event time (e.g. 0, +0.1, *, 0.1~0.2, +0.1~+0.2)");
    }

    private long time(final String what)
    {
        final Token t = peek(0);
        if (t.kind() != TokenKind.INTEGER && t.kind() != TokenKind.FLOAT)
        {
            throw error(t, what);
        }
        take();
        // Exact decimal arithmetic: packetdrill's (s64)(secs * 1e6) can be off by one microsecond.
        final BigDecimal micros = new BigDecimal(t.text().startsWith(".") ? "0" + t.text() : t.text())
            .multiply(MICROS_PER_SECOND);
        if (micros.compareTo(BigDecimal.valueOf(MAX_TIME_MICROS)) > 0)
        {
            throw semantic(t, "time too large: " + t.text() + " s");
        }
        return micros.longValue();
    }

    // ---------------------------------------------------------------- packets

    private PacketSpec packet()
    {
        final Token dir = take();
        final Direction direction = dir.is('<') ? Direction.INBOUND : Direction.OUTBOUND;
        final List<Encapsulation> encapsulations = new ArrayList<>();
        while (peek(0).isWord("encap"))
        {
            take();
            expectWord("psp", "after encap (the only encapsulation supported is: encap psp spi N)");
            expectWord("spi", "after encap psp");
            encapsulations.add(new Encapsulation.Psp(integer("PSP spi", 0, MAX_U32)));
        }
        final IpInfo ipInfo = ipInfo(direction);
        final TransportSpec transport;
        if (peek(0).isWord("udp"))
        {
            transport = udp();
        }
        else if (peek(0).isWord("icmp"))
        {
            transport = icmp();
        }
        else
        {
            transport = tcp(direction);
        }
        if (transport instanceof UdpSpec && ipInfo.ecn() != null && ipInfo.ecn() != Ecn.ECT01)
        {
            throw semantic(dir, "ECN can only be used with TCP packets");
        }
        return new PacketSpec(direction, encapsulations, ipInfo, transport);
    }

    private IpInfo ipInfo(final Direction direction)
    {
        final Token open = peek(0);
        final char close;
        if (open.is('['))
        {
            close = ']';
        }
        else if (open.is('(') && peek(1).kind() == TokenKind.WORD)
        {
            close = ')';
        }
        else
        {
            return IpInfo.NONE;
        }
        take();
        Ecn ecn = null;
        Integer tos = null;
        Integer flowLabel = null;
        Integer ttl = null;
        do
        {
            final Token t = peek(0);
            if (t.kind() == TokenKind.WORD && Ecn.fromKeyword(t.text()) != null)
            {
                take();
                ecn = Ecn.fromKeyword(t.text());
                if (ecn == Ecn.ECT01 && direction != Direction.OUTBOUND)
                {
                    throw semantic(t, "[ect01] can only be used with outbound packets");
                }
            }
            else if (t.isWord("tos"))
            {
                take();
                tos = (int)integer("tos value", 0, 255);
            }
            else if (t.isWord("flowlabel"))
            {
                take();
                flowLabel = (int)integer("flowlabel value", 0, 0xFFFFF);
            }
            else if (t.isWord("ttl"))
            {
                take();
                ttl = (int)integer("ttl value", 0, 255);
            }
            else
            {
                throw error(t, "an IP field: ect0, ect1, ce, noecn, ect01, tos N, flowlabel N or ttl N");
            }
        }
        while (accept(','));
        expectPunct(close, "to close the IP clause");
        return new IpInfo(ecn, tos, flowLabel, ttl);
    }

    private Integer[] optPorts()
    {
        if (peek(0).kind() == TokenKind.INTEGER && peek(1).is('>'))
        {
            final long src = integer("source port", 0, 65535);
            take();
            final long dst = integer("destination port", 0, 65535);
            return new Integer[] {(int)src, (int)dst};
        }
        return new Integer[] {null, null};
    }

    private UdpSpec udp()
    {
        take();
        final Integer[] ports = optPorts();
        expectPunct('(', "before the UDP payload length, as in udp (100)");
        final long len = integer("UDP payload length", 0, 65535);
        expectPunct(')', "after the UDP payload length");
        return new UdpSpec(ports[0], ports[1], (int)len);
    }

    private IcmpSpec icmp()
    {
        take();
        final Token type = peek(0);
        if (type.kind() != TokenKind.WORD)
        {
            throw error(type, "an ICMP type (e.g. unreachable, packet_too_big, time_exceeded, echo_request)");
        }
        take();
        String code = null;
        if (peek(0).kind() == TokenKind.WORD && !peek(0).isWord("mtu") && !peek(0).isWord("id"))
        {
            code = take().text();
        }
        Long mtu = null;
        if (peek(0).isWord("mtu"))
        {
            take();
            mtu = integer("ICMP mtu", 0, MAX_U32);
        }
        Long echoId = null;
        if (peek(0).isWord("id"))
        {
            take();
            echoId = integer("ICMP echo id", 0, 65535);
        }
        IcmpSpec.Echoed echoed = null;
        if (accept('['))
        {
            if (peek(0).isWord("udp") || peek(0).isWord("raw"))
            {
                final String proto = take().text();
                expectPunct('(', "before the echoed " + proto + " payload length");
                final long len = integer("echoed payload length", 0, 65535);
                expectPunct(')', "after the echoed payload length");
                echoed = new IcmpSpec.Echoed(proto, 0, (int)len);
            }
            else
            {
                final long[] seq = sequence();
                echoed = new IcmpSpec.Echoed("tcp", seq[0], (int)seq[1]);
            }
            expectPunct(']', "to close the echoed packet");
        }
        return new IcmpSpec(type.text(), code, mtu, echoId, echoed);
    }

    private long[] sequence()
    {
        final Token first = peek(0);
        final long start = integer("a TCP sequence range start:end(length), start", 0, MAX_U32);
        expectPunct(':', "in start:end(length)");
        final long end = integer("TCP end sequence number", 0, MAX_U32);
        expectPunct('(', "in start:end(length)");
        final long len = integer("TCP payload length", 0, 65535);
        expectPunct(')', "in start:end(length)");
        if (end != start + len)
        {
            throw semantic(first, "inconsistent TCP sequence numbers and payload size: " + start + ":" + end +
                "(" + len + ")");
        }
        return new long[] {start, len};
    }

    private TcpSpec tcp(final Direction direction)
    {
        final Integer[] ports = optPorts();
        final String flags = flags();
        final long[] seq = sequence();
        Long ack = null;
        if (peek(0).isWord("ack"))
        {
            take();
            ack = integer("TCP ack sequence number", 0, MAX_U32);
        }
        Integer window = null;
        if (peek(0).isWord("win"))
        {
            take();
            window = (int)integer("TCP window value", 0, 65535);
        }
        Integer urg = null;
        if (peek(0).isWord("urg"))
        {
            take();
            urg = (int)integer("urg_ptr value", 0, 65535);
        }
        List<TcpOption> options = List.of();
        if (peek(0).is('<'))
        {
            final Token open = take();
            if (peek(0).kind() == TokenKind.ELLIPSIS)
            {
                take();
                expectPunct('>', "after <...");
                if (direction != Direction.OUTBOUND)
                {
                    throw semantic(open, "<...> for TCP options can only be used with outbound packets");
                }
                options = null;
            }
            else
            {
                options = new ArrayList<>();
                do
                {
                    options.add(tcpOption());
                }
                while (accept(','));
                expectPunct('>', "or ',' in the TCP option list");
                int bytes = 0;
                for (final TcpOption o : options)
                {
                    bytes += optionLength(o);
                }
                if (bytes > 40)
                {
                    throw semantic(open, "TCP option list too long: " + bytes + " bytes (max 40)");
                }
            }
        }
        return new TcpSpec(ports[0], ports[1], flags, seq[0], (int)seq[1], ack, window, urg, options);
    }

    private static int optionLength(final TcpOption o)
    {
        if (o instanceof TcpOption.Nop || o instanceof TcpOption.Eol)
        {
            return 1;
        }
        if (o instanceof TcpOption.Mss)
        {
            return 4;
        }
        if (o instanceof TcpOption.WindowScale)
        {
            return 3;
        }
        if (o instanceof TcpOption.SackPermitted)
        {
            return 2;
        }
        if (o instanceof TcpOption.Sack s)
        {
            return 2 + 8 * s.blocks().size();
        }
        if (o instanceof TcpOption.Timestamp)
        {
            return 10;
        }
        if (o instanceof TcpOption.FastOpen f)
        {
            return (f.experimental() ? 4 : 2) + (isHex(f.cookie()) ? f.cookie().length() / 2 : 8);
        }
        if (o instanceof TcpOption.AccEcn a)
        {
            return 2 + 3 * a.counters().size();
        }
        final TcpOption.Md5 m = (TcpOption.Md5)o;
        return 2 + m.digest().length() / 2;
    }

    private String flags()
    {
        final Token t = peek(0);
        final StringBuilder flags = new StringBuilder();
        if (t.is('-'))
        {
            take();
            return "";
        }
        if (t.kind() == TokenKind.WORD)
        {
            take();
            flags.append(t.text());
            if (peek(0).is('.') && peek(0).offset() == t.endOffset())
            {
                take();
                flags.append('.');
            }
            else if (isAckAndAce(peek(0)) && peek(0).offset() == t.endOffset())
            {
                // S.6: the lexer reads ".6" as a number, as packetdrill's does (its ack_and_ace rule).
                flags.append(take().text());
            }
            return checkedFlags(t, flags.toString());
        }
        if (isAckAndAce(t))
        {
            take();
            return checkedFlags(t, t.text());
        }
        if (t.is('.'))
        {
            take();
            return ".";
        }
        throw error(t, "TCP flags (e.g. S, S., P., F., R., ., -), 'udp' or 'icmp'");
    }

    private static boolean isAckAndAce(final Token t)
    {
        return t.kind() == TokenKind.FLOAT && t.text().startsWith(".");
    }

    /**
     * Checks flag letters as packetdrill does: F S R P U E W A, '.' for ACK, and one digit 0-7 for the AccECN ACE
     * field (AE, CWR, ECE as a 3-bit number), which excludes the E, W and A letters it stands for.
     */
    private String checkedFlags(final Token t, final String flags)
    {
        boolean ecnLetter = false;
        boolean aceDigit = false;
        for (int i = 0; i < flags.length(); i++)
        {
            final char c = flags.charAt(i);
            final boolean digit = c >= '0' && c <= '7';
            if (TcpSpec.FLAG_LETTERS.indexOf(c) < 0 && !digit || c == '.' && i != flags.lastIndexOf('.'))
            {
                throw semantic(t, "Invalid TCP flag: '" + c + "' (expected flags from F S R P U E W A, '.' and " +
                    "an ACE digit 0-7)");
            }
            if (digit && (ecnLetter || aceDigit) || "EWA".indexOf(c) >= 0 && aceDigit)
            {
                throw semantic(t, "Conflicting TCP flag: '" + c + "'");
            }
            ecnLetter |= "EWA".indexOf(c) >= 0;
            aceDigit |= digit;
        }
        return flags;
    }

    private TcpOption tcpOption()
    {
        final Token t = peek(0);
        if (t.kind() != TokenKind.WORD)
        {
            throw error(t, "a TCP option (nop, eol, mss, wscale, sackOK, sack, TS, FO, FOEXP, ECN, md5)");
        }
        take();
        switch (t.text())
        {
            case "nop":
                return new TcpOption.Nop();
            case "eol":
                return new TcpOption.Eol();
            case "mss":
                if (peek(0).kind() == TokenKind.WORD)
                {
                    return new TcpOption.Mss(IntValue.symbol(take().text()));
                }
                return new TcpOption.Mss(IntValue.of(integer("mss value", 0, 65535)));
            case "wscale":
                return new TcpOption.WindowScale((int)integer("window scale shift count", 0, 255));
            case "sackOK":
                return new TcpOption.SackPermitted();
            case "sack":
                final List<TcpOption.SackBlock> blocks = new ArrayList<>();
                do
                {
                    final long left = integer("TCP SACK left sequence number", 0, MAX_U32);
                    expectPunct(':', "in SACK block left:right");
                    final long right = integer("TCP SACK right sequence number", 0, MAX_U32);
                    blocks.add(new TcpOption.SackBlock(left, right));
                }
                while (peek(0).kind() == TokenKind.INTEGER || peek(0).kind() == TokenKind.HEX_INTEGER);
                if (blocks.size() > 4)
                {
                    throw semantic(t, "too many SACK blocks: " + blocks.size() + " (max 4)");
                }
                return new TcpOption.Sack(blocks);
            case "TS":
                expectWord("val", "after TS, as in TS val 100 ecr 0");
                final long val = integer("ts val", 0, MAX_U32);
                expectWord("ecr", "after TS val N");
                final long ecr = integer("ecr val", 0, MAX_U32);
                return new TcpOption.Timestamp(val, ecr);
            case "FO":
            case "FOEXP":
                return fastOpen(t.text().equals("FOEXP"));
            case "ECN":
                return accEcn(t);
            case "md5":
                final Token digest = peek(0);
                final String hex = hexBlob(digest, "an MD5 digest in hex");
                if (!isHex(hex) || hex.length() > 32)
                {
                    throw semantic(digest, "TCP MD5 digest is not a hex string of at most 16 bytes");
                }
                return new TcpOption.Md5(hex);
            default:
                throw semantic(t, "unknown TCP option '" + t.text() +
                    "' (expected nop, eol, mss, wscale, sackOK, sack, TS, FO, FOEXP, ECN or md5)");
        }
    }

    /**
     * {@code ECN e0b N [ceb N [e1b N]]} or {@code ECN e1b N [ceb N [e0b N]]}, the orders packetdrill's grammar
     * accepts: the first counter names the option's kind, CE comes second, the third is the other ECT counter.
     */
    private TcpOption accEcn(final Token ecn)
    {
        final Token first = peek(0);
        if (!first.isWord("e0b") && !first.isWord("e1b"))
        {
            throw error(first, "e0b or e1b after ECN, as in ECN e1b 1 ceb 0 e0b 1");
        }
        final boolean ect1First = first.isWord("e1b");
        final List<Long> counters = new ArrayList<>();
        for (int i = 0; i < 3; i++)
        {
            final String label = TcpOption.AccEcn.label(ect1First, i);
            if (i > 0 && !peek(0).isWord(label))
            {
                break;
            }
            take();
            counters.add(integer("TCP AccECN field value", 0, 0xFF_FFFFL));
        }
        return new TcpOption.AccEcn(ect1First, counters);
    }

    private TcpOption fastOpen(final boolean experimental)
    {
        final Token t = peek(0);
        if (t.kind() != TokenKind.WORD && t.kind() != TokenKind.INTEGER)
        {
            return new TcpOption.FastOpen("", experimental);
        }
        final String cookie = hexBlob(t, "a fast open cookie");
        final boolean symbol = Character.isLetter(cookie.charAt(0)) && !isHex(cookie) ||
            cookie.chars().anyMatch(c -> c == '_');
        if (!symbol)
        {
            if ((cookie.length() & 1) != 0)
            {
                throw semantic(t, "TCP fast open cookie has an odd number of digits");
            }
            if (!isHex(cookie))
            {
                throw semantic(t, "TCP fast open cookie '" + cookie + "' is not a valid hex string");
            }
            if (cookie.length() / 2 > MAX_COOKIE_BYTES - (experimental ? 2 : 0))
            {
                throw semantic(t, "TCP fast open cookie of " + cookie.length() / 2 +
                    " bytes exceeds maximum cookie length of " + (MAX_COOKIE_BYTES - (experimental ? 2 : 0)) + " bytes");
            }
        }
        return new TcpOption.FastOpen(cookie, experimental);
    }

    private String hexBlob(final Token t, final String what)
    {
        if (t.kind() != TokenKind.WORD && t.kind() != TokenKind.INTEGER)
        {
            throw error(t, what);
        }
        take();
        return t.text();
    }

    /**
     * Whether a string is a non-empty run of hex digits.
     *
     * @param s the string.
     * @return true if hex.
     */
    static boolean isHex(final String s)
    {
        if (s.isEmpty())
        {
            return false;
        }
        for (int i = 0; i < s.length(); i++)
        {
            if (Character.digit(s.charAt(i), 16) < 0)
            {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- syscalls

    private SyscallSpec syscall(final Long end)
    {
        final Token name = take();
        expectPunct('(', "after the system call name " + name.text());
        final List<Expression> args = new ArrayList<>();
        if (!peek(0).is(')'))
        {
            args.addAll(expressionList(')'));
        }
        expectPunct(')', "or ',' in the arguments of " + name.text() + "()");
        expectPunct('=', "and the expected result after " + name.text() + "(...), as in = 0");
        final Expression result = expression();
        String errno = null;
        // packetdrill takes any word here; we take only errno-like names so that a forgotten event time on the
        // next line is reported there instead of being read as an errno.
        if (peek(0).kind() == TokenKind.WORD && peek(0).text().matches("E[A-Z0-9]*"))
        {
            errno = take().text();
        }
        String note = null;
        if (peek(0).is('('))
        {
            note = note(peek(0));
        }
        return new SyscallSpec(end, name.text(), args, result, errno, note);
    }

    private String note(final Token open)
    {
        final String text = lexer.text();
        int depth = 0;
        for (int i = open.offset(); i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == '(')
            {
                depth++;
            }
            else if (c == ')' && --depth == 0)
            {
                buffer.clear();
                lexer.reset(i + 1);
                return text.substring(open.offset() + 1, i).strip().replaceAll("\\s+", " ");
            }
        }
        throw semantic(open, "unterminated note: expected ')' to close it, as in (Operation now in progress)");
    }

    private List<Expression> expressionList(final char close)
    {
        final List<Expression> list = new ArrayList<>();
        list.add(expression());
        while (accept(','))
        {
            list.add(expression());
        }
        if (!peek(0).is(close))
        {
            throw error(peek(0), "',' or '" + close + "'");
        }
        return list;
    }

    private Expression expression()
    {
        if (++nesting > MAX_NESTING)
        {
            throw semantic(peek(0), "expression nested too deeply (max " + MAX_NESTING + ")");
        }
        try
        {
            Expression left = primary();
            while (peek(0).is('|'))
            {
                take();
                left = new Expression.BitOr(left, primary());
            }
            return left;
        }
        finally
        {
            nesting--;
        }
    }

    private Expression primary()
    {
        final Token t = peek(0);
        switch (t.kind())
        {
            case ELLIPSIS:
                take();
                return new Expression.Ellipsis();
            case INTEGER:
            case HEX_INTEGER:
                take();
                return new Expression.IntLiteral(parseInteger(t, "integer"), t.kind() == TokenKind.HEX_INTEGER);
            case STRING:
                final StringBuilder raw = new StringBuilder();
                while (peek(0).kind() == TokenKind.STRING)
                {
                    raw.append(take().text());
                }
                boolean ellipsis = false;
                if (peek(0).kind() == TokenKind.ELLIPSIS)
                {
                    take();
                    ellipsis = true;
                }
                return new Expression.StringLiteral(raw.toString(), ellipsis);
            case WORD:
                return wordExpression();
            case PUNCT:
                if (t.is('-') && (peek(1).kind() == TokenKind.INTEGER || peek(1).kind() == TokenKind.HEX_INTEGER))
                {
                    take();
                    final Token n = take();
                    return new Expression.IntLiteral(-parseInteger(n, "integer"), n.kind() == TokenKind.HEX_INTEGER);
                }
                if (t.is('['))
                {
                    take();
                    final List<Expression> elements = peek(0).is(']') ? List.of() : expressionList(']');
                    expectPunct(']', "to close the array");
                    return new Expression.ListExpr(elements);
                }
                if (t.is('{'))
                {
                    return struct();
                }
                break;
            default:
                break;
        }
        throw error(t, "an expression (integer, ..., NAME, \"string\", [array] or {struct})");
    }

    private Expression wordExpression()
    {
        final Token name = take();
        if (peek(0).is('='))
        {
            take();
            return new Expression.Field(name.text(), null, expression());
        }
        // name(args) only when the parenthesis touches the name: "= -1 EAGAIN (text)" and "= SYM (text)" are a
        // result followed by a note.
        if (peek(0).is('(') && peek(0).offset() == name.endOffset())
        {
            take();
            final List<Expression> args = peek(0).is(')') ? List.of() : expressionList(')');
            expectPunct(')', "to close the arguments of " + name.text() + "(...)");
            if (peek(0).is('='))
            {
                take();
                if (args.size() != 1)
                {
                    throw semantic(name, "field " + name.text() + "(N)=value takes exactly one argument");
                }
                return new Expression.Field(name.text(), args.get(0), expression());
            }
            return new Expression.Call(name.text(), args);
        }
        return new Expression.Symbol(name.text());
    }

    private Expression struct()
    {
        final Token open = take();
        final List<Expression> items = peek(0).is('}') ? List.of() : expressionList('}');
        expectPunct('}', "to close the struct");
        final Expression.StructExpr struct = new Expression.StructExpr(items);
        // A struct whose first field names a known struct must have exactly that struct's fields.
        if (!items.isEmpty() && items.get(0) instanceof Expression.Field first)
        {
            final StructKind expected = StructKind.startingWith(first.name());
            final StructKind actual = struct.kind();
            if (expected != null && actual == StructKind.GENERIC)
            {
                throw semantic(open, "bad struct " + expected.name().toLowerCase() + ": expected fields " +
                    (expected == StructKind.EPOLL_EVENT_FD ? "events, fd|ptr|u32|u64" :
                    String.join(", ", expected.fieldNames())));
            }
        }
        return struct;
    }
}
