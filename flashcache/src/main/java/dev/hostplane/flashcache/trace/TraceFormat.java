package dev.hostplane.flashcache.trace;

import java.util.Locale;

/**
 * Block-trace formats of the published cache traces, and the unit each one counts a cache in.
 */
public enum TraceFormat
{
    /** ARC traces (Megiddo and Modha): {@code start nblocks ignore reqno}, expanded to 512-byte pages. */
    ARC("512-byte pages"),
    /** LIRS traces (Jiang and Zhang): one block number a line. */
    LIRS("blocks"),
    /** CloudPhysics CSV {@code version,time,op,size,lbn} (lbn in 512-byte sectors), expanded to 4 KiB blocks. */
    CLOUDPHYSICS("4 KiB blocks");

    private final String unit;

    TraceFormat(final String unit)
    {
        this.unit = unit;
    }

    /**
     * @return the unit of one cache entry in this format, e.g. "512-byte pages".
     */
    public String unit()
    {
        return unit;
    }

    /**
     * Parses a format name ({@code arc}, {@code lirs}, {@code cloudphysics}).
     *
     * @param name the name, any case.
     * @return the format.
     * @throws IllegalArgumentException naming the accepted values when unknown.
     */
    public static TraceFormat parse(final String name)
    {
        for (final TraceFormat format : values())
        {
            if (format.name().equalsIgnoreCase(name.trim()))
            {
                return format;
            }
        }
        throw new IllegalArgumentException("format=" + name + " is unknown (expected: arc, lirs, cloudphysics)");
    }

    @Override
    public String toString()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
