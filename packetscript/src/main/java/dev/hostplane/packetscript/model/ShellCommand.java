package dev.hostplane.packetscript.model;

/**
 * A shell command in backticks, run with {@code /bin/sh -c}; the text is kept exactly as written.
 *
 * @param commandLine the text between the backticks.
 */
public record ShellCommand(String commandLine) implements Action
{
}
