package dev.hostplane.syslog.internal.module;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters one module or config object accepts: its declaration list, looked up by name
 * without case. Immutable; {@link #plus} combines sets (a module's own with the action-wide
 * {@code action.*} / {@code queue.*} ones).
 */
public final class ParamSet
{
    /** A set with no parameters. */
    public static final ParamSet EMPTY = new ParamSet(Collections.emptyMap());

    private final Map<String, Param> byName;

    private ParamSet(final Map<String, Param> byName)
    {
        this.byName = byName;
    }

    /**
     * A set of declarations.
     *
     * @param params declarations (names must be unique).
     * @return the set.
     */
    public static ParamSet of(final Param... params)
    {
        final Map<String, Param> m = new LinkedHashMap<>();
        for (final Param p : params)
        {
            if (null != m.put(p.name(), p))
            {
                throw new IllegalStateException("parameter declared twice: " + p.name());
            }
        }
        return new ParamSet(Collections.unmodifiableMap(m));
    }

    /**
     * This set and another; a name in both is a programming error.
     *
     * @param other more declarations.
     * @return the union.
     */
    public ParamSet plus(final ParamSet other)
    {
        final Map<String, Param> m = new LinkedHashMap<>(byName);
        for (final Param p : other.byName.values())
        {
            if (null != m.put(p.name(), p))
            {
                throw new IllegalStateException("parameter declared twice: " + p.name());
            }
        }
        return new ParamSet(Collections.unmodifiableMap(m));
    }

    /**
     * The declaration of a name, or null.
     *
     * @param name parameter name (lower case).
     * @return declaration or null.
     */
    public Param get(final String name)
    {
        return byName.get(name);
    }

    /**
     * Every declaration, in declaration order.
     *
     * @return declarations.
     */
    public Collection<Param> all()
    {
        return byName.values();
    }
}
