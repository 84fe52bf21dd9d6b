package dev.hostplane.syslog.internal.input;

import dev.hostplane.syslog.internal.module.ParamSet;
import dev.hostplane.syslog.internal.module.Params;

/**
 * An input module ({@code imtcp}, {@code imudp}, {@code imrelp}, ...): declares the parameters of
 * {@code input(type="...")} and of {@code module(load="...")}, and starts a listener from them in
 * the daemon. The config loader validates both parameter lists when it reads the file, so
 * {@code check} and {@code syslogd} reject the same configs at the same place.
 */
public interface InputModule
{
    /**
     * The name {@code input(type=)} and {@code module(load=)} use, lower case.
     *
     * @return name.
     */
    String name();

    /**
     * Parameters of {@code input(type="name" ...)}.
     *
     * @return declarations.
     */
    ParamSet params();

    /**
     * Parameters of {@code module(load="name" ...)}.
     *
     * @return declarations.
     */
    ParamSet moduleParams();

    /**
     * Starts the input (the daemon calls this; {@code check} and {@code replay} never do).
     *
     * @param input  the validated {@code input()} parameters.
     * @param module the validated {@code module(load=)} parameters (defaults when loaded without any).
     * @param ctx    what the daemon offers (event loops, main queue, sender cache).
     * @return the running input, or null when the module runs nothing in this configuration.
     */
    NetInput start(Params input, Params module, InputContext ctx);
}
