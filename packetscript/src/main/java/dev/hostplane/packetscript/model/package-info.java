/**
 * The immutable script model: events with source positions, timings, packets (TCP, UDP, ICMP with their options
 * and IP clauses), system calls with their argument expressions, shell commands and python snippets. Values are
 * in script space exactly as written; equality ignores source positions.
 */
package dev.hostplane.packetscript.model;
