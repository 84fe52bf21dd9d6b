package dev.hostplane.packetscript.model;

/**
 * A header option line such as {@code --tolerance_usecs=10000}; {@code -D NAME=VALUE} is stored as name
 * {@code define}. Equality ignores the position.
 *
 * @param position where the option was written.
 * @param name     option name without the leading dashes.
 * @param value    the value after {@code =}, or {@code null} for a flag.
 */
public record OptionSetting(SourcePosition position, String name, String value)
{
    @Override
    public boolean equals(final Object other)
    {
        return other instanceof OptionSetting that && name.equals(that.name) &&
            java.util.Objects.equals(value, that.value);
    }

    @Override
    public int hashCode()
    {
        return name.hashCode() * 31 + java.util.Objects.hashCode(value);
    }
}
