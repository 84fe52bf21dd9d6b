package dev.hostplane.iopipe.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The Linux system calls the pipe uses, bound with JNA direct mapping (no per-call reflection, no
 * boxing). Offsets travel through caller-owned native memory so a hot loop allocates nothing. Every
 * method returns -1 on error; read the errno with {@link #errno()} right after the call.
 */
public final class LibC
{
    /** Did the library bind? False off Linux or without JNA's native part: then only COPY works. */
    public static final boolean AVAILABLE;
    /** Why binding failed, for error messages; {@code null} when it worked. */
    public static final String UNAVAILABLE_REASON;

    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int EXDEV = 18;
    public static final int EINVAL = 22;
    public static final int EFBIG = 27;
    public static final int ENOSPC = 28;
    public static final int EPIPE = 32;
    public static final int ENOSYS = 38;
    public static final int EOPNOTSUPP = 95;
    public static final int ECONNRESET = 104;
    public static final int EDQUOT = 122;

    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int F_SETPIPE_SZ = 1031;
    public static final int F_GETPIPE_SZ = 1032;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;

    public static final int SPLICE_F_MOVE = 1;
    public static final int SPLICE_F_NONBLOCK = 2;
    public static final int SPLICE_F_MORE = 4;

    public static final int IPPROTO_TCP = 6;
    public static final int TCP_NOTSENT_LOWAT = 25;
    public static final int TCP_CONGESTION = 13;

    public static final short POLLIN = 0x1;
    public static final short POLLOUT = 0x4;
    public static final short POLLERR = 0x8;
    public static final short POLLHUP = 0x10;
    public static final short POLLNVAL = 0x20;

    static
    {
        boolean available = false;
        String reason = null;
        if (!Platform.isLinux())
        {
            reason = "os=" + System.getProperty("os.name") + " (sendfile/splice/copy_file_range need Linux)";
        }
        else
        {
            try
            {
                Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
                available = true;
            }
            catch (final LinkageError ex)
            {
                reason = "jna=" + ex;
            }
        }
        AVAILABLE = available;
        UNAVAILABLE_REASON = reason;
    }

    private LibC()
    {
    }

    /**
     * errno of the last native call on this thread.
     *
     * @return the errno.
     */
    public static int errno()
    {
        return Native.getLastError();
    }

    /**
     * sendfile(2).
     *
     * @param outFd  destination socket.
     * @param inFd   source file.
     * @param offset pointer to a 64-bit file offset, advanced by the kernel.
     * @param count  bytes to move.
     * @return bytes moved, or -1.
     */
    public static native long sendfile(int outFd, int inFd, Pointer offset, long count);

    /**
     * splice(2).
     *
     * @param fdIn   source descriptor.
     * @param offIn  pointer to the source offset, or null for pipes and sockets.
     * @param fdOut  destination descriptor.
     * @param offOut pointer to the destination offset, or null.
     * @param len    bytes to move.
     * @param flags  SPLICE_F_* flags.
     * @return bytes moved, 0 at end of input, or -1.
     */
    public static native long splice(int fdIn, Pointer offIn, int fdOut, Pointer offOut, long len, int flags);

    /**
     * copy_file_range(2).
     *
     * @param fdIn   source file.
     * @param offIn  pointer to the source offset.
     * @param fdOut  destination file.
     * @param offOut pointer to the destination offset.
     * @param len    bytes to copy.
     * @param flags  must be 0.
     * @return bytes copied, 0 at end of input, or -1.
     */
    public static native long copy_file_range(int fdIn, Pointer offIn, int fdOut, Pointer offOut, long len, int flags);

    /**
     * pipe2(2).
     *
     * @param fds   receives read end then write end.
     * @param flags O_* flags.
     * @return 0 or -1.
     */
    public static native int pipe2(int[] fds, int flags);

    /**
     * fcntl(2) with an int argument.
     *
     * @param fd  descriptor.
     * @param cmd F_* command.
     * @param arg argument.
     * @return the command's result, or -1.
     */
    public static native int fcntl(int fd, int cmd, int arg);

    /**
     * poll(2).
     *
     * @param fds       array of struct pollfd.
     * @param nfds      entries.
     * @param timeoutMs wait limit, -1 for none.
     * @return ready entries, 0 on timeout, or -1.
     */
    public static native int poll(Pointer fds, long nfds, int timeoutMs);

    /**
     * close(2).
     *
     * @param fd descriptor.
     * @return 0 or -1.
     */
    public static native int close(int fd);

    /** epoll_ctl operations and the one-shot flag: parked transfers wait in an epoll set (see Waiter). */
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;
    public static final int EPOLLONESHOT = 1 << 30;
    public static final int EEXIST = 17;
    public static final int ENOENT = 2;
    /** struct epoll_event is packed (12 bytes) on x86-64 only; elsewhere the 64-bit data is 8-aligned. */
    public static final int EPOLL_EVENT_SIZE = Platform.isIntel() && Platform.is64Bit() ? 12 : 16;
    public static final int EPOLL_DATA_OFFSET = Platform.isIntel() && Platform.is64Bit() ? 4 : 8;

    public static native int epoll_create1(int flags);

    public static native int eventfd(int initval, int flags);

    public static native int epoll_ctl(int epfd, int op, int fd, Pointer event);

    public static native int epoll_wait(int epfd, Pointer events, int maxEvents, int timeoutMs);

    /**
     * read(2).
     *
     * @param fd    descriptor.
     * @param buf   address of the destination memory.
     * @param count bytes.
     * @return bytes read, 0 at EOF, or -1.
     */
    public static native long read(int fd, long buf, long count);

    /**
     * write(2).
     *
     * @param fd    descriptor.
     * @param buf   address of the source memory.
     * @param count bytes.
     * @return bytes written, or -1.
     */
    public static native long write(int fd, long buf, long count);

    /**
     * pread(2) (64-bit offsets on LP64).
     *
     * @param fd     descriptor.
     * @param buf    address of the destination memory.
     * @param count  bytes.
     * @param offset file offset.
     * @return bytes read, 0 at EOF, or -1.
     */
    public static native long pread(int fd, long buf, long count, long offset);

    /**
     * pwrite(2) (64-bit offsets on LP64).
     *
     * @param fd     descriptor.
     * @param buf    address of the source memory.
     * @param count  bytes.
     * @param offset file offset.
     * @return bytes written, or -1.
     */
    public static native long pwrite(int fd, long buf, long count, long offset);

    /** Errnos the servers tell apart: a missing or non-directory component, no permission, a symlink loop. */
    public static final int EPERM = 1;
    public static final int EACCES = 13;
    public static final int ENOTDIR = 20;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int ENAMETOOLONG = 36;
    public static final int ELOOP = 40;
    public static final int EINPROGRESS = 115;

    /** open(2) flags; arm64 numbers O_DIRECTORY and O_NOFOLLOW differently from the generic (x86) table. */
    public static final int O_RDONLY = 0;
    public static final int O_NOCTTY = 0x100;
    public static final int O_DIRECTORY = Platform.isARM() && Platform.is64Bit() ? 0x4000 : 0x10000;
    public static final int O_NOFOLLOW = Platform.isARM() && Platform.is64Bit() ? 0x8000 : 0x20000;
    public static final int O_PATH = 0x200000;
    /** openat2(2) resolve flags (linux/openat2.h). */
    public static final long RESOLVE_NO_MAGICLINKS = 0x02;
    public static final long RESOLVE_BENEATH = 0x08;
    /** openat2 has the same number on every architecture (the unified table from 424 on). */
    public static final long SYS_OPENAT2 = 437;
    /** struct open_how: u64 flags, u64 mode, u64 resolve. */
    public static final int OPEN_HOW_SIZE = 24;

    public static final int AT_EMPTY_PATH = 0x1000;
    /** statx(2) mask bits and struct statx offsets (the same on every architecture). */
    public static final int STATX_TYPE = 0x1;
    public static final int STATX_NLINK = 0x4;
    public static final int STATX_MTIME = 0x40;
    public static final int STATX_SIZE = 0x200;
    public static final int STATX_BUFFER_SIZE = 256;
    public static final int STATX_NLINK_OFFSET = 0x10;
    public static final int STATX_MODE_OFFSET = 0x1C;
    public static final int STATX_SIZE_OFFSET = 0x28;
    public static final int STATX_MTIME_OFFSET = 0x70;
    public static final int S_IFMT = 0xF000;
    public static final int S_IFREG = 0x8000;
    public static final int S_IFDIR = 0x4000;

    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int MSG_MORE = 0x8000;

    /**
     * syscall(2) with four arguments, for openat2 (glibc 2.36 has no wrapper for it).
     *
     * @param number the system call number.
     * @param a1     first argument.
     * @param a2     second argument.
     * @param a3     third argument.
     * @param a4     fourth argument.
     * @return the call's result, or -1.
     */
    public static native long syscall(long number, long a1, long a2, long a3, long a4);

    /**
     * openat(2) with the path in native memory.
     *
     * @param dirfd directory the path is relative to.
     * @param path  address of a NUL-terminated path.
     * @param flags O_* flags.
     * @param mode  mode for O_CREAT.
     * @return the new descriptor, or -1.
     */
    public static native int openat(int dirfd, long path, int flags, int mode);

    /**
     * statx(2) with the path and the result in native memory.
     *
     * @param dirfd directory (or the file itself with AT_EMPTY_PATH and an empty path).
     * @param path  address of a NUL-terminated path.
     * @param flags AT_* flags.
     * @param mask  STATX_* fields wanted.
     * @param buf   address of a struct statx.
     * @return 0 or -1.
     */
    public static native int statx(int dirfd, long path, int flags, int mask, long buf);

    /**
     * send(2) from native memory.
     *
     * @param fd    socket.
     * @param buf   address of the bytes.
     * @param len   byte count.
     * @param flags MSG_* flags.
     * @return bytes sent, or -1.
     */
    public static native long send(int fd, long buf, long len, int flags);

    /**
     * setsockopt(2) of an int option.
     *
     * @param fd      socket.
     * @param level   IPPROTO_TCP, SOL_SOCKET...
     * @param optname the option.
     * @param optval  one int: the value.
     * @param optlen  4.
     * @return 0, or -1.
     */
    public static native int setsockopt(int fd, int level, int optname, int[] optval, int optlen);

    /**
     * setsockopt(2) of a byte-string option (TCP_CONGESTION).
     *
     * @param fd      socket.
     * @param level   IPPROTO_TCP, SOL_SOCKET...
     * @param optname the option.
     * @param optval  the bytes, every one of them passed to the kernel.
     * @param optlen  how many of them.
     * @return 0, or -1.
     */
    public static native int setsockopt(int fd, int level, int optname, byte[] optval, int optlen);

    /**
     * getsockopt(2) of a byte-string option (TCP_CONGESTION).
     *
     * @param fd      socket.
     * @param level   IPPROTO_TCP, SOL_SOCKET...
     * @param optname the option.
     * @param optval  filled in.
     * @param optlen  one int: the array's length in, the length written out.
     * @return 0, or -1.
     */
    public static native int getsockopt(int fd, int level, int optname, byte[] optval, int[] optlen);

    /**
     * getsockopt(2) of an int option.
     *
     * @param fd      socket.
     * @param level   IPPROTO_TCP, SOL_SOCKET...
     * @param optname the option.
     * @param optval  one int, filled in.
     * @param optlen  one int: 4 in, the length out.
     * @return 0, or -1.
     */
    public static native int getsockopt(int fd, int level, int optname, int[] optval, int[] optlen);

    /**
     * strerror(3), for messages.
     *
     * @param errnum errno.
     * @return the text.
     */
    public static native String strerror(int errnum);
}
