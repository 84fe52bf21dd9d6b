package dev.hostplane.packetscript.parse;

/**
 * One lexical token with its place in the source.
 *
 * @param kind      the kind.
 * @param text      the token text (content only for strings, commands and code).
 * @param offset    offset of the first character in the source.
 * @param endOffset offset after the last character.
 * @param line      1-based line.
 * @param column    1-based column.
 */
public record Token(TokenKind kind, String text, int offset, int endOffset, int line, int column)
{
    /**
     * Whether this is the given punctuation character.
     *
     * @param c the character.
     * @return true if it is.
     */
    public boolean is(final char c)
    {
        return kind == TokenKind.PUNCT && text.length() == 1 && text.charAt(0) == c;
    }

    /**
     * Whether this is the given word.
     *
     * @param word the word.
     * @return true if it is.
     */
    public boolean isWord(final String word)
    {
        return kind == TokenKind.WORD && text.equals(word);
    }

    /**
     * Text as shown in an error message.
     *
     * @return the text, or {@code end of file}.
     */
    public String display()
    {
        if (kind == TokenKind.EOF)
        {
            return "end of file";
        }
        final String shown = switch (kind)
        {
            case STRING -> "\"" + text + "\"";
            case BACK_QUOTED -> "`" + text + "`";
            case CODE -> "%{" + text + "}%";
            default -> text;
        };
        final String firstLine = shown.lines().findFirst().orElse("");
        return firstLine.length() > 40 ? firstLine.substring(0, 40) + "..." : firstLine;
    }
}
