package dev.hostplane.packetscript;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.hostplane.packetscript.parse.ScriptParser;
import dev.hostplane.packetscript.print.ScriptPrinter;

/**
 * Entry point for packetdrill scripts: parse a {@code .pkt} file into an immutable {@link Script} and print a
 * script back in canonical packetdrill form.
 *
 * <pre>{@code
 * Script script = PacketScript.parse(Path.of("tcp/close/close-on-syn-sent.pkt"));
 * String text = PacketScript.print(script);      // parse(text) equals script
 * }</pre>
 *
 * <p>Definitions ({@code -D NAME=VALUE}, as on packetdrill's command line) replace words while lexing and take
 * precedence over {@code -D} lines in the script's own header.
 */
public final class PacketScript
{
    private PacketScript()
    {
    }

    /**
     * Parses a script file.
     *
     * @param path the file.
     * @return the script.
     * @throws ScriptParseException if the file cannot be read or parsed; the message has file:line:column.
     */
    public static Script parse(final Path path)
    {
        return parse(path, Map.of());
    }

    /**
     * Parses a script file with command-line definitions.
     *
     * @param path        the file.
     * @param definitions {@code -D} definitions, name to replacement text.
     * @return the script.
     * @throws ScriptParseException if the file cannot be read or parsed.
     */
    public static Script parse(final Path path, final Map<String, String> definitions)
    {
        final String text;
        try
        {
            text = Files.readString(path, StandardCharsets.ISO_8859_1);
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new ScriptParseException(path.toString(), ex);
        }
        return parse(path.toString(), text, definitions);
    }

    /**
     * Parses script text.
     *
     * @param source name used in error positions.
     * @param text   the script.
     * @return the script.
     * @throws ScriptParseException on the first error.
     */
    public static Script parse(final String source, final String text)
    {
        return parse(source, text, Map.of());
    }

    /**
     * Parses script text with definitions.
     *
     * @param source      name used in error positions.
     * @param text        the script.
     * @param definitions {@code -D} definitions.
     * @return the script.
     * @throws ScriptParseException on the first error.
     */
    public static Script parse(final String source, final String text, final Map<String, String> definitions)
    {
        return new ScriptParser(source, text, definitions).parse();
    }

    /**
     * Prints a script in canonical packetdrill form.
     *
     * @param script the model.
     * @return script text that parses back to an equal model.
     */
    public static String print(final Script script)
    {
        return ScriptPrinter.print(script);
    }
}
