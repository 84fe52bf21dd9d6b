/**
 * OpenFlow agent internals: framing, HELLO negotiation and liveness per connection, translation
 * between openflowj messages and the switch's control API. Not API.
 */
package dev.hostplane.vswitch.openflow.internal;
