package dev.hostplane.iopipe.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.hostplane.iopipe.internal.LibC;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The O_NOFOLLOW walk tells a symlinked directory (refused: ELOOP, answered 403) from a missing one (ENOENT,
 * 404) whatever the per-thread scratch memory held before: that memory is native and starts uninitialised.
 */
class RootDirectoryTest
{
    @TempDir
    Path tmp;

    @Test
    void shouldReportASymlinkedDirectoryAsALoopWhateverTheScratchHeld() throws Exception
    {
        final Path root = Files.createDirectories(tmp.resolve("www"));
        Files.createDirectories(root.resolve("sub/dir"));
        Files.writeString(root.resolve("sub/dir/index.html"), "deep");
        Files.createSymbolicLink(root.resolve("linkdir"), Path.of("sub"));
        try (RootDirectory dir = RootDirectory.open(root, true))
        {
            final NativeScratch s = NativeScratch.get();
            for (final byte leftover : new byte[] {0, 'x'})
            {
                // What an earlier use, or malloc, may have left where the empty path for AT_EMPTY_PATH lives.
                s.memory.setByte(NativeScratch.PATH_CAPACITY - 1, leftover);
                final byte[] path = "linkdir/dir/index.html".getBytes(StandardCharsets.US_ASCII);
                final int length = RootDirectory.putPath(s, path);
                assertThat(dir.open(s, length)).as("leftover byte %d", leftover).isEqualTo(-LibC.ELOOP);
            }
            final byte[] missing = "nodir/index.html".getBytes(StandardCharsets.US_ASCII);
            assertThat(dir.open(s, RootDirectory.putPath(s, missing))).isEqualTo(-LibC.ENOENT);
            final byte[] real = "sub/dir/index.html".getBytes(StandardCharsets.US_ASCII);
            final int fd = dir.open(s, RootDirectory.putPath(s, real));
            assertThat(fd).isNotNegative();
            LibC.close(fd);
        }
    }
}
