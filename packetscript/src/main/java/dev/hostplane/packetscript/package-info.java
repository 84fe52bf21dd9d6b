/**
 * packetscript: packetdrill-compatible network test scripts.
 *
 * <p>The language half is driven from here: {@link dev.hostplane.packetscript.PacketScript#parse(java.nio.file.Path)}
 * turns a {@code .pkt} file into an immutable {@link dev.hostplane.packetscript.Script} (or throws a
 * {@link dev.hostplane.packetscript.ScriptParseException} naming file:line:column, the offending text and what
 * was expected), {@link dev.hostplane.packetscript.PacketScript#print(Script)} writes it back in canonical form,
 * and {@link dev.hostplane.packetscript.ScriptChecker} finds what a run would trip over before it starts.
 *
 * <p>An executor walks {@link dev.hostplane.packetscript.Script#events()}: each
 * {@link dev.hostplane.packetscript.model.Event} has a {@link dev.hostplane.packetscript.model.Timing} (checked
 * with {@link dev.hostplane.packetscript.timing.TimingEngine}) and an action: a
 * {@link dev.hostplane.packetscript.model.PacketSpec} (inbound ones are built with
 * {@link dev.hostplane.packetscript.packet.InboundPacketBuilder}, outbound ones checked with
 * {@link dev.hostplane.packetscript.packet.OutboundPacketVerifier}, both through a per-connection
 * {@link dev.hostplane.packetscript.packet.ConnectionMapping}), a
 * {@link dev.hostplane.packetscript.model.SyscallSpec} (arguments evaluated with
 * {@link dev.hostplane.packetscript.linux.LinuxSymbols}), a shell command or a python snippet.
 */
package dev.hostplane.packetscript;
