package dev.hostplane.syslog.internal.template;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Translates POSIX regular expressions (BRE with GNU extensions, and ERE) into
 * {@link java.util.regex.Pattern}s with the same meaning.
 */
public final class RegexTranslator
{
    private RegexTranslator()
    {
    }

    /**
     * Compiles a POSIX regex.
     *
     * @param posix    the expression.
     * @param extended true for ERE, false for BRE.
     * @param ignoreCase case-insensitive matching.
     * @return the pattern.
     * @throws IllegalArgumentException when it does not compile.
     */
    public static Pattern compile(final String posix, final boolean extended, final boolean ignoreCase)
    {
        final String java = extended ? translateEre(posix) : translateBre(posix);
        try
        {
            return Pattern.compile(java, ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
        }
        catch (final PatternSyntaxException ex)
        {
            throw new IllegalArgumentException("invalid regex=\"" + posix + "\": " + ex.getDescription(), ex);
        }
    }

    private static int bracket(final String s, final int start, final StringBuilder out)
    {
        int i = start + 1;
        out.append('[');
        if (i < s.length() && s.charAt(i) == '^')
        {
            out.append('^');
            i++;
        }
        if (i < s.length() && s.charAt(i) == ']')
        {
            out.append("\\]");
            i++;
        }
        while (i < s.length() && s.charAt(i) != ']')
        {
            final char c = s.charAt(i);
            if (c == '[' && i + 1 < s.length() && s.charAt(i + 1) == ':')
            {
                final int close = s.indexOf(":]", i + 2);
                if (close > 0)
                {
                    out.append(posixClass(s.substring(i + 2, close)));
                    i = close + 2;
                    continue;
                }
            }
            if (c == '\\' || c == '[' || c == '&' || c == '^')
            {
                out.append('\\');
            }
            out.append(c);
            i++;
        }
        if (i >= s.length())
        {
            throw new IllegalArgumentException("invalid regex=\"" + s + "\": unterminated bracket expression, expected ']'");
        }
        out.append(']');
        return i + 1;
    }

    private static String posixClass(final String name)
    {
        switch (name)
        {
            case "alpha":
                return "\\p{Alpha}";
            case "digit":
                return "\\p{Digit}";
            case "alnum":
                return "\\p{Alnum}";
            case "upper":
                return "\\p{Upper}";
            case "lower":
                return "\\p{Lower}";
            case "space":
                return "\\s\\x0B";
            case "blank":
                return " \\t";
            case "punct":
                return "\\p{Punct}";
            case "xdigit":
                return "\\p{XDigit}";
            case "cntrl":
                return "\\p{Cntrl}";
            case "print":
                return "\\p{Print}";
            case "graph":
                return "\\p{Graph}";
            default:
                throw new IllegalArgumentException("unknown character class=[:" + name + ":]");
        }
    }

    private static String translateEre(final String s)
    {
        final StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length())
        {
            final char c = s.charAt(i);
            if (c == '[')
            {
                i = bracket(s, i, out);
                continue;
            }
            if (c == '\\' && i + 1 < s.length())
            {
                out.append(c).append(s.charAt(i + 1));
                i += 2;
                continue;
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    private static String translateBre(final String s)
    {
        final StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length())
        {
            final char c = s.charAt(i);
            if (c == '[')
            {
                i = bracket(s, i, out);
                continue;
            }
            if (c == '\\' && i + 1 < s.length())
            {
                final char n = s.charAt(i + 1);
                if (n == '(' || n == ')' || n == '{' || n == '}' || n == '|' || n == '+' || n == '?')
                {
                    out.append(n);
                }
                else
                {
                    out.append('\\').append(n);
                }
                i += 2;
                continue;
            }
            if (c == '(' || c == ')' || c == '{' || c == '}' || c == '|' || c == '+' || c == '?')
            {
                out.append('\\').append(c);
            }
            else if (c == '*' && (i == 0 || (i == 1 && s.charAt(0) == '^')))
            {
                out.append("\\*");
            }
            else
            {
                out.append(c);
            }
            i++;
        }
        return out.toString();
    }
}
