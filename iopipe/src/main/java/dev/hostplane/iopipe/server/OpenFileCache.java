package dev.hostplane.iopipe.server;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.hostplane.iopipe.internal.LibC;
import io.netty.channel.EventLoop;

/**
 * Descriptors of the regular files one event loop served recently, by request path, like nginx's
 * {@code open_file_cache}: a repeated request then costs one {@code statx} on the open descriptor instead
 * of {@code openat2}, {@code statx} and {@code close} (those three were a fifth of the server's CPU per
 * 4 KiB response). What is cached is the result of the race-free open beneath the root, so a cached
 * descriptor never reaches outside it, whatever happens to the path afterwards. Freshness: the
 * {@code statx} of every hit reads size, mtime and type from the file itself, so a file changed in place is
 * served as it is now; a file deleted or renamed over has no name left (nlink 0) and is opened again; an
 * entry is opened again at the latest after the validity period, which bounds how long a file moved away
 * (still linked elsewhere) keeps being served under its old path. Entries are closed when they expire,
 * once the responses still sending from them are done (reference counts). Event-loop-confined, except
 * {@link #of} and {@link #closeAll}.
 */
final class OpenFileCache implements Runnable
{
    /** Entries per event loop (nginx's open_file_cache max=1000 per worker); past it, opens go uncached. */
    static final int MAX_ENTRIES = 1000;

    /** An open file shared by the cache and the responses sending from it; closed when the last one lets go. */
    static final class OpenFile
    {
        final int fd;
        private int references;

        OpenFile(final int fd, final int references)
        {
            this.fd = fd;
            this.references = references;
        }

        void retain()
        {
            references++;
        }

        void release()
        {
            if (0 == --references)
            {
                LibC.close(fd);
            }
        }
    }

    /** A path as a map key; the cache's lookup key is reused, stored keys own a copy of the bytes. */
    private static final class PathKey
    {
        private byte[] bytes;
        private int length;
        private int hash;

        PathKey set(final byte[] path, final int length)
        {
            this.bytes = path;
            this.length = length;
            int h = 1;
            for (int i = 0; i < length; i++)
            {
                h = 31 * h + path[i];
            }
            this.hash = h;
            return this;
        }

        PathKey copy()
        {
            final PathKey k = new PathKey();
            k.bytes = Arrays.copyOf(bytes, length);
            k.length = length;
            k.hash = hash;
            return k;
        }

        @Override
        public int hashCode()
        {
            return hash;
        }

        @Override
        public boolean equals(final Object o)
        {
            if (!(o instanceof PathKey))
            {
                return false;
            }
            final PathKey k = (PathKey)o;
            return hash == k.hash && Arrays.equals(bytes, 0, length, k.bytes, 0, k.length);
        }
    }

    private static final class Entry
    {
        final OpenFile file;
        final long openedAt;

        Entry(final OpenFile file, final long openedAt)
        {
            this.file = file;
            this.openedAt = openedAt;
        }
    }

    private final long validNanos;
    private final HashMap<PathKey, Entry> entries = new HashMap<>();
    private final PathKey probe = new PathKey();

    private OpenFileCache(final long validNanos)
    {
        this.validNanos = validNanos;
    }

    /**
     * The cache of {@code loop}, made (and its expiry scheduled) at the first call; call on that loop.
     *
     * @param caches     the server's caches by event loop thread.
     * @param loop       the event loop; this must run on it.
     * @param validNanos how long an entry is used before the file is opened again.
     * @return the cache.
     */
    static OpenFileCache of(final Map<Thread, OpenFileCache> caches, final EventLoop loop, final long validNanos)
    {
        final Thread thread = Thread.currentThread();
        OpenFileCache c = caches.get(thread);
        if (null == c)
        {
            c = new OpenFileCache(validNanos);
            caches.put(thread, c);
            loop.scheduleAtFixedRate(c, validNanos, validNanos, TimeUnit.NANOSECONDS);
        }
        return c;
    }

    /**
     * A map for {@link #of}.
     *
     * @return an empty concurrent map.
     */
    static Map<Thread, OpenFileCache> newMap()
    {
        return new ConcurrentHashMap<>();
    }

    /**
     * The cached file for a path, still fresh, described into the scratch's statx area (as
     * {@link RootDirectory#stat} does); the caller owns one reference and releases it.
     *
     * @param s      the scratch; its statx area is overwritten.
     * @param path   the path's bytes as given to {@link RootDirectory#open}.
     * @param length bytes of {@code path} used.
     * @param now    {@link System#nanoTime()}.
     * @return the file, or null when the path must be opened.
     */
    OpenFile acquire(final NativeScratch s, final byte[] path, final int length, final long now)
    {
        final Entry e = entries.get(probe.set(path, length));
        probe.bytes = null;
        if (null == e)
        {
            return null;
        }
        if (now - e.openedAt > validNanos || 0 != RootDirectory.stat(s, e.file.fd) || 0 == RootDirectory.links(s)
            || LibC.S_IFREG != (RootDirectory.mode(s) & LibC.S_IFMT))
        {
            entries.remove(probe.set(path, length));
            probe.bytes = null;
            e.file.release();
            return null;
        }
        e.file.retain();
        return e.file;
    }

    /**
     * Wraps a regular file just opened (and described) for a path, and caches it if there is room.
     *
     * @param path   the path's bytes.
     * @param length bytes of {@code path} used.
     * @param fd     the open descriptor; the result owns it.
     * @param now    {@link System#nanoTime()}.
     * @return the file with one reference for the caller.
     */
    OpenFile put(final byte[] path, final int length, final int fd, final long now)
    {
        if (entries.size() >= MAX_ENTRIES)
        {
            return new OpenFile(fd, 1);
        }
        final OpenFile file = new OpenFile(fd, 2);
        final Entry old = entries.put(probe.set(path, length).copy(), new Entry(file, now));
        probe.bytes = null;
        if (null != old)
        {
            old.file.release();
        }
        return file;
    }

    /** Closes expired entries, so a file no longer asked for does not keep a descriptor. */
    @Override
    public void run()
    {
        final long now = System.nanoTime();
        final Iterator<Entry> it = entries.values().iterator();
        while (it.hasNext())
        {
            final Entry e = it.next();
            if (now - e.openedAt > validNanos)
            {
                it.remove();
                e.file.release();
            }
        }
    }

    int size()
    {
        return entries.size();
    }

    /**
     * Drops every entry of every cache; call once the event loops have stopped.
     *
     * @param caches the server's caches.
     */
    static void closeAll(final Map<Thread, OpenFileCache> caches)
    {
        for (final OpenFileCache c : caches.values())
        {
            for (final Entry e : c.entries.values())
            {
                e.file.release();
            }
            c.entries.clear();
        }
        caches.clear();
    }
}
