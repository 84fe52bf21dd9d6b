package dev.hostplane.packetscript.model;

/**
 * A {@code %{ ... }%} python snippet; packetdrill runs all snippets with {@code python3} at the end of the script.
 *
 * @param text the text between {@code %{} and {@code }%}, exactly as written.
 */
public record PythonCode(String text) implements Action
{
}
