package dev.hostplane.packetscript.model;

/**
 * What an event does: inject or expect a packet, make a system call, run a shell command or a python snippet.
 */
public sealed interface Action permits PacketSpec, SyscallSpec, ShellCommand, PythonCode
{
}
