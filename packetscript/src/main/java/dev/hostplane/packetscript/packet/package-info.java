/**
 * Script packets to live bytes and back: building inbound packets, verifying outbound ones field by field as
 * packetdrill does, mapping sequence numbers and timestamps between script and live space, and joining TSO
 * segments. Built on the vswitch packet flyweights.
 */
package dev.hostplane.packetscript.packet;
