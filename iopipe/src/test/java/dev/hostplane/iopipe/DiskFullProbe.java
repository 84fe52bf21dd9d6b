package dev.hostplane.iopipe;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child-process half of the disk-full test: run inside a private mount namespace with a 1 MiB tmpfs at
 * {@code args[0]}, it pipes 3 MiB into that file system by each path and prints one line per attempt:
 * {@code <pair> <strategy> <reason> <bytesTransferred> <bytesOnDisk>}.
 */
public final class DiskFullProbe
{
    private DiskFullProbe()
    {
    }

    /**
     * Runs the probe.
     *
     * @param args the tmpfs directory, and a scratch directory on a big file system.
     * @throws Exception on unexpected failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final Path full = Path.of(args[0]);
        final Path scratch = Path.of(args[1]);
        final byte[] data = Loopback.bytes(3 << 20, 42);
        final Path source = Loopback.file(scratch, "disk-full-source", data);
        try (PipeService pipes = PipeService.builder().workers(1).build())
        {
            for (final Strategy strategy : new Strategy[] {Strategy.AUTO, Strategy.COPY})
            {
                final TransferOptions options = TransferOptions.builder().strategy(strategy).build();
                final Path target = full.resolve("f2f-" + strategy);
                report("file->file", strategy, pipes, () -> pipes.transfer(Source.file(source), Sink.file(target),
                    options), target);
                Files.deleteIfExists(target);
                final Path target2 = full.resolve("s2f-" + strategy);
                try (Loopback link = Loopback.open())
                {
                    Loopback.feed(link.client, data, true);
                    report("socket->file", strategy, pipes, () -> pipes.transfer(Source.socket(link.server),
                        Sink.file(target2), options), target2);
                }
                Files.deleteIfExists(target2);
            }
        }
        System.out.flush();
    }

    interface Attempt
    {
        TransferResult run() throws Exception;
    }

    private static void report(
        final String pair, final Strategy strategy, final PipeService pipes, final Attempt attempt, final Path target)
        throws Exception
    {
        try
        {
            final TransferResult result = attempt.run();
            System.out.println(pair + " " + strategy + " OK " + result.bytes() + " " + Files.size(target));
        }
        catch (final PipeException ex)
        {
            System.out.println(pair + " " + strategy + " " + ex.reason() + " " + ex.bytesTransferred() + " "
                + Files.size(target) + " " + ex.getMessage().replace(' ', '_'));
        }
    }
}
