package dev.hostplane.syslog.internal.config;

import dev.hostplane.syslog.internal.input.InputModule;
import dev.hostplane.syslog.internal.module.Params;

/**
 * One input the config declares ({@code input(type=...)} or a legacy {@code $...ServerRun}), already
 * checked against its module's parameters: what the daemon starts.
 */
public final class InputSpec
{
    private final InputModule module;
    private final Params params;
    private final Params moduleParams;

    InputSpec(final InputModule module, final Params params, final Params moduleParams)
    {
        this.module = module;
        this.params = params;
        this.moduleParams = moduleParams;
    }

    /**
     * The input module.
     *
     * @return module.
     */
    public InputModule module()
    {
        return module;
    }

    /**
     * The input's validated parameters.
     *
     * @return parameters.
     */
    public Params params()
    {
        return params;
    }

    /**
     * The module's validated {@code module(load=)} parameters (defaults if loaded without any).
     *
     * @return parameters.
     */
    public Params moduleParams()
    {
        return moduleParams;
    }

    /**
     * The ruleset the input feeds, or null for the default one.
     *
     * @return ruleset name or null.
     */
    public String ruleset()
    {
        return params.isSet("ruleset") ? params.string("ruleset") : null;
    }

    @Override
    public String toString()
    {
        return module.name() + params;
    }
}
