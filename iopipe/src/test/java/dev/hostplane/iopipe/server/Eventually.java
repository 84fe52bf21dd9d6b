package dev.hostplane.iopipe.server;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Waits for a server counter that is updated asynchronously. A server counts a connection closed in a close
 * listener on its event loop, which can run after the peer has already seen the FIN, so a test that reads such a
 * count once races the server.
 */
final class Eventually
{
    private Eventually()
    {
    }

    /** Returns once {@code condition} holds or {@code seconds} have passed; the caller asserts afterwards. */
    static void await(final BooleanSupplier condition, final long seconds) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
        }
    }
}
