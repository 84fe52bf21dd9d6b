package dev.hostplane.iopipe.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.hostplane.iopipe.internal.LibC;
import io.netty.buffer.ByteBuf;
import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;

/**
 * A whole response as one Netty message: the head, then a range of an open file, moved on the event
 * loop with iopipe's kernel calls. The head goes out with {@code send(MSG_MORE)} so the kernel holds it
 * until {@code sendfile} appends the body: head and a small body leave in one TCP segment, as nginx gets
 * with {@code tcp_nopush}, without two extra setsockopt calls. When the socket is full the call returns
 * what moved and Netty waits for EPOLLOUT; the file is read again from the right offset then, so a partial
 * send never duplicates or loses a byte. With {@code copy} (or where the socket descriptor is out of reach)
 * the body is read into a direct buffer and written: the strategy counters say which path ran. Owns the
 * head buffer and a reference to the open file, both released when Netty releases the region.
 */
final class FileBodyRegion extends AbstractReferenceCounted implements FileRegion
{
    /** Bytes per sendfile call, like nginx's sendfile_max_chunk: one big file cannot hold the event loop. */
    private static final long MAX_CHUNK = 2L << 20;
    /** Socket errors sendfile can report besides EPIPE and ECONNRESET (Linux numbers). */
    private static final int ENETUNREACH = 101;
    private static final int ENOTCONN = 107;
    private static final int ETIMEDOUT = 110;
    private static final int EHOSTUNREACH = 113;

    private final ByteBuf head;
    private final int headLength;
    private final OpenFileCache.OpenFile file;
    private final int fileFd;
    private final long fileOffset;
    private final long fileLength;
    private final int socketFd;
    private final boolean copy;
    private final HttpConnection owner;
    private final ServerCounters counters;
    private long transferred;

    FileBodyRegion(
        final ByteBuf head,
        final OpenFileCache.OpenFile file,
        final long fileOffset,
        final long fileLength,
        final int socketFd,
        final boolean copy,
        final HttpConnection owner,
        final ServerCounters counters)
    {
        this.head = head;
        this.headLength = head.readableBytes();
        this.file = file;
        this.fileFd = file.fd;
        this.fileOffset = fileOffset;
        this.fileLength = fileLength;
        this.socketFd = socketFd;
        this.copy = copy;
        this.owner = owner;
        this.counters = counters;
    }

    @Override
    public long position()
    {
        return 0;
    }

    @Override
    @Deprecated
    public long transfered()
    {
        return transferred;
    }

    @Override
    public long transferred()
    {
        return transferred;
    }

    @Override
    public long count()
    {
        return headLength + fileLength;
    }

    @Override
    public long transferTo(final WritableByteChannel target, final long position) throws IOException
    {
        long moved = 0;
        long at = position;
        if (at < headLength)
        {
            final long n = sendHead(target, at);
            if (n <= 0)
            {
                return 0;
            }
            moved += n;
            at += n;
            transferred += n;
            if (at < headLength)
            {
                owner.progress(moved);
                return moved;
            }
        }
        if (at < count())
        {
            final long n = copy || socketFd < 0 ? copyBody(target, at) : sendfile(at);
            if (n > 0)
            {
                moved += n;
                transferred += n;
            }
        }
        owner.progress(moved);
        return moved;
    }

    private long sendHead(final WritableByteChannel target, final long at) throws IOException
    {
        final int from = head.readerIndex() + (int)at;
        final int length = headLength - (int)at;
        if (socketFd < 0 || !head.hasMemoryAddress())
        {
            return target.write(head.nioBuffer(from, length));
        }
        final int flags = LibC.MSG_NOSIGNAL | (fileLength > 0 ? LibC.MSG_MORE : 0);
        while (true)
        {
            final long n = LibC.send(socketFd, head.memoryAddress() + from, length, flags);
            if (n >= 0)
            {
                return n;
            }
            final int errno = LibC.errno();
            if (LibC.EAGAIN == errno)
            {
                return 0;
            }
            if (LibC.EINTR != errno)
            {
                throw failure("send", errno);
            }
        }
    }

    private long sendfile(final long at) throws IOException
    {
        final NativeScratch s = NativeScratch.get();
        final long bodyAt = at - headLength;
        final long want = Math.min(fileLength - bodyAt, MAX_CHUNK);
        while (true)
        {
            s.memory.setLong(NativeScratch.FILE_OFFSET_SLOT, fileOffset + bodyAt);
            final long n = LibC.sendfile(socketFd, fileFd, s.fileOffset, want);
            if (n > 0)
            {
                counters.sendfileBytes.add(n);
                return n;
            }
            if (0 == n)
            {
                throw shrank(bodyAt);
            }
            final int errno = LibC.errno();
            if (LibC.EAGAIN == errno)
            {
                return 0;
            }
            if (LibC.EINTR != errno)
            {
                // sendfile reports the socket's errors and the file's alike: only the socket's mean the client left.
                throw clientGone(errno) ? failure("sendfile", errno) : new FileReadException(
                    "sendfile from " + name() + " at offset " + (fileOffset + bodyAt) + " failed: errno=" + errno
                        + " (" + LibC.strerror(errno) + ")");
            }
        }
    }

    /** Reads the body into a direct buffer and writes it: the plain path, for comparison or without native access. */
    private long copyBody(final WritableByteChannel target, final long at) throws IOException
    {
        final NativeScratch s = NativeScratch.get();
        final long bodyAt = at - headLength;
        final long want = Math.min(fileLength - bodyAt, NativeScratch.COPY_CAPACITY);
        final long buf = s.address + NativeScratch.COPY_OFFSET;
        final long read = LibC.pread(fileFd, buf, want, fileOffset + bodyAt);
        if (read <= 0)
        {
            if (0 == read)
            {
                throw shrank(bodyAt);
            }
            final int errno = LibC.errno();
            throw new FileReadException("pread from " + name() + " at offset " + (fileOffset + bodyAt) + " failed: errno="
                + errno + " (" + LibC.strerror(errno) + ")");
        }
        long n;
        if (socketFd >= 0)
        {
            n = LibC.send(socketFd, buf, read, LibC.MSG_NOSIGNAL);
            if (n < 0)
            {
                final int errno = LibC.errno();
                if (LibC.EAGAIN == errno || LibC.EINTR == errno)
                {
                    return 0;
                }
                throw failure("send", errno);
            }
        }
        else
        {
            final ByteBuffer view = s.copyView;
            view.clear().limit((int)read);
            n = target.write(view);
        }
        counters.copyBytes.add(n);
        return n;
    }

    private FileReadException shrank(final long bodyAt)
    {
        return new FileReadException(name() + " shrank while it was sent: " + (fileLength - bodyAt) + " of "
            + fileLength + " announced bytes are missing at offset " + (fileOffset + bodyAt));
    }

    /** The file's path, for the log: read back from the descriptor, and only when something went wrong. */
    private String name()
    {
        try
        {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fileFd)).toString();
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            return "file descriptor " + fileFd;
        }
    }

    private static boolean clientGone(final int errno)
    {
        return LibC.EPIPE == errno || LibC.ECONNRESET == errno || ENOTCONN == errno || ETIMEDOUT == errno
            || EHOSTUNREACH == errno || ENETUNREACH == errno;
    }

    /**
     * The file, not the client, failed mid-response (EIO from the disk, the file shrank): the response is
     * cut short and the connection closed, as nginx does, and the server reports it.
     */
    static final class FileReadException extends IOException
    {
        private static final long serialVersionUID = 1L;

        FileReadException(final String message)
        {
            super(message);
        }
    }

    private IOException failure(final String op, final int errno)
    {
        return new IOException(op + " failed: errno=" + errno + " (" + LibC.strerror(errno) + ")");
    }

    @Override
    protected void deallocate()
    {
        NativeScratch.recycleHead(head);
        file.release();
        owner.regionDone();
    }

    @Override
    public FileRegion retain()
    {
        super.retain();
        return this;
    }

    @Override
    public FileRegion retain(final int increment)
    {
        super.retain(increment);
        return this;
    }

    @Override
    public FileRegion touch()
    {
        return this;
    }

    @Override
    public FileRegion touch(final Object hint)
    {
        return this;
    }
}
