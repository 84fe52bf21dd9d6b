package dev.hostplane.packetscript.live.internal.exec;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.hostplane.packetscript.PacketScript;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm-up script travels as a resource beside {@link WarmUp}: when it is missing the warm-up logs a warning
 * and does nothing, and the first script of a JVM runs cold (its first blocking calls 5-10 ms late).
 */
class WarmUpScriptTest
{
    @Test
    void shouldFindAndParseTheWarmUpScriptBesideWarmUp() throws Exception
    {
        try (InputStream in = WarmUp.class.getResourceAsStream("warm-up.pkt"))
        {
            assertThat(in).as("warm-up.pkt beside " + WarmUp.class.getName()).isNotNull();
            final String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(PacketScript.parse("warm-up.pkt", text, Map.of()).events()).hasSizeGreaterThan(10);
        }
    }
}
