/**
 * The trace-driven simulator of Holland et al.'s study of client-side flash caching: the paper's trace format
 * and a seeded statistical workload generator, device models (RAM, SATA flash, network, a filer with read-ahead
 * and its own cache, a plain disk array) with documented parameters, and a discrete-event loop that runs the
 * real {@link dev.hostplane.flashcache.BlockCache} on simulated time; plus the paper's experiments.
 */
package dev.hostplane.flashcache.sim;
