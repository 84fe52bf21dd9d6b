package dev.hostplane.syslog.internal.module;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * One parameter that a module or config object accepts, declared the way rsyslog declares its own
 * ({@code cnfparamdescr}): a case-insensitive name, a type, an allowed range and a default. The config
 * loader checks every given value against its declaration, so a typo or an out-of-range value stops
 * the load with the parameter's file:line:column instead of surfacing when the daemon starts.
 * Immutable; the {@code with...} methods return a copy.
 */
public final class Param
{
    /** Value types, after rsyslog's {@code eCmdHdlr*} kinds. */
    public enum Type
    {
        /** Any string. */
        STRING,
        /** {@code on} or {@code off} (rsyslog accepts nothing else). */
        BINARY,
        /** A decimal integer within {@code [min, max]}. */
        INT,
        /** A size: an integer with an optional k/m/g (powers of 1000) or K/M/G (powers of 1024) suffix, within range. */
        SIZE,
        /** A file mode: 4 or 5 octal digits with a leading 0, as rsyslog requires. */
        FILE_MODE,
        /** A string or an array of strings. */
        ARRAY,
        /** One word of a fixed set, compared without case. */
        CHOICE
    }

    private final String name;
    private final Type type;
    private final long min;
    private final long max;
    private final String dflt;
    private final boolean required;
    private final List<String> choices;
    private final String noEffect;
    private final String unsupported;

    private Param(final String name, final Type type, final long min, final long max, final String dflt,
        final boolean required, final List<String> choices, final String noEffect)
    {
        this(name, type, min, max, dflt, required, choices, noEffect, null);
    }

    private Param(final String name, final Type type, final long min, final long max, final String dflt,
        final boolean required, final List<String> choices, final String noEffect, final String unsupported)
    {
        this.unsupported = unsupported;
        this.name = name.toLowerCase(Locale.ROOT);
        this.type = type;
        this.min = min;
        this.max = max;
        this.dflt = dflt;
        this.required = required;
        this.choices = choices;
        this.noEffect = noEffect;
    }

    /**
     * A string parameter.
     *
     * @param name parameter name (any case).
     * @return the declaration.
     */
    public static Param string(final String name)
    {
        return new Param(name, Type.STRING, 0, 0, null, false, Collections.emptyList(), null);
    }

    /**
     * An on/off parameter.
     *
     * @param name parameter name.
     * @param dflt default value.
     * @return the declaration.
     */
    public static Param binary(final String name, final boolean dflt)
    {
        return new Param(name, Type.BINARY, 0, 1, dflt ? "on" : "off", false, Collections.emptyList(), null);
    }

    /**
     * An integer parameter within a range.
     *
     * @param name parameter name.
     * @param min  smallest allowed value.
     * @param max  largest allowed value.
     * @param dflt default value.
     * @return the declaration.
     */
    public static Param integer(final String name, final long min, final long max, final long dflt)
    {
        return new Param(name, Type.INT, min, max, Long.toString(dflt), false, Collections.emptyList(), null);
    }

    /**
     * A size parameter (k/m/g suffixes) within a range.
     *
     * @param name parameter name.
     * @param min  smallest allowed value.
     * @param max  largest allowed value.
     * @param dflt default value.
     * @return the declaration.
     */
    public static Param size(final String name, final long min, final long max, final long dflt)
    {
        return new Param(name, Type.SIZE, min, max, Long.toString(dflt), false, Collections.emptyList(), null);
    }

    /**
     * An octal file mode parameter.
     *
     * @param name parameter name.
     * @param dflt default mode.
     * @return the declaration.
     */
    public static Param fileMode(final String name, final int dflt)
    {
        return new Param(name, Type.FILE_MODE, 0, 07777, "0" + Integer.toOctalString(dflt), false,
            Collections.emptyList(), null);
    }

    /**
     * A parameter that takes a string or an array of strings.
     *
     * @param name parameter name.
     * @return the declaration.
     */
    public static Param array(final String name)
    {
        return new Param(name, Type.ARRAY, 0, 0, null, false, Collections.emptyList(), null);
    }

    /**
     * A parameter that takes one word of a fixed set.
     *
     * @param name    parameter name.
     * @param dflt    default (one of the choices).
     * @param choices allowed words, any case.
     * @return the declaration.
     */
    public static Param choice(final String name, final String dflt, final String... choices)
    {
        return new Param(name, Type.CHOICE, 0, 0, dflt, false, Collections.unmodifiableList(Arrays.asList(choices)),
            null);
    }

    /**
     * The same parameter, with a default.
     *
     * @param value default text.
     * @return a copy.
     */
    public Param withDefault(final String value)
    {
        return new Param(name, type, min, max, value, required, choices, noEffect, unsupported);
    }

    /**
     * The same parameter, required.
     *
     * @return a copy.
     */
    public Param required()
    {
        return new Param(name, type, min, max, dflt, true, choices, noEffect, unsupported);
    }

    /**
     * The same parameter, declared as accepted (rsyslog knows it, configs use it) but without effect
     * in this engine; giving it leaves a warning with the reason.
     *
     * @param why why it has no effect here.
     * @return a copy.
     */
    public Param noEffect(final String why)
    {
        return new Param(name, type, min, max, dflt, required, choices, why, unsupported);
    }

    /**
     * The same parameter, declared as known to rsyslog but refused here because ignoring it would
     * change what the action does; giving it stops the load naming the reason.
     *
     * @param why what is missing.
     * @return a copy.
     */
    public Param unsupported(final String why)
    {
        return new Param(name, type, min, max, dflt, required, choices, noEffect, why);
    }

    /**
     * Why the parameter is refused, or null when it is accepted.
     *
     * @return reason or null.
     */
    public String unsupportedReason()
    {
        return unsupported;
    }

    /**
     * Lower-case name.
     *
     * @return name.
     */
    public String name()
    {
        return name;
    }

    /**
     * Type.
     *
     * @return type.
     */
    public Type type()
    {
        return type;
    }

    /**
     * Default as config text, or null.
     *
     * @return default.
     */
    public String defaultValue()
    {
        return dflt;
    }

    /**
     * Whether the parameter must be given.
     *
     * @return true if required.
     */
    public boolean isRequired()
    {
        return required;
    }

    /**
     * Why the parameter has no effect here, or null when it is implemented.
     *
     * @return reason or null.
     */
    public String noEffectReason()
    {
        return noEffect;
    }

    /**
     * Smallest allowed value of an INT or SIZE parameter.
     *
     * @return minimum.
     */
    public long min()
    {
        return min;
    }

    /**
     * Largest allowed value of an INT or SIZE parameter.
     *
     * @return maximum.
     */
    public long max()
    {
        return max;
    }

    /**
     * Checks a given value and converts it: {@code Long} for INT/SIZE/FILE_MODE, {@code Boolean} for
     * BINARY, the lower-case word for CHOICE, a {@code List<String>} for ARRAY, the text otherwise.
     *
     * @param value given value ({@code String} or {@code List<String>}).
     * @return converted value.
     * @throws IllegalArgumentException naming what was expected.
     */
    public Object convert(final Object value)
    {
        if (value instanceof List)
        {
            if (type != Type.ARRAY)
            {
                throw new IllegalArgumentException("parameter '" + name + "' takes one value, not an array");
            }
            return value;
        }
        final String v = value.toString();
        switch (type)
        {
            case BINARY:
                if ("on".equalsIgnoreCase(v))
                {
                    return Boolean.TRUE;
                }
                if ("off".equalsIgnoreCase(v))
                {
                    return Boolean.FALSE;
                }
                throw new IllegalArgumentException("parameter '" + name + "' must be \"on\" or \"off\", got \"" + v + "\"");
            case INT:
            case SIZE:
                return inRange(parseNumber(v));
            case FILE_MODE:
                if (!v.matches("0[0-7]{3,4}"))
                {
                    throw new IllegalArgumentException("parameter '" + name + "': file modes are 4 or 5 octal digits " +
                        "starting with 0 (like 0644), got \"" + v + "\"");
                }
                return Long.parseLong(v, 8);
            case CHOICE:
                for (final String c : choices)
                {
                    if (c.equalsIgnoreCase(v))
                    {
                        return c.toLowerCase(Locale.ROOT);
                    }
                }
                throw new IllegalArgumentException("parameter '" + name + "': \"" + v + "\" is not one of " + choices);
            case ARRAY:
                return Collections.singletonList(v);
            default:
                return v;
        }
    }

    private long parseNumber(final String raw)
    {
        final String v = raw.trim();
        long mult = 1;
        String digits = v;
        if (type == Type.SIZE && !v.isEmpty())
        {
            mult = sizeUnit(v.charAt(v.length() - 1));
            if (mult > 1)
            {
                digits = v.substring(0, v.length() - 1);
            }
        }
        try
        {
            return Math.multiplyExact(Long.parseLong(digits), mult);
        }
        catch (final NumberFormatException | ArithmeticException ex)
        {
            throw new IllegalArgumentException("parameter '" + name + "': expected " +
                (type == Type.SIZE ? "a size (number with optional k/m/g)" : "a number") + ", got \"" + raw + "\"", ex);
        }
    }

    /** rsyslog's size units: lower case counts in powers of 1000, upper case in powers of 1024. */
    private static long sizeUnit(final char unit)
    {
        switch (unit)
        {
            case 'k':
                return 1000L;
            case 'K':
                return 1024L;
            case 'm':
                return 1000_000L;
            case 'M':
                return 1024L * 1024;
            case 'g':
                return 1000_000_000L;
            case 'G':
                return 1024L * 1024 * 1024;
            default:
                return 1;
        }
    }

    private long inRange(final long n)
    {
        if (n < min || n > max)
        {
            throw new IllegalArgumentException("parameter '" + name + "': " + n + " is out of range, expected " + min +
                ".." + max);
        }
        return n;
    }

    @Override
    public String toString()
    {
        return name + ":" + type.name().toLowerCase(Locale.ROOT) + (null == dflt ? "" : "=" + dflt);
    }
}
