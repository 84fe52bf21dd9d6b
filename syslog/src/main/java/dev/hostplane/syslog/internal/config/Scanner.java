package dev.hostplane.syslog.internal.config;

import dev.hostplane.syslog.SyslogConfigException;

/**
 * Character scanner over one config file with line/column tracking, comment skipping and the
 * token helpers the config parser needs.
 */
final class Scanner
{
    final String file;
    final String text;
    int pos;

    Scanner(final String file, final String text)
    {
        this.file = file;
        this.text = text;
    }

    boolean eof()
    {
        return pos >= text.length();
    }

    char peek()
    {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    char peek(final int ahead)
    {
        return pos + ahead < text.length() ? text.charAt(pos + ahead) : '\0';
    }

    int line(final int at)
    {
        int line = 1;
        for (int i = 0; i < at && i < text.length(); i++)
        {
            if (text.charAt(i) == '\n')
            {
                line++;
            }
        }
        return line;
    }

    int column(final int at)
    {
        int col = 1;
        for (int i = Math.min(at, text.length()) - 1; i >= 0 && text.charAt(i) != '\n'; i--)
        {
            col++;
        }
        return col;
    }

    SyslogConfigException error(final int at, final String what)
    {
        return new SyslogConfigException(file, line(at), column(at), what);
    }

    SyslogConfigException error(final String what)
    {
        return error(pos, what);
    }

    /** Whether only blanks precede the position on its line. */
    boolean atLineStart()
    {
        for (int i = pos - 1; i >= 0; i--)
        {
            final char c = text.charAt(i);
            if (c == '\n')
            {
                return true;
            }
            if (c != ' ' && c != '\t' && c != '\r')
            {
                return false;
            }
        }
        return true;
    }

    /** Skips blanks, comments and (if asked) line ends. */
    void skip(final boolean newlines)
    {
        while (pos < text.length())
        {
            final char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\r' || (newlines && c == '\n'))
            {
                pos++;
            }
            else if (c == '\\' && peek(1) == '\n')
            {
                pos += 2;
            }
            else if (c == '#')
            {
                while (pos < text.length() && text.charAt(pos) != '\n')
                {
                    pos++;
                }
            }
            else if (c == '/' && peek(1) == '*')
            {
                final int end = text.indexOf("*/", pos + 2);
                if (end < 0)
                {
                    throw error("unterminated comment: expected '*/'");
                }
                pos = end + 2;
            }
            else
            {
                break;
            }
        }
    }

    /**
     * Skips blanks, comments and line ends, then consumes {@code close} if it comes next: the step at the top
     * of every loop over a bracketed list of items (parameters, arrays, list-template items).
     *
     * @return true if the list ended here.
     */
    boolean skipToClose(final char close)
    {
        skip(true);
        if (peek() == close)
        {
            pos++;
            return true;
        }
        return false;
    }

    boolean isWordChar(final char c)
    {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.';
    }

    /** Reads [A-Za-z0-9_.-]+ (may be empty). */
    String word()
    {
        final int start = pos;
        while (pos < text.length() && isWordChar(text.charAt(pos)))
        {
            pos++;
        }
        return text.substring(start, pos);
    }

    /** Reads to end of line (not including it), trimmed. */
    String restOfLine()
    {
        final int start = pos;
        while (pos < text.length() && text.charAt(pos) != '\n')
        {
            pos++;
        }
        return text.substring(start, pos).trim();
    }

    void expect(final char c, final String context)
    {
        skip(true);
        if (peek() != c)
        {
            throw error("expected '" + c + "' " + context + ", found " + describe());
        }
        pos++;
    }

    String describe()
    {
        if (eof())
        {
            return "end of file";
        }
        final char c = peek();
        if (c == '\n')
        {
            return "end of line";
        }
        int end = pos;
        while (end < text.length() && end - pos < 20 && !Character.isWhitespace(text.charAt(end)))
        {
            end++;
        }
        return "'" + text.substring(pos, Math.max(end, pos + 1)) + "'";
    }

    /** Reads a quoted string ("..." or '...') with RainerScript escapes. */
    String string()
    {
        final char quote = peek();
        final int start = pos;
        pos++;
        final StringBuilder sb = new StringBuilder();
        while (true)
        {
            if (eof())
            {
                throw error(start, "unterminated string: expected closing " + quote);
            }
            final char c = text.charAt(pos++);
            if (c == quote)
            {
                return sb.toString();
            }
            if (c == '\\' && !eof())
            {
                final char n = text.charAt(pos++);
                switch (n)
                {
                    case 'n':
                        sb.append('\n');
                        break;
                    case 't':
                        sb.append('\t');
                        break;
                    case 'r':
                        sb.append('\r');
                        break;
                    case '\\':
                        sb.append('\\');
                        break;
                    case '"':
                    case '\'':
                    case '$':
                        sb.append(n);
                        break;
                    default:
                        sb.append('\\').append(n);
                        break;
                }
            }
            else
            {
                sb.append(c);
            }
        }
    }
}
