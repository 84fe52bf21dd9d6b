package dev.hostplane.packetscript.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The structs the packetdrill language knows, with their fields in the order scripts write them. Optional fields
 * are marked with a trailing {@code ?}.
 */
public enum StructKind
{
    /** {@code struct linger}. */
    LINGER("onoff", "linger"),
    /** {@code struct timeval}. */
    TIMEVAL("tv_sec", "tv_usec"),
    /** {@code struct msghdr} (name and namelen are always {@code ...}). */
    MSGHDR("msg_name", "msg_iov", "msg_flags", "msg_control?"),
    /** {@code struct cmsghdr} with its data. */
    CMSG("cmsg_level", "cmsg_type", "cmsg_data"),
    /** {@code struct pollfd}. */
    POLLFD("fd", "events", "revents?"),
    /** {@code struct epoll_event} with {@code fd}. */
    EPOLL_EVENT_FD("events", "fd"),
    /** {@code struct epoll_event} with {@code ptr}. */
    EPOLL_EVENT_PTR("events", "ptr"),
    /** {@code struct epoll_event} with {@code u32}. */
    EPOLL_EVENT_U32("events", "u32"),
    /** {@code struct epoll_event} with {@code u64}. */
    EPOLL_EVENT_U64("events", "u64"),
    /** {@code struct sock_extended_err}. */
    SOCK_EXTENDED_ERR("ee_errno", "ee_origin", "ee_type", "ee_code", "ee_info", "ee_data"),
    /** {@code struct scm_timestamping} (first timespec). */
    SCM_TIMESTAMPING("scm_sec", "scm_nsec"),
    /** {@code struct sockaddr_in/in6}. */
    SOCKADDR("sa_family", "sin_port", "sin_addr"),
    /** {@code struct iovec} {@code {..., len}}: positional. */
    IOVEC(),
    /** A struct with other or positional members. */
    GENERIC();

    private final String[] fields;

    StructKind(final String... fields)
    {
        this.fields = fields;
    }

    /**
     * The fields, optional ones without the marker.
     *
     * @return field names in order.
     */
    public List<String> fieldNames()
    {
        final List<String> names = new ArrayList<>();
        for (final String f : fields)
        {
            names.add(f.endsWith("?") ? f.substring(0, f.length() - 1) : f);
        }
        return names;
    }

    /**
     * Whether the given ordered field names fit this kind.
     *
     * @param names names as written.
     * @return true if they match (optional fields may be missing).
     */
    public boolean accepts(final List<String> names)
    {
        int i = 0;
        for (final String f : fields)
        {
            final boolean optional = f.endsWith("?");
            final String name = optional ? f.substring(0, f.length() - 1) : f;
            if (i < names.size() && names.get(i).equals(name))
            {
                i++;
            }
            else if (!optional)
            {
                return false;
            }
        }
        return i == names.size();
    }

    /**
     * The kind whose first field is the given name, for error messages.
     *
     * @param firstField first field name.
     * @return the kind, or null if no struct starts with that field.
     */
    public static StructKind startingWith(final String firstField)
    {
        for (final StructKind kind : values())
        {
            if (kind.fields.length > 0 && kind.fieldNames().get(0).equals(firstField) && kind != EPOLL_EVENT_PTR &&
                kind != EPOLL_EVENT_U32 && kind != EPOLL_EVENT_U64)
            {
                return kind;
            }
        }
        return null;
    }

    /**
     * Recognises a struct.
     *
     * @param struct the struct.
     * @return its kind, {@link #IOVEC} for {@code {..., n}}, {@link #GENERIC} otherwise.
     */
    public static StructKind of(final Expression.StructExpr struct)
    {
        final List<String> names = new ArrayList<>();
        boolean allFields = true;
        for (final Expression item : struct.items())
        {
            if (item instanceof Expression.Field f)
            {
                names.add(f.name());
            }
            else
            {
                allFields = false;
            }
        }
        if (!allFields)
        {
            return struct.items().size() == 2 && struct.items().get(0) instanceof Expression.Ellipsis &&
                !(struct.items().get(1) instanceof Expression.Field) ? IOVEC : GENERIC;
        }
        for (final StructKind kind : values())
        {
            if (kind.fields.length > 0 && kind.accepts(names))
            {
                return kind;
            }
        }
        return GENERIC;
    }
}
