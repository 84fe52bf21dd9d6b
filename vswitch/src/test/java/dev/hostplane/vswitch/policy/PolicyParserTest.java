package dev.hostplane.vswitch.policy;

import static dev.hostplane.vswitch.policy.Policies.fwd;
import static dev.hostplane.vswitch.policy.Policies.ip;
import static dev.hostplane.vswitch.policy.Policies.match;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import dev.hostplane.vswitch.control.FlowParseException;
import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.flow.FlowKey;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The policy file syntax: the article's firewall-before-routing example read from text behaves
 * packet for packet as the same policy built with the Java API; errors name line and column; and
 * random text (fuzz) only ever fails with a located parse error.
 */
class PolicyParserTest
{
    private static final String FIREWALL_ROUTING = String.join("\n",
        "# ssh is blocked; the rest is routed by destination",
        "~match(tcp,tp_dst=22) >> (",
        "    match(ip,nw_dst=10.0.0.1) >> fwd(1) +",
        "    match(ip,nw_dst=10.0.0.2) >> modify(mod_dl_dst:02:00:00:00:00:02) >> fwd(2) +",
        "    if_(match(udp) & ~match(in_port=3), fwd(3), drop()))",
        "");

    @Test
    void shouldReadTheFirewallAndRoutingExampleAsTheJavaApiBuildsIt()
    {
        final Policy parsed = PolicyParser.parse(FIREWALL_ROUTING, "fw.policy");
        final Policy built = match(FlowField.ETH_TYPE, 0x0800).and(match(FlowField.IP_PROTO, 6))
            .and(match(FlowField.TP_DST, 22)).not().then(
                match(FlowField.ETH_TYPE, 0x0800).and(match(FlowField.IPV4_DST, ip("10.0.0.1"))).then(fwd(1))
                    .plus(match(FlowField.ETH_TYPE, 0x0800).and(match(FlowField.IPV4_DST, ip("10.0.0.2")))
                        .then(Policies.modify(FlowField.ETH_DST, 0x020000000002L)).then(fwd(2)))
                    .plus(Policies.if_(match(FlowField.ETH_TYPE, 0x0800).and(match(FlowField.IP_PROTO, 17))
                        .and(match(FlowField.IN_PORT, 3).not()), fwd(3), Policies.drop())));
        final int[] ports = {1, 2, 3};
        int nonEmpty = 0;
        for (final int in : ports)
        {
            for (final int proto : new int[] {6, 17})
            {
                for (final int tp : new int[] {22, 80})
                {
                    for (final String dst : List.of("10.0.0.1", "10.0.0.2", "10.0.0.7"))
                    {
                        final Packet p = Packet.of(new FlowKey().set(FlowField.IN_PORT, in)
                            .set(FlowField.ETH_TYPE, 0x0800).set(FlowField.IP_PROTO, proto).set(FlowField.TP_DST, tp)
                            .set(FlowField.IPV4_DST, ip(dst)));
                        assertThat(parsed.eval(p, ports)).as("%s", p).isEqualTo(built.eval(p, ports));
                        nonEmpty += parsed.eval(p, ports).isEmpty() ? 0 : 1;
                    }
                }
            }
        }
        assertThat(nonEmpty).as("the example forwards some packets").isGreaterThan(10);
    }

    @Test
    void shouldNameLineAndColumnOfAnError()
    {
        assertThatThrownBy(() -> PolicyParser.parse("match(ip) >>\n  fwd(x)", "a.policy"))
            .isInstanceOf(FlowParseException.class).hasMessageStartingWith("a.policy:2:7: ")
            .hasMessageContaining("port number");
        assertThatThrownBy(() -> PolicyParser.parse("match(ip,nw_dst=10.0.0.300) >> fwd(1)", "b.policy"))
            .isInstanceOf(FlowParseException.class).hasMessageStartingWith("b.policy:1:");
        assertThatThrownBy(() -> PolicyParser.parse("fwd(1) & match(ip)", "c.policy"))
            .isInstanceOf(FlowParseException.class).hasMessageStartingWith("c.policy:1:8: ")
            .hasMessageContaining("predicates");
        assertThatThrownBy(() -> PolicyParser.parse("flood() >> teleport()", "d.policy"))
            .isInstanceOf(FlowParseException.class).hasMessageStartingWith("d.policy:1:12: ")
            .hasMessageContaining("unknown policy 'teleport'");
        assertThatThrownBy(() -> PolicyParser.parse("modify(output:2)", "e.policy"))
            .isInstanceOf(FlowParseException.class).hasMessageContaining("set-field actions only");
        assertThatThrownBy(() -> PolicyParser.parse("(flood()", "f.policy"))
            .isInstanceOf(FlowParseException.class).hasMessageContaining("expected ')'");
    }

    @Property(tries = 2000)
    void shouldOnlyEverFailWithALocatedParseError(@ForAll("texts") final String text)
    {
        try
        {
            PolicyParser.parse(text, "fuzz.policy");
        }
        catch (final FlowParseException ex)
        {
            assertThat(ex.getMessage()).startsWith("fuzz.policy:");
            assertThat(ex.line()).isPositive();
            assertThat(ex.column()).isPositive();
        }
    }

    @Provide
    Arbitrary<String> texts()
    {
        final Arbitrary<String> tokens = Arbitraries.of("match(", "ip", "tcp,tp_dst=22", "nw_dst=10.0.0.1", ")", "(",
            ">>", "+", "&", "|", "~", "fwd(", "1", "flood()", "drop()", "identity()", "if_(", ",", "modify(",
            "mod_nw_dst:10.0.0.2", "mac_learning()", "#c\n", "\n", " ", "x", "=", ":", "->");
        return Arbitraries.oneOf(tokens.list().ofMaxSize(20).map(l -> String.join("", l)),
            Arbitraries.strings().withChars("()+>&|~,#\n =:abcfdimlopr0123456789_").ofMaxLength(40));
    }
}
