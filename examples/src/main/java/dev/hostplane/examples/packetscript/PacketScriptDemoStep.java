package dev.hostplane.examples.packetscript;

import java.net.InetAddress;
import java.util.Map;

import org.agrona.concurrent.UnsafeBuffer;

import dev.hostplane.examples.DemoStep;
import dev.hostplane.packetscript.PacketScript;
import dev.hostplane.packetscript.Script;
import dev.hostplane.packetscript.model.Direction;
import dev.hostplane.packetscript.model.PacketSpec;
import dev.hostplane.packetscript.packet.ConnectionMapping;
import dev.hostplane.packetscript.packet.InboundPacketBuilder;
import dev.hostplane.packetscript.packet.OutboundPacketVerifier;
import dev.hostplane.packetscript.packet.VerificationResult;
import dev.hostplane.vswitch.packet.Ipv4Header;
import dev.hostplane.vswitch.packet.TcpHeader;

/**
 * Demo: parses a small packetdrill script, prints and re-parses it, builds the inbound SYN as the kernel would
 * receive it (checked with the vswitch codec), then verifies a SYN-ACK as the kernel would send it against the
 * script's expectation, and shows that a wrong expectation is caught with packetdrill's message.
 */
public final class PacketScriptDemoStep implements DemoStep
{
    private static final long KERNEL_ISN = 0x5EED_0000L;
    private static final String SCRIPT = """
        --tolerance_usecs=10000
        0   socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
        +0  setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
        +0  bind(3, ..., ...) = 0
        +0  listen(3, 1) = 0
        +0  < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>
        +0  > S. 0:0(0) ack 1 <mss 1460,nop,nop,sackOK,nop,wscale 8>
        +.1 < . 1:1(0) ack 1 win 257
        +0  accept(3, ..., ...) = 4
        """;

    @Override
    public String name()
    {
        return "packetscript: parse, print, build, verify";
    }

    @Override
    public String run() throws Exception
    {
        final Script script = PacketScript.parse("demo.pkt", SCRIPT);
        final String printed = PacketScript.print(script);
        if (!PacketScript.parse("printed.pkt", printed).equals(script))
        {
            throw new IllegalStateException("printed script does not parse back to the same model:\n" + printed);
        }
        final PacketSpec syn = (PacketSpec)script.events().get(4).action();
        final PacketSpec synAck = (PacketSpec)script.events().get(5).action();

        final InetAddress local = InetAddress.getByName("192.168.0.1");
        final InetAddress remote = InetAddress.getByName("192.0.2.1");
        final ConnectionMapping mapping = new ConnectionMapping(local, 8080, remote, 48000);
        final byte[] synBytes = new InboundPacketBuilder(Map.of()).build(syn, mapping);
        final UnsafeBuffer buffer = new UnsafeBuffer(synBytes);
        final Ipv4Header ip = new Ipv4Header().wrap(buffer, 0, synBytes.length);
        final TcpHeader tcp = new TcpHeader().wrap(buffer, ip.headerLength(), synBytes.length - ip.headerLength());
        if (tcp.flags() != TcpHeader.SYN || tcp.mss() != 1000 || tcp.windowScale() != 7 || !tcp.sackPermitted() ||
            !ip.isChecksumValid() || !tcp.isChecksumValid(ip.pseudoHeaderSum(), synBytes.length - ip.headerLength()))
        {
            throw new IllegalStateException("built SYN does not decode as written: flags=" + tcp.flags() +
                " mss=" + tcp.mss() + " wscale=" + tcp.windowScale());
        }

        // The kernel's SYN-ACK: the same segment built from the other side, with an ISN of the kernel's choosing.
        final ConnectionMapping kernelSide = new ConnectionMapping(remote, 48000, local, 8080);
        kernelSide.learnLocalIsn(0, 0);
        final PacketSpec asSent = new PacketSpec(Direction.INBOUND, synAck.encapsulations(), synAck.ipInfo(),
            withWindow(synAck));
        final byte[] synAckBytes = new InboundPacketBuilder(Map.of()).build(asSent, kernelSide);

        final OutboundPacketVerifier verifier = new OutboundPacketVerifier(Map.of(), true);
        final VerificationResult ok = verifier.verify(synAck, synAckBytes, mapping);
        if (!ok.ok())
        {
            throw new IllegalStateException("SYN-ACK did not verify: " + ok.message());
        }
        final PacketSpec wrong = (PacketSpec)PacketScript.parse("wrong.pkt",
            "0 > S. 0:0(0) ack 1 <mss 1460,nop,nop,sackOK,nop,wscale 9>\n").events().get(0).action();
        final VerificationResult mismatch = verifier.verify(wrong, synAckBytes, mapping);
        if (mismatch.ok() || !mismatch.message().startsWith("bad value in outbound TCP option (kind=3)"))
        {
            throw new IllegalStateException("wrong wscale was not caught: " + mismatch.errors());
        }
        return script.events().size() + " events round-tripped; SYN " + synBytes.length + " B built, SYN-ACK " +
            synAckBytes.length + " B verified (kernel ISN 0x" + Long.toHexString(mapping.localToLive(0)) +
            "); mismatch caught: " + mismatch.message();
    }

    /** The script's SYN-ACK as the kernel sends it: its own ISN and a window (scripts omit the window). */
    private static dev.hostplane.packetscript.model.TcpSpec withWindow(final PacketSpec spec)
    {
        final dev.hostplane.packetscript.model.TcpSpec t = (dev.hostplane.packetscript.model.TcpSpec)spec.transport();
        return new dev.hostplane.packetscript.model.TcpSpec(t.srcPort(), t.dstPort(), t.flags(), KERNEL_ISN,
            t.payloadLength(), t.ack(), 29200, t.urgentPointer(), t.options());
    }
}
