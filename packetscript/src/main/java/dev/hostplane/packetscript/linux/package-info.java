/**
 * Linux x86_64 values of the symbolic constants and errno names scripts use.
 */
package dev.hostplane.packetscript.linux;
