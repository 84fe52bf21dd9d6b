/**
 * Checks event times against their timing forms and tolerance, over an injectable clock.
 */
package dev.hostplane.packetscript.timing;
