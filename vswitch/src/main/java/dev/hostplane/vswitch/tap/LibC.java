package dev.hostplane.vswitch.tap;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The few libc calls TUN/TAP access needs, bound with JNA direct mapping so that the per-frame
 * calls ({@code read}, {@code write}, {@code poll}) pass raw addresses and allocate nothing.
 * {@code ioctl} and {@code fcntl} are variadic in C; they are bound here with fixed integer/pointer
 * parameters, which the x86-64 and AArch64 Linux calling conventions pass identically.
 */
final class LibC
{
    static final int O_RDWR = 2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int F_GETFL = 3;
    static final int F_SETFL = 4;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EBADF = 9;
    static final int CLONE_NEWNET = 0x40000000;
    static final int AF_INET = 2;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    static final short POLLIN = 0x1;
    static final short POLLOUT = 0x4;

    static
    {
        Native.register(LibC.class, "c");
    }

    private LibC()
    {
    }

    static native int open(String path, int flags);

    static native int close(int fd);

    static native int ioctl(int fd, long request, Pointer arg);

    static native int ioctl(int fd, long request, long arg);

    static native int fcntl(int fd, int cmd, long arg);

    static native long read(int fd, long address, long count);

    static native long write(int fd, long address, long count);

    static native int poll(long fds, long nfds, int timeoutMillis);

    static native int setns(int fd, int nstype);

    static native int socket(int domain, int type, int protocol);

    static native String strerror(int errno);

    static String describe(final int errno)
    {
        return "errno=" + errno + " (" + strerror(errno) + ")";
    }
}
