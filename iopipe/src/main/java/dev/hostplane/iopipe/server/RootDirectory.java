package dev.hostplane.iopipe.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.hostplane.iopipe.internal.LibC;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory a server serves, held open as a descriptor, and the only way files are opened under it.
 * Every path is resolved by the kernel relative to that descriptor with {@code openat2(RESOLVE_BENEATH |
 * RESOLVE_NO_MAGICLINKS)}: a {@code ..}, an absolute symlink, a symlink leading out or a /proc magic link
 * fails inside the one system call that opens the file, so there is no window between a check and the
 * open for a swapped symlink to slip through. Where openat2 is missing (kernels before 5.6, or a seccomp
 * filter), paths are walked one component at a time from the root descriptor with {@code O_NOFOLLOW}, so
 * no symlink is followed at all; that is logged once. What was opened is then described by {@code statx}
 * on the descriptor itself, never by path.
 */
final class RootDirectory implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(RootDirectory.class);
    static final int OPEN_FILE_FLAGS = LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC | LibC.O_NOCTTY;
    private static final int WALK_DIR_FLAGS = LibC.O_PATH | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC;

    private final Path path;
    private final int fd;
    private final boolean beneath;

    private RootDirectory(final Path path, final int fd, final boolean beneath)
    {
        this.path = path;
        this.fd = fd;
        this.beneath = beneath;
    }

    /**
     * Opens the root.
     *
     * @param dir      the directory.
     * @param walkOnly true to use the O_NOFOLLOW walk even where openat2 exists (tests, or to refuse all
     *                 symlinks).
     * @return the root.
     * @throws IOException if it is not a directory or cannot be opened, or the system calls are missing.
     */
    static RootDirectory open(final Path dir, final boolean walkOnly) throws IOException
    {
        if (!LibC.AVAILABLE)
        {
            throw new IOException("root=" + dir + " cannot be served: the race-free open needs Linux system calls ("
                + LibC.UNAVAILABLE_REASON + ")");
        }
        if (!Files.isDirectory(dir))
        {
            throw new IOException("root=" + dir + " is not a directory");
        }
        final Path real = dir.toRealPath();
        final NativeScratch s = NativeScratch.get();
        final int length = putPath(s, real.toString().getBytes(StandardCharsets.UTF_8));
        if (length < 0)
        {
            throw new IOException("root=" + dir + " path is too long");
        }
        final int fd = LibC.openat(-100, s.address, LibC.O_PATH | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
        if (fd < 0)
        {
            final int errno = LibC.errno();
            throw new IOException("root=" + dir + " cannot be opened: errno=" + errno + " (" + LibC.strerror(errno) + ")");
        }
        boolean beneath = false;
        if (!walkOnly)
        {
            putPath(s, new byte[] {'.'});
            final int probe = openat2(s, fd, LibC.O_PATH | LibC.O_CLOEXEC);
            if (probe >= 0)
            {
                LibC.close(probe);
                beneath = true;
            }
            else
            {
                LOG.warn("openat2(RESOLVE_BENEATH) unavailable (errno={}: {}): files under root={} are opened by an "
                    + "O_NOFOLLOW walk, so symbolic links inside the root are refused too (fix: Linux 5.6 or newer, "
                    + "no seccomp filter denying openat2)", -probe, LibC.strerror(-probe), real);
            }
        }
        return new RootDirectory(real, fd, beneath);
    }

    /**
     * Copies {@code bytes} into the scratch path area with a terminating NUL.
     *
     * @return the length, or -1 if it does not fit or holds a NUL.
     */
    static int putPath(final NativeScratch s, final byte[] bytes)
    {
        return putPath(s, bytes, bytes.length);
    }

    static int putPath(final NativeScratch s, final byte[] bytes, final int length)
    {
        if (length >= NativeScratch.PATH_CAPACITY)
        {
            return -1;
        }
        s.memory.write(0, bytes, 0, length);
        s.memory.setByte(length, (byte)0);
        return length;
    }

    private static int openat2(final NativeScratch s, final int dirFd, final int flags)
    {
        final long how = s.address + NativeScratch.HOW_OFFSET;
        s.memory.setLong(NativeScratch.HOW_OFFSET, flags);
        s.memory.setLong(NativeScratch.HOW_OFFSET + 8, 0);
        s.memory.setLong(NativeScratch.HOW_OFFSET + 16, LibC.RESOLVE_BENEATH | LibC.RESOLVE_NO_MAGICLINKS);
        final long r = LibC.syscall(LibC.SYS_OPENAT2, dirFd, s.address, how, LibC.OPEN_HOW_SIZE);
        return r >= 0 ? (int)r : -LibC.errno();
    }

    /**
     * Opens the path in the scratch area (relative, normalised: no empty, {@code .} or {@code ..}
     * segment; {@code .} for the root itself) for reading, beneath the root.
     *
     * @param s      the scratch holding the path, NUL-terminated.
     * @param length the path's length.
     * @return the descriptor, or {@code -errno}: EXDEV or ELOOP when the path would leave the root (or,
     *         walking, meets a symlink), ENOENT/ENOTDIR when it does not exist.
     */
    int open(final NativeScratch s, final int length)
    {
        if (beneath)
        {
            return openat2(s, fd, OPEN_FILE_FLAGS);
        }
        return walk(s, length);
    }

    private int walk(final NativeScratch s, final int length)
    {
        int dir = fd;
        int start = 0;
        try
        {
            for (int i = 0; i < length; i++)
            {
                if ('/' == s.memory.getByte(i))
                {
                    s.memory.setByte(i, (byte)0);
                    final int next = LibC.openat(dir, s.address + start, WALK_DIR_FLAGS, 0);
                    final int errno = next < 0 ? LibC.errno() : 0;
                    s.memory.setByte(i, (byte)'/');
                    if (next < 0)
                    {
                        // O_DIRECTORY|O_NOFOLLOW on a symlink gives ENOTDIR; say it the way openat2 would.
                        return -(LibC.ENOTDIR == errno && isSymlink(dir, s, start, i) ? LibC.ELOOP : errno);
                    }
                    if (dir != fd)
                    {
                        LibC.close(dir);
                    }
                    dir = next;
                    start = i + 1;
                }
            }
            final int file = LibC.openat(dir, s.address + start, OPEN_FILE_FLAGS | LibC.O_NOFOLLOW, 0);
            return file >= 0 ? file : -LibC.errno();
        }
        finally
        {
            if (dir != fd)
            {
                LibC.close(dir);
            }
        }
    }

    private static boolean isSymlink(final int dir, final NativeScratch s, final int start, final int end)
    {
        s.memory.setByte(end, (byte)0);
        final int probe = LibC.openat(dir, s.address + start, LibC.O_PATH | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
        s.memory.setByte(end, (byte)'/');
        if (probe < 0)
        {
            return false;
        }
        final boolean link = 0 == LibC.statx(probe, emptyPath(s), LibC.AT_EMPTY_PATH,
            LibC.STATX_TYPE, s.address + NativeScratch.STATX_OFFSET)
            && 0xA000 == (s.memory.getShort(NativeScratch.STATX_OFFSET + LibC.STATX_MODE_OFFSET) & LibC.S_IFMT);
        LibC.close(probe);
        return link;
    }

    /**
     * Describes an open descriptor into the scratch's statx area; read the result with {@link #mode},
     * {@link #size} and {@link #mtimeSeconds}.
     *
     * @param s      the scratch.
     * @param fileFd the descriptor.
     * @return 0, or {@code -errno}.
     */
    static int stat(final NativeScratch s, final int fileFd)
    {
        final int r = LibC.statx(fileFd, emptyPath(s), LibC.AT_EMPTY_PATH,
            LibC.STATX_TYPE | LibC.STATX_NLINK | LibC.STATX_SIZE | LibC.STATX_MTIME, s.address + NativeScratch.STATX_OFFSET);
        return 0 == r ? 0 : -LibC.errno();
    }

    /**
     * The empty string AT_EMPTY_PATH wants, in the last byte of the path area. It is written before every use:
     * the scratch is native memory that starts uninitialised, and a statx handed a non-empty name there looks
     * that name up under the descriptor instead of describing the descriptor itself.
     */
    private static long emptyPath(final NativeScratch s)
    {
        s.memory.setByte(NativeScratch.PATH_CAPACITY - 1, (byte)0);
        return s.address + NativeScratch.PATH_CAPACITY - 1;
    }

    static int mode(final NativeScratch s)
    {
        return s.memory.getShort(NativeScratch.STATX_OFFSET + LibC.STATX_MODE_OFFSET) & 0xFFFF;
    }

    /** Names the file still has; 0 once it was deleted or renamed over. */
    static int links(final NativeScratch s)
    {
        return s.memory.getInt(NativeScratch.STATX_OFFSET + LibC.STATX_NLINK_OFFSET);
    }

    static long size(final NativeScratch s)
    {
        return s.memory.getLong(NativeScratch.STATX_OFFSET + LibC.STATX_SIZE_OFFSET);
    }

    static long mtimeSeconds(final NativeScratch s)
    {
        return s.memory.getLong(NativeScratch.STATX_OFFSET + LibC.STATX_MTIME_OFFSET);
    }

    /**
     * Whether paths are resolved with openat2 (true) or by the O_NOFOLLOW walk.
     *
     * @return true for openat2.
     */
    boolean beneath()
    {
        return beneath;
    }

    Path path()
    {
        return path;
    }

    @Override
    public void close()
    {
        LibC.close(fd);
    }
}
