/**
 * Lexer and recursive-descent parser for the packetdrill language; use
 * {@link dev.hostplane.packetscript.PacketScript} rather than these classes directly.
 */
package dev.hostplane.packetscript.parse;
