package dev.hostplane.packetscript.live;

import dev.hostplane.packetscript.live.junit.PacketScriptTests;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The {@code @TestFactory} support used as a project would: the upstream {@code tcp/close} scripts as dynamic
 * tests (with a generous tolerance so they stay reliable on a loaded machine).
 */
class PacketScriptTestsTest
{
    @TestFactory
    Stream<DynamicTest> shouldRunAFolderOfScriptsAsDynamicTests()
    {
        final Path close = dev.hostplane.packetscript.SuitePaths.requireSuite().resolve("tcp/close");
        return PacketScriptTests.forDirectory(close, SuiteMode.IPV4, Map.of("tolerance_usecs", "50000"));
    }
}
