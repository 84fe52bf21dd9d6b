package dev.hostplane.vswitch.action;

import java.util.List;

import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.packet.EthernetFrame;
import dev.hostplane.vswitch.packet.Ipv4Header;

/**
 * Factory for the supported actions: output, in_port, flood, all, controller, set-field,
 * push/pop VLAN, dec_ttl and group. An empty action list means drop.
 */
public final class Actions
{
    /** The empty list: drop. */
    public static final List<Action> DROP = List.of();
    /** Packet-in length meaning "the whole frame". */
    public static final int CONTROLLER_MAX_LENGTH = 65535;

    private Actions()
    {
    }

    /**
     * Output to a port.
     *
     * @param port port number (1..65279).
     * @return the action.
     */
    public static Action output(final int port)
    {
        if (port <= 0 || port > 0xFEFF)
        {
            throw new IllegalArgumentException("bad output port (expected 1..65279): port=" + port);
        }
        return new Output(port);
    }

    /**
     * Output to the ingress port.
     *
     * @return the action.
     */
    public static Action inPort()
    {
        return InPort.INSTANCE;
    }

    /**
     * Flood.
     *
     * @return the action.
     */
    public static Action flood()
    {
        return Flood.INSTANCE;
    }

    /**
     * All ports but the ingress port.
     *
     * @return the action.
     */
    public static Action all()
    {
        return All.INSTANCE;
    }

    /**
     * Packet-in to the controller.
     *
     * @param maxLength bytes to send (65535 = whole frame).
     * @return the action.
     */
    public static Action controller(final int maxLength)
    {
        return new Controller(maxLength, false);
    }

    /**
     * Packet-in to the controller with the whole frame, asking that only {@code maxLength} bytes be
     * sent on: an OpenFlow agent keeps the whole frame in a packet buffer and sends the first
     * {@code maxLength} bytes with the buffer id ({@link dev.hostplane.vswitch.PacketIn#requestedLength()}).
     *
     * @param maxLength bytes the controller asked for (65535 = whole frame, no buffering).
     * @return the action.
     */
    public static Action controllerBuffered(final int maxLength)
    {
        return new Controller(maxLength, true);
    }

    /**
     * Look the frame up in the flow table and run the matching rule's actions (OpenFlow's
     * {@code OFPP_TABLE}); valid only in a packet-out's action list.
     *
     * @return the action.
     */
    public static Action table()
    {
        return Table.INSTANCE;
    }

    /**
     * Set a field, fixing checksums.
     *
     * @param field the field.
     * @param value right-aligned value.
     * @return the action.
     */
    public static Action setField(final FlowField field, final long value)
    {
        if (field == FlowField.IN_PORT || field == FlowField.IP_FRAG || field == FlowField.TCP_FLAGS ||
            field == FlowField.ETH_TYPE || field == FlowField.IP_PROTO)
        {
            throw new IllegalArgumentException("field cannot be set: field=" + field.displayName());
        }
        if (field.width() < 64 && (value & ~field.maxValue()) != 0)
        {
            throw new IllegalArgumentException("value too wide for field: field=" + field.displayName() + " value=" +
                value);
        }
        return new SetField(field, value);
    }

    /**
     * Push a VLAN tag with VID 0 (set it with a following set-field).
     *
     * @param tpid 0x8100 or 0x88a8.
     * @return the action.
     */
    public static Action pushVlan(final int tpid)
    {
        if (!EthernetFrame.isVlanTpid(tpid))
        {
            throw new IllegalArgumentException("bad VLAN TPID (expected 0x8100 or 0x88a8): tpid=0x" +
                Integer.toHexString(tpid));
        }
        return new PushVlan(tpid);
    }

    /**
     * Pop the outer VLAN tag.
     *
     * @return the action.
     */
    public static Action popVlan()
    {
        return PopVlan.INSTANCE;
    }

    /**
     * Decrement TTL / hop limit; drop when it would reach zero.
     *
     * @return the action.
     */
    public static Action decTtl()
    {
        return DecTtl.INSTANCE;
    }

    /**
     * Run a group.
     *
     * @param groupId group id.
     * @return the action.
     */
    public static Action group(final int groupId)
    {
        return new Group(groupId);
    }

    /**
     * Whether every output of an action list sees the frame as it is when the list ends: nothing
     * rewrites the frame after the first action that sends it, and no group runs (a group's buckets
     * work on a copy). When true, a copy of the frame taken after the whole list ran is the same
     * as one taken at each output, which is what lets a worker defer the copy to the receiver.
     * Action types this class does not know count as rewriting.
     *
     * @param actions the ordered list.
     * @return true when a deferred copy is safe.
     */
    public static boolean outputsSeeFinalFrame(final Action[] actions)
    {
        boolean sent = false;
        for (final Action a : actions)
        {
            if (a instanceof Output || a == InPort.INSTANCE || a == Flood.INSTANCE || a == All.INSTANCE ||
                a instanceof Controller)
            {
                sent = true;
            }
            else if (a instanceof SetField || a instanceof PushVlan || a instanceof PopVlan || a instanceof DecTtl)
            {
                if (sent)
                {
                    return false;
                }
            }
            else
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Formats an action list in ovs-ofctl syntax.
     *
     * @param actions the list.
     * @return e.g. "pop_vlan,output:2" or "drop".
     */
    public static String toString(final List<Action> actions)
    {
        if (actions.isEmpty())
        {
            return "drop";
        }
        final StringBuilder sb = new StringBuilder();
        for (final Action a : actions)
        {
            sb.append(sb.length() == 0 ? "" : ",").append(a);
        }
        return sb.toString();
    }

    /** Output to a port. */
    public static final class Output implements Action
    {
        private final int port;

        Output(final int port)
        {
            this.port = port;
        }

        /**
         * Destination port.
         *
         * @return port number.
         */
        public int port()
        {
            return port;
        }

        @Override
        public boolean execute(final ActionContext context)
        {
            context.output(port);
            return true;
        }

        @Override
        public boolean equals(final Object o)
        {
            return o instanceof Output && ((Output)o).port == port;
        }

        @Override
        public int hashCode()
        {
            return port;
        }

        @Override
        public String toString()
        {
            return "output:" + port;
        }
    }

    private static final class InPort implements Action
    {
        static final InPort INSTANCE = new InPort();

        @Override
        public boolean execute(final ActionContext context)
        {
            context.outputInPort();
            return true;
        }

        @Override
        public String toString()
        {
            return "in_port";
        }
    }

    private static final class Flood implements Action
    {
        static final Flood INSTANCE = new Flood();

        @Override
        public boolean execute(final ActionContext context)
        {
            context.flood();
            return true;
        }

        @Override
        public String toString()
        {
            return "flood";
        }
    }

    private static final class All implements Action
    {
        static final All INSTANCE = new All();

        @Override
        public boolean execute(final ActionContext context)
        {
            context.all();
            return true;
        }

        @Override
        public String toString()
        {
            return "all";
        }
    }

    /** Packet-in to the controller. */
    public static final class Controller implements Action
    {
        private final int maxLength;
        private final boolean buffered;

        Controller(final int maxLength, final boolean buffered)
        {
            if (maxLength < 0 || maxLength > CONTROLLER_MAX_LENGTH)
            {
                throw new IllegalArgumentException("bad controller max length (expected 0..65535): maxLength=" +
                    maxLength);
            }
            this.maxLength = maxLength;
            this.buffered = buffered;
        }

        /**
         * Bytes of the frame the controller asked for.
         *
         * @return 0..65535 (65535 = whole frame).
         */
        public int maxLength()
        {
            return maxLength;
        }

        /**
         * Whether the whole frame goes to the packet-in listener for buffering.
         *
         * @return true for {@link Actions#controllerBuffered(int)}.
         */
        public boolean buffered()
        {
            return buffered;
        }

        @Override
        public boolean execute(final ActionContext context)
        {
            if (buffered)
            {
                context.controllerBuffered(maxLength);
            }
            else
            {
                context.controller(maxLength);
            }
            return true;
        }

        @Override
        public boolean equals(final Object o)
        {
            return o instanceof Controller && ((Controller)o).maxLength == maxLength &&
                ((Controller)o).buffered == buffered;
        }

        @Override
        public int hashCode()
        {
            return maxLength * 2 + (buffered ? 1 : 0);
        }

        @Override
        public String toString()
        {
            return "CONTROLLER:" + maxLength;
        }
    }

    private static final class Table implements Action
    {
        static final Table INSTANCE = new Table();

        @Override
        public boolean execute(final ActionContext context)
        {
            context.table();
            return true;
        }

        @Override
        public String toString()
        {
            return "TABLE";
        }
    }

    /** Set a field, fixing checksums. */
    public static final class SetField implements Action
    {
        private final FlowField field;
        private final long value;

        SetField(final FlowField field, final long value)
        {
            this.field = field;
            this.value = value;
        }

        /**
         * The field written.
         *
         * @return field.
         */
        public FlowField field()
        {
            return field;
        }

        /**
         * The value written, right-aligned.
         *
         * @return value.
         */
        public long value()
        {
            return value;
        }

        @Override
        public boolean execute(final ActionContext context)
        {
            context.rewriter().setField(context, field, value);
            return true;
        }

        @Override
        public boolean equals(final Object o)
        {
            return o instanceof SetField && ((SetField)o).field == field && ((SetField)o).value == value;
        }

        @Override
        public int hashCode()
        {
            return field.hashCode() * 31 + Long.hashCode(value);
        }

        @Override
        public String toString()
        {
            final String v;
            switch (field)
            {
                case ETH_SRC:
                case ETH_DST:
                    v = EthernetFrame.macToString(value);
                    break;
                case IPV4_SRC:
                case IPV4_DST:
                    v = Ipv4Header.addressToString((int)value);
                    break;
                case VLAN_VID:
                    v = Long.toString(value & 0xFFF);
                    break;
                default:
                    v = field.width() == 64 ? "0x" + Long.toHexString(value) : Long.toString(value);
            }
            return "set_field:" + v + "->" + field.displayName();
        }
    }

    /** Push a VLAN tag. */
    public static final class PushVlan implements Action
    {
        private final int tpid;

        PushVlan(final int tpid)
        {
            this.tpid = tpid;
        }

        /**
         * The tag's EtherType.
         *
         * @return 0x8100 or 0x88a8.
         */
        public int tpid()
        {
            return tpid;
        }

        @Override
        public boolean execute(final ActionContext context)
        {
            context.frameLength(
                EthernetFrame.pushVlan(context.buffer(), context.frameOffset(), context.frameLength(), tpid, 0));
            context.adjustOffloadOffsets(EthernetFrame.VLAN_TAG_LENGTH);
            return true;
        }

        @Override
        public boolean equals(final Object o)
        {
            return o instanceof PushVlan && ((PushVlan)o).tpid == tpid;
        }

        @Override
        public int hashCode()
        {
            return tpid;
        }

        @Override
        public String toString()
        {
            return "push_vlan:0x" + Integer.toHexString(tpid);
        }
    }

    private static final class PopVlan implements Action
    {
        static final PopVlan INSTANCE = new PopVlan();

        @Override
        public boolean execute(final ActionContext context)
        {
            final int before = context.frameLength();
            final int after = EthernetFrame.popVlan(context.buffer(), context.frameOffset(), before);
            if (after != before)
            {
                context.frameLength(after);
                context.adjustOffloadOffsets(after - before);
            }
            return true;
        }

        @Override
        public String toString()
        {
            return "pop_vlan";
        }
    }

    private static final class DecTtl implements Action
    {
        static final DecTtl INSTANCE = new DecTtl();

        @Override
        public boolean execute(final ActionContext context)
        {
            if (!context.rewriter().decrementTtl(context))
            {
                context.dropped("ttl expired");
                return false;
            }
            return true;
        }

        @Override
        public String toString()
        {
            return "dec_ttl";
        }
    }

    /** Run a group. */
    public static final class Group implements Action
    {
        private final int groupId;

        Group(final int groupId)
        {
            this.groupId = groupId;
        }

        /**
         * The group.
         *
         * @return group id.
         */
        public int groupId()
        {
            return groupId;
        }

        @Override
        public boolean execute(final ActionContext context)
        {
            context.group(groupId);
            return true;
        }

        @Override
        public boolean equals(final Object o)
        {
            return o instanceof Group && ((Group)o).groupId == groupId;
        }

        @Override
        public int hashCode()
        {
            return groupId;
        }

        @Override
        public String toString()
        {
            return "group:" + groupId;
        }
    }
}
