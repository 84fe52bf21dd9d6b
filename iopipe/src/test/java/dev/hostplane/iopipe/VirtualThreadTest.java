package dev.hostplane.iopipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blocking transfers called from virtual threads (JDK 21+): the JDK's own transferTo spins on EAGAIN there;
 * the pipe parks the virtual thread on its future and moves the bytes on a platform worker.
 */
class VirtualThreadTest
{
    @TempDir
    Path dir;

    @Test
    void shouldServeVirtualThreadCallersWithoutRunningNativeCallsOnThem() throws Exception
    {
        final boolean virtualThreads = Runtime.version().feature() >= 21;
        if (!virtualThreads)
        {
            System.out.println("SKIP shouldServeVirtualThreadCallersWithoutRunningNativeCallsOnThem: JDK "
                + Runtime.version().feature() + " has no virtual threads");
        }
        Assumptions.assumeTrue(virtualThreads, "virtual threads need JDK 21+");
        final byte[] small = Loopback.bytes(1000, 1);
        final byte[] big = Loopback.bytes(8 << 20, 2);
        final Path smallFile = Loopback.file(dir, "small", small);
        final Path bigFile = Loopback.file(dir, "big", big);
        try (PipeService pipes = PipeService.builder().workers(2).build();
            Loopback a = Loopback.open(); Loopback b = Loopback.open())
        {
            final var gotSmall = Loopback.readExactly(a.client, small.length);
            final var gotBig = Loopback.readExactly(b.client, big.length);
            final CompletableFuture<String> threads = new CompletableFuture<>();
            final Runnable body = () ->
            {
                try
                {
                    final boolean virtual = PipeService.isVirtual(Thread.currentThread());
                    final TransferResult r1 = pipes.transfer(Source.file(smallFile), Sink.socket(a.server),
                        TransferOptions.DEFAULT);
                    final TransferResult r2 = pipes.transfer(Source.file(bigFile), Sink.socket(b.server),
                        TransferOptions.DEFAULT);
                    threads.complete(virtual + " " + r1.strategy() + " " + r2.strategy() + " " + r1.bytes() + " "
                        + r2.bytes());
                }
                catch (final Exception ex)
                {
                    threads.completeExceptionally(ex);
                }
            };
            final Thread vt = (Thread)Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, body);
            vt.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(threads.get(30, TimeUnit.SECONDS)).isEqualTo("true SENDFILE SENDFILE 1000 " + big.length);
            assertThat(gotSmall.get()).isEqualTo(small);
            assertThat(java.util.Arrays.equals(gotBig.get(), big)).isTrue();
        }
    }
}
