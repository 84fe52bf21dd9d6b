package dev.hostplane.syslog.internal.module;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.hostplane.syslog.SyslogConfigException;

/**
 * The parameters given to one config object ({@code action(...)}, {@code input(...)},
 * {@code module(...)}, or a legacy action turned into the same form), each with its position.
 * {@link #validate} checks them against the module's {@link ParamSet}: an unknown name, a value of
 * the wrong type or out of range, or a missing required parameter is a {@link SyslogConfigException}
 * at that parameter's file:line:column. After that the typed getters return the converted value or
 * the declared default.
 */
public final class Params
{
    private String object;
    private final SourcePosition where;
    private final Map<String, Object> raw = new LinkedHashMap<>();
    private final Map<String, SourcePosition> positions = new LinkedHashMap<>();
    private final Map<String, Object> values = new LinkedHashMap<>();
    private ParamSet schema;

    /**
     * Empty parameters of one object.
     *
     * @param object how messages name the object, e.g. {@code action(type="omfile")}.
     * @param where  position of the object.
     */
    public Params(final String object, final SourcePosition where)
    {
        this.object = object;
        this.where = where;
    }

    /**
     * Adds a given parameter.
     *
     * @param name  name (any case).
     * @param value {@code String} or {@code List<String>}.
     * @param at    position of the parameter.
     * @return false if the name was already given.
     */
    public boolean add(final String name, final Object value, final SourcePosition at)
    {
        final String key = name.toLowerCase(java.util.Locale.ROOT);
        if (raw.containsKey(key))
        {
            return false;
        }
        raw.put(key, value);
        positions.put(key, at);
        return true;
    }

    /**
     * Adds every parameter given here to {@code other} (keeping positions); names it already has stay.
     *
     * @param other receiver.
     */
    public void copyInto(final Params other)
    {
        for (final Map.Entry<String, Object> e : raw.entrySet())
        {
            other.add(e.getKey(), e.getValue(), positions.get(e.getKey()));
        }
    }

    /**
     * Checks every given parameter against {@code params} and converts the values.
     *
     * @param params   what the object accepts.
     * @param warnings receives one line per given parameter that has no effect in this engine.
     * @return this.
     * @throws SyslogConfigException at the first unknown, malformed, out-of-range or missing parameter.
     */
    public Params validate(final ParamSet params, final List<String> warnings)
    {
        this.schema = params;
        for (final Map.Entry<String, Object> e : raw.entrySet())
        {
            final Param p = params.get(e.getKey());
            if (null == p)
            {
                throw positions.get(e.getKey()).error("parameter '" + e.getKey() + "' not known in " + object +
                    ": typo in the config?");
            }
            if (null != p.unsupportedReason())
            {
                throw positions.get(e.getKey()).error(object + ": parameter '" + p.name() +
                    "' is not supported by this engine: " + p.unsupportedReason());
            }
            try
            {
                values.put(p.name(), p.convert(e.getValue()));
            }
            catch (final IllegalArgumentException ex)
            {
                throw positions.get(e.getKey()).error(object + ": " + ex.getMessage());
            }
            if (null != p.noEffectReason())
            {
                warnings.add(positions.get(e.getKey()) + ": " + object + ": parameter '" + p.name() +
                    "' accepted, has no effect here (" + p.noEffectReason() + ")");
            }
        }
        for (final Param p : params.all())
        {
            if (p.isRequired() && !raw.containsKey(p.name()))
            {
                throw where.error(object + ": missing required parameter '" + p.name() + "'");
            }
        }
        return this;
    }

    private Object value(final String name)
    {
        if (null == schema)
        {
            throw new IllegalStateException("parameters of " + object + " read before validate()");
        }
        final Object v = values.get(name);
        if (null != v)
        {
            return v;
        }
        final Param p = schema.get(name);
        if (null == p)
        {
            throw new IllegalStateException(object + " reads undeclared parameter '" + name + "'");
        }
        return null == p.defaultValue() ? null : p.convert(p.defaultValue());
    }

    /**
     * Whether the parameter was given.
     *
     * @param name lower-case name.
     * @return true if given.
     */
    public boolean isSet(final String name)
    {
        return raw.containsKey(name);
    }

    /**
     * A string value (CHOICE values come lower-case), the default, or null.
     *
     * @param name lower-case name.
     * @return value or null.
     */
    public String string(final String name)
    {
        final Object v = value(name);
        if (v instanceof List)
        {
            return String.join(",", castList(v));
        }
        return null == v ? null : v.toString();
    }

    /**
     * A number (INT, SIZE, FILE_MODE).
     *
     * @param name lower-case name.
     * @return value.
     */
    public long number(final String name)
    {
        final Object v = value(name);
        if (!(v instanceof Long))
        {
            throw new IllegalStateException(object + ": parameter '" + name + "' is not numeric or has no default");
        }
        return (Long)v;
    }

    /**
     * A number that fits an int (declared ranges make sure of it).
     *
     * @param name lower-case name.
     * @return value.
     */
    public int integer(final String name)
    {
        return Math.toIntExact(number(name));
    }

    /**
     * An on/off value.
     *
     * @param name lower-case name.
     * @return value.
     */
    public boolean bool(final String name)
    {
        final Object v = value(name);
        if (!(v instanceof Boolean))
        {
            throw new IllegalStateException(object + ": parameter '" + name + "' is not on/off or has no default");
        }
        return (Boolean)v;
    }

    /**
     * An ARRAY value (a single string becomes a one-element list), or an empty list.
     *
     * @param name lower-case name.
     * @return values.
     */
    public List<String> list(final String name)
    {
        final Object v = value(name);
        return null == v ? Collections.emptyList() : castList(v);
    }

    @SuppressWarnings("unchecked")
    private static List<String> castList(final Object v)
    {
        return v instanceof List ? (List<String>)v : Collections.singletonList(v.toString());
    }

    /**
     * A config error at a parameter (or at the object when the parameter was not given).
     *
     * @param name lower-case name.
     * @param what what is wrong.
     * @return the exception (to throw).
     */
    public SyslogConfigException error(final String name, final String what)
    {
        final SourcePosition at = positions.get(name);
        return (null == at ? where : at).error(object + ": " + what);
    }

    /**
     * A config error at the object.
     *
     * @param what what is wrong.
     * @return the exception (to throw).
     */
    public SyslogConfigException error(final String what)
    {
        return where.error(object + ": " + what);
    }

    /**
     * Names the object in messages from now on (its type is known only once its parameters are read).
     *
     * @param name e.g. {@code action(type="omfile")}.
     * @return this.
     */
    public Params describeAs(final String name)
    {
        this.object = name;
        return this;
    }

    /**
     * The given value of a parameter as written (before validation), or null.
     *
     * @param name lower-case name.
     * @return {@code String}, {@code List<String>} or null.
     */
    public Object given(final String name)
    {
        return raw.get(name);
    }

    /**
     * The given parameters as written, as a new mutable map (lower-case names), for objects whose
     * readers consume them by name.
     *
     * @return name to {@code String} or {@code List<String>}.
     */
    public Map<String, Object> rawMap()
    {
        return new LinkedHashMap<>(raw);
    }

    /**
     * Position of the object.
     *
     * @return position.
     */
    public SourcePosition where()
    {
        return where;
    }

    /**
     * How messages name the object.
     *
     * @return e.g. {@code input(type="imtcp")}.
     */
    public String object()
    {
        return object;
    }

    /**
     * The given parameters as text, for {@code check}'s summary.
     *
     * @return {@code name=value} pairs.
     */
    @Override
    public String toString()
    {
        return raw.toString();
    }
}
