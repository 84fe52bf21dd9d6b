package dev.hostplane.flashcache.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An experiment's results: named columns, one row per point; written as CSV and printed as a table.
 */
public final class Table
{
    private final List<String> columns;
    private final List<Object[]> rows = new ArrayList<>();

    /**
     * @param columns column names (with units, e.g. {@code read_latency_us}).
     */
    public Table(final String... columns)
    {
        this.columns = List.of(columns);
    }

    /**
     * @param values one value per column (numbers or text).
     */
    public void add(final Object... values)
    {
        if (values.length != columns.size())
        {
            throw new IllegalArgumentException("row has " + values.length + " values, table has " + columns.size()
                + " columns " + columns);
        }
        rows.add(values.clone());
    }

    /** @return the column names. */
    public List<String> columns()
    {
        return columns;
    }

    /** @return the rows. */
    public List<Object[]> rows()
    {
        return rows;
    }

    /**
     * @param column a column name.
     * @return its index.
     */
    public int column(final String column)
    {
        final int i = columns.indexOf(column);
        if (i < 0)
        {
            throw new IllegalArgumentException("column=" + column + " not in " + columns);
        }
        return i;
    }

    private static String format(final Object value)
    {
        if (value instanceof Double d)
        {
            return String.format(Locale.ROOT, "%.4f", d);
        }
        return String.valueOf(value);
    }

    /** @return the table as CSV with a header row. */
    public String csv()
    {
        final StringBuilder out = new StringBuilder(String.join(",", columns)).append('\n');
        for (final Object[] row : rows)
        {
            for (int i = 0; i < row.length; i++)
            {
                out.append(i > 0 ? "," : "").append(format(row[i]));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** @return the table aligned in columns, for a terminal. */
    public String pretty()
    {
        final int[] width = new int[columns.size()];
        for (int i = 0; i < width.length; i++)
        {
            width[i] = columns.get(i).length();
        }
        for (final Object[] row : rows)
        {
            for (int i = 0; i < row.length; i++)
            {
                width[i] = Math.max(width[i], format(row[i]).length());
            }
        }
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < width.length; i++)
        {
            out.append(String.format(Locale.ROOT, "%-" + (width[i] + 2) + "s", columns.get(i)));
        }
        out.append('\n');
        for (final Object[] row : rows)
        {
            for (int i = 0; i < row.length; i++)
            {
                out.append(String.format(Locale.ROOT, "%-" + (width[i] + 2) + "s", format(row[i])));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
