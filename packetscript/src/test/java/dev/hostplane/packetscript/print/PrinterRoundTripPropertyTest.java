package dev.hostplane.packetscript.print;

import java.util.ArrayList;
import java.util.List;

import dev.hostplane.packetscript.PacketScript;
import dev.hostplane.packetscript.Script;
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
import dev.hostplane.packetscript.model.SyscallSpec;
import dev.hostplane.packetscript.model.TcpOption;
import dev.hostplane.packetscript.model.TcpSpec;
import dev.hostplane.packetscript.model.Timing;
import dev.hostplane.packetscript.model.UdpSpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random script models, not only the suite's: printing and parsing back gives the same model.
 */
class PrinterRoundTripPropertyTest
{
    private static final SourcePosition NOWHERE = new SourcePosition("gen", 1, 1);
    private static final long U32 = 0xFFFF_FFFFL;

    @Property(tries = 100)
    void shouldParseWhatItPrints(@ForAll("scripts") final Script script)
    {
        final String printed = PacketScript.print(script);
        assertThat(PacketScript.parse("printed.pkt", printed)).as(printed).isEqualTo(script);
    }

    @Provide
    Arbitrary<Script> scripts()
    {
        final Arbitrary<List<OptionSetting>> options = Combinators.combine(
            Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12).filter(n -> !n.equals("define")),
            Arbitraries.strings().alpha().numeric().withChars('.', ':', '_').ofMaxLength(16).injectNull(0.2))
            .as((n, v) -> new OptionSetting(NOWHERE, n, v)).list().ofMaxSize(3);
        final Arbitrary<ShellCommand> command = commandText().map(ShellCommand::new);
        return Combinators.combine(options, command.injectNull(0.5), event().list().ofMinSize(1).ofMaxSize(12),
            command.injectNull(0.5)).as((o, init, events, cleanup) -> new Script("gen", o, init, events, cleanup));
    }

    private static Arbitrary<String> commandText()
    {
        return Arbitraries.strings().withCharRange(' ', '~').withChars('\n').ofMaxLength(30)
            .filter(s -> s.indexOf('`') < 0 && !s.contains("}%"));
    }

    private static Arbitrary<Long> micros()
    {
        return Arbitraries.longs().between(0, 100_000_000L);
    }

    private static Arbitrary<Timing> simpleTiming()
    {
        return Arbitraries.oneOf(micros().map(Timing.Absolute::new), micros().map(Timing.Relative::new));
    }

    private static Arbitrary<Timing> anyTiming()
    {
        return Arbitraries.oneOf(simpleTiming(), Arbitraries.just(new Timing.AnyTime()),
            Combinators.combine(micros(), micros()).as((a, b) -> new Timing.AbsoluteRange(Math.min(a, b),
                Math.max(a, b))),
            Combinators.combine(micros(), micros()).as((a, b) -> new Timing.RelativeRange(Math.min(a, b),
                Math.max(a, b))));
    }

    private static Arbitrary<Event> event()
    {
        final Arbitrary<Event> outbound = Combinators.combine(anyTiming(), packet(Direction.OUTBOUND))
            .as((t, p) -> new Event(NOWHERE, t, p));
        final Arbitrary<Action> other = Arbitraries.oneOf(packet(Direction.INBOUND), syscall(false),
            commandText().map(ShellCommand::new), commandText().map(PythonCode::new));
        final Arbitrary<Event> simple = Combinators.combine(simpleTiming(), other).as((t, a) -> new Event(NOWHERE,
            t, a));
        final Arbitrary<Event> blocking = Combinators.combine(simpleTiming(), syscall(true))
            .as((t, a) -> new Event(NOWHERE, t, a));
        return Arbitraries.oneOf(outbound, simple, blocking);
    }

    private static Arbitrary<String> word()
    {
        return Arbitraries.strings().withCharRange('a', 'z').withChars('_').ofMinLength(1).ofMaxLength(8)
            .filter(w -> !w.startsWith("_") && !List.of("mtu", "id", "udp", "raw").contains(w));
    }

    private static Arbitrary<String> symbol()
    {
        return Arbitraries.strings().withCharRange('A', 'Z').withChars('_').ofMinLength(1).ofMaxLength(10)
            .filter(s -> Character.isLetter(s.charAt(0)));
    }

    private static Arbitrary<PacketSpec> packet(final Direction direction)
    {
        final Arbitrary<List<Encapsulation>> encaps = Arbitraries.longs().between(0, U32)
            .map(spi -> (Encapsulation)new Encapsulation.Psp(spi)).list().ofMaxSize(1);
        final Arbitrary<Ecn> ecn = Arbitraries.of(Ecn.values())
            .filter(e -> e != Ecn.ECT01 || direction == Direction.OUTBOUND).injectNull(0.5);
        final Arbitrary<IpInfo> ip = Combinators.combine(ecn, Arbitraries.integers().between(0, 255).injectNull(0.7),
            Arbitraries.integers().between(0, 0xFFFFF).injectNull(0.7),
            Arbitraries.integers().between(0, 255).injectNull(0.7)).as(IpInfo::new);
        final Arbitrary<PacketSpec> tcp = Combinators.combine(encaps, ip, tcp(direction))
            .as((e, i, t) -> new PacketSpec(direction, e, i, t));
        final Arbitrary<PacketSpec> udp = Combinators.combine(ports(), Arbitraries.integers().between(0, 65535))
            .as((p, len) -> new PacketSpec(direction, List.of(), IpInfo.NONE, new UdpSpec(p[0], p[1], len)));
        final Arbitrary<IcmpSpec.Echoed> echoed = Arbitraries.oneOf(
            Combinators.combine(Arbitraries.longs().between(0, U32 - 65535), Arbitraries.integers().between(0, 65535))
                .as((s, l) -> new IcmpSpec.Echoed("tcp", s, l)),
            Combinators.combine(Arbitraries.of("udp", "raw"), Arbitraries.integers().between(0, 65535))
                .as((p, l) -> new IcmpSpec.Echoed(p, 0, l))).injectNull(0.3);
        final Arbitrary<PacketSpec> icmp = Combinators.combine(word(), word().injectNull(0.4),
            Arbitraries.longs().between(0, U32).injectNull(0.5), Arbitraries.longs().between(0, 65535).injectNull(0.7),
            echoed).as((t, c, m, id, e) -> new PacketSpec(direction, List.of(), IpInfo.NONE,
                new IcmpSpec(t, c, m, id, e)));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, tcp), net.jqwik.api.Tuple.of(1, udp),
            net.jqwik.api.Tuple.of(1, icmp));
    }

    private static Arbitrary<Integer[]> ports()
    {
        return Combinators.combine(Arbitraries.integers().between(0, 65535), Arbitraries.integers().between(0, 65535))
            .as((a, b) -> new Integer[] {a, b}).injectNull(0.7).map(p -> p == null ? new Integer[] {null, null} : p);
    }

    private static Arbitrary<TcpSpec> tcp(final Direction direction)
    {
        final Arbitrary<String> flags = Combinators.combine(
            Arbitraries.strings().withChars("FSRPUEWA".toCharArray()).ofMaxLength(4), Arbitraries.of(true, false))
            .as((letters, dot) -> letters + (dot ? "." : ""));
        final Arbitrary<List<TcpOption>> options = option().list().ofMaxSize(4).filter(PrinterRoundTripPropertyTest::fits);
        final Arbitrary<List<TcpOption>> maybeUnchecked = direction == Direction.OUTBOUND ?
            options.injectNull(0.2) : options;
        return Combinators.combine(ports(), flags, Arbitraries.longs().between(0, U32 - 65535),
            Arbitraries.integers().between(0, 65535), Arbitraries.longs().between(0, U32).injectNull(0.3),
            Arbitraries.integers().between(0, 65535).injectNull(0.3),
            Arbitraries.integers().between(0, 65535).injectNull(0.8), maybeUnchecked)
            .as((p, f, seq, len, ack, win, urg, o) -> new TcpSpec(p[0], p[1], f, seq, len, ack, win, urg, o));
    }

    private static boolean fits(final List<TcpOption> options)
    {
        int bytes = 0;
        for (final TcpOption o : options)
        {
            if (o instanceof TcpOption.Nop || o instanceof TcpOption.Eol)
            {
                bytes += 1;
            }
            else if (o instanceof TcpOption.Sack s)
            {
                bytes += 2 + 8 * s.blocks().size();
            }
            else if (o instanceof TcpOption.Timestamp)
            {
                bytes += 10;
            }
            else if (o instanceof TcpOption.FastOpen f)
            {
                bytes += 4 + Math.max(8, f.cookie().length() / 2);
            }
            else if (o instanceof TcpOption.Md5 m)
            {
                bytes += 2 + m.digest().length() / 2;
            }
            else
            {
                bytes += 4;
            }
        }
        return bytes <= 40;
    }

    private static Arbitrary<String> hex(final int maxBytes)
    {
        return Arbitraries.strings().withChars("0123456789abcdef".toCharArray()).ofMaxLength(maxBytes)
            .map(s -> s + s);
    }

    private static Arbitrary<TcpOption> option()
    {
        final Arbitrary<TcpOption.SackBlock> block = Combinators.combine(Arbitraries.longs().between(0, U32),
            Arbitraries.longs().between(0, U32)).as(TcpOption.SackBlock::new);
        return Arbitraries.oneOf(
            Arbitraries.just(new TcpOption.Nop()), Arbitraries.just(new TcpOption.Eol()),
            Arbitraries.just(new TcpOption.SackPermitted()),
            Arbitraries.longs().between(0, 65535).map(v -> new TcpOption.Mss(IntValue.of(v))),
            symbol().map(s -> new TcpOption.Mss(IntValue.symbol(s))),
            Arbitraries.integers().between(0, 255).map(TcpOption.WindowScale::new),
            block.list().ofMinSize(1).ofMaxSize(3).map(TcpOption.Sack::new),
            Combinators.combine(Arbitraries.longs().between(0, U32), Arbitraries.longs().between(0, U32))
                .as(TcpOption.Timestamp::new),
            Combinators.combine(hex(8), Arbitraries.of(true, false)).as(TcpOption.FastOpen::new),
            Combinators.combine(symbol().map(s -> s + "_X"), Arbitraries.of(true, false)).as(TcpOption.FastOpen::new),
            hex(8).filter(h -> !h.isEmpty()).map(TcpOption.Md5::new));
    }

    private static Arbitrary<SyscallSpec> syscall(final boolean blocking)
    {
        final Arbitrary<String> errno = symbol().map(s -> "E" + s.replace("_", "")).injectNull(0.6);
        final Arbitrary<String> note = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8).list()
            .ofMaxSize(4).map(words -> String.join(" ", words)).injectNull(0.6);
        return Combinators.combine(blocking ? micros() : Arbitraries.just((Long)null), word(),
            expression(3).list().ofMaxSize(5), expression(1), errno, note).as(SyscallSpec::new);
    }

    private static Arbitrary<Expression> primary(final int depth)
    {
        final List<Arbitrary<Expression>> choices = new ArrayList<>(List.of(
            Arbitraries.just(new Expression.Ellipsis()),
            Combinators.combine(Arbitraries.longs().between(-(1L << 40), 1L << 40), Arbitraries.of(true, false))
                .as(Expression.IntLiteral::new),
            symbol().map(Expression.Symbol::new),
            Combinators.combine(Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(10)
                .filter(s -> s.indexOf('"') < 0 && s.indexOf('\\') < 0), Arbitraries.of(true, false))
                .as(Expression.StringLiteral::new)));
        if (depth > 0)
        {
            choices.add(expression(depth - 1).list().ofMaxSize(3).map(Expression.ListExpr::new));
            choices.add(expression(depth - 1).list().ofMaxSize(3).map(Expression.StructExpr::new));
            choices.add(Combinators.combine(word(), expression(depth - 1).list().ofMaxSize(2))
                .as(Expression.Call::new));
        }
        return Arbitraries.oneOf(choices);
    }

    private static Arbitrary<Expression> expression(final int depth)
    {
        final Arbitrary<Expression> or = Combinators.combine(primary(depth), primary(depth).list().ofMinSize(1)
            .ofMaxSize(2)).as((first, rest) ->
            {
                Expression e = first;
                for (final Expression r : rest)
                {
                    e = new Expression.BitOr(e, r);
                }
                return e;
            });
        final Arbitrary<String> fieldName = Arbitraries.of("alpha", "beta", "x_y", "gamma");
        final Arbitrary<Expression> field = Combinators.combine(fieldName,
            depth > 0 ? primary(depth - 1).injectNull(0.7) : Arbitraries.just((Expression)null),
            depth > 0 ? expression(depth - 1) : primary(0)).as(Expression.Field::new);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, primary(depth)), net.jqwik.api.Tuple.of(1, or),
            net.jqwik.api.Tuple.of(1, field));
    }
}
