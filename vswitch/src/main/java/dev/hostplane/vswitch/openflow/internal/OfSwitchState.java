package dev.hostplane.vswitch.openflow.internal;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.hostplane.vswitch.FlowRemovedListener;
import dev.hostplane.vswitch.PacketIn;
import dev.hostplane.vswitch.PacketInListener;
import dev.hostplane.vswitch.PortStatusListener;
import dev.hostplane.vswitch.VirtualSwitch;
import dev.hostplane.vswitch.classifier.FlowRule;
import dev.hostplane.vswitch.port.LinkState;
import dev.hostplane.vswitch.port.Port;
import org.projectfloodlight.openflow.protocol.OFConfigFlags;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.OFFlowRemoved;
import org.projectfloodlight.openflow.protocol.OFFlowRemovedReason;
import org.projectfloodlight.openflow.protocol.OFGroupType;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortFeatures;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.OFPortState;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/**
 * What every OpenFlow connection of one agent shares: the switch, the codecs, the packet
 * buffers, the switch configuration (SET_CONFIG), the OpenFlow group types, and the connected
 * peers, to which it fans out the switch's events as PACKET_IN, FLOW_REMOVED and PORT_STATUS.
 * Events arrive on the switch's control thread (packet-ins, expiry) or on the thread that changed
 * the switch; delivering them never blocks.
 */
public final class OfSwitchState implements PacketInListener, FlowRemovedListener, PortStatusListener
{
    private static final int OFP_NO_BUFFER = 0xFFFF;

    final VirtualSwitch sw;
    final OFFactory factory = OFFactories.getFactory(OFVersion.OF_13);
    final MatchCodec matches = new MatchCodec(factory);
    final ActionCodec actions;
    final PacketBuffers buffers;
    final long datapathId;
    final long startNanos = System.nanoTime();
    final Map<Integer, OFGroupType> groupTypes = new ConcurrentHashMap<>();
    final Set<OfPeer> peers = ConcurrentHashMap.newKeySet();
    volatile int missSendLen = 128;
    volatile Set<OFConfigFlags> configFlags = EnumSet.noneOf(OFConfigFlags.class);

    final AtomicLong messagesIn = new AtomicLong();
    final AtomicLong errorsSent = new AtomicLong();
    final AtomicLong packetInsSent = new AtomicLong();
    final AtomicLong packetInsDropped = new AtomicLong();
    final AtomicLong connectionsRefused = new AtomicLong();

    /**
     * Creates the shared state; {@link #attach()} starts listening to the switch.
     *
     * @param sw the switch.
     * @param datapathId datapath id (FEATURES_REPLY).
     * @param bufferCount packet buffers, a power of two.
     */
    public OfSwitchState(final VirtualSwitch sw, final long datapathId, final int bufferCount)
    {
        this.sw = sw;
        this.datapathId = datapathId;
        this.buffers = new PacketBuffers(bufferCount);
        this.actions = new ActionCodec(factory, matches, sw.groups());
    }

    /** Registers with the switch for packet-ins, flow removals and port changes. */
    public void attach()
    {
        sw.addPacketInListener(this);
        sw.addFlowRemovedListener(this);
        sw.addPortStatusListener(this);
    }

    /** Unregisters from the switch. */
    public void detach()
    {
        sw.removePacketInListener(this);
        sw.removeFlowRemovedListener(this);
        sw.removePortStatusListener(this);
    }

    /**
     * Adds a connected peer.
     *
     * @param peer the peer.
     */
    public void add(final OfPeer peer)
    {
        peers.add(peer);
    }

    /**
     * Removes a peer.
     *
     * @param peer the peer.
     */
    public void remove(final OfPeer peer)
    {
        peers.remove(peer);
    }

    /**
     * The datapath id.
     *
     * @return id.
     */
    public long datapathId()
    {
        return datapathId;
    }

    /**
     * Connected peers (handshake done or not).
     *
     * @return count.
     */
    public int peerCount()
    {
        return peers.size();
    }

    /**
     * Counter snapshot: messages received, errors sent, packet-ins sent and dropped, connections
     * closed for bad input.
     *
     * @return the five counters in that order.
     */
    public long[] counters()
    {
        return new long[] {messagesIn.get(), errorsSent.get(), packetInsSent.get(), packetInsDropped.get(),
            connectionsRefused.get()};
    }

    @Override
    public void onPacketIn(final PacketIn packetIn)
    {
        if (peers.isEmpty())
        {
            return;
        }
        final byte[] frame = packetIn.copyFrame();
        final int requested = packetIn.requestedLength();
        int bufferId = -1;
        byte[] data = frame;
        if (requested < OFP_NO_BUFFER && requested < frame.length)
        {
            bufferId = buffers.store(frame, packetIn.inPort());
            data = java.util.Arrays.copyOf(frame, requested);
        }
        final OFPacketIn msg = factory.buildPacketIn()
            .setBufferId(bufferId == -1 ? OFBufferId.NO_BUFFER : OFBufferId.of(bufferId))
            .setTotalLen(packetIn.totalLength())
            .setReason(packetIn.reason() == PacketIn.REASON_NO_MATCH ? OFPacketInReason.NO_MATCH :
                OFPacketInReason.ACTION)
            .setTableId(TableId.of(0))
            .setCookie(U64.of(packetIn.cookie()))
            .setMatch(factory.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(packetIn.inPort())).build())
            .setData(data)
            .build();
        for (final OfPeer peer : peers)
        {
            if (peer.established() && !peer.isSlave())
            {
                if (peer.deliver(msg, true))
                {
                    packetInsSent.incrementAndGet();
                }
                else
                {
                    packetInsDropped.incrementAndGet();
                }
            }
        }
    }

    @Override
    public void onFlowRemoved(final FlowRule rule, final int reason)
    {
        if (peers.isEmpty())
        {
            return;
        }
        final long age = System.nanoTime() - rule.installedNanos();
        final OFFlowRemoved msg = factory.buildFlowRemoved()
            .setCookie(U64.of(rule.cookie()))
            .setPriority(rule.priority())
            .setReason(reason == FlowRule.REMOVED_IDLE_TIMEOUT ? OFFlowRemovedReason.IDLE_TIMEOUT :
                reason == FlowRule.REMOVED_HARD_TIMEOUT ? OFFlowRemovedReason.HARD_TIMEOUT : OFFlowRemovedReason.DELETE)
            .setTableId(TableId.of(0))
            .setDurationSec(age / 1_000_000_000L)
            .setDurationNsec(age % 1_000_000_000L)
            .setIdleTimeout(rule.idleTimeoutSeconds())
            .setHardTimeout(rule.hardTimeoutSeconds())
            .setPacketCount(U64.of(rule.packetCount()))
            .setByteCount(U64.of(rule.byteCount()))
            .setMatch(matches.fromMatch(rule.match()))
            .build();
        broadcast(msg);
    }

    @Override
    public void onPortStatus(final Port port, final int reason)
    {
        broadcast(factory.buildPortStatus()
            .setReason(reason == REASON_ADD ? OFPortReason.ADD : reason == REASON_DELETE ? OFPortReason.DELETE :
                OFPortReason.MODIFY)
            .setDesc(portDesc(port))
            .build());
    }

    private void broadcast(final org.projectfloodlight.openflow.protocol.OFMessage msg)
    {
        for (final OfPeer peer : peers)
        {
            if (peer.established())
            {
                peer.deliver(msg, false);
            }
        }
    }

    /**
     * A port's description (PORT_DESC, PORT_STATUS).
     *
     * @param port the port.
     * @return the description.
     */
    OFPortDesc portDesc(final Port port)
    {
        final Set<OFPortConfig> config = port.isFlood() ? EnumSet.noneOf(OFPortConfig.class) :
            EnumSet.of(OFPortConfig.NO_FLOOD);
        final LinkState link = port.linkState();
        if (link == LinkState.ADMIN_DOWN)
        {
            // As Open vSwitch reports a device set down: port_down config, and no link either.
            config.add(OFPortConfig.PORT_DOWN);
        }
        final Set<OFPortFeatures> features = EnumSet.of(OFPortFeatures.PF_10GB_FD, OFPortFeatures.PF_COPPER);
        final String name = port.name().length() > 15 ? port.name().substring(0, 15) : port.name();
        return factory.buildPortDesc()
            .setPortNo(OFPort.of(port.number()))
            .setHwAddr(portMac(port.number()))
            .setName(name)
            .setConfig(config)
            .setState(EnumSet.of(link == LinkState.UP ? OFPortState.LIVE : OFPortState.LINK_DOWN))
            .setCurr(features)
            .setAdvertised(EnumSet.noneOf(OFPortFeatures.class))
            .setSupported(features)
            .setPeer(EnumSet.noneOf(OFPortFeatures.class))
            .setCurrSpeed(10_000_000L)
            .setMaxSpeed(10_000_000L)
            .build();
    }

    /**
     * The MAC address the agent reports for a port: locally administered, from the datapath id and
     * the port number, so it is stable for the life of the switch.
     *
     * @param port port number.
     * @return the address.
     */
    MacAddress portMac(final int port)
    {
        return MacAddress.of(0x0200_0000_0000L | ((datapathId & 0xFFFFFFL) << 16) | (port & 0xFFFF));
    }

    /**
     * The flags a FLOW_STATS entry reports for a rule.
     *
     * @param rule the rule.
     * @return flags.
     */
    static Set<OFFlowModFlags> flags(final FlowRule rule)
    {
        return rule.sendFlowRemoved() ? EnumSet.of(OFFlowModFlags.SEND_FLOW_REM) : EnumSet.noneOf(OFFlowModFlags.class);
    }

    /**
     * Ports of the switch.
     *
     * @return ports.
     */
    List<Port> ports()
    {
        return sw.ports();
    }
}
