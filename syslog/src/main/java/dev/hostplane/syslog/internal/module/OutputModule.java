package dev.hostplane.syslog.internal.module;

import dev.hostplane.syslog.internal.engine.Action;

/**
 * An output or message-modification module ({@code omfile}, {@code omfwd}, {@code mmjsonparse}, ...):
 * declares the parameters its {@code action(type="...")} accepts and builds the action from them.
 * Each module's declaration lives next to its implementation; {@link ModuleRegistry} lists them.
 * The action-wide parameters ({@code name}, {@code type}, {@code action.*}, {@code queue.*}) are
 * declared once in {@link ActionParams} and added by the loader.
 */
public interface OutputModule
{
    /**
     * The name {@code action(type=)} and {@code module(load=)} use, lower case.
     *
     * @return name.
     */
    String name();

    /**
     * The module's own action parameters.
     *
     * @return declarations.
     */
    ParamSet params();

    /**
     * Parameters of {@code module(load="name" ...)}.
     *
     * @return declarations (empty by default).
     */
    default ParamSet moduleParams()
    {
        return ParamSet.EMPTY;
    }

    /**
     * Whether {@code module(load=)} must come before the first action of this type, as in rsyslog
     * (the built-ins omfile, omfwd, ompipe, omdiscard need no load).
     *
     * @return true if a load is required.
     */
    default boolean needsLoad()
    {
        return true;
    }

    /**
     * Builds the action.
     *
     * @param params validated parameters (module and action-wide ones).
     * @param ctx    what the config offers the module (templates, defaults, queue settings).
     * @return the action.
     * @throws dev.hostplane.syslog.SyslogConfigException via {@link Params#error} for cross-parameter errors.
     */
    Action create(Params params, OutputContext ctx);
}
