package dev.hostplane.iopipe.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says once per cause that a transfer left the zero-copy path, naming the cause and the fix: a fallback to
 * {@code COPY} still moves every byte, so without this line an operator would only see the CPU cost.
 * The strategy each transfer used is in {@code PipeService.strategyStats}.
 */
final class FallbackLog
{
    private static final Logger LOG = LoggerFactory.getLogger("dev.hostplane.iopipe");
    private static final Set<String> SAID = ConcurrentHashMap.newKeySet();

    private FallbackLog()
    {
    }

    /**
     * Logs one warning for {@code cause}, the first time only.
     *
     * @param cause what is missing or failing (also the key that makes the warning once-only).
     * @param fix   what the operator can do about it.
     */
    static void once(final String cause, final String fix)
    {
        if (SAID.add(cause))
        {
            LOG.warn("zero-copy unavailable, transfers fall back to COPY through a buffer: cause={} (fix: {})",
                cause, fix);
        }
    }

    /** Why {@code natives} is false: the JNA binding or the descriptor access, with its fix. */
    static void nativesUnavailable()
    {
        if (null != LibC.UNAVAILABLE_REASON)
        {
            once(LibC.UNAVAILABLE_REASON, "run on Linux with JNA's native library loadable (jna.boot.library.path)");
        }
        else if (null != Fds.UNAVAILABLE_REASON)
        {
            once(Fds.UNAVAILABLE_REASON, "start the JVM with --add-opens=java.base/sun.nio.ch=ALL-UNNAMED "
                + "--add-opens=java.base/java.io=ALL-UNNAMED");
        }
    }
}
