package dev.hostplane.vswitch.openflow.internal;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.hostplane.vswitch.SwitchStats;
import dev.hostplane.vswitch.action.Action;
import dev.hostplane.vswitch.action.Actions;
import dev.hostplane.vswitch.classifier.FlowRule;
import dev.hostplane.vswitch.classifier.GroupTable;
import dev.hostplane.vswitch.flow.FlowKey;
import dev.hostplane.vswitch.flow.Match;
import dev.hostplane.vswitch.port.FrameBatch;
import dev.hostplane.vswitch.port.Port;
import dev.hostplane.vswitch.port.PortCounters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.projectfloodlight.openflow.protocol.OFAggregateStatsRequest;
import org.projectfloodlight.openflow.protocol.OFBadActionCode;
import org.projectfloodlight.openflow.protocol.OFBadRequestCode;
import org.projectfloodlight.openflow.protocol.OFBucket;
import org.projectfloodlight.openflow.protocol.OFCapabilities;
import org.projectfloodlight.openflow.protocol.OFConfigFlags;
import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFFlowModFailedCode;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsRequest;
import org.projectfloodlight.openflow.protocol.OFGroupCapabilities;
import org.projectfloodlight.openflow.protocol.OFGroupDescStatsEntry;
import org.projectfloodlight.openflow.protocol.OFGroupMod;
import org.projectfloodlight.openflow.protocol.OFGroupModFailedCode;
import org.projectfloodlight.openflow.protocol.OFGroupType;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortMod;
import org.projectfloodlight.openflow.protocol.OFPortModFailedCode;
import org.projectfloodlight.openflow.protocol.OFPortStatsEntry;
import org.projectfloodlight.openflow.protocol.OFPortStatsRequest;
import org.projectfloodlight.openflow.protocol.OFRoleRequest;
import org.projectfloodlight.openflow.protocol.OFSetConfig;
import org.projectfloodlight.openflow.protocol.OFStatsReply;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.protocol.OFStatsRequest;
import org.projectfloodlight.openflow.protocol.OFSwitchConfigFailedCode;
import org.projectfloodlight.openflow.protocol.OFTableStatsEntry;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFAuxId;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/**
 * The switch side of one OpenFlow 1.3 connection after the handshake: answers each request from
 * the controller on the switch's control API. Independent of the transport, so it is tested with
 * messages directly; the Netty handler feeds it decoded messages and sends what it emits.
 *
 * <p>Requests are handled in order and each change to the switch is complete (published to the
 * data plane) before the next request is read, so a BARRIER_REPLY needs no waiting.
 */
public final class OfRequestHandler
{
    private static final int OFPP_ANY = 0xFFFFFFFF;
    private static final int OFPP_CONTROLLER = 0xFFFFFFFD;
    private static final int OFPG_ANY = 0xFFFFFFFF;
    private static final int OFPG_ALL = 0xFFFFFFFC;
    private static final int OFPG_MAX = 0xFFFFFF00;
    private static final int MAX_MESSAGE = 0xFFFF;

    private final OfSwitchState state;
    private final Consumer<OFMessage> out;
    private volatile OFControllerRole role = OFControllerRole.ROLE_EQUAL;

    /**
     * Creates a handler.
     *
     * @param state the agent's shared state.
     * @param out where replies go.
     */
    public OfRequestHandler(final OfSwitchState state, final Consumer<OFMessage> out)
    {
        this.state = state;
        this.out = out;
    }

    /**
     * Whether the controller holds the slave role.
     *
     * @return true for slave.
     */
    public boolean isSlave()
    {
        return role == OFControllerRole.ROLE_SLAVE;
    }

    /**
     * Handles one request.
     *
     * @param m the request.
     * @throws OfError when it is refused (the caller answers with the error).
     */
    public void handle(final OFMessage m) throws OfError
    {
        state.messagesIn.incrementAndGet();
        switch (m.getType())
        {
            case HELLO:
            case ECHO_REPLY:
                return;
            case ERROR:
                return;
            case ECHO_REQUEST:
                out.accept(state.factory.buildEchoReply().setXid(m.getXid()).setData(((OFEchoRequest)m).getData())
                    .build());
                return;
            case FEATURES_REQUEST:
                out.accept(state.factory.buildFeaturesReply().setXid(m.getXid())
                    .setDatapathId(DatapathId.of(state.datapathId))
                    .setNBuffers(state.buffers.capacity())
                    .setNTables((short)1)
                    .setAuxiliaryId(OFAuxId.MAIN)
                    .setCapabilities(EnumSet.of(OFCapabilities.FLOW_STATS, OFCapabilities.TABLE_STATS,
                        OFCapabilities.PORT_STATS))
                    .build());
                return;
            case GET_CONFIG_REQUEST:
                out.accept(state.factory.buildGetConfigReply().setXid(m.getXid()).setFlags(state.configFlags)
                    .setMissSendLen(state.missSendLen).build());
                return;
            case SET_CONFIG:
                setConfig((OFSetConfig)m);
                return;
            case BARRIER_REQUEST:
                out.accept(state.factory.buildBarrierReply().setXid(m.getXid()).build());
                return;
            case ROLE_REQUEST:
                roleRequest((OFRoleRequest)m);
                return;
            case FLOW_MOD:
                requireWriter();
                flowMod((OFFlowMod)m);
                return;
            case GROUP_MOD:
                requireWriter();
                groupMod((OFGroupMod)m);
                return;
            case PACKET_OUT:
                requireWriter();
                packetOut((OFPacketOut)m);
                return;
            case PORT_MOD:
                requireWriter();
                portMod((OFPortMod)m);
                return;
            case STATS_REQUEST:
                multipart((OFStatsRequest<?>)m);
                return;
            case EXPERIMENTER:
                throw OfError.badRequest(OFBadRequestCode.BAD_EXPERIMENTER, "experimenter messages are not supported");
            default:
                throw OfError.badRequest(OFBadRequestCode.BAD_TYPE, "message type not supported by this switch: " +
                    m.getType());
        }
    }

    private void requireWriter() throws OfError
    {
        if (isSlave())
        {
            throw OfError.badRequest(OFBadRequestCode.IS_SLAVE, "the controller has the slave role");
        }
    }

    private void setConfig(final OFSetConfig m) throws OfError
    {
        if (!m.getFlags().isEmpty() && !m.getFlags().equals(EnumSet.of(OFConfigFlags.FRAG_NORMAL)))
        {
            throw OfError.switchConfigFailed(OFSwitchConfigFailedCode.BAD_FLAGS,
                "only normal fragment handling is supported: " + m.getFlags());
        }
        state.configFlags = m.getFlags().isEmpty() ? EnumSet.noneOf(OFConfigFlags.class) : EnumSet.copyOf(m.getFlags());
        state.missSendLen = m.getMissSendLen();
    }

    private void roleRequest(final OFRoleRequest m)
    {
        if (m.getRole() != OFControllerRole.ROLE_NOCHANGE)
        {
            role = m.getRole();
        }
        out.accept(state.factory.buildRoleReply().setXid(m.getXid()).setRole(role)
            .setGenerationId(m.getGenerationId()).build());
    }

    // ------------------------------------------------------------------------------------------ FLOW_MOD

    private void flowMod(final OFFlowMod m) throws OfError
    {
        final int table = m.getTableId().getValue();
        final boolean delete = m.getCommand().name().startsWith("DELETE");
        if (table != 0 && !(delete && table == 0xFF))
        {
            throw OfError.flowModFailed(OFFlowModFailedCode.BAD_TABLE_ID, "the switch has one table (0): table=" + table);
        }
        final Match match = state.matches.toMatch(m.getMatch());
        final long cookieMask = m.getCookieMask().getValue();
        switch (m.getCommand())
        {
            case ADD:
                add(m, match);
                return;
            case MODIFY:
            case MODIFY_STRICT:
                final List<Action> actions = state.actions.fromInstructions(m.getInstructions());
                final boolean strict = m.getCommand().name().endsWith("STRICT");
                if (m.getFlags().contains(OFFlowModFlags.RESET_COUNTS))
                {
                    throw OfError.flowModFailed(OFFlowModFailedCode.BAD_FLAGS, "reset_counts on modify is not supported");
                }
                state.sw.modifyFlows(match, m.getPriority(), strict, m.getCookie().getValue(), cookieMask, actions);
                applyToBuffer(m.getBufferId(), actions);
                return;
            case DELETE:
            case DELETE_STRICT:
                state.sw.deleteFlows(match, m.getPriority(), m.getCommand().name().endsWith("STRICT"),
                    m.getCookie().getValue(), cookieMask, outFilter(m.getOutPort().getPortNumber(),
                        m.getOutGroup().getGroupNumber()));
                return;
            default:
                throw OfError.flowModFailed(OFFlowModFailedCode.BAD_COMMAND, "unknown flow_mod command: " + m.getCommand());
        }
    }

    private void add(final OFFlowMod m, final Match match) throws OfError
    {
        final List<Action> actions = state.actions.fromInstructions(m.getInstructions());
        final Set<OFFlowModFlags> flags = m.getFlags();
        if (flags.contains(OFFlowModFlags.EMERG))
        {
            throw OfError.flowModFailed(OFFlowModFailedCode.BAD_FLAGS, "emergency flows are not supported");
        }
        if (flags.contains(OFFlowModFlags.CHECK_OVERLAP))
        {
            for (final FlowRule r : state.sw.dumpFlows())
            {
                if (r.priority() == m.getPriority() && overlaps(r.match(), match) && !r.match().equals(match))
                {
                    throw OfError.flowModFailed(OFFlowModFailedCode.OVERLAP, "overlaps " + r);
                }
            }
        }
        final long now = System.nanoTime();
        final FlowRule rule = new FlowRule(match, m.getPriority(), m.getCookie().getValue(), actions, m.getIdleTimeout(),
            m.getHardTimeout(), flags.contains(OFFlowModFlags.SEND_FLOW_REM), now);
        if (!flags.contains(OFFlowModFlags.RESET_COUNTS))
        {
            // OpenFlow 1.3: replacing an identical flow keeps its counters unless RESET_COUNTS.
            for (final FlowRule old : state.sw.flowTable().find(match, m.getPriority(), true, 0, 0, r -> true))
            {
                rule.hit(old.packetCount(), old.byteCount(), old.lastUsedNanos());
            }
        }
        state.sw.addFlow(rule);
        applyToBuffer(m.getBufferId(), actions);
    }

    private void applyToBuffer(final OFBufferId bufferId, final List<Action> actions) throws OfError
    {
        if (bufferId.equals(OFBufferId.NO_BUFFER))
        {
            return;
        }
        final PacketBuffers.Buffered b = state.buffers.take(bufferId.getInt());
        if (b == null)
        {
            throw OfError.badRequest(OFBadRequestCode.BUFFER_UNKNOWN, "unknown or reused buffer id: " + bufferId);
        }
        state.sw.packetOut(b.frame(), b.inPort(), actions);
    }

    private static boolean overlaps(final Match a, final Match b)
    {
        for (int i = 0; i < FlowKey.WORDS; i++)
        {
            final long common = a.mask().word(i) & b.mask().word(i);
            if (((a.value().word(i) ^ b.value().word(i)) & common) != 0)
            {
                return false;
            }
        }
        return true;
    }

    private static Predicate<FlowRule> outFilter(final int outPort, final int outGroup)
    {
        return rule ->
        {
            if (outPort != OFPP_ANY && !outputsTo(rule, outPort))
            {
                return false;
            }
            return outGroup == OFPG_ANY || callsGroup(rule.actions(), outGroup);
        };
    }

    private static boolean outputsTo(final FlowRule rule, final int port)
    {
        for (final Action a : rule.actions())
        {
            if (a instanceof Actions.Output && ((Actions.Output)a).port() == port ||
                port == OFPP_CONTROLLER && a instanceof Actions.Controller)
            {
                return true;
            }
        }
        return false;
    }

    private static boolean callsGroup(final List<Action> actions, final int group)
    {
        for (final Action a : actions)
        {
            if (a instanceof Actions.Group && ((Actions.Group)a).groupId() == group)
            {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------ GROUP_MOD

    private void groupMod(final OFGroupMod m) throws OfError
    {
        final int id = m.getGroup().getGroupNumber();
        final GroupTable groups = state.sw.groups();
        switch (m.getCommand())
        {
            case ADD:
            case MODIFY:
                if (Integer.compareUnsigned(id, OFPG_MAX) > 0)
                {
                    throw OfError.groupModFailed(OFGroupModFailedCode.INVALID_GROUP, "reserved group id: " +
                        Integer.toUnsignedString(id));
                }
                final boolean exists = groups.get(id) != null;
                if (m.getCommand().name().equals("ADD") && exists)
                {
                    throw OfError.groupModFailed(OFGroupModFailedCode.GROUP_EXISTS, "group exists: " + id);
                }
                if (m.getCommand().name().equals("MODIFY") && !exists)
                {
                    throw OfError.groupModFailed(OFGroupModFailedCode.UNKNOWN_GROUP, "no such group: " + id);
                }
                groups.put(toGroup(id, m.getGroupType(), m.getBuckets()));
                state.groupTypes.put(id, m.getGroupType());
                return;
            case DELETE:
                final List<Integer> victims = new ArrayList<>();
                if (id == OFPG_ALL)
                {
                    for (final GroupTable.Group g : groups.groups())
                    {
                        victims.add(g.id());
                    }
                }
                else
                {
                    victims.add(id);
                }
                for (final int victim : victims)
                {
                    // OpenFlow: deleting a group deletes the flows that forward to it.
                    state.sw.deleteFlows(Match.ALL, 0, false, 0, 0, r -> callsGroup(r.actions(), victim));
                    groups.remove(victim);
                    state.groupTypes.remove(victim);
                }
                return;
            default:
                throw OfError.groupModFailed(OFGroupModFailedCode.BAD_COMMAND, "group command not supported: " +
                    m.getCommand());
        }
    }

    private GroupTable.Group toGroup(final int id, final OFGroupType type, final List<OFBucket> buckets) throws OfError
    {
        if (buckets.isEmpty())
        {
            throw OfError.groupModFailed(OFGroupModFailedCode.BAD_BUCKET, "a group needs at least one bucket");
        }
        final List<List<Action>> lists = new ArrayList<>();
        int weight = -1;
        for (final OFBucket b : buckets)
        {
            try
            {
                lists.add(state.actions.fromActions(b.getActions(), false, true));
            }
            catch (final OfError ex)
            {
                if (ex.code().equals("BAD_ACTION/BAD_OUT_GROUP"))
                {
                    throw OfError.groupModFailed(OFGroupModFailedCode.CHAINING_UNSUPPORTED, ex.getMessage());
                }
                throw ex;
            }
            if (type == OFGroupType.SELECT)
            {
                if (weight != -1 && b.getWeight() != weight)
                {
                    throw OfError.groupModFailed(OFGroupModFailedCode.WEIGHT_UNSUPPORTED,
                        "select buckets are chosen by flow hash with equal weights");
                }
                weight = b.getWeight();
            }
        }
        switch (type)
        {
            case ALL:
                return new GroupTable.Group(id, GroupTable.Type.ALL, lists);
            case SELECT:
                return new GroupTable.Group(id, GroupTable.Type.SELECT, lists);
            case INDIRECT:
                if (lists.size() != 1)
                {
                    throw OfError.groupModFailed(OFGroupModFailedCode.BAD_BUCKET, "an indirect group has one bucket");
                }
                return new GroupTable.Group(id, GroupTable.Type.ALL, lists);
            default:
                throw OfError.groupModFailed(OFGroupModFailedCode.BAD_TYPE, "group type not supported: " + type);
        }
    }

    // ------------------------------------------------------------------------------------------ PACKET_OUT, PORT_MOD

    private void packetOut(final OFPacketOut m) throws OfError
    {
        final int inPort = m.getInPort().getPortNumber();
        final int ingress;
        if (inPort == OFPP_CONTROLLER || inPort == OFPP_ANY || inPort == 0)
        {
            ingress = 0;
        }
        else if (inPort >= 1 && inPort <= 0xFEFF)
        {
            ingress = inPort;
        }
        else
        {
            throw OfError.badRequest(OFBadRequestCode.BAD_PORT, "packet-out in_port not supported: " + m.getInPort());
        }
        final List<Action> actions = state.actions.fromActions(m.getActions(), true, false);
        byte[] frame = m.getData();
        int port = ingress;
        if (!m.getBufferId().equals(OFBufferId.NO_BUFFER))
        {
            final PacketBuffers.Buffered b = state.buffers.take(m.getBufferId().getInt());
            if (b == null)
            {
                throw OfError.badRequest(OFBadRequestCode.BUFFER_UNKNOWN, "unknown or reused buffer id: " +
                    m.getBufferId());
            }
            frame = b.frame();
            port = ingress == 0 ? b.inPort() : ingress;
        }
        if (frame.length < 14 || frame.length > FrameBatch.MAX_FRAME)
        {
            throw OfError.badRequest(OFBadRequestCode.BAD_PACKET, "packet-out frame length must be 14.." +
                FrameBatch.MAX_FRAME + ": " + frame.length);
        }
        if (!state.sw.packetOut(frame, port, actions))
        {
            throw OfError.badRequest(OFBadRequestCode.EPERM, "packet-out queue full, frame not sent");
        }
    }

    private void portMod(final OFPortMod m) throws OfError
    {
        final int number = m.getPortNo().getPortNumber();
        final Port port = number >= 1 && number <= 0xFEFF ? state.sw.port(number) : null;
        if (port == null)
        {
            throw OfError.portModFailed(OFPortModFailedCode.BAD_PORT, "no such port: " + m.getPortNo());
        }
        if (!m.getHwAddr().equals(state.portMac(number)))
        {
            throw OfError.portModFailed(OFPortModFailedCode.BAD_HW_ADDR, "hw_addr does not match port " + number);
        }
        final Set<OFPortConfig> mask = m.getMask();
        for (final OFPortConfig c : mask)
        {
            if (c != OFPortConfig.NO_FLOOD)
            {
                throw OfError.portModFailed(OFPortModFailedCode.BAD_CONFIG, "only no_flood can be changed: " + c);
            }
        }
        if (mask.contains(OFPortConfig.NO_FLOOD))
        {
            port.flood(!m.getConfig().contains(OFPortConfig.NO_FLOOD));
            state.sw.portModified(number);
        }
    }

    // ------------------------------------------------------------------------------------------ MULTIPART

    private void multipart(final OFStatsRequest<?> m) throws OfError
    {
        final long xid = m.getXid();
        switch (m.getStatsType())
        {
            case DESC:
                out.accept(state.factory.buildDescStatsReply().setXid(xid)
                    .setMfrDesc("hostplane").setHwDesc("vswitch (Java)").setSwDesc("hostplane vswitch")
                    .setSerialNum("None").setDpDesc("hostplane vswitch dpid=" + Long.toHexString(state.datapathId))
                    .build());
                return;
            case FLOW:
                flowStats((OFFlowStatsRequest)m);
                return;
            case AGGREGATE:
                aggregate((OFAggregateStatsRequest)m);
                return;
            case TABLE:
                final SwitchStats s = state.sw.stats();
                final OFTableStatsEntry entry = state.factory.buildTableStatsEntry().setTableId(TableId.of(0))
                    .setActiveCount(s.ruleCount()).setLookupCount(U64.of(s.framesProcessed() - s.malformed()))
                    .setMatchedCount(U64.of(s.framesProcessed() - s.malformed() - s.tableMisses())).build();
                out.accept(state.factory.buildTableStatsReply().setXid(xid).setEntries(List.of(entry)).build());
                return;
            case PORT:
                portStats((OFPortStatsRequest)m);
                return;
            case PORT_DESC:
                final List<OFPortDesc> descs = new ArrayList<>();
                for (final Port p : state.ports())
                {
                    descs.add(state.portDesc(p));
                }
                sendEntries(xid, descs, (list, more) -> state.factory.buildPortDescStatsReply().setXid(xid)
                    .setFlags(more).setEntries(list).build());
                return;
            case GROUP_DESC:
                final List<OFGroupDescStatsEntry> groups = new ArrayList<>();
                for (final GroupTable.Group g : state.sw.groups().groups())
                {
                    final List<OFBucket> buckets = new ArrayList<>();
                    final OFGroupType type = state.groupTypes.getOrDefault(g.id(),
                        g.type() == GroupTable.Type.SELECT ? OFGroupType.SELECT : OFGroupType.ALL);
                    for (final List<Action> b : g.buckets())
                    {
                        buckets.add(state.factory.buildBucket().setActions(state.actions.toActions(b, null))
                            .setWeight(type == OFGroupType.SELECT ? 1 : 0).setWatchPort(OFPort.ANY)
                            .setWatchGroup(OFGroup.ANY).build());
                    }
                    groups.add(state.factory.buildGroupDescStatsEntry().setGroup(OFGroup.of(g.id()))
                        .setGroupType(type).setBuckets(buckets).build());
                }
                sendEntries(xid, groups, (list, more) -> state.factory.buildGroupDescStatsReply().setXid(xid)
                    .setFlags(more).setEntries(list).build());
                return;
            case GROUP_FEATURES:
                out.accept(state.factory.buildGroupFeaturesStatsReply().setXid(xid)
                    .setTypes((1L << OFGroupType.ALL.ordinal()) | (1L << OFGroupType.SELECT.ordinal()) |
                        (1L << OFGroupType.INDIRECT.ordinal()))
                    .setCapabilities(EnumSet.noneOf(OFGroupCapabilities.class))
                    .setMaxGroupsAll(0xFFFFFF00L).setMaxGroupsSelect(0xFFFFFF00L).setMaxGroupsIndirect(0xFFFFFF00L)
                    .setMaxGroupsFf(0).build());
                return;
            default:
                throw OfError.badRequest(OFBadRequestCode.BAD_STAT, "multipart type not supported by this switch: " +
                    m.getStatsType());
        }
    }

    private List<FlowRule> selectFlows(final TableId table, final org.projectfloodlight.openflow.protocol.match.Match
        ofMatch, final long cookie, final long cookieMask, final int outPort, final int outGroup) throws OfError
    {
        if (table.getValue() != 0 && !table.equals(TableId.ALL))
        {
            return List.of();
        }
        return state.sw.flowTable().find(state.matches.toMatch(ofMatch), 0, false, cookie, cookieMask,
            outFilter(outPort, outGroup));
    }

    private void flowStats(final OFFlowStatsRequest m) throws OfError
    {
        final List<FlowRule> rules = selectFlows(m.getTableId(), m.getMatch(), m.getCookie().getValue(),
            m.getCookieMask().getValue(), m.getOutPort().getPortNumber(), m.getOutGroup().getGroupNumber());
        final long now = System.nanoTime();
        final List<OFFlowStatsEntry> entries = new ArrayList<>(rules.size());
        for (final FlowRule r : rules)
        {
            final long age = Math.max(0, now - r.installedNanos());
            entries.add(state.factory.buildFlowStatsEntry()
                .setTableId(TableId.of(0))
                .setDurationSec(age / 1_000_000_000L)
                .setDurationNsec(age % 1_000_000_000L)
                .setPriority(r.priority())
                .setIdleTimeout(r.idleTimeoutSeconds())
                .setHardTimeout(r.hardTimeoutSeconds())
                .setFlags(OfSwitchState.flags(r))
                .setCookie(U64.of(r.cookie()))
                .setPacketCount(U64.of(r.packetCount()))
                .setByteCount(U64.of(r.byteCount()))
                .setMatch(state.matches.fromMatch(r.match()))
                .setInstructions(state.actions.toInstructions(r.actions(), r.match()))
                .build());
        }
        sendEntries(m.getXid(), entries, (list, more) -> state.factory.buildFlowStatsReply().setXid(m.getXid())
            .setFlags(more).setEntries(list).build());
    }

    private void aggregate(final OFAggregateStatsRequest m) throws OfError
    {
        final List<FlowRule> rules = selectFlows(m.getTableId(), m.getMatch(), m.getCookie().getValue(),
            m.getCookieMask().getValue(), m.getOutPort().getPortNumber(), m.getOutGroup().getGroupNumber());
        long packets = 0;
        long bytes = 0;
        for (final FlowRule r : rules)
        {
            packets += r.packetCount();
            bytes += r.byteCount();
        }
        out.accept(state.factory.buildAggregateStatsReply().setXid(m.getXid()).setPacketCount(U64.of(packets))
            .setByteCount(U64.of(bytes)).setFlowCount(rules.size()).build());
    }

    private void portStats(final OFPortStatsRequest m) throws OfError
    {
        final int wanted = m.getPortNo().getPortNumber();
        final long now = System.nanoTime();
        final List<OFPortStatsEntry> entries = new ArrayList<>();
        for (final Port p : state.ports())
        {
            if (wanted != OFPP_ANY && p.number() != wanted)
            {
                continue;
            }
            final PortCounters c = p.counters();
            final long age = now - state.startNanos;
            // Port counters are from the switch's side: what it received from the port is the port's rx.
            entries.add(state.factory.buildPortStatsEntry().setPortNo(OFPort.of(p.number()))
                .setRxPackets(U64.of(c.rxPackets())).setRxBytes(U64.of(c.rxBytes())).setRxDropped(U64.of(c.rxDropped()))
                .setTxPackets(U64.of(c.txPackets())).setTxBytes(U64.of(c.txBytes())).setTxDropped(U64.of(c.txDropped()))
                .setRxErrors(U64.ZERO).setTxErrors(U64.ZERO).setRxFrameErr(U64.ZERO).setRxOverErr(U64.ZERO)
                .setRxCrcErr(U64.ZERO).setCollisions(U64.ZERO)
                .setDurationSec(age / 1_000_000_000L).setDurationNsec(age % 1_000_000_000L).build());
        }
        if (wanted != OFPP_ANY && entries.isEmpty())
        {
            throw OfError.badRequest(OFBadRequestCode.BAD_PORT, "no such port: " + m.getPortNo());
        }
        sendEntries(m.getXid(), entries, (list, more) -> state.factory.buildPortStatsReply().setXid(m.getXid())
            .setFlags(more).setEntries(list).build());
    }

    /** Builds one multipart reply from a slice of entries and the flags (REPLY_MORE or none). */
    @FunctionalInterface
    private interface ReplyBuilder<E>
    {
        OFStatsReply build(List<E> entries, Set<OFStatsReplyFlags> flags);
    }

    /**
     * Sends entries in as many multipart replies as it takes to keep each under the 64 KiB message
     * limit, every one but the last flagged REPLY_MORE.
     */
    private <E> void sendEntries(final long xid, final List<E> entries, final ReplyBuilder<E> builder)
    {
        final List<List<E>> chunks = new ArrayList<>();
        split(entries, list -> fits(builder.build(list, EnumSet.of(OFStatsReplyFlags.REPLY_MORE))), chunks);
        for (int i = 0; i < chunks.size(); i++)
        {
            final boolean more = i < chunks.size() - 1;
            out.accept(builder.build(chunks.get(i), more ? EnumSet.of(OFStatsReplyFlags.REPLY_MORE) :
                EnumSet.noneOf(OFStatsReplyFlags.class)));
        }
    }

    private static <E> void split(final List<E> entries, final Function<List<E>, Boolean> fits,
        final List<List<E>> chunks)
    {
        if (entries.size() <= 1 || fits.apply(entries))
        {
            chunks.add(entries);
            return;
        }
        final int half = entries.size() / 2;
        split(entries.subList(0, half), fits, chunks);
        split(entries.subList(half, entries.size()), fits, chunks);
    }

    private static boolean fits(final OFMessage m)
    {
        final ByteBuf buf = Unpooled.buffer(1024);
        try
        {
            m.writeTo(buf);
            return buf.readableBytes() <= MAX_MESSAGE;
        }
        catch (final RuntimeException ex)
        {
            return false;
        }
        finally
        {
            buf.release();
        }
    }
}
