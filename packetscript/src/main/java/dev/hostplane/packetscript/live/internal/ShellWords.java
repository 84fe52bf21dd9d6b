package dev.hostplane.packetscript.live.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Just enough of the POSIX shell's word splitting to read what a script's commands do
 * ({@link ScriptPreconditions}): one line into simple commands (split at {@code ; && || | &}), each into words with
 * quotes removed, {@code #} comments dropped, and redirection operators ({@code >}, {@code >>}, {@code 2>},
 * {@code 2>>}, {@code &>}) as words of their own ({@code 2>&1} gives {@code "2>"} then {@code "&1"}). Expansions
 * are left as written.
 */
final class ShellWords
{
    private ShellWords()
    {
    }

    /**
     * Whether a word from {@link #simpleCommands} is a redirection operator (its target is the next word).
     *
     * @param word the word.
     * @return true for {@code >}, {@code >>}, {@code 2>}, {@code 2>>}, {@code 1>}, {@code &>}.
     */
    static boolean isRedirection(final String word)
    {
        return ">".equals(word) || ">>".equals(word) || "2>".equals(word) || "2>>".equals(word) ||
            "1>".equals(word) || "1>>".equals(word) || "&>".equals(word) || "&>>".equals(word);
    }

    /**
     * Splits one logical line (continuations already joined) into simple commands.
     *
     * @param line the line.
     * @return each simple command's words.
     */
    static List<List<String>> simpleCommands(final String line)
    {
        final List<List<String>> commands = new ArrayList<>();
        List<String> words = new ArrayList<>();
        final StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++)
        {
            final char c = line.charAt(i);
            if (0 != quote)
            {
                if (c == quote)
                {
                    quote = 0;
                }
                else if ('\\' == c && '"' == quote && i + 1 < line.length())
                {
                    word.append(line.charAt(++i));
                }
                else
                {
                    word.append(c);
                }
                continue;
            }
            if ('\'' == c || '"' == c)
            {
                quote = c;
                inWord = true;
            }
            else if ('\\' == c && i + 1 < line.length())
            {
                word.append(line.charAt(++i));
                inWord = true;
            }
            else if ('#' == c && !inWord)
            {
                break;
            }
            else if (Character.isWhitespace(c))
            {
                inWord = flush(words, word, inWord);
            }
            else if ('>' == c)
            {
                final String prefix = inWord && ("1".contentEquals(word) || "2".contentEquals(word) ||
                    "&".contentEquals(word)) ? word.toString() : "";
                if (prefix.isEmpty())
                {
                    inWord = flush(words, word, inWord);
                }
                word.setLength(0);
                final boolean append = i + 1 < line.length() && '>' == line.charAt(i + 1);
                words.add(prefix + (append ? ">>" : ">"));
                i += append ? 1 : 0;
                inWord = false;
            }
            else if (';' == c || '|' == c || ('&' == c && !(i + 1 < line.length() && '>' == line.charAt(i + 1)) &&
                !(i > 0 && '>' == line.charAt(i - 1))))
            {
                inWord = flush(words, word, inWord);
                if (!words.isEmpty())
                {
                    commands.add(words);
                }
                words = new ArrayList<>();
                if (i + 1 < line.length() && line.charAt(i + 1) == c)
                {
                    i++;
                }
            }
            else
            {
                word.append(c);
                inWord = true;
            }
        }
        flush(words, word, inWord);
        if (!words.isEmpty())
        {
            commands.add(words);
        }
        return commands;
    }

    private static boolean flush(final List<String> words, final StringBuilder word, final boolean inWord)
    {
        if (inWord)
        {
            words.add(word.toString());
        }
        word.setLength(0);
        return false;
    }
}
