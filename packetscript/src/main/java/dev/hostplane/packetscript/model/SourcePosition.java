package dev.hostplane.packetscript.model;

/**
 * Where something was written in a script: source name (usually a file path), 1-based line and column.
 *
 * @param source name of the script source, e.g. its path.
 * @param line   1-based line number.
 * @param column 1-based column number (tabs count as one column).
 */
public record SourcePosition(String source, int line, int column)
{
    @Override
    public String toString()
    {
        return source + ":" + line + ":" + column;
    }
}
