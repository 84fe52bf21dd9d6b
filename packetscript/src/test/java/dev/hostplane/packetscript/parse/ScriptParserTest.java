package dev.hostplane.packetscript.parse;

import java.util.List;
import java.util.Map;

import dev.hostplane.packetscript.PacketScript;
import dev.hostplane.packetscript.Script;
import dev.hostplane.packetscript.model.Direction;
import dev.hostplane.packetscript.model.Ecn;
import dev.hostplane.packetscript.model.Encapsulation;
import dev.hostplane.packetscript.model.Expression;
import dev.hostplane.packetscript.model.IcmpSpec;
import dev.hostplane.packetscript.model.IntValue;
import dev.hostplane.packetscript.model.PacketSpec;
import dev.hostplane.packetscript.model.PythonCode;
import dev.hostplane.packetscript.model.ShellCommand;
import dev.hostplane.packetscript.model.StructKind;
import dev.hostplane.packetscript.model.SyscallSpec;
import dev.hostplane.packetscript.model.TcpOption;
import dev.hostplane.packetscript.model.TcpSpec;
import dev.hostplane.packetscript.model.Timing;
import dev.hostplane.packetscript.model.UdpSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ScriptParserTest
{
    private static final String SCRIPT = """
        --tolerance_usecs=10000
        --local_ip=192.168.0.2
        -D MYMSS=1000
        `../common/defaults.sh`
            0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
           +0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
           +0 fcntl(3, F_GETFL) = 0x2 (flags O_RDWR)
           +0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0
          +.1 < S 0:0(0) win 32792 <mss MYMSS,sackOK,TS val 100 ecr 0,nop,wscale 7,FO abcd1234,sack 1:2>
           +0 > S. 0:0(0) ack 1 <...>
        +.1~+.2 > [ect0] P. 1:1001(1000) ack 1
        0.75~0.9 > F. 1001:1001(0) ack 1
            * > R 1001:1001(0)
        +0...0.2 read(4, ..., 2000) = -1 EAGAIN (Resource temporarily
                 unavailable)
          1.5 < icmp unreachable frag_needed mtu 800 [1:1461(1460)]
           +0 < udp (100)
           +0 < encap psp spi 7 - 1:1(0) win 10 urg 5
           +0 recvmsg(4, {msg_name(...)=..., msg_iov(1)=[{..., 0}], msg_flags=MSG_ERRQUEUE,
                          msg_control=[{cmsg_level=SOL_IP, cmsg_type=IP_RECVERR,
                                        cmsg_data={ee_errno=0, ee_origin=SO_EE_ORIGIN_ZEROCOPY, ee_type=0,
                                                   ee_code=0, ee_info=0, ee_data=1}}]}, MSG_ERRQUEUE) = 0
           +0 poll([{fd=4, events=POLLIN|POLLOUT, revents=POLLOUT}], 1, 0) = 1
           +0 setsockopt(3, SOL_TCP, TCP_FASTOPEN_KEY, "\\xf7\\x63", 2) = 0
           +0 %{ assert tcpi_snd_cwnd == 10 }%
           +0 `echo hi`
        `cleanup.sh`
        """;

    @Test
    void shouldParseEveryStatementForm()
    {
        final Script script = PacketScript.parse("s.pkt", SCRIPT);
        assertThat(script.option("tolerance_usecs")).isEqualTo("10000");
        assertThat(script.option("local_ip")).isEqualTo("192.168.0.2");
        assertThat(script.option("define")).isEqualTo("MYMSS=1000");
        assertThat(script.definitions()).containsExactly(Map.entry("MYMSS", "1000"));
        assertThat(script.initCommand()).isEqualTo(new ShellCommand("../common/defaults.sh"));
        assertThat(script.cleanupCommand()).isEqualTo(new ShellCommand("cleanup.sh"));
        assertThat(script.events()).hasSize(18);

        assertThat(script.events().get(0).timing()).isEqualTo(new Timing.Absolute(0));
        assertThat(script.events().get(0).position().line()).isEqualTo(5);
        final SyscallSpec fcntl = (SyscallSpec)script.events().get(2).action();
        assertThat(fcntl.result()).isEqualTo(new Expression.IntLiteral(2, true));
        assertThat(fcntl.note()).isEqualTo("flags O_RDWR");
        assertThat(((SyscallSpec)script.events().get(3).action()).arguments().get(2))
            .isEqualTo(new Expression.BitOr(new Expression.Symbol("O_RDWR"), new Expression.Symbol("O_NONBLOCK")));

        final PacketSpec syn = (PacketSpec)script.events().get(4).action();
        assertThat(script.events().get(4).timing()).isEqualTo(new Timing.Relative(100_000));
        assertThat(syn.direction()).isEqualTo(Direction.INBOUND);
        final TcpSpec synTcp = (TcpSpec)syn.transport();
        assertThat(synTcp.flags()).isEqualTo("S");
        assertThat(synTcp.window()).isEqualTo(32792);
        assertThat(synTcp.ack()).isNull();
        assertThat(synTcp.options()).containsExactly(
            new TcpOption.Mss(IntValue.of(1000)), new TcpOption.SackPermitted(), new TcpOption.Timestamp(100, 0),
            new TcpOption.Nop(), new TcpOption.WindowScale(7), new TcpOption.FastOpen("abcd1234", false),
            new TcpOption.Sack(List.of(new TcpOption.SackBlock(1, 2))));

        final TcpSpec synAck = (TcpSpec)((PacketSpec)script.events().get(5).action()).transport();
        assertThat(synAck.optionsUnchecked()).isTrue();
        assertThat(synAck.ack()).isEqualTo(1L);
        assertThat(synAck.window()).isNull();

        assertThat(script.events().get(6).timing()).isEqualTo(new Timing.RelativeRange(100_000, 200_000));
        final PacketSpec data = (PacketSpec)script.events().get(6).action();
        assertThat(data.ipInfo().ecn()).isEqualTo(Ecn.ECT0);
        assertThat(((TcpSpec)data.transport()).payloadLength()).isEqualTo(1000);
        assertThat(script.events().get(7).timing()).isEqualTo(new Timing.AbsoluteRange(750_000, 900_000));
        assertThat(script.events().get(8).timing()).isEqualTo(new Timing.AnyTime());

        final SyscallSpec read = (SyscallSpec)script.events().get(9).action();
        assertThat(read.endMicros()).isEqualTo(200_000L);
        assertThat(read.result()).isEqualTo(new Expression.IntLiteral(-1, false));
        assertThat(read.errno()).isEqualTo("EAGAIN");
        assertThat(read.note()).isEqualTo("Resource temporarily unavailable");

        assertThat(script.events().get(10).timing()).isEqualTo(new Timing.Absolute(1_500_000));
        assertThat(((PacketSpec)script.events().get(10).action()).transport()).isEqualTo(
            new IcmpSpec("unreachable", "frag_needed", 800L, null, new IcmpSpec.Echoed("tcp", 1, 1460)));
        assertThat(((PacketSpec)script.events().get(11).action()).transport()).isEqualTo(new UdpSpec(null, null, 100));
        final PacketSpec psp = (PacketSpec)script.events().get(12).action();
        assertThat(psp.encapsulations()).containsExactly(new Encapsulation.Psp(7));
        assertThat(((TcpSpec)psp.transport()).flags()).isEmpty();
        assertThat(((TcpSpec)psp.transport()).urgentPointer()).isEqualTo(5);

        final SyscallSpec recvmsg = (SyscallSpec)script.events().get(13).action();
        final Expression.StructExpr msghdr = (Expression.StructExpr)recvmsg.arguments().get(1);
        assertThat(msghdr.kind()).isEqualTo(StructKind.MSGHDR);
        final Expression.StructExpr cmsg = (Expression.StructExpr)
            ((Expression.ListExpr)msghdr.field("msg_control")).elements().get(0);
        assertThat(cmsg.kind()).isEqualTo(StructKind.CMSG);
        assertThat(((Expression.StructExpr)cmsg.field("cmsg_data")).kind()).isEqualTo(StructKind.SOCK_EXTENDED_ERR);
        final Expression.StructExpr iov = (Expression.StructExpr)((Expression.ListExpr)msghdr.field("msg_iov"))
            .elements().get(0);
        assertThat(iov.kind()).isEqualTo(StructKind.IOVEC);

        final SyscallSpec poll = (SyscallSpec)script.events().get(14).action();
        final Expression.StructExpr pollfd = (Expression.StructExpr)((Expression.ListExpr)poll.arguments().get(0))
            .elements().get(0);
        assertThat(pollfd.kind()).isEqualTo(StructKind.POLLFD);

        final Expression.StringLiteral key = (Expression.StringLiteral)
            ((SyscallSpec)script.events().get(15).action()).arguments().get(3);
        assertThat(key.bytes()).containsExactly(0xf7, 0x63);
        assertThat(script.events().get(16).action()).isEqualTo(new PythonCode(" assert tcpi_snd_cwnd == 10 "));
        assertThat(script.events().get(17).action()).isEqualTo(new ShellCommand("echo hi"));
    }

    @Test
    void shouldRoundTripThroughThePrinter()
    {
        final Script script = PacketScript.parse("s.pkt", SCRIPT);
        final String printed = PacketScript.print(script);
        assertThat(PacketScript.parse("p.pkt", printed)).isEqualTo(script);
        assertThat(printed).contains("+0.1 < S 0:0(0) win 32792 <mss 1000,sackOK,TS val 100 ecr 0,nop,wscale 7,")
            .contains("+0...0.2 read(4, ..., 2000) = -1 EAGAIN (Resource temporarily unavailable)")
            .contains("+0.1~+0.2 > [ect0] P. 1:1001(1000) ack 1\n")
            .contains("1.5 < icmp unreachable frag_needed mtu 800 [1:1461(1460)]");
    }

    @Test
    void shouldLetCallerDefinitionsOverrideScriptDefinitionsAndKeepUnknownSymbols()
    {
        final Script overridden = PacketScript.parse("s.pkt", SCRIPT, Map.of("MYMSS", "1200"));
        final TcpSpec syn = (TcpSpec)((PacketSpec)overridden.events().get(4).action()).transport();
        assertThat(syn.options().get(0)).isEqualTo(new TcpOption.Mss(IntValue.of(1200)));

        final Script symbolic = PacketScript.parse("s.pkt", "0 > S 0:0(0) <mss MSS,FO TFO_COOKIE>\n");
        final TcpSpec tcp = (TcpSpec)((PacketSpec)symbolic.events().get(0).action()).transport();
        assertThat(tcp.options()).containsExactly(new TcpOption.Mss(IntValue.symbol("MSS")),
            new TcpOption.FastOpen("TFO_COOKIE", false));
    }

    @Test
    void shouldConvertDecimalTimesExactly()
    {
        // packetdrill computes (s64)(1.001 * 1e6) = 1000999; we keep the written value exactly.
        final Script script = PacketScript.parse("t.pkt", "1.001 close(3) = 0\n+.000001 close(4) = 0\n");
        assertThat(script.events().get(0).timing()).isEqualTo(new Timing.Absolute(1_001_000));
        assertThat(script.events().get(1).timing()).isEqualTo(new Timing.Relative(1));
    }
}
