package dev.hostplane.packetscript.parse;

/**
 * Kinds of lexical tokens of the packetdrill language.
 */
public enum TokenKind
{
    /** Decimal integer, e.g. {@code 1000}. */
    INTEGER,
    /** Hex integer, e.g. {@code 0x2}. */
    HEX_INTEGER,
    /** Decimal with a fraction, e.g. {@code .1} or {@code 0.200}. */
    FLOAT,
    /** Identifier or other alphanumeric run, e.g. {@code SOL_SOCKET}, {@code S}, {@code 3021b9d8}. */
    WORD,
    /** Double-quoted string; text is the raw content between the quotes. */
    STRING,
    /** Backtick shell command; text is the content between the backticks. */
    BACK_QUOTED,
    /** {@code %{ ... }%} python code; text is the content between the markers. */
    CODE,
    /** A header option line ({@code --name=value} or {@code -D NAME=VALUE}); text is the whole line. */
    OPTION,
    /** {@code ...}. */
    ELLIPSIS,
    /** One punctuation character. */
    PUNCT,
    /** End of input. */
    EOF
}
