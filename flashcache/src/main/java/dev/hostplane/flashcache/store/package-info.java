/**
 * Backing stores: files in a directory, memory (tests, simulator), and a latency-injecting wrapper.
 */
package dev.hostplane.flashcache.store;
