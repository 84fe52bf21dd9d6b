package dev.hostplane.packetscript.model;

/**
 * The transport part of a packet statement.
 */
public sealed interface TransportSpec permits TcpSpec, UdpSpec, IcmpSpec
{
}
