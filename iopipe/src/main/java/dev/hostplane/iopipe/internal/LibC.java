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

    /**
     * strerror(3), for messages.
     *
     * @param errnum errno.
     * @return the text.
     */
    public static native String strerror(int errnum);
}
