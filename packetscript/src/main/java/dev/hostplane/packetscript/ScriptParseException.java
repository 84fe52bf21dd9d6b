package dev.hostplane.packetscript;

import dev.hostplane.packetscript.model.SourcePosition;

/**
 * A script could not be parsed (or read). The message is {@code file:line:column: error at 'text': expected ...}.
 */
public final class ScriptParseException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final transient SourcePosition position;
    private final String offendingText;
    private final String expected;

    /**
     * Creates the exception.
     *
     * @param position      where the error is.
     * @param offendingText the text found there ({@code end of file} at the end).
     * @param expected      what was expected, or the semantic problem.
     */
    public ScriptParseException(final SourcePosition position, final String offendingText, final String expected)
    {
        super(position + ": parse error at '" + offendingText + "': " + expected);
        this.position = position;
        this.offendingText = offendingText;
        this.expected = expected;
    }

    /**
     * Creates an exception for a source that could not be read.
     *
     * @param source the source name.
     * @param cause  the I/O error.
     */
    public ScriptParseException(final String source, final Exception cause)
    {
        super(source + ":1:1: cannot read script: " + cause.getMessage(), cause);
        this.position = new SourcePosition(source, 1, 1);
        this.offendingText = "";
        this.expected = "a readable script file";
    }

    /**
     * Where the error is.
     *
     * @return the position.
     */
    public SourcePosition position()
    {
        return position;
    }

    /**
     * The text found at the error position.
     *
     * @return the offending token text.
     */
    public String offendingText()
    {
        return offendingText;
    }

    /**
     * What was expected there.
     *
     * @return a short description.
     */
    public String expected()
    {
        return expected;
    }
}
