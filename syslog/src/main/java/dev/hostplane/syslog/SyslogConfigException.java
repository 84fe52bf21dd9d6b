package dev.hostplane.syslog;

/**
 * A configuration error: names the file, line and column where it was found and what was
 * expected there. {@link #getMessage()} reads {@code file:line:column: what}.
 */
public class SyslogConfigException extends SyslogException
{
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final int column;

    /**
     * Creates a configuration error.
     *
     * @param file   the config file name (or a label such as {@code <string>}).
     * @param line   1-based line.
     * @param column 1-based column.
     * @param what   what was wrong or expected.
     */
    public SyslogConfigException(final String file, final int line, final int column, final String what)
    {
        super(file + ":" + line + ":" + column + ": " + what);
        this.file = file;
        this.line = line;
        this.column = column;
    }

    /**
     * The file the error was found in.
     *
     * @return file name or label.
     */
    public String file()
    {
        return file;
    }

    /**
     * The 1-based line of the error.
     *
     * @return line number.
     */
    public int line()
    {
        return line;
    }

    /**
     * The 1-based column of the error.
     *
     * @return column number.
     */
    public int column()
    {
        return column;
    }
}
