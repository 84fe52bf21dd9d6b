package dev.hostplane.packetscript.model;

/**
 * An integer written either literally or as a symbol to be resolved later (a {@code -D} definition).
 *
 * @param value  the literal value (0 when symbolic).
 * @param symbol the symbol name, or null for a literal.
 */
public record IntValue(long value, String symbol)
{
    /**
     * A literal.
     *
     * @param value the value.
     * @return the literal.
     */
    public static IntValue of(final long value)
    {
        return new IntValue(value, null);
    }

    /**
     * A symbol.
     *
     * @param symbol the name.
     * @return the symbolic value.
     */
    public static IntValue symbol(final String symbol)
    {
        return new IntValue(0, symbol);
    }

    /**
     * Whether this is a symbol.
     *
     * @return true if symbolic.
     */
    public boolean isSymbolic()
    {
        return symbol != null;
    }

    @Override
    public String toString()
    {
        return symbol != null ? symbol : Long.toString(value);
    }
}
