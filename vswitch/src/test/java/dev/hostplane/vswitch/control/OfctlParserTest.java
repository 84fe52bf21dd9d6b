package dev.hostplane.vswitch.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.hostplane.vswitch.action.Actions;
import dev.hostplane.vswitch.classifier.GroupTable;
import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.flow.FlowKey;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfctlParserTest
{
    private final OfctlParser parser = new OfctlParser();

    @Test
    void shouldParseTheSpecExample()
    {
        final FlowSpec f = parser.parseFlow("priority=100,ip,nw_dst=10.0.0.1,actions=output:2");
        assertThat(f.priority()).isEqualTo(100);
        assertThat(f.actions()).containsExactly(Actions.output(2));
        final FlowKey key = new FlowKey().set(FlowField.ETH_TYPE, 0x800).set(FlowField.IPV4_DST, 0x0A000001L);
        assertThat(f.match().matches(key)).isTrue();
        key.set(FlowField.IPV4_DST, 0x0A000002L);
        assertThat(f.match().matches(key)).isFalse();
    }

    @Test
    void shouldParseRichFlow()
    {
        final FlowSpec f = parser.parseFlow(
            "table=0 priority=200 cookie=0x1234 idle_timeout=30 hard_timeout=60 send_flow_rem tcp in_port=3 " +
            "dl_vlan=10 dl_src=02:00:00:00:00:01 dl_dst=02:00:00:00:00:00/ff:ff:ff:00:00:00 nw_src=10.1.0.0/16 " +
            "tcp_dst=0x50/0xfff0 tcp_flags=+syn-ack nw_tos=184 " +
            "actions=pop_vlan,set_field:10.99.0.9->ip_dst,mod_tp_dst:8080,dec_ttl,push_vlan:0x8100,mod_vlan_vid:20," +
            "group:7,CONTROLLER:128,in_port,flood,all,3");
        assertThat(f.cookie()).isEqualTo(0x1234);
        assertThat(f.idleTimeout()).isEqualTo(30);
        assertThat(f.hardTimeout()).isEqualTo(60);
        assertThat(f.sendFlowRemoved()).isTrue();
        assertThat(f.actions()).hasSize(12);
        assertThat(Actions.toString(f.actions())).isEqualTo("pop_vlan,set_field:10.99.0.9->ipv4_dst," +
            "set_field:8080->tp_dst,dec_ttl,push_vlan:0x8100,set_field:20->vlan_vid,group:7,CONTROLLER:128,in_port," +
            "flood,all,output:3");
        assertThat(f.match().toString()).contains("in_port=3").contains("vlan_vid=10").contains("ip_proto=6")
            .contains("ipv4_src=10.1.0.0/16").contains("tp_dst=80/0xfff0").contains("ip_dscp=46")
            .contains("tcp_flags=2/0x12");
    }

    @Test
    void shouldParseIpv6AndArpAndDrop()
    {
        final FlowSpec v6 = parser.parseFlow("ipv6,ipv6_dst=fd00::1/64,actions=drop");
        assertThat(v6.actions()).isEmpty();
        final FlowKey key = new FlowKey().set(FlowField.ETH_TYPE, 0x86DD)
            .set(FlowField.IPV6_DST_HIGH, 0xFD00_0000_0000_0000L).set(FlowField.IPV6_DST_LOW, 99);
        assertThat(v6.match().matches(key)).isTrue();
        final FlowSpec arp = parser.parseFlow("arp,arp_op=1,arp_tpa=10.0.0.2 actions=flood");
        assertThat(arp.match().matches(new FlowKey().set(FlowField.ETH_TYPE, 0x806).set(FlowField.ARP_OP, 1)
            .set(FlowField.ARP_TPA, 0x0A000002L))).isTrue();
    }

    @Test
    void shouldReportErrorsWithLineAndColumn(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("flows.txt");
        Files.writeString(file, "# comment\n\npriority=1,actions=drop\npriority=5,ip,nw_dsst=1.2.3.4,actions=drop\n");
        final FlowParseException ex = catchThrowableOfType(() -> parser.parseFile(file), FlowParseException.class);
        assertThat(ex.getMessage()).isEqualTo(file + ":4:15: unknown field 'nw_dsst'");
        assertThat(ex.line()).isEqualTo(4);
        assertThat(ex.column()).isEqualTo(15);

        assertThatThrownBy(() -> parser.parseFlow("nw_dst=10.0.0.1,actions=drop"))
            .hasMessage("<string>:1:1: field 'nw_dst' needs ip, ipv6 or arp (or dl_type) in the match");
        assertThatThrownBy(() -> parser.parseFlow("ip,tp_dst=80,actions=drop"))
            .hasMessage("<string>:1:4: field 'tp_dst' needs tcp, udp, icmp or nw_proto in the match");
        assertThatThrownBy(() -> parser.parseFlow("priority=70000,actions=drop"))
            .hasMessage("<string>:1:10: 'priority' out of range (expected 0..65535): value=70000");
        assertThatThrownBy(() -> parser.parseFlow("ip,nw_dst=10.0.0.300,actions=drop"))
            .hasMessageStartingWith("<string>:1:11: not an IPv4 address");
        assertThatThrownBy(() -> parser.parseFlow("priority=1,actions=output:1,frobnicate"))
            .hasMessage("<string>:1:29: unknown action 'frobnicate'");
        assertThatThrownBy(() -> parser.parseFlow("priority=1"))
            .hasMessage("<string>:1:11: missing 'actions=' (use actions=drop to drop)");
        assertThatThrownBy(() -> parser.parseFlow("actions=NORMAL"))
            .hasMessageContaining("NORMAL is not supported");
        assertThatThrownBy(() -> parser.parseFlow("actions=drop,output:1"))
            .hasMessageContaining("'drop' must be the only action");
    }

    @Test
    void shouldParseSelectionsAndGroups()
    {
        final FlowSpec sel = parser.parseSelection("in_port=1 cookie=0x10/0xff out_port=2");
        assertThat(sel.cookie()).isEqualTo(0x10);
        assertThat(sel.cookieMask()).isEqualTo(0xFF);
        assertThat(sel.outPort()).isEqualTo(2);
        assertThatThrownBy(() -> parser.parseSelection("in_port=1,actions=drop"))
            .hasMessageContaining("actions are not allowed");
        final GroupTable.Group g = parser.parseGroup("group_id=5,type=select,bucket=output:1,bucket=mod_dl_dst:" +
            "02:00:00:00:00:09,output:2");
        assertThat(g.id()).isEqualTo(5);
        assertThat(g.type()).isEqualTo(GroupTable.Type.SELECT);
        assertThat(g.buckets()).hasSize(2);
        assertThat(g.buckets().get(1)).hasSize(2);
        assertThatThrownBy(() -> parser.parseGroup("group_id=5,type=indirect,bucket=output:1"))
            .hasMessageContaining("unsupported group type");
    }

    @Test
    void shouldRejectGroupIdsThatDoNotFitAnIntInsteadOfWrappingThem()
    {
        assertThatThrownBy(() -> parser.parseGroup("group_id=4294967040,type=all,bucket=output:1"))
            .isInstanceOf(FlowParseException.class)
            .hasMessageContaining("<string>:1:10")
            .hasMessageContaining("'group_id' out of range (expected 0..2147483647): value=4294967040");
        assertThatThrownBy(() -> parser.parseFlow("ip,actions=group:0x80000000"))
            .isInstanceOf(FlowParseException.class)
            .hasMessageContaining("<string>:1:18")
            .hasMessageContaining("'group' out of range");
        assertThat(parser.parseGroup("group_id=2147483647,type=all,bucket=output:1").id()).isEqualTo(Integer.MAX_VALUE);
    }

    @Property(tries = 1000)
    void shouldOnlyEverThrowFlowParseException(@ForAll("flowish") final String text)
    {
        try
        {
            parser.parseFlow(text);
        }
        catch (final FlowParseException ex)
        {
            assertThat(ex.getMessage()).startsWith("<string>:1:");
            assertThat(ex.column()).isBetween(1, text.length() + 1);
        }
    }

    @Provide
    Arbitrary<String> flowish()
    {
        final Arbitrary<String> tokens = Arbitraries.of("priority=", "ip", "tcp", "udp", "arp", "ipv6", "nw_dst=",
            "10.0.0.1", "/24", "tp_dst=", "80", "actions=", "output:", "2", ",", " ", "drop", "dl_src=",
            "02:00:00:00:00:01", "set_field:", "->", "ip_dst", "0x", "ff", "in_port=", "=", ":", "/", "vlan_tci=",
            "tcp_flags=", "+syn", "-ack", "cookie=", "ipv6_dst=", "fd00::1", "group:", "controller", "mod_vlan_vid:",
            "nw_frag=", "later", "\t", "x", "-1", "99999999999999999999");
        return tokens.list().ofMaxSize(14).map(l -> String.join("", l));
    }

}
