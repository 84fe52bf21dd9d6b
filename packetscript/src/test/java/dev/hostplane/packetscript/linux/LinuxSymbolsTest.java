package dev.hostplane.packetscript.linux;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import dev.hostplane.packetscript.PacketScript;
import dev.hostplane.packetscript.Script;
import dev.hostplane.packetscript.model.Event;
import dev.hostplane.packetscript.model.Expression;
import dev.hostplane.packetscript.model.SyscallSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LinuxSymbolsTest
{
    private static final Map<String, String> DEFINITIONS = Map.of(
        "CMSG_LEVEL_IP", "SOL_IP", "CMSG_TYPE_RECVERR", "IP_RECVERR");

    @Test
    void shouldResolveEverySymbolAndErrnoTheSuiteUses()
    {
        final TreeSet<String> unknown = new TreeSet<>();
        int resolved = 0;
        for (final Path path : dev.hostplane.packetscript.SuitePaths.scripts())
        {
            final Script script = PacketScript.parse(path);
            for (final Event event : script.events())
            {
                if (event.action() instanceof SyscallSpec s)
                {
                    final List<Expression> all = new ArrayList<>(s.arguments());
                    all.add(s.result());
                    for (final Expression e : all)
                    {
                        for (final String name : symbols(e))
                        {
                            try
                            {
                                LinuxSymbols.evaluate(new Expression.Symbol(name), DEFINITIONS);
                                resolved++;
                            }
                            catch (final IllegalArgumentException ex)
                            {
                                unknown.add(name);
                            }
                        }
                    }
                    if (s.errno() != null && Errno.byName(s.errno()) == null)
                    {
                        unknown.add(s.errno());
                    }
                }
            }
        }
        assertThat(unknown).as("symbols without a Linux value").isEmpty();
        assertThat(resolved).isGreaterThan(1000);
    }

    @Test
    void shouldEvaluateBitOrAndFollowDefinitions()
    {
        final Expression flags = new Expression.BitOr(new Expression.Symbol("O_RDWR"),
            new Expression.Symbol("O_NONBLOCK"));
        assertThat(LinuxSymbols.evaluate(flags, Map.of())).isEqualTo(0x802);
        assertThat(LinuxSymbols.evaluate(new Expression.Symbol("CMSG_LEVEL_IP"), DEFINITIONS)).isEqualTo(0);
        assertThat(LinuxSymbols.evaluate(new Expression.Symbol("CMSG_TYPE_RECVERR"), DEFINITIONS)).isEqualTo(11);
        assertThat(LinuxSymbols.value("MSG_FASTOPEN")).isEqualTo(0x20000000L);
        assertThat(LinuxSymbols.value("EPOLLET")).isEqualTo(0x80000000L);
        assertThat(LinuxSymbols.value("SIOCINQ")).isEqualTo(0x541BL);
        assertThat(LinuxSymbols.value("TCPI_OPT_SYN_DATA")).isEqualTo(32L);
        assertThat(LinuxSymbols.value("EAGAIN")).isEqualTo(11L);
        assertThat(Errno.byName("EINPROGRESS").message()).isEqualTo("Operation now in progress");
        assertThat(LinuxSymbols.value("TCPI_OPT_TFO_CHILD")).isEqualTo(128L);
        assertThat(LinuxSymbols.value("EKEYREJECTED")).isEqualTo(129L);
    }

    @Test
    void shouldDescribeErrnoNumbersAsPacketdrillPrintsThem()
    {
        assertThat(Errno.describe(11)).isEqualTo("EAGAIN (Resource temporarily unavailable)");
        assertThat(Errno.nameOf(111)).isEqualTo("ECONNREFUSED");
        assertThat(Errno.describe(999)).isEqualTo("errno=999 (Unknown error 999)");
    }

    @Test
    void shouldNameAnUnknownSymbol()
    {
        assertThatThrownBy(() -> LinuxSymbols.evaluate(new Expression.Symbol("SO_NOPE"), Map.of()))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown symbol: name=SO_NOPE");
    }

    private static List<String> symbols(final Expression e)
    {
        final List<String> names = new ArrayList<>();
        collect(e, names);
        return names;
    }

    private static void collect(final Expression e, final List<String> names)
    {
        if (e instanceof Expression.Symbol s)
        {
            names.add(s.name());
        }
        else if (e instanceof Expression.BitOr b)
        {
            collect(b.left(), names);
            collect(b.right(), names);
        }
        else if (e instanceof Expression.Field f)
        {
            collect(f.value(), names);
        }
        else if (e instanceof Expression.ListExpr l)
        {
            l.elements().forEach(x -> collect(x, names));
        }
        else if (e instanceof Expression.StructExpr s)
        {
            s.items().forEach(x -> collect(x, names));
        }
        else if (e instanceof Expression.Call c)
        {
            c.arguments().forEach(x -> collect(x, names));
        }
    }
}
