/**
 * Internals of the cache tiers (RAM tier, flash tier, metadata log); not for users, may change at any time.
 */
package dev.hostplane.flashcache.internal;
