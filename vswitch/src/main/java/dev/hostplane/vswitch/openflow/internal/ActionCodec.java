package dev.hostplane.vswitch.openflow.internal;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import dev.hostplane.vswitch.action.Action;
import dev.hostplane.vswitch.action.Actions;
import dev.hostplane.vswitch.classifier.GroupTable;
import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.flow.Match;
import org.projectfloodlight.openflow.protocol.OFBadActionCode;
import org.projectfloodlight.openflow.protocol.OFBadInstructionCode;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFInstructionType;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActionGroup;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.action.OFActionPushVlan;
import org.projectfloodlight.openflow.protocol.action.OFActionSetField;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * Translates OpenFlow 1.3 instructions and actions to the switch's ordered action lists and back.
 * The switch has one table and no action set, so a flow's instructions may be Apply-Actions (and
 * a Clear-Actions, which has nothing to clear); anything else is refused with the OpenFlow error
 * for it, as are actions and output ports the data plane does not have.
 */
public final class ActionCodec
{
    /** Reserved port numbers (OFPP_*), as unsigned 32-bit values. */
    private static final int OFPP_MAX = 0xFFFFFF00;
    private static final int OFPP_IN_PORT = 0xFFFFFFF8;
    private static final int OFPP_TABLE = 0xFFFFFFF9;
    private static final int OFPP_FLOOD = 0xFFFFFFFB;
    private static final int OFPP_ALL = 0xFFFFFFFC;
    private static final int OFPP_CONTROLLER = 0xFFFFFFFD;
    private static final int OFPCML_NO_BUFFER = 0xFFFF;

    private static final Set<OxmField> SETTABLE = EnumSet.of(OxmField.ETH_DST, OxmField.ETH_SRC, OxmField.VLAN_VID,
        OxmField.VLAN_PCP, OxmField.IP_DSCP, OxmField.IP_ECN, OxmField.IPV4_SRC, OxmField.IPV4_DST, OxmField.TCP_SRC,
        OxmField.TCP_DST, OxmField.UDP_SRC, OxmField.UDP_DST, OxmField.IPV6_SRC, OxmField.IPV6_DST,
        OxmField.IPV6_FLABEL);

    private final OFFactory factory;
    private final MatchCodec matches;
    private final GroupTable groups;

    /**
     * Creates a codec.
     *
     * @param factory OpenFlow 1.3 factory.
     * @param matches match codec (set-field values are OXMs).
     * @param groups the switch's groups, to refuse actions naming a missing group.
     */
    public ActionCodec(final OFFactory factory, final MatchCodec matches, final GroupTable groups)
    {
        this.factory = factory;
        this.matches = matches;
        this.groups = groups;
    }

    /**
     * A FLOW_MOD's instructions to an action list.
     *
     * @param instructions the instructions.
     * @return the actions.
     * @throws OfError for instructions or actions the switch does not support.
     */
    public List<Action> fromInstructions(final List<OFInstruction> instructions) throws OfError
    {
        final Set<OFInstructionType> seen = EnumSet.noneOf(OFInstructionType.class);
        List<Action> actions = List.of();
        for (final OFInstruction instruction : instructions)
        {
            if (!seen.add(instruction.getType()))
            {
                throw OfError.badInstruction(OFBadInstructionCode.DUP_INST, "instruction given twice: " +
                    instruction.getType());
            }
            switch (instruction.getType())
            {
                case APPLY_ACTIONS:
                    actions = fromActions(((OFInstructionApplyActions)instruction).getActions(), false, false);
                    break;
                case CLEAR_ACTIONS:
                    break;
                case GOTO_TABLE:
                    throw OfError.badInstruction(OFBadInstructionCode.BAD_TABLE_ID,
                        "goto_table: the switch has one table");
                case WRITE_METADATA:
                    throw OfError.badInstruction(OFBadInstructionCode.UNSUP_METADATA, "write_metadata is not supported");
                default:
                    throw OfError.badInstruction(OFBadInstructionCode.UNSUP_INST, "instruction not supported (only " +
                        "apply_actions and clear_actions): " + instruction.getType());
            }
        }
        return actions;
    }

    /**
     * An action list to the switch's actions.
     *
     * @param ofActions OpenFlow actions.
     * @param packetOut whether this is a PACKET_OUT (which may output to TABLE).
     * @param inGroup whether this is a group bucket (which may not call a group).
     * @return the actions.
     * @throws OfError for unsupported actions or ports.
     */
    public List<Action> fromActions(final List<OFAction> ofActions, final boolean packetOut, final boolean inGroup)
        throws OfError
    {
        final List<Action> out = new ArrayList<>(ofActions.size());
        for (final OFAction a : ofActions)
        {
            switch (a.getType())
            {
                case OUTPUT:
                    out.add(output((OFActionOutput)a, packetOut));
                    break;
                case SET_FIELD:
                    setField((OFActionSetField)a, out);
                    break;
                case PUSH_VLAN:
                    final int tpid = ((OFActionPushVlan)a).getEthertype().getValue();
                    if (tpid != 0x8100 && tpid != 0x88A8)
                    {
                        throw OfError.badAction(OFBadActionCode.BAD_ARGUMENT, "push_vlan EtherType must be 0x8100 or " +
                            "0x88a8: 0x" + Integer.toHexString(tpid));
                    }
                    out.add(Actions.pushVlan(tpid));
                    break;
                case POP_VLAN:
                    out.add(Actions.popVlan());
                    break;
                case DEC_NW_TTL:
                    out.add(Actions.decTtl());
                    break;
                case GROUP:
                    final int id = ((OFActionGroup)a).getGroup().getGroupNumber();
                    if (inGroup)
                    {
                        throw OfError.badAction(OFBadActionCode.BAD_OUT_GROUP, "a group bucket cannot call a group");
                    }
                    if (groups.get(id) == null)
                    {
                        throw OfError.badAction(OFBadActionCode.BAD_OUT_GROUP, "no such group: " + Integer.toUnsignedString(id));
                    }
                    out.add(Actions.group(id));
                    break;
                default:
                    throw OfError.badAction(OFBadActionCode.BAD_TYPE, "action not supported by this switch: " +
                        a.getType());
            }
        }
        return out;
    }

    private Action output(final OFActionOutput a, final boolean packetOut) throws OfError
    {
        final int port = a.getPort().getPortNumber();
        switch (port)
        {
            case OFPP_IN_PORT:
                return Actions.inPort();
            case OFPP_FLOOD:
                return Actions.flood();
            case OFPP_ALL:
                return Actions.all();
            case OFPP_CONTROLLER:
                final int maxLen = a.getMaxLen() & 0xFFFF;
                return maxLen == OFPCML_NO_BUFFER ? Actions.controller(Actions.CONTROLLER_MAX_LENGTH) :
                    Actions.controllerBuffered(maxLen);
            case OFPP_TABLE:
                if (packetOut)
                {
                    return Actions.table();
                }
                throw OfError.badAction(OFBadActionCode.BAD_OUT_PORT, "output:TABLE is only valid in a packet-out");
            default:
                if (port >= 1 && port <= 0xFEFF)
                {
                    return Actions.output(port);
                }
                throw OfError.badAction(OFBadActionCode.BAD_OUT_PORT, "output port not supported by this switch: " +
                    a.getPort() + (Integer.compareUnsigned(port, OFPP_MAX) > 0 ? " (reserved port)" : ""));
        }
    }

    private void setField(final OFActionSetField a, final List<Action> out) throws OfError
    {
        final MatchCodec.Oxm oxm;
        try
        {
            oxm = matches.decode(a.getField());
        }
        catch (final OfError ex)
        {
            throw OfError.badAction(OFBadActionCode.BAD_SET_TYPE, "set_field: " + ex.getMessage());
        }
        if (!SETTABLE.contains(oxm.field()))
        {
            throw OfError.badAction(OFBadActionCode.BAD_SET_TYPE, "set_field of " + oxm.field() + " is not supported");
        }
        if (oxm.masked())
        {
            throw OfError.badAction(OFBadActionCode.BAD_SET_MASK, "set_field takes no mask: " + oxm.field());
        }
        if (MatchCodec.isIpv6Address(oxm.field()))
        {
            out.add(Actions.setField(oxm.field().field, oxm.valueHigh()));
            out.add(Actions.setField(MatchCodec.low(oxm.field().field), oxm.valueLow()));
            return;
        }
        out.add(Actions.setField(oxm.field().field, oxm.valueLow()));
    }

    /**
     * A rule's actions as one Apply-Actions instruction (none for drop).
     *
     * @param actions the actions.
     * @param match the rule's match (says whether a transport-port rewrite is TCP or UDP).
     * @return the instructions.
     */
    public List<OFInstruction> toInstructions(final List<Action> actions, final Match match)
    {
        if (actions.isEmpty())
        {
            return List.of();
        }
        return List.of(factory.instructions().applyActions(toActions(actions, match)));
    }

    /**
     * The switch's actions as OpenFlow actions.
     *
     * @param actions the actions.
     * @param match the rule's match, or null.
     * @return OpenFlow actions.
     */
    public List<OFAction> toActions(final List<Action> actions, final Match match)
    {
        final boolean udp = match != null && !match.isWildcarded(FlowField.IP_PROTO) &&
            match.value().get(FlowField.IP_PROTO) == 17;
        final List<OFAction> out = new ArrayList<>(actions.size());
        for (int i = 0; i < actions.size(); i++)
        {
            final Action a = actions.get(i);
            if (a instanceof Actions.Output)
            {
                out.add(factory.actions().output(OFPort.of(((Actions.Output)a).port()), OFPCML_NO_BUFFER));
            }
            else if (a instanceof Actions.Controller)
            {
                out.add(factory.actions().output(OFPort.CONTROLLER, ((Actions.Controller)a).maxLength()));
            }
            else if (a instanceof Actions.SetField)
            {
                final Actions.SetField sf = (Actions.SetField)a;
                final FlowField f = sf.field();
                if ((f == FlowField.IPV6_SRC_HIGH || f == FlowField.IPV6_DST_HIGH) && i + 1 < actions.size() &&
                    actions.get(i + 1) instanceof Actions.SetField &&
                    ((Actions.SetField)actions.get(i + 1)).field() == MatchCodec.low(f))
                {
                    final long lowValue = ((Actions.SetField)actions.get(++i)).value();
                    final OxmField oxm = f == FlowField.IPV6_SRC_HIGH ? OxmField.IPV6_SRC : OxmField.IPV6_DST;
                    out.add(factory.actions().setField(matches.encode(oxm, sf.value(), lowValue, 0, 0, false)));
                    continue;
                }
                final OxmField oxm = settableOxm(f, udp);
                if (oxm != null)
                {
                    out.add(factory.actions().setField(matches.encode(oxm, 0, sf.value(), 0, 0, false)));
                }
            }
            else if (a instanceof Actions.PushVlan)
            {
                out.add(factory.actions().pushVlan(EthType.of(((Actions.PushVlan)a).tpid())));
            }
            else if (a instanceof Actions.Group)
            {
                out.add(factory.actions().group(OFGroup.of(((Actions.Group)a).groupId())));
            }
            else if (a == Actions.inPort())
            {
                out.add(factory.actions().output(OFPort.IN_PORT, OFPCML_NO_BUFFER));
            }
            else if (a == Actions.flood())
            {
                out.add(factory.actions().output(OFPort.FLOOD, OFPCML_NO_BUFFER));
            }
            else if (a == Actions.all())
            {
                out.add(factory.actions().output(OFPort.ALL, OFPCML_NO_BUFFER));
            }
            else if (a == Actions.popVlan())
            {
                out.add(factory.actions().popVlan());
            }
            else if (a == Actions.decTtl())
            {
                out.add(factory.actions().decNwTtl());
            }
            else if (a == Actions.table())
            {
                out.add(factory.actions().output(OFPort.TABLE, OFPCML_NO_BUFFER));
            }
        }
        return out;
    }

    private static OxmField settableOxm(final FlowField f, final boolean udp)
    {
        switch (f)
        {
            case ETH_DST:
                return OxmField.ETH_DST;
            case ETH_SRC:
                return OxmField.ETH_SRC;
            case VLAN_VID:
                return OxmField.VLAN_VID;
            case VLAN_PCP:
                return OxmField.VLAN_PCP;
            case IP_DSCP:
                return OxmField.IP_DSCP;
            case IP_ECN:
                return OxmField.IP_ECN;
            case IPV4_SRC:
                return OxmField.IPV4_SRC;
            case IPV4_DST:
                return OxmField.IPV4_DST;
            case TP_SRC:
                return udp ? OxmField.UDP_SRC : OxmField.TCP_SRC;
            case TP_DST:
                return udp ? OxmField.UDP_DST : OxmField.TCP_DST;
            case IPV6_LABEL:
                return OxmField.IPV6_FLABEL;
            default:
                return null;
        }
    }
}
