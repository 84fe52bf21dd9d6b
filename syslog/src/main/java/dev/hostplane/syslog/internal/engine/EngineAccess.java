package dev.hostplane.syslog.internal.engine;

import java.util.List;
import java.util.Objects;

import dev.hostplane.syslog.SyslogEngine;
import dev.hostplane.syslog.internal.config.InputSpec;

/**
 * What the daemon needs from a {@link SyslogEngine} that users must not see: the declared inputs
 * and the action instances. {@code SyslogEngine} registers the accessor when its class initialises,
 * so the public class keeps internal types out of its signatures.
 */
public final class EngineAccess
{
    /** The engine's side, implemented inside {@code SyslogEngine}. */
    public interface Accessor
    {
        /**
         * The inputs the engine's config declares.
         *
         * @param engine the engine.
         * @return its declared inputs, unmodifiable.
         */
        List<InputSpec> declaredInputs(SyslogEngine engine);

        /**
         * Every action instance of the engine's config.
         *
         * @param engine the engine.
         * @return its actions, unmodifiable.
         */
        List<Action> actions(SyslogEngine engine);
    }

    private static volatile Accessor accessor;

    private EngineAccess()
    {
    }

    /**
     * Called once by {@code SyslogEngine}'s static initialiser.
     *
     * @param engineSide the accessor.
     */
    public static void register(final Accessor engineSide)
    {
        accessor = Objects.requireNonNull(engineSide, "engineSide");
    }

    /**
     * The inputs {@code engine}'s config declares, for the daemon that starts them.
     *
     * @param engine the engine (its class is initialised, so the accessor is registered).
     * @return declared inputs.
     */
    public static List<InputSpec> declaredInputs(final SyslogEngine engine)
    {
        return accessor.declaredInputs(engine);
    }

    /**
     * Every action instance of {@code engine}'s config: imrelp waits for the asynchronous ones before it
     * acknowledges a message.
     *
     * @param engine the engine.
     * @return actions.
     */
    public static List<Action> actions(final SyslogEngine engine)
    {
        return accessor.actions(engine);
    }
}
