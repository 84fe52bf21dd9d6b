package dev.hostplane.packetscript.parse;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

import dev.hostplane.packetscript.ScriptParseException;
import dev.hostplane.packetscript.model.SourcePosition;

/**
 * Splits packetdrill script text into tokens.
 *
 * <p>Like packetdrill's flex lexer, it substitutes {@code -D NAME=VALUE} definitions: a word that names a
 * definition is replaced by the tokens of its value (definitions given by the caller win over the script's own,
 * as command-line options win over script options). Newlines carry no meaning except that header options
 * ({@code --name=value}, {@code -D NAME=VALUE}) run to the end of their line.
 */
public final class Lexer
{
    /** Bound on nested definition expansion, so a definition that names itself cannot loop. */
    private static final int MAX_DEFINITION_DEPTH = 8;

    private final String source;
    private final String text;
    private final int[] lineStarts;
    private final Map<String, String> callerDefinitions;
    private final Map<String, String> scriptDefinitions = new HashMap<>();
    private final Deque<Token> pending = new ArrayDeque<>();
    private final int depth;
    private int pos;

    /**
     * Creates a lexer.
     *
     * @param source      source name for positions.
     * @param text        the script text.
     * @param definitions caller definitions (e.g. command-line {@code -D}), never null.
     */
    public Lexer(final String source, final String text, final Map<String, String> definitions)
    {
        this(source, text, definitions, 0);
    }

    private Lexer(final String source, final String text, final Map<String, String> definitions, final int depth)
    {
        this.source = source;
        this.text = text;
        this.callerDefinitions = definitions;
        this.depth = depth;
        int count = 1;
        for (int i = 0; i < text.length(); i++)
        {
            if (text.charAt(i) == '\n')
            {
                count++;
            }
        }
        lineStarts = new int[count];
        int line = 1;
        for (int i = 0; i < text.length(); i++)
        {
            if (text.charAt(i) == '\n')
            {
                lineStarts[line++] = i + 1;
            }
        }
    }

    /**
     * Registers a definition made by the script itself ({@code -D NAME=VALUE} in its header).
     *
     * @param name  the name.
     * @param value the replacement text.
     */
    public void defineFromScript(final String name, final String value)
    {
        scriptDefinitions.put(name, value);
    }

    /**
     * The source position of an offset.
     *
     * @param offset offset into the text.
     * @return line and column.
     */
    public SourcePosition positionOf(final int offset)
    {
        int index = Arrays.binarySearch(lineStarts, offset);
        if (index < 0)
        {
            index = -index - 2;
        }
        return new SourcePosition(source, index + 1, offset - lineStarts[index] + 1);
    }

    /**
     * The script text.
     *
     * @return the text being lexed.
     */
    public String text()
    {
        return text;
    }

    /**
     * Continues lexing at an offset (after the parser consumed raw text), dropping queued tokens.
     *
     * @param offset the new offset.
     */
    public void reset(final int offset)
    {
        pending.clear();
        pos = offset;
    }

    /**
     * The next token.
     *
     * @return the token, {@link TokenKind#EOF} at the end.
     * @throws ScriptParseException on malformed input.
     */
    public Token next()
    {
        if (!pending.isEmpty())
        {
            return pending.poll();
        }
        final Token token = scan();
        if (token.kind() == TokenKind.WORD && depth < MAX_DEFINITION_DEPTH)
        {
            String value = callerDefinitions.get(token.text());
            if (value == null)
            {
                value = scriptDefinitions.get(token.text());
            }
            if (value != null)
            {
                return expand(token, value);
            }
        }
        return token;
    }

    private Token expand(final Token word, final String value)
    {
        final Map<String, String> merged = new HashMap<>(scriptDefinitions);
        merged.putAll(callerDefinitions);
        merged.remove(word.text());
        final Lexer sub = new Lexer(source + " (definition " + word.text() + ")", value, merged, depth + 1);
        Token t = sub.next();
        while (t.kind() != TokenKind.EOF)
        {
            // Tokens of the value are reported at the place of the word they replace.
            pending.add(new Token(t.kind(), t.text(), word.offset(), word.endOffset(), word.line(), word.column()));
            t = sub.next();
        }
        if (pending.isEmpty())
        {
            return next();
        }
        return pending.poll();
    }

    private Token token(final TokenKind kind, final String value, final int start, final int end)
    {
        final SourcePosition p = positionOf(start);
        return new Token(kind, value, start, end, p.line(), p.column());
    }

    private ScriptParseException error(final int offset, final String found, final String expected)
    {
        return new ScriptParseException(positionOf(offset), found, "expected " + expected);
    }

    private boolean atLineStart(final int offset)
    {
        for (int i = offset - 1; i >= 0; i--)
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

    private char at(final int i)
    {
        return i < text.length() ? text.charAt(i) : '\0';
    }

    private Token scan()
    {
        skipSpaceAndComments();
        final int n = text.length();
        if (pos >= n)
        {
            return token(TokenKind.EOF, "", n, n);
        }
        final int start = pos;
        final char c = text.charAt(pos);
        if (c == '`')
        {
            final int close = text.indexOf('`', pos + 1);
            if (close < 0)
            {
                throw error(start, "`", "a closing backtick for this shell command");
            }
            pos = close + 1;
            return token(TokenKind.BACK_QUOTED, text.substring(start + 1, close), start, pos);
        }
        if (c == '%' && at(pos + 1) == '{')
        {
            final int close = text.indexOf("}%", pos + 2);
            if (close < 0)
            {
                throw error(start, "%{", "a closing }% for this python block");
            }
            pos = close + 2;
            return token(TokenKind.CODE, text.substring(start + 2, close), start, pos);
        }
        if (c == '"')
        {
            int i = pos + 1;
            while (i < n && text.charAt(i) != '"')
            {
                if (text.charAt(i) == '\\')
                {
                    i++;
                }
                i++;
            }
            if (i >= n)
            {
                throw error(start, "\"", "a closing double quote for this string");
            }
            pos = i + 1;
            return token(TokenKind.STRING, text.substring(start + 1, i), start, pos);
        }
        if (c == '-' && atLineStart(pos) &&
            ((at(pos + 1) == '-' && Character.isLetter(at(pos + 2))) || at(pos + 1) == 'D'))
        {
            int end = text.indexOf('\n', pos);
            end = end < 0 ? n : end;
            String line = text.substring(start, end);
            final int comment = line.indexOf("//");
            if (comment >= 0)
            {
                line = line.substring(0, comment);
            }
            pos = end;
            return token(TokenKind.OPTION, line.strip(), start, start + line.length());
        }
        if (c == '.' && at(pos + 1) == '.' && at(pos + 2) == '.')
        {
            pos += 3;
            return token(TokenKind.ELLIPSIS, "...", start, pos);
        }
        if (c == '.' && isDigit(at(pos + 1)))
        {
            pos++;
            while (isDigit(at(pos)))
            {
                pos++;
            }
            return token(TokenKind.FLOAT, text.substring(start, pos), start, pos);
        }
        if (isDigit(c))
        {
            return number(start);
        }
        if (isWordChar(c))
        {
            while (isWordChar(at(pos)))
            {
                pos++;
            }
            return token(TokenKind.WORD, text.substring(start, pos), start, pos);
        }
        if ("<>()[]{},:=|+*~.-;/!".indexOf(c) >= 0)
        {
            pos++;
            return token(TokenKind.PUNCT, String.valueOf(c), start, pos);
        }
        throw error(start, String.valueOf(c), "a token (unexpected character " +
            (c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int)c) : "'" + c + "'") + ")");
    }

    private Token number(final int start)
    {
        if (text.charAt(pos) == '0' && (at(pos + 1) == 'x' || at(pos + 1) == 'X') &&
            Character.digit(at(pos + 2), 16) >= 0)
        {
            pos += 2;
            while (Character.digit(at(pos), 16) >= 0)
            {
                pos++;
            }
            if (isWordChar(at(pos)))
            {
                return wordFrom(start);
            }
            return token(TokenKind.HEX_INTEGER, text.substring(start, pos), start, pos);
        }
        while (isDigit(at(pos)))
        {
            pos++;
        }
        if (at(pos) == '.' && isDigit(at(pos + 1)))
        {
            pos++;
            while (isDigit(at(pos)))
            {
                pos++;
            }
            return token(TokenKind.FLOAT, text.substring(start, pos), start, pos);
        }
        if (isWordChar(at(pos)))
        {
            // Hex blobs such as fast open cookies may start with digits: 3021b9d889017eeb.
            return wordFrom(start);
        }
        return token(TokenKind.INTEGER, text.substring(start, pos), start, pos);
    }

    private Token wordFrom(final int start)
    {
        while (isWordChar(at(pos)))
        {
            pos++;
        }
        return token(TokenKind.WORD, text.substring(start, pos), start, pos);
    }

    private void skipSpaceAndComments()
    {
        final int n = text.length();
        while (pos < n)
        {
            final char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f')
            {
                pos++;
            }
            else if (c == '/' && at(pos + 1) == '/')
            {
                while (pos < n && text.charAt(pos) != '\n')
                {
                    pos++;
                }
            }
            else if (c == '/' && at(pos + 1) == '*')
            {
                final int close = text.indexOf("*/", pos + 2);
                if (close < 0)
                {
                    throw error(pos, "/*", "a closing */ for this comment");
                }
                pos = close + 2;
            }
            else
            {
                return;
            }
        }
    }

    private static boolean isDigit(final char c)
    {
        return c >= '0' && c <= '9';
    }

    private static boolean isWordChar(final char c)
    {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
}
