package dev.hostplane.packetscript.live.internal.exec;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.hostplane.packetscript.live.net.LocalNetConfig;
import dev.hostplane.packetscript.live.internal.sys.LibC;
import dev.hostplane.packetscript.live.internal.sys.LinuxConstants;
import dev.hostplane.packetscript.live.internal.sys.Msghdr;
import dev.hostplane.packetscript.live.internal.sys.Sockaddr;
import dev.hostplane.packetscript.model.Expression;
import dev.hostplane.packetscript.model.SyscallSpec;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Executes one script syscall for real through {@link LibC}: maps script fds to live fds, fills
 * {@code ...} addresses from the configuration, builds argument buffers and checks output
 * arguments (getsockopt values, ioctl results, poll revents, epoll events, recvmsg control data)
 * against what the script wrote.
 */
final class SyscallRunner
{
    private static final int SOCKADDR_BUFFER = Sockaddr.STORAGE_SIZE;

    private final LocalNetConfig config;
    private final FdTable fds;

    SyscallRunner(final LocalNetConfig config, final FdTable fds)
    {
        this.config = config;
        this.fds = fds;
    }

    /**
     * Runs {@code call}. Every fd argument goes through the {@link FdTable}: a script fd the script never
     * created fails the call (an {@link IllegalArgumentException} the executor reports at the script line)
     * before anything reaches the kernel.
     */
    SyscallOutcome run(final SyscallSpec call)
    {
        final SyscallOutcome outcome = dispatch(call);
        if (outcome.result >= 0 && createsFd(call.name()))
        {
            // Owned at once, whatever the script expected: the executor closes it at the end even if the
            // script never names it (e.g. "= -1" expected but the call succeeded).
            fds.created((int)outcome.result);
        }
        return outcome;
    }

    /** Whether a successful {@code name} call returns a new fd (pipe fills an array instead). */
    static boolean createsFd(final String name)
    {
        return "socket".equals(name) || "accept".equals(name) || "accept4".equals(name) || "open".equals(name) ||
            "epoll_create".equals(name);
    }

    private SyscallOutcome dispatch(final SyscallSpec call)
    {
        final List<Expression> a = call.arguments();
        final String name = call.name();
        switch (name)
        {
            case "socket":
                return socket(a, call);
            case "bind":
                return bindOrConnect(a, true);
            case "connect":
                return bindOrConnect(a, false);
            case "listen":
                return listen(a);
            case "accept":
            case "accept4":
                return accept(a, call);
            case "read":
                return done(LibC.read(fd(a, 0), buffer(a.get(1), size(a, 2)), size(a, 2)));
            case "write":
                return write(a);
            case "send":
                return done(LibC.send(fd(a, 0), buffer(a.get(1), size(a, 2)), size(a, 2), (int)Args.integer(a.get(3))));
            case "sendto":
                return sendto(a);
            case "recv":
                return done(LibC.recv(fd(a, 0), buffer(a.get(1), size(a, 2)), size(a, 2), (int)Args.integer(a.get(3))));
            case "recvfrom":
                return recvfrom(a);
            case "readv":
            case "writev":
                return vector(a, "writev".equals(name));
            case "sendmsg":
                return sendmsg(a);
            case "recvmsg":
                return recvmsg(a);
            case "setsockopt":
                return setsockopt(a);
            case "getsockopt":
                return getsockopt(a);
            case "fcntl":
                return done(LibC.fcntl(fd(a, 0), (int)Args.integer(a.get(1)),
                    a.size() > 2 ? Args.integer(a.get(2)) : 0));
            case "ioctl":
                return ioctl(a);
            case "poll":
                return poll(a);
            case "epoll_create":
                return done(LibC.epoll_create((int)Args.integer(a.get(0))));
            case "epoll_ctl":
                return epollCtl(a);
            case "epoll_wait":
                return epollWait(a);
            case "shutdown":
                return done(LibC.shutdown(fd(a, 0), (int)Args.integer(a.get(1))));
            case "close":
                return close(a);
            case "open":
                return open(a);
            case "pipe":
                return pipe(a);
            case "splice":
                return done(LibC.splice(fd(a, 0), offset(a.get(1)), fd(a, 2), offset(a.get(3)),
                    Args.integer(a.get(4)), (int)Args.integer(a.get(5))));
            case "sendfile":
                return done(LibC.sendfile(fd(a, 0), fd(a, 1), offset(a.get(2)), Args.integer(a.get(3))));
            default:
                throw new IllegalArgumentException("unsupported system call: " + name);
        }
    }

    /** Records fds a successful call created, under the script's expected number. */
    void recordResult(final SyscallSpec call, final SyscallOutcome outcome, final long expected)
    {
        if (outcome.result < 0 || expected < 0)
        {
            return;
        }
        switch (call.name())
        {
            case "socket":
            case "accept":
            case "accept4":
            case "open":
            case "epoll_create":
                fds.put(expected, (int)outcome.result);
                if (!"open".equals(call.name()) && !"epoll_create".equals(call.name()))
                {
                    fds.socketUnderTest = (int)outcome.result;
                }
                break;
            default:
                break;
        }
    }

    private SyscallOutcome socket(final List<Expression> a, final SyscallSpec call)
    {
        final int domain = Args.isEllipsis(a.get(0)) ?
            (config.ipVersion().socketIpv6() ? LinuxConstants.AF_INET6 : LinuxConstants.AF_INET) :
            (int)Args.integer(a.get(0));
        return done(LibC.socket(domain, (int)Args.integer(a.get(1)), (int)Args.integer(a.get(2))));
    }

    private SyscallOutcome bindOrConnect(final List<Expression> a, final boolean bind)
    {
        final int fd = fd(a, 0);
        final InetAddress address = bind ? config.bindAddress() : config.connectAddress();
        final int port = bind ? config.bindPort() : config.connectPort();
        final Memory sockaddr = new Memory(SOCKADDR_BUFFER);
        if (!bind && a.size() > 1 && !Args.isEllipsis(a.get(1)))
        {
            // connect(fd, AF_UNSPEC, ...) dissolves the association; as packetdrill, the family is all the
            // address holds and the length is that of a sockaddr_storage.
            sockaddr.clear();
            sockaddr.setShort(0, (short)Args.integer(a.get(1)));
            return done(LibC.connect(fd, sockaddr, SOCKADDR_BUFFER));
        }
        final int length = Sockaddr.encode(sockaddr, address, port);
        return done(bind ? LibC.bind(fd, sockaddr, length) : LibC.connect(fd, sockaddr, length));
    }

    private SyscallOutcome listen(final List<Expression> a)
    {
        final int fd = fd(a, 0);
        final int result = LibC.listen(fd, (int)Args.integer(a.get(1)));
        final SyscallOutcome outcome = done(result);
        if (0 == result)
        {
            final Memory name = new Memory(SOCKADDR_BUFFER);
            final Memory length = new Memory(4);
            length.setInt(0, SOCKADDR_BUFFER);
            if (0 == LibC.getsockname(fd, name, length))
            {
                fds.listenerPorts.put(fd, Sockaddr.decode(name).getPort());
            }
        }
        return outcome;
    }

    private SyscallOutcome accept(final List<Expression> a, final SyscallSpec call)
    {
        final Memory name = new Memory(SOCKADDR_BUFFER);
        final Memory length = new Memory(4);
        length.setInt(0, SOCKADDR_BUFFER);
        return done(LibC.accept(fd(a, 0), name, length));
    }

    private SyscallOutcome write(final List<Expression> a)
    {
        final long size = size(a, 2);
        return done(LibC.write(fd(a, 0), buffer(a.get(1), size), size));
    }

    private SyscallOutcome sendto(final List<Expression> a)
    {
        final long size = size(a, 2);
        final int flags = (int)Args.integer(a.get(3));
        Pointer address = Pointer.NULL;
        int addressLength = 0;
        if (a.size() > 4 && Args.isEllipsis(a.get(4)))
        {
            final Memory sockaddr = new Memory(SOCKADDR_BUFFER);
            addressLength = Sockaddr.encode(sockaddr, config.connectAddress(), config.connectPort());
            address = sockaddr;
        }
        else if (a.size() > 4 && a.get(4) instanceof Expression.Symbol family && !Args.isNull(family))
        {
            // e.g. AF_UNSPEC: an address of that family and the usual length, as packetdrill builds it.
            final Memory sockaddr = new Memory(SOCKADDR_BUFFER);
            addressLength = Sockaddr.encode(sockaddr, config.connectAddress(), config.connectPort());
            sockaddr.setShort(0, (short)Args.integer(family));
            address = sockaddr;
        }
        return done(LibC.sendto(fd(a, 0), buffer(a.get(1), size), size, flags, address, addressLength));
    }

    private SyscallOutcome recvfrom(final List<Expression> a)
    {
        final long size = size(a, 2);
        final Memory name = new Memory(SOCKADDR_BUFFER);
        final Memory length = new Memory(4);
        length.setInt(0, SOCKADDR_BUFFER);
        return done(LibC.recvfrom(fd(a, 0), buffer(a.get(1), size), size, (int)Args.integer(a.get(3)), name, length));
    }

    private SyscallOutcome vector(final List<Expression> a, final boolean write)
    {
        final Msghdr msg = new Msghdr();
        final int count = iovecs(msg, a.get(1));
        final int declared = a.size() > 2 ? (int)Args.integer(a.get(2)) : count;
        final Pointer iov = msg.pointer().getPointer(16);
        return done(write ? LibC.writev(fd(a, 0), iov, declared) : LibC.readv(fd(a, 0), iov, declared));
    }

    private int iovecs(final Msghdr msg, final Expression list)
    {
        final List<Expression> elements = list instanceof Expression.ListExpr l ? l.elements() : List.of();
        msg.iovecs(elements.size());
        for (int i = 0; i < elements.size(); i++)
        {
            final Expression element = elements.get(i);
            long length = 0;
            if (element instanceof Expression.StructExpr s && !s.items().isEmpty())
            {
                length = Args.integer(s.items().get(s.items().size() - 1) instanceof Expression.Field f ?
                    f.value() : s.items().get(s.items().size() - 1));
            }
            msg.iovec(i, new Memory(Math.max(1, length)), length);
        }
        return elements.size();
    }

    private Msghdr msghdr(final Expression struct, final long controlSize)
    {
        final Msghdr msg = new Msghdr();
        final Expression iov = Args.fieldValue(struct, "msg_iov");
        iovecs(msg, null == iov ? new Expression.ListExpr(List.of()) : iov);
        final Memory name = new Memory(SOCKADDR_BUFFER);
        name.clear();
        final Expression msgName = Args.fieldValue(struct, "msg_name");
        if (null != msgName && !Args.isNull(msgName))
        {
            msg.name(name, Sockaddr.encode(name, config.connectAddress(), config.connectPort()));
        }
        if (controlSize > 0)
        {
            final Memory control = new Memory(controlSize);
            control.clear();
            msg.control(control, controlSize);
        }
        return msg;
    }

    private SyscallOutcome sendmsg(final List<Expression> a)
    {
        final Msghdr msg = msghdr(a.get(1), 0);
        final Expression control = Args.fieldValue(a.get(1), "msg_control");
        if (control instanceof Expression.ListExpr list && !list.elements().isEmpty())
        {
            final Memory buffer = new Memory(256);
            buffer.clear();
            long offset = 0;
            for (final Expression cmsg : list.elements())
            {
                final long level = Args.integer(Args.fieldValue(cmsg, "cmsg_level"));
                final long type = Args.integer(Args.fieldValue(cmsg, "cmsg_type"));
                final long data = Args.integer(Args.fieldValue(cmsg, "cmsg_data"));
                buffer.setLong(offset, 16 + 4);
                buffer.setInt(offset + 8, (int)level);
                buffer.setInt(offset + 12, (int)type);
                buffer.setInt(offset + 16, (int)data);
                offset += 24;
            }
            msg.control(buffer, offset);
        }
        return done(LibC.sendmsg(fd(a, 0), msg.pointer(), (int)Args.integer(a.get(2))));
    }

    private SyscallOutcome recvmsg(final List<Expression> a)
    {
        final Msghdr msg = msghdr(a.get(1), 512);
        final Pointer control = msg.pointer().getPointer(32);
        final long result = LibC.recvmsg(fd(a, 0), msg.pointer(), (int)Args.integer(a.get(2)));
        final int errno = result < 0 ? LibC.errno() : 0;
        String mismatch = null;
        if (result >= 0)
        {
            final Expression flags = Args.fieldValue(a.get(1), "msg_flags");
            if (null != flags && !Args.isEllipsis(flags) && Args.integer(flags) != msg.resultFlags())
            {
                mismatch = "Expected msg_flags " + Args.integer(flags) + " but got " + msg.resultFlags();
            }
            final Expression expected = Args.fieldValue(a.get(1), "msg_control");
            if (null == mismatch && expected instanceof Expression.ListExpr list)
            {
                mismatch = CmsgChecks.verify(list.elements(), control, msg.controlLength());
            }
        }
        return new SyscallOutcome(result, errno, mismatch);
    }

    private SyscallOutcome setsockopt(final List<Expression> a)
    {
        final Expression value = a.get(3);
        final int length = (int)Args.integer(a.get(4));
        final Memory buffer = new Memory(Math.max(64, length));
        buffer.clear();
        Pointer pointer = buffer;
        if (value instanceof Expression.ListExpr list)
        {
            for (int i = 0; i < list.elements().size(); i++)
            {
                buffer.setInt(4L * i, (int)Args.integer(list.elements().get(i)));
            }
        }
        else if (value instanceof Expression.StructExpr struct)
        {
            final List<Long> values = new ArrayList<>();
            for (final Expression item : struct.items())
            {
                values.add(Args.integer(item instanceof Expression.Field f ? f.value() : item));
            }
            final boolean timeval = "tv_sec".equals(firstFieldName(struct));
            for (int i = 0; i < values.size(); i++)
            {
                if (timeval)
                {
                    buffer.setLong(8L * i, values.get(i));
                }
                else
                {
                    buffer.setInt(4L * i, values.get(i).intValue());
                }
            }
        }
        else if (value instanceof Expression.StringLiteral string)
        {
            final byte[] bytes = string.bytes();
            buffer.write(0, bytes, 0, Math.min(bytes.length, (int)buffer.size()));
        }
        else if (Args.isNull(value))
        {
            pointer = Pointer.NULL;
        }
        else
        {
            buffer.setInt(0, (int)Args.integer(value));
        }
        return done(LibC.setsockopt(fd(a, 0), (int)Args.integer(a.get(1)), (int)Args.integer(a.get(2)), pointer,
            length));
    }

    private static String firstFieldName(final Expression.StructExpr struct)
    {
        return !struct.items().isEmpty() && struct.items().get(0) instanceof Expression.Field f ? f.name() : "";
    }

    private SyscallOutcome getsockopt(final List<Expression> a)
    {
        final Expression lengthArg = a.get(4);
        final int length = Args.isEllipsis(lengthArg) ? 256 : (int)Args.integer(lengthArg);
        final Memory buffer = new Memory(Math.max(256, length));
        buffer.clear();
        final Memory lengthBuffer = new Memory(4);
        lengthBuffer.setInt(0, length);
        final int result = LibC.getsockopt(fd(a, 0), (int)Args.integer(a.get(1)), (int)Args.integer(a.get(2)),
            buffer, lengthBuffer);
        final int errno = result < 0 ? LibC.errno() : 0;
        String mismatch = null;
        if (0 == result)
        {
            final Expression value = a.get(3);
            if (value instanceof Expression.ListExpr list && 1 == list.elements().size())
            {
                final long expected = Args.integer(list.elements().get(0));
                final long actual = buffer.getInt(0) & 0xFFFFFFFFL;
                if ((expected & 0xFFFFFFFFL) != actual)
                {
                    mismatch = "Bad getsockopt optval: expected: " + expected + " actual: " + actual;
                }
            }
            if (null == mismatch && !Args.isEllipsis(lengthArg) && lengthArg instanceof Expression.ListExpr)
            {
                if (length != lengthBuffer.getInt(0))
                {
                    mismatch = "Bad getsockopt optlen: expected: " + length + " actual: " + lengthBuffer.getInt(0);
                }
            }
        }
        return new SyscallOutcome(result, errno, mismatch);
    }

    private SyscallOutcome ioctl(final List<Expression> a)
    {
        final Memory buffer = new Memory(64);
        buffer.clear();
        final int result = LibC.ioctl(fd(a, 0), Args.integer(a.get(1)), buffer);
        final int errno = result < 0 ? LibC.errno() : 0;
        String mismatch = null;
        if (0 == result && a.size() > 2 && a.get(2) instanceof Expression.ListExpr list && 1 == list.elements().size())
        {
            final long expected = Args.integer(list.elements().get(0));
            if (expected != buffer.getInt(0))
            {
                mismatch = "Bad ioctl optval: expected: " + expected + " actual: " + buffer.getInt(0);
            }
        }
        return new SyscallOutcome(result, errno, mismatch);
    }

    private SyscallOutcome poll(final List<Expression> a)
    {
        final List<Expression> entries = a.get(0) instanceof Expression.ListExpr l ? l.elements() : List.of();
        final Memory pollfds = new Memory(Math.max(8, 8L * entries.size()));
        pollfds.clear();
        for (int i = 0; i < entries.size(); i++)
        {
            final Expression entry = entries.get(i);
            pollfds.setInt(8L * i, fds.live(Args.integer(Args.fieldValue(entry, "fd"))));
            pollfds.setShort(8L * i + 4, (short)Args.integer(Args.fieldValue(entry, "events")));
        }
        final int result = LibC.poll(pollfds, Args.integer(a.get(1)), (int)Args.integer(a.get(2)));
        final int errno = result < 0 ? LibC.errno() : 0;
        String mismatch = null;
        for (int i = 0; i < entries.size() && result >= 0 && null == mismatch; i++)
        {
            final Expression revents = Args.fieldValue(entries.get(i), "revents");
            if (null != revents)
            {
                final int expected = (int)Args.integer(revents);
                final int actual = pollfds.getShort(8L * i + 6) & 0xFFFF;
                if (expected != actual)
                {
                    mismatch = "poll: expected revents " + expected + " (" + pollNames(expected) + ") but got " +
                        actual + " (" + pollNames(actual) + ")";
                }
            }
        }
        return new SyscallOutcome(result, errno, mismatch);
    }

    private static String pollNames(final int bits)
    {
        final String[] names = {"POLLIN", "POLLPRI", "POLLOUT", "POLLERR", "POLLHUP", "POLLNVAL", "POLLRDNORM",
            "POLLRDBAND", "POLLWRNORM", "POLLWRBAND", "POLLMSG", "0x800", "0x1000", "POLLRDHUP"};
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < names.length; i++)
        {
            if (0 != (bits & (1 << i)))
            {
                text.append(text.length() > 0 ? "|" : "").append(names[i]);
            }
        }
        return text.length() > 0 ? text.toString() : "0";
    }

    private SyscallOutcome epollCtl(final List<Expression> a)
    {
        final Memory event = new Memory(12);
        event.clear();
        final Expression struct = a.get(3);
        if (!Args.isNull(struct) && !Args.isEllipsis(struct))
        {
            event.setInt(0, (int)Args.integer(Args.fieldValue(struct, "events")));
            event.setLong(4, epollData(struct));
        }
        return done(LibC.epoll_ctl(fd(a, 0), (int)Args.integer(a.get(1)), fd(a, 2),
            Args.isNull(struct) ? Pointer.NULL : event));
    }

    private static long epollData(final Expression struct)
    {
        for (final String name : new String[] {"fd", "ptr", "u32", "u64"})
        {
            final Expression value = Args.fieldValue(struct, name);
            if (null != value)
            {
                return Args.integer(value);
            }
        }
        return 0;
    }

    private SyscallOutcome epollWait(final List<Expression> a)
    {
        final int max = (int)Args.integer(a.get(2));
        final Memory events = new Memory(12L * Math.max(1, max));
        events.clear();
        final int result = LibC.epoll_wait(fd(a, 0), events, max, (int)Args.integer(a.get(3)));
        final int errno = result < 0 ? LibC.errno() : 0;
        String mismatch = null;
        final List<Expression> expected = a.get(1) instanceof Expression.ListExpr l ? l.elements() :
            List.of(a.get(1));
        for (int i = 0; i < Math.min(result, expected.size()) && null == mismatch; i++)
        {
            final Expression struct = expected.get(i);
            if (!(struct instanceof Expression.StructExpr))
            {
                continue;
            }
            final long wantEvents = Args.integer(Args.fieldValue(struct, "events"));
            final long gotEvents = events.getInt(12L * i) & 0xFFFFFFFFL;
            final long wantData = epollData(struct);
            final long gotData = events.getLong(12L * i + 4);
            if (wantEvents != gotEvents)
            {
                mismatch = "epoll_wait: expected events " + pollNames((int)wantEvents) + " but got " +
                    pollNames((int)gotEvents);
            }
            else if (wantData != gotData)
            {
                mismatch = "epoll_wait: expected data " + wantData + " but got " + gotData;
            }
        }
        return new SyscallOutcome(result, errno, mismatch);
    }

    private SyscallOutcome close(final List<Expression> a)
    {
        final long scriptFd = Args.integer(Args.arg(a, 0, "fd"));
        final int live = fds.live(scriptFd);
        final SyscallOutcome outcome = done(LibC.close(live));
        // Linux releases the fd even when close() reports an error: forget it either way.
        fds.remove(scriptFd);
        return outcome;
    }

    private SyscallOutcome open(final List<Expression> a)
    {
        final String path = new String(((Expression.StringLiteral)a.get(0)).bytes(),
            java.nio.charset.StandardCharsets.ISO_8859_1);
        final int mode = a.size() > 2 ? (int)Args.integer(a.get(2)) : 0;
        return done(LibC.open(path, (int)Args.integer(a.get(1)), mode));
    }

    private SyscallOutcome pipe(final List<Expression> a)
    {
        final Memory pair = new Memory(8);
        final int result = LibC.pipe(pair);
        final int errno = result < 0 ? LibC.errno() : 0;
        if (0 == result)
        {
            fds.created(pair.getInt(0));
            fds.created(pair.getInt(4));
        }
        if (0 == result && a.get(0) instanceof Expression.ListExpr list && 2 == list.elements().size())
        {
            fds.put(Args.integer(list.elements().get(0)), pair.getInt(0));
            fds.put(Args.integer(list.elements().get(1)), pair.getInt(4));
        }
        return new SyscallOutcome(result, errno, null);
    }

    private static Pointer offset(final Expression expression)
    {
        if (Args.isNull(expression) || Args.isEllipsis(expression))
        {
            return Pointer.NULL;
        }
        final Memory offset = new Memory(8);
        offset.setLong(0, Args.integer(expression));
        return offset;
    }

    /** The live fd of the script fd at {@code index}; fails for a script fd the script did not create. */
    private int fd(final List<Expression> a, final int index)
    {
        return fds.live(Args.integer(Args.arg(a, index, "fd")));
    }

    private static long size(final List<Expression> a, final int index)
    {
        return Args.integer(Args.arg(a, index, "size"));
    }

    private static Pointer buffer(final Expression expression, final long size)
    {
        if (Args.isNull(expression))
        {
            return Pointer.NULL;
        }
        final Memory memory = new Memory(Math.max(1, size));
        memory.clear();
        if (expression instanceof Expression.StringLiteral string)
        {
            final byte[] bytes = string.bytes();
            memory.write(0, bytes, 0, (int)Math.min(bytes.length, memory.size()));
        }
        return memory;
    }

    private static SyscallOutcome done(final long result)
    {
        return new SyscallOutcome(result, result < 0 ? LibC.errno() : 0, null);
    }
}
