package dev.hostplane.examples.packetscript;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The packetscript step of {@code bin/hostplane demo}, which the README's first command runs. The step checks the
 * verifier's message for a wrong option against packetdrill's wording, so a change of that wording must change the
 * step with it; this test fails the build where otherwise only the demo would.
 */
class PacketScriptDemoStepTest
{
    @Test
    void shouldCatchAWrongWindowScaleWithPacketdrillsMessage() throws Exception
    {
        assertThat(new PacketScriptDemoStep().run())
            .startsWith("8 events round-tripped; SYN ")
            .endsWith("mismatch caught: bad value in outbound TCP option (kind=3): expected: wscale 9 actual: wscale 8");
    }
}
