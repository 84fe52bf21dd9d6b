/**
 * Internal use only: switching workers, port registry, packet-in ring and tracing. Not part of the
 * public API; may change without notice.
 */
package dev.hostplane.vswitch.internal;
