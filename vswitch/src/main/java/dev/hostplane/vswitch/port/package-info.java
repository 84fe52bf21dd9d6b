/**
 * Switch ports (VS-D6, VS-D7): in-process {@link dev.hostplane.vswitch.port.EndpointPort}s with
 * SPSC rings, Linux {@link dev.hostplane.vswitch.port.TapPort}s, the reusable
 * {@link dev.hostplane.vswitch.port.FrameBatch}, and per-port counters.
 */
package dev.hostplane.vswitch.port;
