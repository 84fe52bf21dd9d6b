package dev.hostplane.vswitch.control;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.hostplane.vswitch.action.Action;
import dev.hostplane.vswitch.action.Actions;
import dev.hostplane.vswitch.classifier.GroupTable;
import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.flow.Match;
import dev.hostplane.vswitch.packet.EthernetFrame;
import dev.hostplane.vswitch.packet.IpProtocols;
import dev.hostplane.vswitch.packet.Ipv4Header;

/**
 * Parses flows, matches and groups written in {@code ovs-ofctl} syntax (VS-C5), for example
 * {@code priority=100,ip,nw_dst=10.0.0.0/24,tcp_dst=80,idle_timeout=30,actions=dec_ttl,output:2}.
 *
 * <p>Fields are separated by commas or blanks; {@code actions=} takes the rest of the line. Field
 * prerequisites are checked as ovs-ofctl does (an L3 field needs {@code ip}, {@code ipv6} or
 * {@code arp}; an L4 field needs {@code tcp} or {@code udp}). Every error carries
 * {@code source:line:column}. A parser instance is stateless and thread-safe.
 */
public final class OfctlParser
{
    private static final String STRING_SOURCE = "<string>";
    /**
     * Largest group id: ids are Java ints, so OpenFlow's range up to 0xffffff00 stops at 2^31-1 here
     * (a larger id used to wrap negative: "missing group_id=" for a group, a dangling id for an action).
     */
    private static final long MAX_GROUP_ID = Integer.MAX_VALUE;
    /** The {@code mod_*} actions that are {@code set_field} on one field, by action name. */
    private static final Map<String, String> MOD_ACTIONS = Map.ofEntries(
        Map.entry("mod_dl_src", "eth_src"),
        Map.entry("mod_dl_dst", "eth_dst"),
        Map.entry("mod_nw_src", "ip_src"),
        Map.entry("mod_nw_dst", "ip_dst"),
        Map.entry("mod_nw_ecn", "ip_ecn"),
        Map.entry("mod_nw_ttl", "nw_ttl"),
        Map.entry("mod_tp_src", "tp_src"),
        Map.entry("mod_tp_dst", "tp_dst"),
        Map.entry("mod_vlan_vid", "vlan_vid"),
        Map.entry("mod_vlan_pcp", "vlan_pcp"));
    /**
     * Fields {@code set_field} takes as a plain number, ranged by the field's width (the width is the
     * ovs-ofctl range for each of these; vlan_vid is not here: it allows 0..4095 of its 13 bits).
     */
    private static final Map<String, FlowField> NUMERIC_SET_FIELDS = Map.ofEntries(
        Map.entry("vlan_pcp", FlowField.VLAN_PCP),
        Map.entry("ip_dscp", FlowField.IP_DSCP),
        Map.entry("ip_ecn", FlowField.IP_ECN),
        Map.entry("nw_ecn", FlowField.IP_ECN),
        Map.entry("nw_ttl", FlowField.IP_TTL),
        Map.entry("tp_src", FlowField.TP_SRC),
        Map.entry("tcp_src", FlowField.TP_SRC),
        Map.entry("udp_src", FlowField.TP_SRC),
        Map.entry("tp_dst", FlowField.TP_DST),
        Map.entry("tcp_dst", FlowField.TP_DST),
        Map.entry("udp_dst", FlowField.TP_DST),
        Map.entry("ipv6_label", FlowField.IPV6_LABEL),
        Map.entry("arp_op", FlowField.ARP_OP));

    /**
     * Parses one flow from a string (line 1 of source {@code <string>}).
     *
     * @param text the flow.
     * @return the flow.
     * @throws FlowParseException on any error.
     */
    public FlowSpec parseFlow(final String text)
    {
        return parseFlow(text, STRING_SOURCE, 1);
    }

    /**
     * Parses one flow.
     *
     * @param text the flow.
     * @param source file name for errors.
     * @param line line number for errors.
     * @return the flow.
     * @throws FlowParseException on any error.
     */
    public FlowSpec parseFlow(final String text, final String source, final int line)
    {
        return new LineParser(text, source, line).flow(true);
    }

    /**
     * Parses a match (no {@code actions=} allowed), for modify and delete selections.
     *
     * @param text the match, e.g. {@code in_port=1,dl_dst=02:00:00:00:00:01}; empty matches all.
     * @return the selection (actions empty).
     * @throws FlowParseException on any error.
     */
    public FlowSpec parseSelection(final String text)
    {
        return new LineParser(text, STRING_SOURCE, 1).flow(false);
    }

    /**
     * Parses a flows file: one flow per line, blank lines and {@code #} comments skipped.
     *
     * @param file the file.
     * @return the flows in file order.
     * @throws IOException when the file cannot be read.
     * @throws FlowParseException on the first bad line.
     */
    public List<FlowSpec> parseFile(final Path file) throws IOException
    {
        return parseLines(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * Parses lines of flows.
     *
     * @param lines the lines.
     * @param source name for errors.
     * @return the flows.
     * @throws FlowParseException on the first bad line.
     */
    public List<FlowSpec> parseLines(final List<String> lines, final String source)
    {
        final List<FlowSpec> flows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i);
            final String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#"))
            {
                continue;
            }
            flows.add(parseFlow(line, source, i + 1));
        }
        return flows;
    }

    /**
     * Parses a group in {@code ovs-ofctl add-group} syntax:
     * {@code group_id=1,type=select,bucket=output:1,bucket=output:2}.
     *
     * @param text the group.
     * @return the group.
     * @throws FlowParseException on any error.
     */
    public GroupTable.Group parseGroup(final String text)
    {
        return new LineParser(text, STRING_SOURCE, 1).group();
    }

    /** Parses one line; holds the cursor for column numbers. */
    private static final class LineParser
    {
        private final String text;
        private final String source;
        private final int line;

        private final Match.Builder match = Match.builder();
        private boolean sendFlowRemoved;
        private int ethType = -1;
        private int ipProto = -1;
        private int l3FieldColumn = -1;
        private String l3Field;
        private int l4FieldColumn = -1;
        private String l4Field;

        LineParser(final String text, final String source, final int line)
        {
            this.text = text;
            this.source = source;
            this.line = line;
        }

        FlowParseException error(final int index, final String message)
        {
            return new FlowParseException(source, line, index + 1, message);
        }

        FlowSpec flow(final boolean needActions)
        {
            int priority = FlowSpec.DEFAULT_PRIORITY;
            long cookie = 0;
            long cookieMask = 0;
            int idle = 0;
            int hard = 0;
            int outPort = 0;
            List<Action> actions = null;
            int i = 0;
            final int n = text.length();
            while ((i = skipSeparators(i)) < n)
            {
                final int start = i;
                while (i < n && !isSeparator(text.charAt(i)) && text.charAt(i) != '=')
                {
                    i++;
                }
                final String name = text.substring(start, i).toLowerCase(Locale.ROOT);
                if (i < n && text.charAt(i) == '=')
                {
                    i++;
                    if ("actions".equals(name))
                    {
                        if (!needActions)
                        {
                            throw error(start, "actions are not allowed in a flow selection");
                        }
                        actions = actions(i);
                        i = n;
                        break;
                    }
                    final int valueStart = i;
                    while (i < n && !isSeparator(text.charAt(i)))
                    {
                        i++;
                    }
                    final String value = text.substring(valueStart, i);
                    if (value.isEmpty())
                    {
                        throw error(valueStart, "missing value for '" + name + "'");
                    }
                    switch (name)
                    {
                        case "priority":
                            priority = (int)number(value, valueStart, 0, 0xFFFF, name);
                            break;
                        case "cookie":
                        {
                            final int slash = value.indexOf('/');
                            if (slash >= 0)
                            {
                                cookie = number(value.substring(0, slash), valueStart, Long.MIN_VALUE, Long.MAX_VALUE,
                                    name);
                                cookieMask = number(value.substring(slash + 1), valueStart + slash + 1,
                                    Long.MIN_VALUE, Long.MAX_VALUE, name);
                            }
                            else
                            {
                                cookie = number(value, valueStart, Long.MIN_VALUE, Long.MAX_VALUE, name);
                            }
                            break;
                        }
                        case "idle_timeout":
                            idle = (int)number(value, valueStart, 0, 0xFFFF, name);
                            break;
                        case "hard_timeout":
                            hard = (int)number(value, valueStart, 0, 0xFFFF, name);
                            break;
                        case "table":
                            if (number(value, valueStart, 0, 255, name) != 0)
                            {
                                throw error(valueStart, "only table 0 exists: table=" + value);
                            }
                            break;
                        case "out_port":
                            outPort = (int)number(value, valueStart, 1, 0xFEFF, name);
                            break;
                        default:
                            field(name, start, value, valueStart);
                    }
                }
                else
                {
                    keyword(name, start);
                }
            }
            if (needActions && actions == null)
            {
                throw error(n, "missing 'actions=' (use actions=drop to drop)");
            }
            checkPrerequisites();
            return new FlowSpec(match.build(), priority, cookie, cookieMask, actions == null ? List.of() : actions, idle,
                hard, sendFlowRemoved, outPort);
        }

        GroupTable.Group group()
        {
            int id = -1;
            GroupTable.Type type = null;
            final List<List<Action>> buckets = new ArrayList<>();
            final String lower = text.toLowerCase(Locale.ROOT);
            int i = 0;
            final int n = text.length();
            while ((i = skipSeparators(i)) < n)
            {
                final int start = i;
                if (lower.startsWith("bucket=", i))
                {
                    final int actionsStart = i + "bucket=".length();
                    int end = lower.indexOf("bucket=", actionsStart);
                    end = end < 0 ? n : end;
                    int actionsEnd = end;
                    while (actionsEnd > actionsStart && isSeparator(text.charAt(actionsEnd - 1)))
                    {
                        actionsEnd--;
                    }
                    buckets.add(new LineParser(text.substring(0, actionsEnd), source, line).actions(actionsStart));
                    i = end;
                    continue;
                }
                while (i < n && !isSeparator(text.charAt(i)))
                {
                    i++;
                }
                final String token = text.substring(start, i);
                final int eq = token.indexOf('=');
                if (eq < 0)
                {
                    throw error(start, "expected key=value in group: '" + token + "'");
                }
                final String key = token.substring(0, eq).toLowerCase(Locale.ROOT);
                final String value = token.substring(eq + 1);
                if ("group_id".equals(key))
                {
                    id = (int)number(value, start + eq + 1, 0, MAX_GROUP_ID, key);
                }
                else if ("type".equals(key))
                {
                    if ("all".equalsIgnoreCase(value))
                    {
                        type = GroupTable.Type.ALL;
                    }
                    else if ("select".equalsIgnoreCase(value))
                    {
                        type = GroupTable.Type.SELECT;
                    }
                    else
                    {
                        throw error(start + eq + 1, "unsupported group type (expected all or select): type=" + value);
                    }
                }
                else
                {
                    throw error(start, "unknown group field '" + key + "'");
                }
            }
            if (id < 0)
            {
                throw error(0, "missing group_id=");
            }
            if (type == null)
            {
                throw error(0, "missing type=");
            }
            if (buckets.isEmpty())
            {
                throw error(n, "group needs at least one bucket=");
            }
            return new GroupTable.Group(id, type, buckets);
        }

        private void keyword(final String name, final int at)
        {
            switch (name)
            {
                case "ip":
                    protocol(EthernetFrame.ETHER_TYPE_IPV4, -1);
                    return;
                case "ipv6":
                    protocol(EthernetFrame.ETHER_TYPE_IPV6, -1);
                    return;
                case "arp":
                    protocol(EthernetFrame.ETHER_TYPE_ARP, -1);
                    return;
                case "tcp":
                    protocol(EthernetFrame.ETHER_TYPE_IPV4, IpProtocols.TCP);
                    return;
                case "udp":
                    protocol(EthernetFrame.ETHER_TYPE_IPV4, IpProtocols.UDP);
                    return;
                case "icmp":
                    protocol(EthernetFrame.ETHER_TYPE_IPV4, IpProtocols.ICMP);
                    return;
                case "tcp6":
                    protocol(EthernetFrame.ETHER_TYPE_IPV6, IpProtocols.TCP);
                    return;
                case "udp6":
                    protocol(EthernetFrame.ETHER_TYPE_IPV6, IpProtocols.UDP);
                    return;
                case "icmp6":
                    protocol(EthernetFrame.ETHER_TYPE_IPV6, IpProtocols.ICMPV6);
                    return;
                case "send_flow_rem":
                    sendFlowRemoved = true;
                    return;
                default:
                    throw error(at, "unknown keyword '" + name + "' (expected ip, ipv6, arp, tcp, udp, icmp, tcp6, " +
                        "udp6, icmp6, send_flow_rem or field=value)");
            }
        }

        private void protocol(final int type, final int proto)
        {
            ethType = type;
            match.exact(FlowField.ETH_TYPE, type);
            if (proto >= 0)
            {
                ipProto = proto;
                match.exact(FlowField.IP_PROTO, proto);
            }
        }

        private void field(final String name, final int at, final String value, final int valueAt)
        {
            switch (name)
            {
                case "in_port":
                    match.exact(FlowField.IN_PORT, number(value, valueAt, 1, 0xFEFF, name));
                    return;
                case "dl_src":
                case "eth_src":
                    macField(FlowField.ETH_SRC, value, valueAt);
                    return;
                case "dl_dst":
                case "eth_dst":
                    macField(FlowField.ETH_DST, value, valueAt);
                    return;
                case "dl_type":
                case "eth_type":
                    ethType = (int)number(value, valueAt, 0, 0xFFFF, name);
                    match.exact(FlowField.ETH_TYPE, ethType);
                    return;
                case "dl_vlan":
                {
                    final long vid = number(value, valueAt, 0, 0xFFFF, name);
                    if (vid == 0xFFFF)
                    {
                        match.exact(FlowField.VLAN_VID, 0);
                    }
                    else if (vid > 4095)
                    {
                        throw error(valueAt, "dl_vlan must be 0..4095 or 0xffff (untagged): dl_vlan=" + value);
                    }
                    else
                    {
                        match.exact(FlowField.VLAN_VID, FlowField.VLAN_PRESENT | vid);
                    }
                    return;
                }
                case "vlan_vid":
                    match.exact(FlowField.VLAN_VID, FlowField.VLAN_PRESENT | number(value, valueAt, 0, 4095, name));
                    return;
                case "dl_vlan_pcp":
                case "vlan_pcp":
                    match.exact(FlowField.VLAN_PCP, number(value, valueAt, 0, 7, name));
                    return;
                case "vlan_tci":
                {
                    final long[] vm = valueAndMask(value, valueAt, 0xFFFF, name);
                    match.masked(FlowField.VLAN_VID, vm[0] & 0x1FFF, vm[1] & 0x1FFF);
                    if (((vm[1] >>> 13) & 7) != 0)
                    {
                        match.masked(FlowField.VLAN_PCP, (vm[0] >>> 13) & 7, (vm[1] >>> 13) & 7);
                    }
                    return;
                }
                case "nw_src":
                case "ip_src":
                case "ipv4_src":
                case "arp_spa":
                    l3(name, at);
                    ipv4Field(FlowField.IPV4_SRC, value, valueAt);
                    return;
                case "nw_dst":
                case "ip_dst":
                case "ipv4_dst":
                case "arp_tpa":
                    l3(name, at);
                    ipv4Field(FlowField.IPV4_DST, value, valueAt);
                    return;
                case "ipv6_src":
                case "ipv6_dst":
                {
                    l3(name, at);
                    final int slash = value.indexOf('/');
                    final long[] addr = ipv6(slash < 0 ? value : value.substring(0, slash), valueAt);
                    final int prefix = slash < 0 ? 128 :
                        (int)number(value.substring(slash + 1), valueAt + slash + 1, 0, 128, name);
                    match.ipv6Prefix("ipv6_src".equals(name), addr[0], addr[1], prefix);
                    return;
                }
                case "ipv6_label":
                    l3(name, at);
                    match.exact(FlowField.IPV6_LABEL, number(value, valueAt, 0, 0xF_FFFF, name));
                    return;
                case "nw_proto":
                case "ip_proto":
                    l3(name, at);
                    ipProto = (int)number(value, valueAt, 0, 255, name);
                    match.exact(FlowField.IP_PROTO, ipProto);
                    return;
                case "nw_tos":
                    l3(name, at);
                    match.exact(FlowField.IP_DSCP, number(value, valueAt, 0, 255, name) >>> 2);
                    return;
                case "ip_dscp":
                    l3(name, at);
                    match.exact(FlowField.IP_DSCP, number(value, valueAt, 0, 63, name));
                    return;
                case "nw_ecn":
                case "ip_ecn":
                    l3(name, at);
                    match.exact(FlowField.IP_ECN, number(value, valueAt, 0, 3, name));
                    return;
                case "nw_ttl":
                    l3(name, at);
                    match.exact(FlowField.IP_TTL, number(value, valueAt, 0, 255, name));
                    return;
                case "nw_frag":
                    l3(name, at);
                    frag(value, valueAt);
                    return;
                case "arp_op":
                    l3(name, at);
                    match.exact(FlowField.ARP_OP, number(value, valueAt, 0, 0xFFFF, name));
                    return;
                case "tp_src":
                case "tcp_src":
                case "udp_src":
                {
                    l4(name, at);
                    final long[] vm = valueAndMask(value, valueAt, 0xFFFF, name);
                    match.masked(FlowField.TP_SRC, vm[0], vm[1]);
                    return;
                }
                case "tp_dst":
                case "tcp_dst":
                case "udp_dst":
                {
                    l4(name, at);
                    final long[] vm = valueAndMask(value, valueAt, 0xFFFF, name);
                    match.masked(FlowField.TP_DST, vm[0], vm[1]);
                    return;
                }
                case "icmp_type":
                case "icmpv6_type":
                    l4(name, at);
                    match.exact(FlowField.ICMP_TYPE, number(value, valueAt, 0, 255, name));
                    return;
                case "icmp_code":
                case "icmpv6_code":
                    l4(name, at);
                    match.exact(FlowField.ICMP_CODE, number(value, valueAt, 0, 255, name));
                    return;
                case "tcp_flags":
                {
                    l4(name, at);
                    final long[] vm = tcpFlags(value, valueAt);
                    match.masked(FlowField.TCP_FLAGS, vm[0], vm[1]);
                    return;
                }
                default:
                    throw error(at, "unknown field '" + name + "'");
            }
        }

        private void l3(final String name, final int at)
        {
            if (l3Field == null)
            {
                l3Field = name;
                l3FieldColumn = at;
            }
        }

        private void l4(final String name, final int at)
        {
            l3(name, at);
            if (l4Field == null)
            {
                l4Field = name;
                l4FieldColumn = at;
            }
        }

        private void checkPrerequisites()
        {
            if (l3Field != null && ethType != EthernetFrame.ETHER_TYPE_IPV4 && ethType != EthernetFrame.ETHER_TYPE_IPV6 &&
                ethType != EthernetFrame.ETHER_TYPE_ARP)
            {
                throw error(l3FieldColumn, "field '" + l3Field + "' needs ip, ipv6 or arp (or dl_type) in the match");
            }
            if (l4Field != null && ipProto < 0)
            {
                throw error(l4FieldColumn, "field '" + l4Field + "' needs tcp, udp, icmp or nw_proto in the match");
            }
        }

        private void frag(final String value, final int at)
        {
            switch (value.toLowerCase(Locale.ROOT))
            {
                case "no":
                    match.exact(FlowField.IP_FRAG, 0);
                    return;
                case "yes":
                    match.masked(FlowField.IP_FRAG, 1, 1);
                    return;
                case "first":
                    match.exact(FlowField.IP_FRAG, 1);
                    return;
                case "later":
                    match.exact(FlowField.IP_FRAG, 3);
                    return;
                case "not_later":
                    match.masked(FlowField.IP_FRAG, 0, 2);
                    return;
                default:
                    throw error(at, "nw_frag must be no, yes, first, later or not_later: nw_frag=" + value);
            }
        }

        private long[] tcpFlags(final String value, final int at)
        {
            if (value.startsWith("+") || value.startsWith("-"))
            {
                long v = 0;
                long m = 0;
                int i = 0;
                while (i < value.length())
                {
                    final char sign = value.charAt(i);
                    if (sign != '+' && sign != '-')
                    {
                        throw error(at + i, "expected +flag or -flag in tcp_flags");
                    }
                    int j = i + 1;
                    while (j < value.length() && value.charAt(j) != '+' && value.charAt(j) != '-')
                    {
                        j++;
                    }
                    final String flag = value.substring(i + 1, j).toLowerCase(Locale.ROOT);
                    final int bit;
                    switch (flag)
                    {
                        case "fin":
                            bit = 0x01;
                            break;
                        case "syn":
                            bit = 0x02;
                            break;
                        case "rst":
                            bit = 0x04;
                            break;
                        case "psh":
                            bit = 0x08;
                            break;
                        case "ack":
                            bit = 0x10;
                            break;
                        case "urg":
                            bit = 0x20;
                            break;
                        case "ece":
                            bit = 0x40;
                            break;
                        case "cwr":
                            bit = 0x80;
                            break;
                        case "ns":
                            bit = 0x100;
                            break;
                        default:
                            throw error(at + i + 1, "unknown TCP flag '" + flag + "'");
                    }
                    m |= bit;
                    if (sign == '+')
                    {
                        v |= bit;
                    }
                    i = j;
                }
                return new long[] {v, m};
            }
            return valueAndMask(value, at, 0xFFF, "tcp_flags");
        }

        private void macField(final FlowField field, final String value, final int at)
        {
            final int slash = value.indexOf('/');
            try
            {
                final long mac = EthernetFrame.parseMac(slash < 0 ? value : value.substring(0, slash));
                final long mask = slash < 0 ? field.maxValue() : EthernetFrame.parseMac(value.substring(slash + 1));
                match.masked(field, mac & mask, mask);
            }
            catch (final IllegalArgumentException ex)
            {
                throw error(at, ex.getMessage());
            }
        }

        private void ipv4Field(final FlowField field, final String value, final int at)
        {
            final int slash = value.indexOf('/');
            try
            {
                final int addr = Ipv4Header.parseAddress(slash < 0 ? value : value.substring(0, slash));
                if (slash < 0)
                {
                    match.exact(field, addr & 0xFFFF_FFFFL);
                    return;
                }
                final String m = value.substring(slash + 1);
                if (m.indexOf('.') >= 0)
                {
                    final long mask = Ipv4Header.parseAddress(m) & 0xFFFF_FFFFL;
                    match.masked(field, addr & mask, mask);
                }
                else
                {
                    final int prefix = (int)number(m, at + slash + 1, 0, 32, "prefix length");
                    match.ipv4Prefix(field, addr, prefix);
                }
            }
            catch (final FlowParseException ex)
            {
                throw ex;
            }
            catch (final IllegalArgumentException ex)
            {
                throw error(at, ex.getMessage());
            }
        }

        private long[] ipv6(final String value, final int at)
        {
            if (value.isEmpty() || !value.matches("[0-9a-fA-F:.]+") || value.indexOf(':') < 0)
            {
                throw error(at, "not an IPv6 address: value=" + value);
            }
            try
            {
                // A literal with ':' is parsed locally by InetAddress; no name lookup happens.
                final InetAddress address = InetAddress.getByName(value);
                if (!(address instanceof Inet6Address))
                {
                    throw error(at, "not an IPv6 address: value=" + value);
                }
                final byte[] b = address.getAddress();
                long high = 0;
                long low = 0;
                for (int i = 0; i < 8; i++)
                {
                    high = (high << 8) | (b[i] & 0xFF);
                    low = (low << 8) | (b[i + 8] & 0xFF);
                }
                return new long[] {high, low};
            }
            catch (final UnknownHostException ex)
            {
                throw error(at, "not an IPv6 address: value=" + value);
            }
        }

        private long[] valueAndMask(final String value, final int at, final long max, final String name)
        {
            final int slash = value.indexOf('/');
            if (slash < 0)
            {
                return new long[] {number(value, at, 0, max, name), max};
            }
            final long v = number(value.substring(0, slash), at, 0, max, name);
            final long m = number(value.substring(slash + 1), at + slash + 1, 0, max, name);
            return new long[] {v & m, m};
        }

        private long number(final String value, final int at, final long min, final long max, final String name)
        {
            final long v;
            try
            {
                final String lower = value.toLowerCase(Locale.ROOT);
                v = lower.startsWith("0x") ? Long.parseUnsignedLong(lower.substring(2), 16) : Long.parseLong(lower);
            }
            catch (final NumberFormatException ex)
            {
                throw error(at, "'" + name + "' needs a number: value=" + value);
            }
            if (min >= 0 && (v < min || v > max))
            {
                throw error(at, "'" + name + "' out of range (expected " + min + ".." + max + "): value=" + value);
            }
            return v;
        }

        List<Action> actions(final int from)
        {
            final List<Action> actions = new ArrayList<>();
            int i = from;
            final int n = text.length();
            while ((i = skipSeparators(i)) < n)
            {
                final int start = i;
                while (i < n && text.charAt(i) != ',')
                {
                    i++;
                }
                final String token = text.substring(start, i).strip();
                action(token, start, actions);
            }
            if (actions.size() > 1 && actions.contains(null))
            {
                throw error(from, "'drop' must be the only action");
            }
            actions.removeIf(a -> a == null);
            return actions;
        }

        private void action(final String token, final int at, final List<Action> actions)
        {
            final String lower = token.toLowerCase(Locale.ROOT);
            final int colon = lower.indexOf(':');
            final String name = colon < 0 ? lower : lower.substring(0, colon);
            final String arg = colon < 0 ? null : token.substring(colon + 1);
            final int argAt = at + colon + 1;
            final String modifiedField = MOD_ACTIONS.get(name);
            if (modifiedField != null)
            {
                setField(actions, modifiedField, required(arg, at, name), argAt);
                return;
            }
            if (!name.isEmpty() && Character.isDigit(name.charAt(0)) && arg == null)
            {
                actions.add(Actions.output((int)number(name, at, 1, 0xFEFF, "output port")));
                return;
            }
            switch (name)
            {
                case "drop":
                    actions.add(null);
                    return;
                case "output":
                    actions.add(Actions.output((int)number(required(arg, at, name), argAt, 1, 0xFEFF, name)));
                    return;
                case "in_port":
                    actions.add(Actions.inPort());
                    return;
                case "flood":
                    actions.add(Actions.flood());
                    return;
                case "all":
                    actions.add(Actions.all());
                    return;
                case "controller":
                    actions.add(Actions.controller(arg == null ? Actions.CONTROLLER_MAX_LENGTH :
                        (int)number(arg, argAt, 0, 65535, name)));
                    return;
                case "normal":
                    throw error(at, "NORMAL is not supported: use the MAC-learning application " +
                        "(MacLearningSwitch) or explicit outputs");
                case "strip_vlan":
                case "pop_vlan":
                    actions.add(Actions.popVlan());
                    return;
                case "push_vlan":
                    actions.add(Actions.pushVlan((int)number(required(arg, at, name), argAt, 0, 0xFFFF, name)));
                    return;
                case "dec_ttl":
                    actions.add(Actions.decTtl());
                    return;
                case "group":
                    actions.add(Actions.group((int)number(required(arg, at, name), argAt, 0, MAX_GROUP_ID, name)));
                    return;
                case "mod_nw_tos":
                    actions.add(Actions.setField(FlowField.IP_DSCP,
                        number(required(arg, at, name), argAt, 0, 255, name) >>> 2));
                    return;
                case "set_field":
                {
                    final String spec = required(arg, at, name);
                    final int arrow = spec.indexOf("->");
                    if (arrow < 0)
                    {
                        throw error(argAt, "set_field needs VALUE->FIELD: set_field:" + spec);
                    }
                    setField(actions, spec.substring(arrow + 2).strip().toLowerCase(Locale.ROOT),
                        spec.substring(0, arrow).strip(), argAt);
                    return;
                }
                default:
                    throw error(at, "unknown action '" + name + "'");
            }
        }

        private String required(final String arg, final int at, final String name)
        {
            if (arg == null || arg.isBlank())
            {
                throw error(at, "action '" + name + "' needs an argument (" + name + ":VALUE)");
            }
            return arg.strip();
        }

        private void setField(final List<Action> actions, final String field, final String value, final int at)
        {
            try
            {
                final FlowField numeric = NUMERIC_SET_FIELDS.get(field);
                if (numeric != null)
                {
                    actions.add(Actions.setField(numeric, number(value, at, 0, numeric.maxValue(), field)));
                    return;
                }
                switch (field)
                {
                    case "eth_src":
                    case "dl_src":
                        actions.add(Actions.setField(FlowField.ETH_SRC, EthernetFrame.parseMac(value)));
                        return;
                    case "eth_dst":
                    case "dl_dst":
                        actions.add(Actions.setField(FlowField.ETH_DST, EthernetFrame.parseMac(value)));
                        return;
                    case "vlan_vid":
                    case "dl_vlan":
                        actions.add(Actions.setField(FlowField.VLAN_VID, number(value, at, 0, 4095, field)));
                        return;
                    case "ip_src":
                    case "nw_src":
                    case "ipv4_src":
                    case "arp_spa":
                        actions.add(Actions.setField(FlowField.IPV4_SRC, Ipv4Header.parseAddress(value) & 0xFFFF_FFFFL));
                        return;
                    case "ip_dst":
                    case "nw_dst":
                    case "ipv4_dst":
                    case "arp_tpa":
                        actions.add(Actions.setField(FlowField.IPV4_DST, Ipv4Header.parseAddress(value) & 0xFFFF_FFFFL));
                        return;
                    case "ipv6_src":
                    case "ipv6_dst":
                    {
                        final long[] a = ipv6(value, at);
                        final boolean src = "ipv6_src".equals(field);
                        actions.add(Actions.setField(src ? FlowField.IPV6_SRC_HIGH : FlowField.IPV6_DST_HIGH, a[0]));
                        actions.add(Actions.setField(src ? FlowField.IPV6_SRC_LOW : FlowField.IPV6_DST_LOW, a[1]));
                        return;
                    }
                    default:
                        throw error(at, "field cannot be set: '" + field + "'");
                }
            }
            catch (final FlowParseException ex)
            {
                throw ex;
            }
            catch (final IllegalArgumentException ex)
            {
                throw error(at, ex.getMessage());
            }
        }

        private int skipSeparators(final int from)
        {
            int i = from;
            while (i < text.length() && isSeparator(text.charAt(i)))
            {
                i++;
            }
            return i;
        }

        private static boolean isSeparator(final char c)
        {
            return c == ',' || c == ' ' || c == '\t';
        }
    }
}
