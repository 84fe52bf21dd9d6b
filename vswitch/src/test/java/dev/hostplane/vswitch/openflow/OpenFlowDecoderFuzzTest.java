package dev.hostplane.vswitch.openflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import dev.hostplane.vswitch.SwitchConfig;
import dev.hostplane.vswitch.VirtualSwitch;
import dev.hostplane.vswitch.openflow.internal.OfChannelHandler;
import dev.hostplane.vswitch.openflow.internal.OfFrameDecoder;
import dev.hostplane.vswitch.openflow.internal.OfMessageEncoder;
import dev.hostplane.vswitch.openflow.internal.OfSwitchState;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TransportPort;

/**
 * Fuzzes the agent's input path (framing, HELLO, openflowj parsing, request handling) in-process
 * through Netty's embedded channel: random bytes, and valid OpenFlow messages with random bytes
 * changed. Whatever comes in, nothing may escape as an exception, everything sent back must be a
 * well-formed OpenFlow 1.3 message, and the switch must stay usable.
 */
class OpenFlowDecoderFuzzTest
{
    private static final OFFactory OF = OFFactories.getFactory(OFVersion.OF_13);
    private static VirtualSwitch sw;
    private static OfSwitchState state;

    @BeforeContainer
    static void start()
    {
        sw = new VirtualSwitch(SwitchConfig.builder().build());
        sw.addEndpointPort("f1");
        sw.addEndpointPort("f2");
        state = new OfSwitchState(sw, 1, 64);
        state.attach();
    }

    @AfterContainer
    static void stop()
    {
        state.detach();
        sw.close();
    }

    @Property(tries = 300)
    void randomBytesAfterHelloNeverEscapeAndRepliesAreWellFormed(@ForAll("chunks") final List<byte[]> chunks)
    {
        final EmbeddedChannel ch = channel();
        ch.writeInbound(hello());
        for (final byte[] chunk : chunks)
        {
            if (!ch.isActive())
            {
                break;
            }
            ch.writeInbound(Unpooled.wrappedBuffer(chunk));
        }
        ch.checkException();
        assertRepliesParse(ch);
        ch.finishAndReleaseAll();
        assertThat(sw.dumpFlows().size()).isLessThan(10_000);
    }

    @Property(tries = 400)
    void mutatedValidMessagesAreAnsweredOrIgnoredNeverThrown(@ForAll("valid") final int which,
        @ForAll("mutations") final List<int[]> mutations)
    {
        final byte[] bytes = bytes(validMessages().get(which));
        for (final int[] m : mutations)
        {
            final int at = 8 + Math.floorMod(m[0], Math.max(1, bytes.length - 8));
            if (at < bytes.length)
            {
                bytes[at] = (byte)m[1];
            }
        }
        final EmbeddedChannel ch = channel();
        ch.writeInbound(hello());
        ch.writeInbound(Unpooled.wrappedBuffer(bytes));
        ch.writeInbound(Unpooled.wrappedBuffer(bytes(OF.buildBarrierRequest().setXid(99).build())));
        ch.checkException();
        final List<OFMessage> replies = assertRepliesParse(ch);
        assertThat(replies).as("the connection keeps answering after a bad request")
            .anyMatch(r -> r.getType() == OFType.BARRIER_REPLY && r.getXid() == 99);
        ch.finishAndReleaseAll();
        sw.deleteFlows(dev.hostplane.vswitch.flow.Match.ALL, 0, false, 0, 0, 0);
    }

    @Provide
    Arbitrary<List<byte[]>> chunks()
    {
        final Arbitrary<byte[]> header = Arbitraries.integers().between(0, 40).flatMap(type ->
            Arbitraries.integers().between(0, 300).flatMap(len ->
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(body ->
                {
                    final byte[] b = new byte[8 + body.length];
                    b[0] = 4;
                    b[1] = (byte)(int)type;
                    b[2] = (byte)(len >>> 8);
                    b[3] = (byte)(int)len;
                    System.arraycopy(body, 0, b, 8, body.length);
                    return b;
                })));
        final Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        return Arbitraries.oneOf(header, noise).list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<Integer> valid()
    {
        return Arbitraries.integers().between(0, validMessages().size() - 1);
    }

    @Provide
    Arbitrary<List<int[]>> mutations()
    {
        return Arbitraries.integers().between(0, 10_000).flatMap(at -> Arbitraries.integers().between(0, 255)
            .map(v -> new int[] {at, v})).list().ofMinSize(1).ofMaxSize(4);
    }

    private static List<OFMessage> validMessages()
    {
        final List<OFMessage> list = new ArrayList<>();
        list.add(OF.buildFlowAdd().setPriority(10).setMatch(OF.buildMatch()
            .setExact(MatchField.ETH_TYPE, EthType.IPv4).setExact(MatchField.IP_PROTO, IpProtocol.TCP)
            .setMasked(MatchField.IPV4_DST, IPv4Address.of("10.0.0.0"), IPv4Address.of("255.0.0.0"))
            .setExact(MatchField.TCP_DST, TransportPort.of(80)).build())
            .setInstructions(List.of(OF.instructions().applyActions(List.of(OF.actions().output(OFPort.of(2),
                0xFFFF))))).setFlags(java.util.EnumSet.of(OFFlowModFlags.SEND_FLOW_REM)).build());
        list.add(OF.buildFlowDelete().setMatch(OF.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(1)).build())
            .build());
        list.add(OF.buildFlowStatsRequest().setMatch(OF.buildMatch().build()).setOutPort(OFPort.ANY)
            .setOutGroup(OFGroup.ANY).build());
        list.add(OF.buildPacketOut().setInPort(OFPort.CONTROLLER).setData(new byte[60])
            .setActions(List.of(OF.actions().output(OFPort.of(1), 0))).build());
        list.add(OF.buildGroupAdd().setGroup(OFGroup.of(3)).setGroupType(org.projectfloodlight.openflow.protocol
            .OFGroupType.ALL).setBuckets(List.of(OF.buildBucket().setActions(List.of(OF.actions().output(OFPort.of(1),
            0))).setWatchGroup(OFGroup.ANY).setWatchPort(OFPort.ANY).build())).build());
        list.add(OF.buildPortStatsRequest().setPortNo(OFPort.ANY).build());
        list.add(OF.buildSetConfig().setMissSendLen(128).build());
        list.add(OF.buildEchoRequest().setData(new byte[] {1, 2, 3}).build());
        return list;
    }

    private static EmbeddedChannel channel()
    {
        final OfFrameDecoder decoder = new OfFrameDecoder();
        return new EmbeddedChannel(decoder, OfMessageEncoder.INSTANCE, new OfChannelHandler(state, decoder, 60_000));
    }

    private static ByteBuf hello()
    {
        return Unpooled.wrappedBuffer(bytes(OF.buildHello().build()));
    }

    private static byte[] bytes(final OFMessage m)
    {
        final ByteBuf b = Unpooled.buffer();
        m.writeTo(b);
        final byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    private static List<OFMessage> assertRepliesParse(final EmbeddedChannel ch)
    {
        final List<OFMessage> replies = new ArrayList<>();
        ByteBuf out;
        final ByteBuf all = Unpooled.buffer();
        while ((out = ch.readOutbound()) != null)
        {
            all.writeBytes(out);
            out.release();
        }
        while (all.isReadable())
        {
            try
            {
                final OFMessage m = OFFactories.getGenericReader().readFrom(all);
                assertThat(m).as("a complete message").isNotNull();
                replies.add(m);
            }
            catch (final Exception ex)
            {
                throw new AssertionError("the agent sent bytes that do not parse as OpenFlow: " + ex, ex);
            }
        }
        all.release();
        return replies;
    }
}
