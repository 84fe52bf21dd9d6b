package dev.hostplane.vswitch.control;

/**
 * A flow, match or group in {@code ovs-ofctl} syntax could not be parsed. The message starts with
 * {@code source:line:column:} so that editors and humans can jump to the spot.
 */
public final class FlowParseException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;

    /**
     * Creates the exception.
     *
     * @param source file name or "&lt;string&gt;".
     * @param line 1-based line.
     * @param column 1-based column.
     * @param message what is wrong.
     */
    public FlowParseException(final String source, final int line, final int column, final String message)
    {
        super(source + ":" + line + ":" + column + ": " + message);
        this.source = source;
        this.line = line;
        this.column = column;
    }

    /**
     * Where the text came from.
     *
     * @return file name or "&lt;string&gt;".
     */
    public String source()
    {
        return source;
    }

    /**
     * 1-based line.
     *
     * @return line.
     */
    public int line()
    {
        return line;
    }

    /**
     * 1-based column.
     *
     * @return column.
     */
    public int column()
    {
        return column;
    }
}
