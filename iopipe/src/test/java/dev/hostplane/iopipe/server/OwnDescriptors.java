package dev.hostplane.iopipe.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntPredicate;
import java.util.stream.Stream;

/**
 * Counts this process's open descriptors of one kind ({@code socket:}, {@code pipe:}) that pass a test on
 * the raw fd, so a test can check what a server really asked of the kernel (a socket option, a pipe size) by
 * reading it back, not by trusting the server's own bookkeeping.
 */
final class OwnDescriptors
{
    private OwnDescriptors()
    {
    }

    /** Descriptors whose /proc/self/fd link starts with {@code linkPrefix} and for which {@code test} holds. */
    static int count(final String linkPrefix, final IntPredicate test) throws IOException
    {
        int n = 0;
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd")))
        {
            for (final Path fd : fds.toList())
            {
                final String target;
                try
                {
                    target = Files.readSymbolicLink(fd).toString();
                }
                catch (final IOException gone)
                {
                    // closed between the listing and the read
                    continue;
                }
                if (target.startsWith(linkPrefix) && test.test(Integer.parseInt(fd.getFileName().toString())))
                {
                    n++;
                }
            }
        }
        return n;
    }
}
