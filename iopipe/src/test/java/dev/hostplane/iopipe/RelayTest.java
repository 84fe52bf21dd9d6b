package dev.hostplane.iopipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both directions of one socket pair piped at once (the proxy pattern): each transfer parks on
 * descriptors the other one also waits on, so the waiter's epoll registration of one direction and
 * the poll fallback of the other must both deliver readiness, over bulk and ping-pong traffic.
 */
class RelayTest
{
    private static PipeService pipes;

    @BeforeAll
    static void start()
    {
        pipes = PipeService.builder().workers(2).build();
    }

    @AfterAll
    static void stop()
    {
        pipes.close();
    }

    /** Pipes a's server side to b's and back; each direction shuts its sink's output when it ends. */
    private static TransferFuture[] relay(final Loopback a, final Loopback b) throws java.io.IOException
    {
        a.server.configureBlocking(false);
        b.server.configureBlocking(false);
        final TransferFuture upward = pipes.submit(Source.socket(a.server), Sink.socket(b.server));
        final TransferFuture downward = pipes.submit(Source.socket(b.server), Sink.socket(a.server));
        upward.whenComplete((r, ex) -> shutdownQuietly(b.server));
        downward.whenComplete((r, ex) -> shutdownQuietly(a.server));
        return new TransferFuture[] {upward, downward};
    }

    @Test
    void shouldRelayBulkBothWaysThroughOneSocketPair() throws Exception
    {
        final byte[] up = Loopback.bytes(12 << 20, 21);
        final byte[] down = Loopback.bytes(9 << 20, 22);
        try (Loopback a = Loopback.open(); Loopback b = Loopback.open())
        {
            final TransferFuture[] both = relay(a, b);
            final TransferFuture upward = both[0];
            final TransferFuture downward = both[1];
            final CompletableFuture<byte[]> atB = Loopback.drain(b.client);
            final CompletableFuture<byte[]> atA = Loopback.drain(a.client);
            Loopback.feed(a.client, up, true).get(30, TimeUnit.SECONDS);
            Loopback.feed(b.client, down, true).get(30, TimeUnit.SECONDS);
            assertThat(atB.get(30, TimeUnit.SECONDS)).isEqualTo(up);
            assertThat(atA.get(30, TimeUnit.SECONDS)).isEqualTo(down);
            assertThat(upward.get(30, TimeUnit.SECONDS).bytes()).isEqualTo(up.length);
            assertThat(downward.get(30, TimeUnit.SECONDS).bytes()).isEqualTo(down.length);
        }
        assertThat(pipes.activeTransfers()).isZero();
    }

    @Test
    void shouldRelayManyRequestResponseRoundsThroughOneSocketPair() throws Exception
    {
        try (Loopback a = Loopback.open(); Loopback b = Loopback.open())
        {
            final TransferFuture[] both = relay(a, b);
            final TransferFuture upward = both[0];
            final TransferFuture downward = both[1];
            final int rounds = 2000;
            final CompletableFuture<Void> echo = CompletableFuture.runAsync(() -> echo(b, rounds));
            final ByteBuffer request = ByteBuffer.allocate(100);
            final ByteBuffer response = ByteBuffer.allocate(100);
            for (int i = 0; i < rounds; i++)
            {
                Arrays.fill(request.array(), (byte)i);
                request.clear();
                while (request.hasRemaining())
                {
                    a.client.write(request);
                }
                response.clear();
                while (response.hasRemaining())
                {
                    assertThat(a.client.read(response)).as("round=%d", i).isNotNegative();
                }
                assertThat(response.array()).as("round=%d", i).isEqualTo(request.array());
            }
            a.client.shutdownOutput();
            echo.get(30, TimeUnit.SECONDS);
            assertThat(upward.get(30, TimeUnit.SECONDS).bytes()).isEqualTo(100L * rounds);
            assertThat(downward.get(30, TimeUnit.SECONDS).bytes()).isEqualTo(100L * rounds);
        }
    }

    @Test
    void shouldFailAParkedTransferWhenItsSocketIsClosedUnderIt() throws Exception
    {
        final java.nio.file.Path out = java.nio.file.Files.createTempFile("relay-closed", ".bin");
        try (Loopback a = Loopback.open())
        {
            a.server.configureBlocking(false);
            final TransferFuture parked = pipes.submit(Source.socket(a.server), Sink.file(out));
            // Nothing to read: the transfer parks on the socket; closing it removes any epoll registration.
            Thread.sleep(50);
            assertThat(parked.isDone()).isFalse();
            a.server.close();
            final Throwable failure = org.assertj.core.api.Assertions.catchThrowable(
                () -> parked.get(10, TimeUnit.SECONDS));
            assertThat(failure).isInstanceOf(java.util.concurrent.ExecutionException.class)
                .hasCauseInstanceOf(PipeException.class);
        }
        finally
        {
            java.nio.file.Files.deleteIfExists(out);
        }
        assertThat(pipes.activeTransfers()).isZero();
    }

    private static void echo(final Loopback b, final int rounds)
    {
        final ByteBuffer buf = ByteBuffer.allocate(100);
        try
        {
            for (int i = 0; i < rounds; i++)
            {
                buf.clear();
                while (buf.hasRemaining())
                {
                    if (b.client.read(buf) < 0)
                    {
                        throw new IllegalStateException("round=" + i + " early EOF");
                    }
                }
                buf.flip();
                while (buf.hasRemaining())
                {
                    b.client.write(buf);
                }
            }
            b.client.shutdownOutput();
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private static void shutdownQuietly(final java.nio.channels.SocketChannel ch)
    {
        try
        {
            ch.shutdownOutput();
        }
        catch (final java.io.IOException ignore)
        {
            // already closed
        }
    }
}
