/**
 * Replacement policies over fixed slot arrays (LRU, ARC, S3-FIFO), allocation-free.
 */
package dev.hostplane.flashcache.policy;
