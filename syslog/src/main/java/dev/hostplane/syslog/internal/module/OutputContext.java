package dev.hostplane.syslog.internal.module;

import java.nio.file.Path;

import dev.hostplane.syslog.internal.output.FileOptions;
import dev.hostplane.syslog.internal.queue.QueueOptions;
import dev.hostplane.syslog.internal.template.Template;

/**
 * What the config offers an {@link OutputModule} while it builds its action: templates by name, the
 * global defaults in force at the action's place in the file, and the action's queue settings.
 */
public interface OutputContext
{
    /**
     * The template the action's {@code template=} names, or {@code fallback} when none is given.
     *
     * @param params   the action's parameters (errors point at {@code template=}).
     * @param fallback the module's default template name (null: the omfile default in force).
     * @return the template.
     */
    Template template(Params params, String fallback);

    /**
     * A template by name (for {@code dynaFile=}).
     *
     * @param params the action's parameters.
     * @param param  the parameter naming the template.
     * @return the template.
     */
    Template namedTemplate(Params params, String param);

    /**
     * omfile defaults in force here ({@code $FileCreateMode}, {@code module(load="builtin:omfile")}, ...), as a copy.
     *
     * @return options.
     */
    FileOptions fileDefaults();

    /**
     * The action's queue settings from its {@code queue.*} and {@code action.*} parameters.
     *
     * @param params the action's parameters.
     * @return options.
     */
    QueueOptions queue(Params params);

    /**
     * {@code global(workDirectory=)} or {@code $WorkDirectory}, or null.
     *
     * @return directory or null.
     */
    Path workDirectory();

    /**
     * The validated {@code module(load=...)} parameters of a module, or null when it was loaded without any
     * or is built in.
     *
     * @param module module name.
     * @return parameters or null.
     */
    Params moduleParams(String module);

    /**
     * The netstream driver defaults ({@code global(defaultNetstreamDriver*=)}) read so far.
     *
     * @return defaults.
     */
    dev.hostplane.syslog.internal.tls.TlsDefaults tlsDefaults();
}
