package dev.hostplane.packetscript;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.hostplane.packetscript.linux.Errno;
import dev.hostplane.packetscript.linux.LinuxSymbols;
import dev.hostplane.packetscript.model.Event;
import dev.hostplane.packetscript.model.Expression;
import dev.hostplane.packetscript.model.IcmpSpec;
import dev.hostplane.packetscript.model.OptionSetting;
import dev.hostplane.packetscript.model.PacketSpec;
import dev.hostplane.packetscript.model.SyscallSpec;
import dev.hostplane.packetscript.model.TcpOption;
import dev.hostplane.packetscript.model.TcpSpec;
import dev.hostplane.packetscript.model.Timing;
import dev.hostplane.packetscript.packet.IcmpCodes;
import dev.hostplane.packetscript.packet.PacketBuildException;

/**
 * Checks a parsed script for problems a run would hit before touching the kernel (what {@code --dry_run}
 * reports): symbols without a Linux value, unknown errno names, undefined {@code -D} symbols in TCP options,
 * unknown ICMP type or code names, non-numeric tolerance options, a first event not at time 0, and absolute
 * times going backwards (the checks packetdrill makes before it starts). Each problem is
 * {@code file:line:column: message}.
 */
public final class ScriptChecker
{
    private ScriptChecker()
    {
    }

    /**
     * Checks a script.
     *
     * @param script      the parsed script.
     * @param definitions {@code -D} definitions the script will run with.
     * @return problems, empty when the script is ready to run.
     */
    public static List<String> check(final Script script, final Map<String, String> definitions)
    {
        final List<String> problems = new ArrayList<>();
        final Map<String, String> defs = withScriptDefinitions(script, definitions);
        for (final OptionSetting option : script.options())
        {
            if (option.name().startsWith("tolerance_") && !isNumber(option.value()))
            {
                problems.add(option.position() + ": option --" + option.name() + " needs a number, got " +
                    option.value());
            }
        }
        Long lastAbsolute = null;
        for (int i = 0; i < script.events().size(); i++)
        {
            final Event event = script.events().get(i);
            final long time = startMicros(event.timing());
            if (i == 0 && time != 0)
            {
                problems.add(event.position() + ": first event should be at time 0");
            }
            final boolean absolute = event.timing() instanceof Timing.Absolute ||
                event.timing() instanceof Timing.AbsoluteRange;
            if (absolute && lastAbsolute != null && time < lastAbsolute)
            {
                problems.add(event.position() + ": time goes backward in script from " + lastAbsolute +
                    " usec to " + time + " usec");
            }
            lastAbsolute = absolute ? Long.valueOf(time) : null;
            if (event.action() instanceof SyscallSpec s)
            {
                for (final Expression argument : s.arguments())
                {
                    symbols(argument, defs, event, problems);
                }
                symbols(s.result(), defs, event, problems);
                if (s.errno() != null && Errno.byName(s.errno()) == null)
                {
                    problems.add(event.position() + ": unknown errno " + s.errno());
                }
            }
            else if (event.action() instanceof PacketSpec p)
            {
                packet(p, defs, event, problems);
            }
        }
        return problems;
    }

    private static long startMicros(final Timing timing)
    {
        if (timing instanceof Timing.Absolute a)
        {
            return a.micros();
        }
        if (timing instanceof Timing.Relative r)
        {
            return r.micros();
        }
        if (timing instanceof Timing.AbsoluteRange r)
        {
            return r.startMicros();
        }
        if (timing instanceof Timing.RelativeRange r)
        {
            return r.startMicros();
        }
        return 0;
    }

    private static Map<String, String> withScriptDefinitions(final Script script, final Map<String, String> caller)
    {
        final Map<String, String> defs = new java.util.HashMap<>(script.definitions());
        defs.putAll(caller);
        return defs;
    }

    private static void packet(final PacketSpec p, final Map<String, String> defs, final Event event,
        final List<String> problems)
    {
        if (p.transport() instanceof TcpSpec t && t.options() != null)
        {
            for (final TcpOption o : t.options())
            {
                if (o instanceof TcpOption.Mss m && m.value().isSymbolic() && !defs.containsKey(m.value().symbol()))
                {
                    problems.add(event.position() + ": mss value " + m.value().symbol() + " is not defined (use -D " +
                        m.value().symbol() + "=N)");
                }
                if (o instanceof TcpOption.FastOpen f && !f.cookie().isEmpty() && !isHex(f.cookie()) &&
                    !defs.containsKey(f.cookie()))
                {
                    problems.add(event.position() + ": TCP fast open cookie " + f.cookie() +
                        " is not defined (use -D " + f.cookie() + "=<hex>)");
                }
            }
        }
        else if (p.transport() instanceof IcmpSpec i)
        {
            final String v4 = icmpProblem(false, i);
            final String v6 = icmpProblem(true, i);
            if (v4 != null && v6 != null)
            {
                problems.add(event.position() + ": " + v4);
            }
        }
    }

    private static String icmpProblem(final boolean v6, final IcmpSpec i)
    {
        try
        {
            IcmpCodes.code(v6, IcmpCodes.type(v6, i.type()), i.code());
            return null;
        }
        catch (final PacketBuildException ex)
        {
            return ex.getMessage();
        }
    }

    private static void symbols(final Expression e, final Map<String, String> defs, final Event event,
        final List<String> problems)
    {
        if (e instanceof Expression.Symbol s)
        {
            try
            {
                LinuxSymbols.evaluate(s, defs);
            }
            catch (final IllegalArgumentException ex)
            {
                problems.add(event.position() + ": " + ex.getMessage());
            }
        }
        else if (e instanceof Expression.BitOr b)
        {
            symbols(b.left(), defs, event, problems);
            symbols(b.right(), defs, event, problems);
        }
        else if (e instanceof Expression.Field f)
        {
            symbols(f.value(), defs, event, problems);
        }
        else if (e instanceof Expression.ListExpr l)
        {
            l.elements().forEach(x -> symbols(x, defs, event, problems));
        }
        else if (e instanceof Expression.StructExpr s)
        {
            s.items().forEach(x -> symbols(x, defs, event, problems));
        }
        else if (e instanceof Expression.Call c)
        {
            c.arguments().forEach(x -> symbols(x, defs, event, problems));
        }
    }

    private static boolean isNumber(final String value)
    {
        if (value == null)
        {
            return false;
        }
        try
        {
            Double.parseDouble(value);
            return true;
        }
        catch (final NumberFormatException ex)
        {
            return false;
        }
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
}
