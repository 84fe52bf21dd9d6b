/**
 * Readers for published block traces (ARC, LIRS, CloudPhysics), trace replay against a policy, and workload
 * generators.
 */
package dev.hostplane.flashcache.trace;
