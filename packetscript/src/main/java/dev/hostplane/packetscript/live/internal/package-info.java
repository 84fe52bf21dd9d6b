/**
 * Internal use only, not API: what the live runner needs besides the executor, namely reading a script's
 * preconditions from its shell commands ({@code ScriptPreconditions}, {@code ShellWords}) and probing this kernel
 * for them ({@code KernelFeatures}). Embedders run scripts through {@code dev.hostplane.packetscript.live}.
 */
package dev.hostplane.packetscript.live.internal;
