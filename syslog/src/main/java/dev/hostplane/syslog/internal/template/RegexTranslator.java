package dev.hostplane.syslog.internal.template;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * Translates POSIX regular expressions (BRE with the GNU extensions glibc gives rsyslog, and ERE)
 * into RE2 patterns ({@link com.google.re2j.Pattern}) with the same meaning, matched in time linear
 * in the input whatever the pattern: a hostile pattern such as {@code (.*),(.*),(.*),(.*)x} cannot
 * stall the rule thread as a backtracking engine would. Matching is POSIX leftmost-longest, and
 * {@code .} matches any character, as glibc's {@code regexec} without {@code REG_NEWLINE}.
 * <p>
 * What RE2 cannot match in linear time is refused when the config is loaded (the caller adds the
 * file:line:column): back-references ({@code \1}..{@code \9}), and the GNU word-edge operators
 * {@code \<}, {@code \>}, {@code \`}, {@code \'} (use {@code \b}).
 */
public final class RegexTranslator
{
    private static final String POSIX_CLASSES =
        "|alnum|alpha|ascii|blank|cntrl|digit|graph|lower|print|punct|space|upper|word|xdigit|";

    private RegexTranslator()
    {
    }

    /**
     * Compiles a POSIX regex.
     *
     * @param posix      the expression.
     * @param extended   true for ERE, false for BRE.
     * @param ignoreCase case-insensitive matching.
     * @return the pattern.
     * @throws IllegalArgumentException when it does not compile or cannot be matched in linear time.
     */
    public static Pattern compile(final String posix, final boolean extended, final boolean ignoreCase)
    {
        final String re2 = translate(posix, extended);
        try
        {
            return Pattern.compile(re2, Pattern.DOTALL | Pattern.LONGEST_MATCH |
                (ignoreCase ? Pattern.CASE_INSENSITIVE : 0));
        }
        catch (final PatternSyntaxException ex)
        {
            throw new IllegalArgumentException("invalid regex=\"" + posix + "\": " + ex.getDescription(), ex);
        }
    }

    /**
     * The RE2 form of a POSIX expression.
     *
     * @param posix    the expression.
     * @param extended true for ERE, false for BRE.
     * @return RE2 syntax.
     * @throws IllegalArgumentException for what RE2 cannot do in linear time.
     */
    static String translate(final String posix, final boolean extended)
    {
        final StringBuilder out = new StringBuilder(posix.length() + 8);
        int i = 0;
        while (i < posix.length())
        {
            final char c = posix.charAt(i);
            if (c == '[')
            {
                i = bracket(posix, i, out);
                continue;
            }
            if (c == '\\')
            {
                if (i + 1 >= posix.length())
                {
                    throw new IllegalArgumentException("invalid regex=\"" + posix + "\": trailing backslash");
                }
                escape(posix, posix.charAt(i + 1), extended, out);
                i += 2;
                continue;
            }
            if (!extended)
            {
                bre(posix, i, c, out);
            }
            else
            {
                out.append(c);
            }
            i++;
        }
        return out.toString();
    }

    /** A plain character of a BRE: ( ) { } | + ? are literals there, * at the start too. */
    private static void bre(final String s, final int i, final char c, final StringBuilder out)
    {
        if (c == '(' || c == ')' || c == '{' || c == '}' || c == '|' || c == '+' || c == '?')
        {
            out.append('\\').append(c);
        }
        else if (c == '*' && (i == 0 || (i == 1 && s.charAt(0) == '^') || s.startsWith("\\(", i - 2)))
        {
            out.append("\\*");
        }
        else
        {
            out.append(c);
        }
    }

    /** {@code \x}: BRE operators, GNU escapes, refusals, or the literal character. */
    private static void escape(final String s, final char n, final boolean extended, final StringBuilder out)
    {
        if (n >= '1' && n <= '9')
        {
            throw new IllegalArgumentException("regex=\"" + s + "\": back-reference \\" + n + " is not supported: " +
                "it cannot be matched in linear time (this engine matches every regex in linear time)");
        }
        switch (n)
        {
            case '<':
            case '>':
            case '`':
            case '\'':
                throw new IllegalArgumentException("regex=\"" + s + "\": \\" + n + " is not supported (use \\b " +
                    "for a word edge)");
            case 'w':
            case 'W':
            case 's':
            case 'S':
            case 'b':
            case 'B':
                out.append('\\').append(n);
                return;
            default:
                break;
        }
        if (!extended && (n == '(' || n == ')' || n == '{' || n == '}' || n == '|' || n == '+' || n == '?'))
        {
            out.append(n);
            return;
        }
        if (Character.isLetterOrDigit(n) || n > 0x7F)
        {
            // glibc: an escaped ordinary character is that character.
            out.append(n);
        }
        else
        {
            out.append('\\').append(n);
        }
    }

    /** A bracket expression: backslash is literal in POSIX, [:class:] is kept, collating elements are refused. */
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
            if (c == '[' && i + 1 < s.length() && (s.charAt(i + 1) == ':' || s.charAt(i + 1) == '.' ||
                s.charAt(i + 1) == '='))
            {
                final char kind = s.charAt(i + 1);
                final int close = s.indexOf(kind + "]", i + 2);
                if (close < 0)
                {
                    throw new IllegalArgumentException("invalid regex=\"" + s + "\": unterminated [" + kind);
                }
                final String name = s.substring(i + 2, close);
                if (kind != ':')
                {
                    throw new IllegalArgumentException("regex=\"" + s + "\": collating elements [" + kind + name + kind +
                        "] are not supported");
                }
                if (!POSIX_CLASSES.contains("|" + name + "|"))
                {
                    throw new IllegalArgumentException("invalid regex=\"" + s + "\": unknown character class [:" + name +
                        ":]");
                }
                out.append("[:").append(name).append(":]");
                i = close + 2;
                continue;
            }
            if (c == '\\' || c == '[')
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
}
