package dev.hostplane.syslog.internal.input;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import dev.hostplane.syslog.SyslogException;
import dev.hostplane.syslog.internal.queue.MainQueue;
import dev.hostplane.syslog.internal.thread.LibraryThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * imuxsock for a {@code /dev/log}-style unix datagram socket at a configured path. The socket has
 * {@code SO_PASSCRED} set, so the kernel attaches the sender's pid/uid/gid to every datagram
 * ({@code SCM_CREDENTIALS}) — values the sender cannot forge. They are appended to the message as
 * rsyslog's trusted properties {@code @[_PID=.. _UID=.. _GID=..]} when {@code annotate} is on.
 * Netty's domain datagram channel does not expose ancillary data, hence plain
 * {@code recvmsg(2)} through JNA on a dedicated thread.
 */
public final class UnixDatagramInput implements NetInput
{
    private static final Logger LOG = LoggerFactory.getLogger(UnixDatagramInput.class);

    private static final byte[] INPUT_NAME = {'i', 'm', 'u', 'x', 's', 'o', 'c', 'k'};
    private static final byte[] LOCALHOST = {'l', 'o', 'c', 'a', 'l', 'h', 'o', 's', 't'};
    private static final byte[] LOOPBACK_IP = {'1', '2', '7', '.', '0', '.', '0', '.', '1'};
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOL_SOCKET = 1;
    private static final int SO_PASSCRED = 16;
    private static final int SO_RCVTIMEO = 20;
    private static final int SCM_CREDENTIALS = 2;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int SUN_PATH = 108;
    private static final int MAX_DATAGRAM = 65_536;
    private static final LibC LIBC = Native.load("c", LibC.class);

    private final Path path;
    private final MainQueue queue;
    private final int maxMessage;
    private final boolean annotate;
    private final InputStats stats;
    private final int fd;
    private final Thread reader;
    private volatile boolean running = true;
    private volatile int lastPid;
    private volatile int lastUid;
    private volatile int lastGid;

    /** libc calls for the socket. */
    public interface LibC extends Library
    {
        /**
         * socket(2).
         *
         * @param domain   domain.
         * @param type     type.
         * @param protocol protocol.
         * @return fd.
         * @throws LastErrorException on failure.
         */
        int socket(int domain, int type, int protocol) throws LastErrorException;

        /**
         * bind(2).
         *
         * @param fd   fd.
         * @param addr address.
         * @param len  length.
         * @return 0.
         * @throws LastErrorException on failure.
         */
        int bind(int fd, Pointer addr, int len) throws LastErrorException;

        /**
         * setsockopt(2).
         *
         * @param fd    fd.
         * @param level level.
         * @param name  option.
         * @param value value.
         * @param len   length.
         * @return 0.
         * @throws LastErrorException on failure.
         */
        int setsockopt(int fd, int level, int name, Pointer value, int len) throws LastErrorException;

        /**
         * recvmsg(2).
         *
         * @param fd    fd.
         * @param msg   msghdr.
         * @param flags flags.
         * @return bytes.
         * @throws LastErrorException on failure.
         */
        long recvmsg(int fd, Pointer msg, int flags) throws LastErrorException;

        /**
         * close(2).
         *
         * @param fd fd.
         * @return 0.
         */
        int close(int fd);
    }

    /**
     * Creates the socket (replacing a stale one at the path) and starts reading.
     *
     * @param path       socket path.
     * @param queue      main queue.
     * @param maxMessage maxMessageSize.
     * @param annotate   append {@code @[_PID= _UID= _GID=]}.
     */
    public UnixDatagramInput(final Path path, final MainQueue queue, final int maxMessage, final boolean annotate)
    {
        this.path = path;
        this.queue = queue;
        this.maxMessage = maxMessage;
        this.annotate = annotate;
        this.stats = new InputStats("imuxsock:" + path);
        final byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        if (name.length >= SUN_PATH)
        {
            throw new SyslogException("imuxsock: socket path too long: path=" + path + " max=" + (SUN_PATH - 1));
        }
        int s = -1;
        try
        {
            Files.deleteIfExists(path);
            s = LIBC.socket(AF_UNIX, SOCK_DGRAM, 0);
            final Memory addr = new Memory(2 + SUN_PATH);
            addr.clear();
            addr.setShort(0, (short)AF_UNIX);
            addr.write(2, name, 0, name.length);
            LIBC.bind(s, addr, 2 + name.length + 1);
            final Memory one = new Memory(4);
            one.setInt(0, 1);
            LIBC.setsockopt(s, SOL_SOCKET, SO_PASSCRED, one, 4);
            // A receive timeout lets the reader notice close() without signals.
            final Memory tv = new Memory(16);
            tv.setLong(0, 0);
            tv.setLong(8, 100_000);
            LIBC.setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, tv, 16);
        }
        catch (final LastErrorException | java.io.IOException ex)
        {
            if (s >= 0)
            {
                LIBC.close(s);
            }
            throw new SyslogException("imuxsock: cannot create socket: path=" + path + " error=" + ex.getMessage(), ex);
        }
        this.fd = s;
        this.reader = LibraryThreads.thread("imuxsock", this::run);
        this.reader.start();
    }

    private void run()
    {
        final Memory data = new Memory(MAX_DATAGRAM);
        final Memory control = new Memory(64);
        final Memory iov = new Memory(16);
        final Memory msg = new Memory(56);
        final byte[] copy = new byte[MAX_DATAGRAM + 64];
        iov.setPointer(0, data);
        iov.setLong(8, MAX_DATAGRAM);
        while (running)
        {
            msg.clear();
            control.clear();
            msg.setPointer(16, iov);
            msg.setLong(24, 1);
            msg.setPointer(32, control);
            msg.setLong(40, control.size());
            final long n;
            try
            {
                n = LIBC.recvmsg(fd, msg, 0);
            }
            catch (final LastErrorException ex)
            {
                if (ex.getErrorCode() == EAGAIN || ex.getErrorCode() == EINTR)
                {
                    continue;
                }
                if (running)
                {
                    LOG.error("imuxsock: recvmsg failed, input stopped: path={}", path, ex);
                }
                return;
            }
            int pid = -1;
            int uid = -1;
            int gid = -1;
            final long controlLen = msg.getLong(40);
            if (controlLen >= 28 && control.getInt(8) == SOL_SOCKET && control.getInt(12) == SCM_CREDENTIALS)
            {
                pid = control.getInt(16);
                uid = control.getInt(20);
                gid = control.getInt(24);
                lastPid = pid;
                lastUid = uid;
                lastGid = gid;
            }
            int length = (int)n;
            if (0 == length)
            {
                stats.empty("pid=" + pid);
                continue;
            }
            if (length > maxMessage)
            {
                stats.oversize("pid=" + pid, "datagram length=" + length + " exceeds maxMessageSize=" + maxMessage +
                    ": truncated");
                length = maxMessage;
            }
            data.read(0, copy, 0, length);
            while (length > 0 && (copy[length - 1] == '\n' || copy[length - 1] == 0))
            {
                length--;
            }
            if (annotate && pid >= 0)
            {
                final byte[] extra = (" @[_PID=" + pid + " _UID=" + uid + " _GID=" + gid + "]")
                    .getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(extra, 0, copy, length, extra.length);
                length += extra.length;
            }
            queue.publish(copy, 0, length, INPUT_NAME, LOCALHOST, LOOPBACK_IP);
            stats.message(length);
        }
    }

    /**
     * The credentials of the last datagram that carried them (pid, uid, gid), for tests.
     *
     * @return {pid, uid, gid}.
     */
    public int[] lastCredentials()
    {
        return new int[] {lastPid, lastUid, lastGid};
    }

    @Override
    public InputStats stats()
    {
        return stats;
    }

    @Override
    public int port()
    {
        return -1;
    }

    @Override
    public void close()
    {
        running = false;
        try
        {
            reader.join(2_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        LIBC.close(fd);
        try
        {
            Files.deleteIfExists(path);
        }
        catch (final java.io.IOException ignore)
        {
            // The socket file is gone or its directory was removed: nothing to clean up.
        }
    }
}
