/**
 * Internal use only, not API: the libc calls a script's system calls, the namespaces and the sniffer need, bound
 * with JNA, and the kernel structures they pass ({@code msghdr}, {@code sockaddr}, {@code tcp_info}). The TUN device
 * itself is vswitch's {@code TunTapDevice}.
 */
package dev.hostplane.packetscript.live.internal.sys;
