/**
 * Canonical printing of script models, statement by statement or whole scripts.
 */
package dev.hostplane.packetscript.print;
