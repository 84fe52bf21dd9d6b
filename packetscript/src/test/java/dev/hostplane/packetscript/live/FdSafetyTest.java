package dev.hostplane.packetscript.live;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Regression for the unmapped-fd bug: {@code 0 close(3) = 0} without a socket used to close the
 * JVM's own fd 3 (the surefire JVM then crashed with "Incompatible magic value"). These scripts
 * now run in-process: a script fd the script never created fails the script at its line with
 * packetdrill's wording, every fd of the JVM stays open and untouched, and the fds a script did
 * create are all closed afterwards, also when it fails half-way.
 */
class FdSafetyTest
{
    @TempDir
    Path dir;

    @BeforeEach
    void setUp()
    {
        LiveAssumptions.assumeNamespaces();
    }

    @Test
    void shouldFailOnAnUnknownFdWithoutTouchingTheJvmsFds() throws IOException
    {
        final Path file = dir.resolve("jvm-owned.txt");
        Files.writeString(file, "still here");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final int jvmFd = fdOf(file);
            final Map<Integer, String> before = openFds();
            assertThat(before).containsKey(3);

            final LiveResult closeThree = run("0 close(3) = 0\n");
            assertThat(closeThree.passed()).isFalse();
            assertThat(closeThree.message())
                .contains("script.pkt:1: runtime error in close call: unable to find fd with script fd 3");

            final LiveResult writeOurs = run("0 write(" + jvmFd + ", ..., 4) = 4\n");
            assertThat(writeOurs.message()).contains(
                "script.pkt:1: runtime error in write call: unable to find fd with script fd " + jvmFd);
            final LiveResult closeOurs = run("0 close(" + jvmFd + ") = 0\n");
            assertThat(closeOurs.message()).contains(
                "script.pkt:1: runtime error in close call: unable to find fd with script fd " + jvmFd);

            assertThat(openFds()).containsAllEntriesOf(before);
            final ByteBuffer content = ByteBuffer.allocate(32);
            channel.read(content, 0);
            assertThat(new String(content.array(), 0, content.position(), StandardCharsets.UTF_8))
                .isEqualTo("still here");
        }
    }

    @Test
    void shouldFailEveryFdTakingCallOnAnUnknownFd() throws IOException
    {
        final String socket = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n";
        final String[][] calls = {
            {"+0 close(3) = 0\n+0 close(3) = 0\n", "4: runtime error in close call", "3"},
            {"+0 bind(4, ..., ...) = 0\n", "3: runtime error in bind call", "4"},
            {"+0 setsockopt(9, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n", "3: runtime error in setsockopt call", "9"},
            {"+0 fcntl(5, F_GETFL) = 2\n", "3: runtime error in fcntl call", "5"},
            {"+0 poll([{fd=3, events=POLLOUT, revents=POLLOUT}, {fd=8, events=POLLIN}], 2, 0) = 1\n",
                "3: runtime error in poll call", "8"},
            {"+0 epoll_create(1) = 5\n+0 epoll_ctl(5, EPOLL_CTL_ADD, 6, {events=EPOLLIN, fd=6}) = 0\n",
                "4: runtime error in epoll_ctl call", "6"},
            {"+0 pipe([5, 6]) = 0\n+0 splice(3, NULL, 7, NULL, 10, 0) = 10\n",
                "4: runtime error in splice call", "7"},
            {"+0 shutdown(0, SHUT_RDWR) = 0\n", "3: runtime error in shutdown call", "0"},
        };
        for (final String[] call : calls)
        {
            final LiveResult result = run("--tolerance_usecs=200000\n" + socket + call[0]);
            assertThat(result.message()).as(call[0])
                .contains("script.pkt:" + call[1] + ": unable to find fd with script fd " + call[2]);
        }
    }

    @Test
    void shouldCloseEveryFdTheScriptCreatedEvenWhenItFails() throws IOException
    {
        final Map<Integer, String> before = openFds();
        final LiveResult result = run("--tolerance_usecs=200000\n" +
            "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n" +
            "+0 socket(..., SOCK_DGRAM, IPPROTO_UDP) = -1\n" +
            "+0 pipe([4, 5]) = 0\n" +
            "+0 epoll_create(1) = 6\n" +
            "+0 write(5, ..., 3) = 2\n");
        assertThat(result.message()).contains("script.pkt:3: runtime error in socket call: Expected result -1");
        final LiveResult late = run("--tolerance_usecs=200000\n" +
            "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n" +
            "+0 pipe([4, 5]) = 0\n" +
            "+0 epoll_create(1) = 6\n" +
            "+0 write(5, ..., 3) = 2\n");
        assertThat(late.message()).contains("script.pkt:5: runtime error in write call: Expected result 2 but got 3");

        final Map<Integer, String> leaked = openFds();
        leaked.keySet().removeAll(before.keySet());
        leaked.values().removeIf((target) -> !target.startsWith("socket:") && !target.startsWith("pipe:") &&
            !target.startsWith("anon_inode:"));
        assertThat(leaked).as("fds the scripts created and the executor left open").isEmpty();
    }

    private LiveResult run(final String text) throws IOException
    {
        final Path script = dir.resolve("script.pkt");
        Files.writeString(script, text);
        return LiveRunner.run(script, SuiteMode.IPV4.options(), Map.of());
    }

    /** This process's open fds and what they point at (the listing's own directory fd left out). */
    private static Map<Integer, String> openFds() throws IOException
    {
        final Map<Integer, String> fds = new TreeMap<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd")))
        {
            for (final Path entry : (Iterable<Path>)entries::iterator)
            {
                try
                {
                    final String target = Files.readSymbolicLink(entry).toString();
                    if (!target.startsWith("/proc/"))
                    {
                        fds.put(Integer.parseInt(entry.getFileName().toString()), target);
                    }
                }
                catch (final IOException ex)
                {
                    // The directory stream's own fd is gone by now.
                }
            }
        }
        return fds;
    }

    private static int fdOf(final Path file) throws IOException
    {
        final String wanted = file.toRealPath().toString();
        for (final Map.Entry<Integer, String> entry : openFds().entrySet())
        {
            if (entry.getValue().equals(wanted))
            {
                return entry.getKey();
            }
        }
        throw new AssertionError("no fd open for " + wanted);
    }
}
