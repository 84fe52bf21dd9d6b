package dev.hostplane.packetscript.live.internal.sys;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Direct JNA bindings to the glibc system-call wrappers packetscript drives the kernel with.
 *
 * <p>Every method is the plain libc function (x86_64/aarch64 LP64 signatures): a negative return
 * means failure and {@link #errno()} tells why. Raw {@link Pointer}s are used for every buffer so
 * callers control layout and lifetime (usually a {@link com.sun.jna.Memory} they reuse); the
 * variadic {@code fcntl}, {@code ioctl} and {@code open} are bound with their one optional
 * argument fixed, which is how the LP64 ABIs pass it anyway (integer register).
 *
 * <p>Direct mapping (not an interface proxy) because a script issues thousands of calls and the
 * proxy's reflection per call is measurable; JNA preserves {@code errno} per thread after every
 * direct call, which {@link #errno()} reads.
 */
public final class LibC
{
    static
    {
        Native.register(LibC.class, "c");
    }

    private LibC()
    {
    }

    /**
     * The calling thread's {@code errno} as saved by JNA right after the last native call.
     *
     * @return errno value of the last failed call on this thread.
     */
    public static int errno()
    {
        return Native.getLastError();
    }

    // sockets

    /** @see <a href="https://man7.org/linux/man-pages/man2/socket.2.html">socket(2)</a> */
    public static native int socket(int domain, int type, int protocol);

    /** @see <a href="https://man7.org/linux/man-pages/man2/bind.2.html">bind(2)</a> */
    public static native int bind(int fd, Pointer addr, int addrlen);

    /** @see <a href="https://man7.org/linux/man-pages/man2/listen.2.html">listen(2)</a> */
    public static native int listen(int fd, int backlog);

    /** @see <a href="https://man7.org/linux/man-pages/man2/accept.2.html">accept(2)</a> */
    public static native int accept(int fd, Pointer addr, Pointer addrlen);

    /** @see <a href="https://man7.org/linux/man-pages/man2/accept.2.html">accept4(2)</a> */
    public static native int accept4(int fd, Pointer addr, Pointer addrlen, int flags);

    /** @see <a href="https://man7.org/linux/man-pages/man2/connect.2.html">connect(2)</a> */
    public static native int connect(int fd, Pointer addr, int addrlen);

    /** @see <a href="https://man7.org/linux/man-pages/man2/read.2.html">read(2)</a> */
    public static native long read(int fd, Pointer buf, long count);

    /** @see <a href="https://man7.org/linux/man-pages/man2/write.2.html">write(2)</a> */
    public static native long write(int fd, Pointer buf, long count);

    /** @see <a href="https://man7.org/linux/man-pages/man2/readv.2.html">readv(2)</a> */
    public static native long readv(int fd, Pointer iov, int iovcnt);

    /** @see <a href="https://man7.org/linux/man-pages/man2/writev.2.html">writev(2)</a> */
    public static native long writev(int fd, Pointer iov, int iovcnt);

    /** @see <a href="https://man7.org/linux/man-pages/man2/send.2.html">send(2)</a> */
    public static native long send(int fd, Pointer buf, long len, int flags);

    /** @see <a href="https://man7.org/linux/man-pages/man2/send.2.html">sendto(2)</a> */
    public static native long sendto(int fd, Pointer buf, long len, int flags, Pointer addr, int addrlen);

    /** @see <a href="https://man7.org/linux/man-pages/man2/send.2.html">sendmsg(2)</a> */
    public static native long sendmsg(int fd, Pointer msg, int flags);

    /** @see <a href="https://man7.org/linux/man-pages/man2/recv.2.html">recv(2)</a> */
    public static native long recv(int fd, Pointer buf, long len, int flags);

    /** @see <a href="https://man7.org/linux/man-pages/man2/recv.2.html">recvfrom(2)</a> */
    public static native long recvfrom(int fd, Pointer buf, long len, int flags, Pointer addr, Pointer addrlen);

    /** @see <a href="https://man7.org/linux/man-pages/man2/recv.2.html">recvmsg(2)</a> */
    public static native long recvmsg(int fd, Pointer msg, int flags);

    /** @see <a href="https://man7.org/linux/man-pages/man2/setsockopt.2.html">setsockopt(2)</a> */
    public static native int setsockopt(int fd, int level, int name, Pointer value, int len);

    /** @see <a href="https://man7.org/linux/man-pages/man2/getsockopt.2.html">getsockopt(2)</a> */
    public static native int getsockopt(int fd, int level, int name, Pointer value, Pointer len);

    /** @see <a href="https://man7.org/linux/man-pages/man2/getsockname.2.html">getsockname(2)</a> */
    public static native int getsockname(int fd, Pointer addr, Pointer addrlen);

    /** @see <a href="https://man7.org/linux/man-pages/man2/getpeername.2.html">getpeername(2)</a> */
    public static native int getpeername(int fd, Pointer addr, Pointer addrlen);

    /** @see <a href="https://man7.org/linux/man-pages/man2/shutdown.2.html">shutdown(2)</a> */
    public static native int shutdown(int fd, int how);

    // files and descriptors

    /** @see <a href="https://man7.org/linux/man-pages/man2/close.2.html">close(2)</a> */
    public static native int close(int fd);

    /** @see <a href="https://man7.org/linux/man-pages/man2/open.2.html">open(2)</a>, mode fixed */
    public static native int open(String path, int flags, int mode);

    /** @see <a href="https://man7.org/linux/man-pages/man2/fcntl.2.html">fcntl(2)</a>, one integer argument */
    public static native int fcntl(int fd, int cmd, long arg);

    /** @see <a href="https://man7.org/linux/man-pages/man2/ioctl.2.html">ioctl(2)</a>, pointer argument */
    public static native int ioctl(int fd, long request, Pointer arg);

    /** @see <a href="https://man7.org/linux/man-pages/man2/pipe.2.html">pipe(2)</a>: {@code int[2]} at fds */
    public static native int pipe(Pointer fds);

    /** @see <a href="https://man7.org/linux/man-pages/man2/splice.2.html">splice(2)</a> */
    public static native long splice(int fdIn, Pointer offIn, int fdOut, Pointer offOut, long len, int flags);

    /** @see <a href="https://man7.org/linux/man-pages/man2/sendfile.2.html">sendfile(2)</a> */
    public static native long sendfile(int outFd, int inFd, Pointer offset, long count);

    // readiness

    /** @see <a href="https://man7.org/linux/man-pages/man2/poll.2.html">poll(2)</a> */
    public static native int poll(Pointer fds, long nfds, int timeoutMillis);

    /** @see <a href="https://man7.org/linux/man-pages/man2/epoll_create.2.html">epoll_create(2)</a> */
    public static native int epoll_create(int size);

    /** @see <a href="https://man7.org/linux/man-pages/man2/epoll_ctl.2.html">epoll_ctl(2)</a> */
    public static native int epoll_ctl(int epfd, int op, int fd, Pointer event);

    /** @see <a href="https://man7.org/linux/man-pages/man2/epoll_wait.2.html">epoll_wait(2)</a> */
    public static native int epoll_wait(int epfd, Pointer events, int maxevents, int timeoutMillis);

    // namespaces and interfaces

    /** @see <a href="https://man7.org/linux/man-pages/man2/unshare.2.html">unshare(2)</a> */
    public static native int unshare(int flags);

    /** @see <a href="https://man7.org/linux/man-pages/man2/setns.2.html">setns(2)</a> */
    public static native int setns(int fd, int nstype);

    /** @see <a href="https://man7.org/linux/man-pages/man2/gettid.2.html">gettid(2)</a> */
    public static native int gettid();

    /** @see <a href="https://man7.org/linux/man-pages/man2/setpriority.2.html">setpriority(2)</a> (per thread with a tid) */
    public static native int setpriority(int which, int who, int prio);

    /** @see <a href="https://man7.org/linux/man-pages/man2/sched_setscheduler.2.html">sched_setscheduler(2)</a> (per thread with a tid) */
    public static native int sched_setscheduler(int pid, int policy, Pointer param);

    /** @see <a href="https://man7.org/linux/man-pages/man2/times.2.html">times(2)</a>: clock ticks, advancing on jiffy edges */
    public static native long times(Pointer buf);

    /** @see <a href="https://man7.org/linux/man-pages/man3/if_nametoindex.3.html">if_nametoindex(3)</a> */
    public static native int if_nametoindex(String name);

    /** @see <a href="https://man7.org/linux/man-pages/man3/strerror.3.html">strerror(3)</a> */
    public static native String strerror(int errnum);
}
