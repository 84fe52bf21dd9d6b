/**
 * flashcache: a tiered RAM/flash block cache over a slow backing store (Holland et al., client-side flash
 * caching). Start with {@link dev.hostplane.flashcache.BlockCache} and {@link dev.hostplane.flashcache.CacheConfig}.
 */
package dev.hostplane.flashcache;
