package dev.hostplane.packetscript.live.internal.exec;

import dev.hostplane.packetscript.PacketScript;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which {@code .python-version} decides a directory's interpreter: scripts whose directories share that file (or
 * have none) share one resolution of a version manager's shim.
 */
class Python3Test
{
    @TempDir
    Path dir;

    @Test
    void shouldFindTheNearestPythonVersionFileInOrAboveTheDirectory() throws IOException
    {
        final Path suite = Files.createDirectories(dir.resolve("suite"));
        final Path deep = Files.createDirectories(suite.resolve("tcp/fastopen/server"));
        final Path pinned = Files.createDirectories(suite.resolve("tcp/pinned"));
        final Path suiteVersion = Files.writeString(suite.resolve(".python-version"), "3.11\n");
        final Path pinnedVersion = Files.writeString(pinned.resolve(".python-version"), "3.12\n");

        assertThat(Python3.versionFile(deep)).isEqualTo(suiteVersion);
        assertThat(Python3.versionFile(suite)).isEqualTo(suiteVersion);
        assertThat(Python3.versionFile(pinned)).isEqualTo(pinnedVersion);
    }

    @Test
    void shouldFindNoneWhenNoDirectoryUpToTheRootHasOne() throws IOException
    {
        final Path deep = Files.createDirectories(dir.resolve("a/b/c"));
        final Path expected = nearestAbove(dir);

        assertThat(Python3.versionFile(deep)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "`../common/set_sysctls.py /proc/sys/net/ipv4/tcp_ecn=1`\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n",
        "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 `python3 -c 'print(1)'`\n",
        "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 %{ assert tcpi_state == 1 }%\n",
        "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n`python3 restore.py`\n",
    })
    void shouldResolveTheInterpreterForAScriptThatStartsPython(final String text)
    {
        assertThat(Python3.usedBy(PacketScript.parse("a.pkt", text))).isTrue();
    }

    @Test
    void shouldNotAskTheShimForAScriptThatStartsNoPython()
    {
        assertThat(Python3.usedBy(PacketScript.parse("a.pkt",
            "`./defaults.sh\nsysctl -q net.ipv4.tcp_ecn=1`\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n" +
            "+0 `tc qdisc show`\n"))).isFalse();
    }

    /** The machine may have a .python-version above the temporary directory (pyenv users do); that one applies. */
    private static Path nearestAbove(final Path directory)
    {
        for (Path d = directory; null != d; d = d.getParent())
        {
            if (Files.isRegularFile(d.resolve(".python-version")))
            {
                return d.resolve(".python-version");
            }
        }
        return null;
    }
}
