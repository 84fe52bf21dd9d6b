package dev.hostplane.syslog.internal.output;

/**
 * omfile settings shared by static and dynamic files ({@code $FileCreateMode}, {@code dirCreateMode},
 * {@code createDirs}, sync).
 */
public final class FileOptions
{
    /** Octal mode for new files, -1 to leave the default. */
    public int fileCreateMode = 0644;
    /** Octal mode for new directories. */
    public int dirCreateMode = 0700;
    /** Create missing directories. */
    public boolean createDirs = true;
    /** fsync after each flush. */
    public boolean sync;
    /** Dynafile cache size. */
    public int dynaFileCacheSize = 10;
    /** Messages an action holds while its file fails ({@code queue.size} when given). */
    public int holdLimit = 10_000;

    /**
     * A copy (each action keeps its own).
     *
     * @return copy.
     */
    public FileOptions copy()
    {
        final FileOptions c = new FileOptions();
        c.fileCreateMode = fileCreateMode;
        c.dirCreateMode = dirCreateMode;
        c.createDirs = createDirs;
        c.sync = sync;
        c.dynaFileCacheSize = dynaFileCacheSize;
        c.holdLimit = holdLimit;
        return c;
    }
}
