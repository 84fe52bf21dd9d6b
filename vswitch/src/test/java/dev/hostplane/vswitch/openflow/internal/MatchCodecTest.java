package dev.hostplane.vswitch.openflow.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.flow.Match;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFVersion;

class MatchCodecTest
{
    private final MatchCodec codec = new MatchCodec(OFFactories.getFactory(OFVersion.OF_13));

    @Test
    void shouldKeepExactIcmpTypeAndCodeExactThroughOpenFlow() throws Exception
    {
        // ICMP type and code are 8-bit OXMs carried in the 16-bit port fields of the flow key.
        final Match icmp = Match.builder()
            .exact(FlowField.IN_PORT, 1)
            .exact(FlowField.ETH_TYPE, 0x0800)
            .exact(FlowField.IP_PROTO, 1)
            .exact(FlowField.TP_SRC, 8)
            .exact(FlowField.TP_DST, 22)
            .build();

        assertThat(codec.toMatch(codec.fromMatch(icmp))).isEqualTo(icmp);
    }

    @Test
    void shouldKeepAPartialIcmpCodeMaskPartial() throws Exception
    {
        final Match icmp = Match.builder()
            .exact(FlowField.ETH_TYPE, 0x0800)
            .exact(FlowField.IP_PROTO, 1)
            .masked(FlowField.TP_DST, 0x10, 0xf0)
            .build();

        assertThat(codec.toMatch(codec.fromMatch(icmp))).isEqualTo(icmp);
    }
}
