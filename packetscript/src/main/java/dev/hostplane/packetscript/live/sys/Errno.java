package dev.hostplane.packetscript.live.sys;

/**
 * Names of Linux errno values, for packetdrill-style messages such as
 * {@code -1 EAGAIN (Resource temporarily unavailable)}.
 */
public final class Errno
{
    private static final String[] NAMES = new String[134];

    static
    {
        final String[] pairs = {
            "1 EPERM", "2 ENOENT", "3 ESRCH", "4 EINTR", "5 EIO", "6 ENXIO", "7 E2BIG", "8 ENOEXEC", "9 EBADF",
            "10 ECHILD", "11 EAGAIN", "12 ENOMEM", "13 EACCES", "14 EFAULT", "16 EBUSY", "17 EEXIST", "19 ENODEV",
            "20 ENOTDIR", "21 EISDIR", "22 EINVAL", "23 ENFILE", "24 EMFILE", "25 ENOTTY", "27 EFBIG", "28 ENOSPC",
            "29 ESPIPE", "32 EPIPE", "34 ERANGE", "38 ENOSYS", "42 ENOMSG", "61 ENODATA", "62 ETIME", "71 EPROTO", "74 EBADMSG",
            "75 EOVERFLOW", "84 EILSEQ", "88 ENOTSOCK", "89 EDESTADDRREQ", "90 EMSGSIZE", "91 EPROTOTYPE",
            "92 ENOPROTOOPT", "93 EPROTONOSUPPORT", "94 ESOCKTNOSUPPORT", "95 EOPNOTSUPP", "96 EPFNOSUPPORT",
            "97 EAFNOSUPPORT", "98 EADDRINUSE", "99 EADDRNOTAVAIL", "100 ENETDOWN", "101 ENETUNREACH",
            "102 ENETRESET", "103 ECONNABORTED", "104 ECONNRESET", "105 ENOBUFS", "106 EISCONN", "107 ENOTCONN",
            "108 ESHUTDOWN", "110 ETIMEDOUT", "111 ECONNREFUSED", "112 EHOSTDOWN", "113 EHOSTUNREACH",
            "114 EALREADY", "115 EINPROGRESS", "125 ECANCELED", "127 EKEYREJECTED",
        };
        for (final String pair : pairs)
        {
            final int space = pair.indexOf(' ');
            NAMES[Integer.parseInt(pair.substring(0, space))] = pair.substring(space + 1);
        }
    }

    private Errno()
    {
    }

    /**
     * Symbolic name of an errno value.
     *
     * @param errno the value.
     * @return its name, e.g. {@code EAGAIN}, or {@code errno=N} when unknown.
     */
    public static String name(final int errno)
    {
        final String name = errno >= 0 && errno < NAMES.length ? NAMES[errno] : null;
        return null != name ? name : "errno=" + errno;
    }

    /**
     * The errno value of a symbolic name.
     *
     * @param name e.g. {@code ECONNREFUSED}.
     * @return the value, or -1 when unknown.
     */
    public static int value(final String name)
    {
        for (int i = 0; i < NAMES.length; i++)
        {
            if (name.equals(NAMES[i]))
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * Packetdrill's rendering of a failed result: {@code EAGAIN (Resource temporarily unavailable)}.
     *
     * @param errno the value.
     * @return name and strerror text.
     */
    public static String describe(final int errno)
    {
        return name(errno) + " (" + LibC.strerror(errno) + ")";
    }
}
