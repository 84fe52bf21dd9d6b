package dev.hostplane.packetscript.print;

import java.math.BigDecimal;
import java.util.List;

import dev.hostplane.packetscript.Script;
import dev.hostplane.packetscript.model.Action;
import dev.hostplane.packetscript.model.Encapsulation;
import dev.hostplane.packetscript.model.Event;
import dev.hostplane.packetscript.model.Expression;
import dev.hostplane.packetscript.model.IcmpSpec;
import dev.hostplane.packetscript.model.IpInfo;
import dev.hostplane.packetscript.model.OptionSetting;
import dev.hostplane.packetscript.model.PacketSpec;
import dev.hostplane.packetscript.model.PythonCode;
import dev.hostplane.packetscript.model.ShellCommand;
import dev.hostplane.packetscript.model.SyscallSpec;
import dev.hostplane.packetscript.model.TcpOption;
import dev.hostplane.packetscript.model.TcpSpec;
import dev.hostplane.packetscript.model.Timing;
import dev.hostplane.packetscript.model.TransportSpec;
import dev.hostplane.packetscript.model.UdpSpec;

/**
 * Writes a script model back in canonical packetdrill form: one statement per line, times in seconds with no
 * trailing zeros, packets as {@code +0.1 < S. 0:0(0) ack 1 win 5840 <mss 1460,nop>}. Parsing the output gives a
 * model equal to the input.
 */
public final class ScriptPrinter
{
    private ScriptPrinter()
    {
    }

    /**
     * Prints a whole script.
     *
     * @param script the model.
     * @return canonical script text.
     */
    public static String print(final Script script)
    {
        final StringBuilder out = new StringBuilder();
        for (final OptionSetting option : script.options())
        {
            out.append("--").append(option.name());
            if (option.value() != null)
            {
                out.append('=').append(option.value());
            }
            out.append('\n');
        }
        if (script.initCommand() != null)
        {
            out.append('`').append(script.initCommand().commandLine()).append("`\n");
        }
        for (final Event event : script.events())
        {
            out.append(event(event)).append('\n');
        }
        if (script.cleanupCommand() != null)
        {
            out.append('`').append(script.cleanupCommand().commandLine()).append("`\n");
        }
        return out.toString();
    }

    /**
     * Prints one event.
     *
     * @param event the event.
     * @return the statement text (no newline).
     */
    public static String event(final Event event)
    {
        final StringBuilder out = new StringBuilder();
        out.append(timing(event.timing()));
        final Action action = event.action();
        if (action instanceof SyscallSpec s && s.endMicros() != null)
        {
            out.append("...").append(seconds(s.endMicros()));
        }
        out.append(' ').append(action(action));
        return out.toString();
    }

    /**
     * Prints a timing.
     *
     * @param timing the timing.
     * @return e.g. {@code +0.1}, {@code 0.75~0.9}, {@code *}.
     */
    public static String timing(final Timing timing)
    {
        if (timing instanceof Timing.Absolute a)
        {
            return seconds(a.micros());
        }
        if (timing instanceof Timing.Relative r)
        {
            return "+" + seconds(r.micros());
        }
        if (timing instanceof Timing.AbsoluteRange r)
        {
            return seconds(r.startMicros()) + "~" + seconds(r.endMicros());
        }
        if (timing instanceof Timing.RelativeRange r)
        {
            return "+" + seconds(r.startMicros()) + "~+" + seconds(r.endMicros());
        }
        return "*";
    }

    /**
     * Formats microseconds as seconds without trailing zeros.
     *
     * @param micros microseconds.
     * @return e.g. {@code 0.1}, {@code 2}, {@code 0.000001}.
     */
    public static String seconds(final long micros)
    {
        final String s = BigDecimal.valueOf(micros, 6).stripTrailingZeros().toPlainString();
        return s;
    }

    /**
     * Prints an action.
     *
     * @param action the action.
     * @return its text.
     */
    public static String action(final Action action)
    {
        if (action instanceof PacketSpec p)
        {
            return packet(p);
        }
        if (action instanceof SyscallSpec s)
        {
            return syscall(s);
        }
        if (action instanceof ShellCommand c)
        {
            return "`" + c.commandLine() + "`";
        }
        return "%{" + ((PythonCode)action).text() + "}%";
    }

    /**
     * Prints a packet statement (without time).
     *
     * @param packet the packet.
     * @return e.g. {@code < S 0:0(0) win 32792 <mss 1000>}.
     */
    public static String packet(final PacketSpec packet)
    {
        final StringBuilder out = new StringBuilder(packet.direction().symbol());
        for (final Encapsulation e : packet.encapsulations())
        {
            final Encapsulation.Psp psp = (Encapsulation.Psp)e;
            out.append(" encap psp spi ").append(psp.spi());
        }
        final IpInfo ip = packet.ipInfo();
        if (!ip.isEmpty())
        {
            out.append(" [");
            String sep = "";
            if (ip.ecn() != null)
            {
                out.append(ip.ecn().keyword());
                sep = ",";
            }
            if (ip.tos() != null)
            {
                out.append(sep).append("tos 0x").append(Integer.toHexString(ip.tos()));
                sep = ",";
            }
            if (ip.flowLabel() != null)
            {
                out.append(sep).append("flowlabel 0x").append(Integer.toHexString(ip.flowLabel()));
                sep = ",";
            }
            if (ip.ttl() != null)
            {
                out.append(sep).append("ttl ").append(ip.ttl());
            }
            out.append(']');
        }
        out.append(' ').append(transport(packet.transport()));
        return out.toString();
    }

    private static String ports(final Integer src, final Integer dst)
    {
        return src == null ? "" : src + ">" + dst + " ";
    }

    private static String transport(final TransportSpec transport)
    {
        if (transport instanceof UdpSpec u)
        {
            return "udp " + ports(u.srcPort(), u.dstPort()) + "(" + u.payloadLength() + ")";
        }
        if (transport instanceof IcmpSpec i)
        {
            final StringBuilder out = new StringBuilder("icmp ").append(i.type());
            if (i.code() != null)
            {
                out.append(' ').append(i.code());
            }
            if (i.mtu() != null)
            {
                out.append(" mtu ").append(i.mtu());
            }
            if (i.echoId() != null)
            {
                out.append(" id ").append(i.echoId());
            }
            final IcmpSpec.Echoed e = i.echoed();
            if (e != null)
            {
                if ("tcp".equals(e.protocol()))
                {
                    out.append(" [").append(e.startSequence()).append(':')
                        .append(e.startSequence() + e.payloadLength()).append('(').append(e.payloadLength())
                        .append(")]");
                }
                else
                {
                    out.append(" [").append(e.protocol()).append(" (").append(e.payloadLength()).append(")]");
                }
            }
            return out.toString();
        }
        final TcpSpec t = (TcpSpec)transport;
        final StringBuilder out = new StringBuilder(ports(t.srcPort(), t.dstPort()));
        out.append(t.flags().isEmpty() ? "-" : t.flags()).append(' ')
            .append(t.startSequence()).append(':').append(t.endSequence()).append('(').append(t.payloadLength())
            .append(')');
        if (t.ack() != null)
        {
            out.append(" ack ").append(t.ack());
        }
        if (t.window() != null)
        {
            out.append(" win ").append(t.window());
        }
        if (t.urgentPointer() != null)
        {
            out.append(" urg ").append(t.urgentPointer());
        }
        if (t.options() == null)
        {
            out.append(" <...>");
        }
        else if (!t.options().isEmpty())
        {
            out.append(" <").append(options(t.options())).append('>');
        }
        return out.toString();
    }

    /**
     * Prints a TCP option list without the angle brackets.
     *
     * @param options the options.
     * @return e.g. {@code mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 8}.
     */
    public static String options(final List<TcpOption> options)
    {
        final StringBuilder out = new StringBuilder();
        for (final TcpOption o : options)
        {
            if (out.length() > 0)
            {
                out.append(',');
            }
            out.append(option(o));
        }
        return out.toString();
    }

    private static String option(final TcpOption o)
    {
        if (o instanceof TcpOption.Nop)
        {
            return "nop";
        }
        if (o instanceof TcpOption.Eol)
        {
            return "eol";
        }
        if (o instanceof TcpOption.Mss m)
        {
            return "mss " + m.value();
        }
        if (o instanceof TcpOption.WindowScale w)
        {
            return "wscale " + w.shift();
        }
        if (o instanceof TcpOption.SackPermitted)
        {
            return "sackOK";
        }
        if (o instanceof TcpOption.Sack s)
        {
            final StringBuilder out = new StringBuilder("sack");
            for (final TcpOption.SackBlock b : s.blocks())
            {
                out.append(' ').append(b.left()).append(':').append(b.right());
            }
            return out.toString();
        }
        if (o instanceof TcpOption.Timestamp ts)
        {
            return "TS val " + ts.val() + " ecr " + ts.ecr();
        }
        if (o instanceof TcpOption.FastOpen f)
        {
            return (f.experimental() ? "FOEXP" : "FO") + (f.cookie().isEmpty() ? "" : " " + f.cookie());
        }
        if (o instanceof TcpOption.AccEcn a)
        {
            final StringBuilder out = new StringBuilder("ECN");
            for (int i = 0; i < a.counters().size(); i++)
            {
                out.append(' ').append(TcpOption.AccEcn.label(a.ect1First(), i)).append(' ')
                    .append(a.counters().get(i));
            }
            return out.toString();
        }
        return "md5 " + ((TcpOption.Md5)o).digest();
    }

    /**
     * Prints a system call (without time).
     *
     * @param s the call.
     * @return e.g. {@code read(4, ..., 1000) = -1 EAGAIN (Resource temporarily unavailable)}.
     */
    public static String syscall(final SyscallSpec s)
    {
        final StringBuilder out = new StringBuilder(s.name()).append('(');
        appendList(out, s.arguments());
        out.append(") = ").append(expression(s.result()));
        if (s.errno() != null)
        {
            out.append(' ').append(s.errno());
        }
        if (s.note() != null)
        {
            out.append(" (").append(s.note()).append(')');
        }
        return out.toString();
    }

    private static void appendList(final StringBuilder out, final List<Expression> list)
    {
        for (int i = 0; i < list.size(); i++)
        {
            if (i > 0)
            {
                out.append(", ");
            }
            out.append(expression(list.get(i)));
        }
    }

    /**
     * Prints an expression.
     *
     * @param e the expression.
     * @return its text.
     */
    public static String expression(final Expression e)
    {
        if (e instanceof Expression.Ellipsis)
        {
            return "...";
        }
        if (e instanceof Expression.IntLiteral i)
        {
            if (i.hex())
            {
                return (i.value() < 0 ? "-0x" + Long.toHexString(-i.value()) : "0x" + Long.toHexString(i.value()));
            }
            return Long.toString(i.value());
        }
        if (e instanceof Expression.Symbol s)
        {
            return s.name();
        }
        if (e instanceof Expression.StringLiteral s)
        {
            return "\"" + s.raw() + "\"" + (s.trailingEllipsis() ? "..." : "");
        }
        if (e instanceof Expression.BitOr b)
        {
            return expression(b.left()) + "|" + expression(b.right());
        }
        if (e instanceof Expression.Field f)
        {
            return f.name() + (f.argument() == null ? "" : "(" + expression(f.argument()) + ")") + "=" +
                expression(f.value());
        }
        final StringBuilder out = new StringBuilder();
        if (e instanceof Expression.ListExpr l)
        {
            out.append('[');
            appendList(out, l.elements());
            return out.append(']').toString();
        }
        if (e instanceof Expression.StructExpr s)
        {
            out.append('{');
            appendList(out, s.items());
            return out.append('}').toString();
        }
        final Expression.Call c = (Expression.Call)e;
        out.append(c.name()).append('(');
        appendList(out, c.arguments());
        return out.append(')').toString();
    }
}
