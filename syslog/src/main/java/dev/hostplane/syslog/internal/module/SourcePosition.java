package dev.hostplane.syslog.internal.module;

import dev.hostplane.syslog.SyslogConfigException;

/**
 * Where something stands in a config file (file, 1-based line and column), so that a check made
 * after parsing (a parameter's range, a module's cross-parameter rule) still reports file:line:column.
 */
public final class SourcePosition
{
    private final String file;
    private final int line;
    private final int column;

    /**
     * A position.
     *
     * @param file   file name or label.
     * @param line   1-based line.
     * @param column 1-based column.
     */
    public SourcePosition(final String file, final int line, final int column)
    {
        this.file = file;
        this.line = line;
        this.column = column;
    }

    /**
     * A config error at this position.
     *
     * @param what what is wrong.
     * @return the exception (to throw).
     */
    public SyslogConfigException error(final String what)
    {
        return new SyslogConfigException(file, line, column, what);
    }

    /**
     * File name or label.
     *
     * @return file.
     */
    public String file()
    {
        return file;
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

    /** {@code file:line}, as warnings quote it. */
    @Override
    public String toString()
    {
        return file + ":" + line;
    }
}
