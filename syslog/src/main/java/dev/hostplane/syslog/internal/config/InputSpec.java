package dev.hostplane.syslog.internal.config;

import dev.hostplane.syslog.internal.input.InputModule;
import dev.hostplane.syslog.internal.input.SenderAcl;
import dev.hostplane.syslog.internal.module.Params;
import dev.hostplane.syslog.internal.tls.TlsDefaults;

/**
 * One input the config declares ({@code input(type=...)} or a legacy {@code $...ServerRun}), already
 * checked against its module's parameters: what the daemon starts.
 */
public final class InputSpec
{
    private final InputModule module;
    private final Params params;
    private final Params moduleParams;
    private final SenderAcl acl;
    private final TlsDefaults tls;

    InputSpec(final InputModule module, final Params params, final Params moduleParams, final SenderAcl acl,
        final TlsDefaults tls)
    {
        this.tls = tls;
        this.acl = acl;
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
     * Who may send to this input ({@code $AllowedSender} of its protocol; allows everyone when empty).
     *
     * @return the list.
     */
    public SenderAcl acl()
    {
        return acl;
    }

    /**
     * The config's netstream driver defaults ({@code global(defaultNetstreamDriver*=)}), final once the config is read.
     *
     * @return defaults.
     */
    public TlsDefaults tls()
    {
        return tls;
    }

    /**
     * The ruleset the input feeds, or null for the default.
     *
     * @return name or null.
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
