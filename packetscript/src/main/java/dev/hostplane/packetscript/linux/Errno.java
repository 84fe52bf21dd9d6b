package dev.hostplane.packetscript.linux;

/**
 * Linux errno values (x86_64, asm-generic) with glibc's {@code strerror} texts, as scripts write them in
 * {@code = -1 EAGAIN (Resource temporarily unavailable)}.
 */
public enum Errno
{
    /** Operation not permitted. */
    EPERM(1, "Operation not permitted"),
    /** No such file or directory. */
    ENOENT(2, "No such file or directory"),
    /** No such process. */
    ESRCH(3, "No such process"),
    /** Interrupted system call. */
    EINTR(4, "Interrupted system call"),
    /** Input/output error. */
    EIO(5, "Input/output error"),
    /** No such device or address. */
    ENXIO(6, "No such device or address"),
    /** Argument list too long. */
    E2BIG(7, "Argument list too long"),
    /** Exec format error. */
    ENOEXEC(8, "Exec format error"),
    /** Bad file descriptor. */
    EBADF(9, "Bad file descriptor"),
    /** No child processes. */
    ECHILD(10, "No child processes"),
    /** Resource temporarily unavailable. */
    EAGAIN(11, "Resource temporarily unavailable"),
    /** Cannot allocate memory. */
    ENOMEM(12, "Cannot allocate memory"),
    /** Permission denied. */
    EACCES(13, "Permission denied"),
    /** Bad address. */
    EFAULT(14, "Bad address"),
    /** Block device required. */
    ENOTBLK(15, "Block device required"),
    /** Device or resource busy. */
    EBUSY(16, "Device or resource busy"),
    /** File exists. */
    EEXIST(17, "File exists"),
    /** Invalid cross-device link. */
    EXDEV(18, "Invalid cross-device link"),
    /** No such device. */
    ENODEV(19, "No such device"),
    /** Not a directory. */
    ENOTDIR(20, "Not a directory"),
    /** Is a directory. */
    EISDIR(21, "Is a directory"),
    /** Invalid argument. */
    EINVAL(22, "Invalid argument"),
    /** Too many open files in system. */
    ENFILE(23, "Too many open files in system"),
    /** Too many open files. */
    EMFILE(24, "Too many open files"),
    /** Inappropriate ioctl for device. */
    ENOTTY(25, "Inappropriate ioctl for device"),
    /** Text file busy. */
    ETXTBSY(26, "Text file busy"),
    /** File too large. */
    EFBIG(27, "File too large"),
    /** No space left on device. */
    ENOSPC(28, "No space left on device"),
    /** Illegal seek. */
    ESPIPE(29, "Illegal seek"),
    /** Read-only file system. */
    EROFS(30, "Read-only file system"),
    /** Too many links. */
    EMLINK(31, "Too many links"),
    /** Broken pipe. */
    EPIPE(32, "Broken pipe"),
    /** Numerical argument out of domain. */
    EDOM(33, "Numerical argument out of domain"),
    /** Numerical result out of range. */
    ERANGE(34, "Numerical result out of range"),
    /** Resource deadlock avoided. */
    EDEADLK(35, "Resource deadlock avoided"),
    /** File name too long. */
    ENAMETOOLONG(36, "File name too long"),
    /** No locks available. */
    ENOLCK(37, "No locks available"),
    /** Function not implemented. */
    ENOSYS(38, "Function not implemented"),
    /** Directory not empty. */
    ENOTEMPTY(39, "Directory not empty"),
    /** Too many levels of symbolic links. */
    ELOOP(40, "Too many levels of symbolic links"),
    /** No message of desired type. */
    ENOMSG(42, "No message of desired type"),
    /** Identifier removed. */
    EIDRM(43, "Identifier removed"),
    /** No data available. */
    ENODATA(61, "No data available"),
    /** Timer expired. */
    ETIME(62, "Timer expired"),
    /** Protocol error. */
    EPROTO(71, "Protocol error"),
    /** Bad message. */
    EBADMSG(74, "Bad message"),
    /** Value too large for defined data type. */
    EOVERFLOW(75, "Value too large for defined data type"),
    /** Invalid or incomplete multibyte or wide character. */
    EILSEQ(84, "Invalid or incomplete multibyte or wide character"),
    /** Socket operation on non-socket. */
    ENOTSOCK(88, "Socket operation on non-socket"),
    /** Destination address required. */
    EDESTADDRREQ(89, "Destination address required"),
    /** Message too long. */
    EMSGSIZE(90, "Message too long"),
    /** Protocol wrong type for socket. */
    EPROTOTYPE(91, "Protocol wrong type for socket"),
    /** Protocol not available. */
    ENOPROTOOPT(92, "Protocol not available"),
    /** Protocol not supported. */
    EPROTONOSUPPORT(93, "Protocol not supported"),
    /** Socket type not supported. */
    ESOCKTNOSUPPORT(94, "Socket type not supported"),
    /** Operation not supported. */
    EOPNOTSUPP(95, "Operation not supported"),
    /** Protocol family not supported. */
    EPFNOSUPPORT(96, "Protocol family not supported"),
    /** Address family not supported by protocol. */
    EAFNOSUPPORT(97, "Address family not supported by protocol"),
    /** Address already in use. */
    EADDRINUSE(98, "Address already in use"),
    /** Cannot assign requested address. */
    EADDRNOTAVAIL(99, "Cannot assign requested address"),
    /** Network is down. */
    ENETDOWN(100, "Network is down"),
    /** Network is unreachable. */
    ENETUNREACH(101, "Network is unreachable"),
    /** Network dropped connection on reset. */
    ENETRESET(102, "Network dropped connection on reset"),
    /** Software caused connection abort. */
    ECONNABORTED(103, "Software caused connection abort"),
    /** Connection reset by peer. */
    ECONNRESET(104, "Connection reset by peer"),
    /** No buffer space available. */
    ENOBUFS(105, "No buffer space available"),
    /** Transport endpoint is already connected. */
    EISCONN(106, "Transport endpoint is already connected"),
    /** Transport endpoint is not connected. */
    ENOTCONN(107, "Transport endpoint is not connected"),
    /** Cannot send after transport endpoint shutdown. */
    ESHUTDOWN(108, "Cannot send after transport endpoint shutdown"),
    /** Too many references: cannot splice. */
    ETOOMANYREFS(109, "Too many references: cannot splice"),
    /** Connection timed out. */
    ETIMEDOUT(110, "Connection timed out"),
    /** Connection refused. */
    ECONNREFUSED(111, "Connection refused"),
    /** Host is down. */
    EHOSTDOWN(112, "Host is down"),
    /** No route to host. */
    EHOSTUNREACH(113, "No route to host"),
    /** Operation already in progress. */
    EALREADY(114, "Operation already in progress"),
    /** Operation now in progress. */
    EINPROGRESS(115, "Operation now in progress"),
    /** Stale file handle. */
    ESTALE(116, "Stale file handle"),
    /** Disk quota exceeded. */
    EDQUOT(122, "Disk quota exceeded"),
    /** Operation canceled. */
    ECANCELED(125, "Operation canceled"),
    /** Required key not available. */
    ENOKEY(126, "Required key not available"),
    /** Key has expired. */
    EKEYEXPIRED(127, "Key has expired"),
    /** Key has been revoked. */
    EKEYREVOKED(128, "Key has been revoked"),
    /** Key was rejected by service. */
    EKEYREJECTED(129, "Key was rejected by service"),
    /** Owner died. */
    EOWNERDEAD(130, "Owner died"),
    /** State not recoverable. */
    ENOTRECOVERABLE(131, "State not recoverable");

    private final int number;
    private final String message;

    Errno(final int number, final String message)
    {
        this.number = number;
        this.message = message;
    }

    /**
     * The errno value.
     *
     * @return e.g. 11 for EAGAIN.
     */
    public int number()
    {
        return number;
    }

    /**
     * glibc's strerror text.
     *
     * @return e.g. {@code Resource temporarily unavailable}.
     */
    public String message()
    {
        return message;
    }

    /**
     * Looks up a name, including the aliases {@code EWOULDBLOCK}, {@code ENOTSUP} and {@code EDEADLOCK}.
     *
     * @param name errno name.
     * @return the errno, or null if unknown.
     */
    public static Errno byName(final String name)
    {
        switch (name)
        {
            case "EWOULDBLOCK":
                return EAGAIN;
            case "ENOTSUP":
                return EOPNOTSUPP;
            case "EDEADLOCK":
                return EDEADLK;
            default:
                for (final Errno e : values())
                {
                    if (e.name().equals(name))
                    {
                        return e;
                    }
                }
                return null;
        }
    }

    /**
     * The symbolic name of a number, for messages.
     *
     * @param number errno value.
     * @return e.g. {@code EAGAIN}, or {@code errno=N} when not in the table.
     */
    public static String nameOf(final int number)
    {
        final Errno errno = byNumber(number);
        return null != errno ? errno.name() : "errno=" + number;
    }

    /**
     * Packetdrill's rendering of a failed result: name and strerror text.
     *
     * @param number errno value.
     * @return e.g. {@code EAGAIN (Resource temporarily unavailable)}; glibc's {@code Unknown error N} text when
     *     the number is not in the table.
     */
    public static String describe(final int number)
    {
        final Errno errno = byNumber(number);
        return null != errno ? errno.name() + " (" + errno.message + ")" :
            "errno=" + number + " (Unknown error " + number + ")";
    }

    /**
     * Looks up a number.
     *
     * @param number errno value.
     * @return the errno, or null if not in the table.
     */
    public static Errno byNumber(final int number)
    {
        for (final Errno e : values())
        {
            if (e.number == number)
            {
                return e;
            }
        }
        return null;
    }
}
