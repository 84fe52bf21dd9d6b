package dev.hostplane.iopipe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Child-process half of {@link NettyOptionalTest}: run on a class path without any Netty jar, it pipes a
 * file into a file and into a loopback socket and prints {@code <pair> <strategy> <bytes> <intact>} per
 * transfer, after a first line saying whether Netty could be loaded at all.
 */
public final class NettyFreeProbe
{
    private NettyFreeProbe()
    {
    }

    /**
     * Runs the probe.
     *
     * @param args a scratch directory.
     * @throws Exception on failure (the test reads the stack trace).
     */
    public static void main(final String[] args) throws Exception
    {
        boolean netty;
        try
        {
            Class.forName("io.netty.channel.Channel");
            netty = true;
        }
        catch (final ClassNotFoundException ex)
        {
            netty = false;
        }
        System.out.println("netty-on-class-path " + netty);
        final Path dir = Path.of(args[0]);
        final byte[] data = Loopback.bytes(1 << 20, 7);
        final Path source = Loopback.file(dir, "netty-free-source", data);
        try (PipeService pipes = PipeService.builder().workers(1).build())
        {
            final Path target = dir.resolve("netty-free-target");
            final TransferResult toFile = pipes.transfer(Source.file(source), Sink.file(target),
                TransferOptions.builder().build());
            System.out.println("file->file " + toFile.strategy() + " " + toFile.bytes() + " "
                + Arrays.equals(data, Files.readAllBytes(target)));
            try (Loopback link = Loopback.open())
            {
                final var received = Loopback.readExactly(link.client, data.length);
                final TransferResult toSocket = pipes.transfer(Source.file(source), Sink.socket(link.server),
                    TransferOptions.builder().build());
                System.out.println("file->socket " + toSocket.strategy() + " " + toSocket.bytes() + " "
                    + Arrays.equals(data, received.get()));
            }
        }
        System.out.flush();
    }
}
