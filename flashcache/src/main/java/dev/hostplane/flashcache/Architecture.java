package dev.hostplane.flashcache;

/**
 * How the RAM and flash tiers relate (Holland et al.).
 */
public enum Architecture
{
    /** Independent, inclusive tiers: a block read from the backing store is put in both RAM and flash. */
    NAIVE,
    /**
     * One cache over RAM and flash, exclusive for clean blocks: reads fill RAM only, RAM evictions move
     * blocks down to flash and flash hits move them up. A dirty block keeps its flash copy until written back.
     */
    UNIFIED
}
