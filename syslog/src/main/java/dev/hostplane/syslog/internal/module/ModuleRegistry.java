package dev.hostplane.syslog.internal.module;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.hostplane.syslog.internal.forward.ForwardModules;
import dev.hostplane.syslog.internal.input.InputModule;
import dev.hostplane.syslog.internal.input.InputModules;
import dev.hostplane.syslog.internal.output.MmJsonParseModule;
import dev.hostplane.syslog.internal.output.MmNormalizeModule;
import dev.hostplane.syslog.internal.output.OmDiscardModule;
import dev.hostplane.syslog.internal.output.OmFileModule;

/**
 * Every module the config may load or use: outputs ({@code action(type=)}), inputs
 * ({@code input(type=)}), and modules that only take {@code module(load=)} parameters here (parsers,
 * and inputs this engine accepts in a config but does not run, such as imklog). A new module is one
 * class that declares its parameters next to its implementation plus one {@code register} line below.
 */
public final class ModuleRegistry
{
    private static final Map<String, OutputModule> OUTPUTS = new LinkedHashMap<>();
    private static final Map<String, InputModule> INPUTS = new LinkedHashMap<>();
    /** Loadable modules that are neither (their module() parameters). */
    private static final Map<String, ParamSet> PASSIVE = new LinkedHashMap<>();

    static
    {
        register(OmFileModule.INSTANCE);
        register(OmDiscardModule.DISCARD);
        register(OmDiscardModule.USRMSG);
        register(MmJsonParseModule.INSTANCE);
        register(MmNormalizeModule.INSTANCE);
        register(ForwardModules.OMFWD);
        register(ForwardModules.OMRELP);
        register(ForwardModules.OMPIPE);
        register(ForwardModules.OMSTDOUT);
        register(InputModules.IMTCP);
        register(InputModules.IMPTCP);
        register(InputModules.IMUDP);
        register(InputModules.IMRELP);
        register(InputModules.IMUXSOCK);
        register(dev.hostplane.syslog.internal.kafka.OmKafkaModule.INSTANCE);
        register(dev.hostplane.syslog.internal.kafka.ImKafkaModule.INSTANCE);
        PassiveModules.registerAll(PASSIVE);
    }

    private ModuleRegistry()
    {
    }

    private static void register(final OutputModule m)
    {
        OUTPUTS.put(m.name(), m);
    }

    private static void register(final InputModule m)
    {
        INPUTS.put(m.name(), m);
    }

    /**
     * A module name as configs write it, normalised: lower case, without {@code builtin:} and {@code .so}.
     *
     * @param name as written.
     * @return normalised name.
     */
    public static String normalise(final String name)
    {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.startsWith("builtin:"))
        {
            n = n.substring("builtin:".length());
        }
        if (n.endsWith(".so"))
        {
            n = n.substring(0, n.length() - 3);
        }
        return n;
    }

    /**
     * The output module of a name, or null.
     *
     * @param name normalised name.
     * @return module or null.
     */
    public static OutputModule output(final String name)
    {
        return OUTPUTS.get(name);
    }

    /**
     * The input module of a name, or null.
     *
     * @param name normalised name.
     * @return module or null.
     */
    public static InputModule input(final String name)
    {
        return INPUTS.get(name);
    }

    /**
     * The {@code module(load=)} parameters of a name, or null when no such module is known.
     *
     * @param name normalised name.
     * @return declarations or null.
     */
    public static ParamSet moduleParams(final String name)
    {
        final OutputModule out = OUTPUTS.get(name);
        if (null != out)
        {
            return out.moduleParams();
        }
        final InputModule in = INPUTS.get(name);
        if (null != in)
        {
            return in.moduleParams();
        }
        return PASSIVE.get(name);
    }

    /**
     * Names of every known module, for messages.
     *
     * @return names.
     */
    public static Iterable<String> names()
    {
        final Map<String, Boolean> all = new LinkedHashMap<>();
        OUTPUTS.keySet().forEach(n -> all.put(n, Boolean.TRUE));
        INPUTS.keySet().forEach(n -> all.put(n, Boolean.TRUE));
        PASSIVE.keySet().forEach(n -> all.put(n, Boolean.TRUE));
        return Collections.unmodifiableSet(all.keySet());
    }
}
