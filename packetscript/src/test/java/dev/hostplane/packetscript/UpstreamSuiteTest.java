package dev.hostplane.packetscript;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the parser and printer over every script of the shared upstream packetdrill suite.
 */
class UpstreamSuiteTest
{
    @Test
    void shouldFindAllUpstreamScripts()
    {
        assertThat(Files.isDirectory(SuitePaths.requireSuite())).isTrue();
        assertThat(SuitePaths.scripts()).hasSize(177);
    }

    @TestFactory
    Stream<DynamicTest> shouldParseAndRoundTripEveryScriptWithoutDefinitions()
    {
        return SuitePaths.scripts().stream().map(path -> DynamicTest.dynamicTest(
            SuitePaths.root().relativize(path).toString(), () -> roundTrip(path, Map.of())));
    }

    @TestFactory
    Stream<DynamicTest> shouldParseAndRoundTripEveryScriptWithIpv4Definitions()
    {
        return SuitePaths.scripts().stream().map(path -> DynamicTest.dynamicTest(
            SuitePaths.root().relativize(path).toString(),
            () -> roundTrip(path, SuitePaths.IPV4_DEFINITIONS)));
    }

    private static void roundTrip(final Path path, final Map<String, String> definitions)
    {
        final Script script = PacketScript.parse(path, definitions);
        assertThat(script.events()).isNotEmpty();
        final String printed = PacketScript.print(script);
        final Script reparsed = PacketScript.parse("printed " + path, printed, definitions);
        assertThat(reparsed).isEqualTo(script);
        // Printing is canonical: printing the re-parsed model gives the same text.
        assertThat(PacketScript.print(reparsed)).isEqualTo(printed);
        final List<?> events = script.events();
        assertThat(reparsed.events()).hasSameSizeAs(events);
    }
}
