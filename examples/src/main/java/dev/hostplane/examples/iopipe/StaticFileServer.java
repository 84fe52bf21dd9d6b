package dev.hostplane.examples.iopipe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.hostplane.iopipe.PipeService;
import dev.hostplane.iopipe.Sink;
import dev.hostplane.iopipe.Source;

/**
 * A small HTTP/1.1 static file server: keep-alive, {@code Range}, {@code HEAD}, Content-Type by
 * extension, 404/405/416, and path traversal refused (403). The application writes the response head;
 * the body goes through {@code iopipe} (sendfile) and the connection is then read again for the next
 * request: vPipe's "header, pipe, control back". With no {@link PipeService} it copies bodies with
 * plain read/write through a 64 KiB direct buffer, for comparison. One platform thread per connection.
 */
public final class StaticFileServer implements AutoCloseable
{
    private static final int MAX_HEAD = 16 * 1024;
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};
    private static final Map<String, String> TYPES = Map.ofEntries(
        Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
        Map.entry("txt", "text/plain; charset=utf-8"), Map.entry("css", "text/css"),
        Map.entry("js", "text/javascript"), Map.entry("json", "application/json"),
        Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
        Map.entry("gif", "image/gif"), Map.entry("svg", "image/svg+xml"), Map.entry("pdf", "application/pdf"));

    private final Path root;
    private final PipeService pipes;
    private final ServerSocketChannel listener;
    private final Thread acceptor;
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong bodyBytes = new AtomicLong();
    private volatile boolean running = true;
    /**
     * Targets whose checks (inside the root after symlinks, a regular file) passed, re-checked after
     * CHECK_VALID_NANOS like nginx's open_file_cache_valid: the checks cost 10 of the 15 system calls of
     * a 4 KiB response (stat, lstat, readlink per path component); a hit leaves open + fstat.
     */
    private final Map<String, Checked> checked = new ConcurrentHashMap<>();
    private static final long CHECK_VALID_NANOS = 1_000_000_000L;
    private static final int CHECKED_MAX = 4096;

    /** One passed check of a request target. */
    private static final class Checked
    {
        final Path file;
        final long atNanos;

        Checked(final Path file, final long atNanos)
        {
            this.file = file;
            this.atNanos = atNanos;
        }
    }

    /**
     * Binds and starts accepting.
     *
     * @param root  directory served; nothing outside it is reachable.
     * @param bind  address to listen on (use 127.0.0.1).
     * @param pipes the pipe service for bodies, or {@code null} for plain read/write copying.
     * @throws IOException if the root is not a directory or the port cannot be bound.
     */
    public StaticFileServer(final Path root, final InetSocketAddress bind, final PipeService pipes) throws IOException
    {
        if (!Files.isDirectory(root))
        {
            throw new IOException("root=" + root + " is not a directory");
        }
        this.root = root.toRealPath();
        this.pipes = pipes;
        this.listener = ServerSocketChannel.open();
        listener.bind(bind, 1024);
        acceptor = new Thread(this::acceptLoop, "pipe-serve-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * The bound port.
     *
     * @return the port.
     */
    public int port()
    {
        try
        {
            return ((InetSocketAddress)listener.getLocalAddress()).getPort();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("listener closed", ex);
        }
    }

    /**
     * Requests answered.
     *
     * @return the count.
     */
    public long requests()
    {
        return requests.get();
    }

    /**
     * Body bytes sent.
     *
     * @return the count.
     */
    public long bodyBytes()
    {
        return bodyBytes.get();
    }

    private void acceptLoop()
    {
        while (running)
        {
            try
            {
                final SocketChannel ch = listener.accept();
                ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                connections.add(ch);
                final Thread t = new Thread(() -> serve(ch), "pipe-serve-conn");
                t.setDaemon(true);
                t.start();
            }
            catch (final IOException ex)
            {
                if (running)
                {
                    System.err.println("pipe serve: accept failed: " + ex);
                }
            }
        }
    }

    private void serve(final SocketChannel ch)
    {
        final ByteBuffer in = ByteBuffer.allocate(MAX_HEAD);
        final ByteBuffer copyBuffer = null == pipes ? ByteBuffer.allocateDirect(64 * 1024) : null;
        try (ch)
        {
            while (running)
            {
                int end;
                while ((end = indexOf(in, HEAD_END)) < 0)
                {
                    if (!in.hasRemaining())
                    {
                        respondError(ch, 431, "Request Header Fields Too Large", "request head exceeds 16384 bytes",
                            false, false);
                        return;
                    }
                    if (ch.read(in) < 0)
                    {
                        return;
                    }
                }
                HttpRequestHead head;
                try
                {
                    head = HttpRequestHead.parse(in.array(), end);
                }
                catch (final HttpRequestHead.BadRequest ex)
                {
                    respondError(ch, 400, "Bad Request", ex.getMessage(), false, false);
                    return;
                }
                // Keep any pipelined bytes after this head for the next round.
                final int consumed = end + HEAD_END.length;
                in.flip().position(consumed);
                in.compact();
                requests.incrementAndGet();
                if (head.hasBody)
                {
                    respondError(ch, 400, "Bad Request", "request bodies are not accepted", false, false);
                    return;
                }
                if (!handle(ch, head, copyBuffer))
                {
                    return;
                }
            }
        }
        catch (final ClosedChannelException ignore)
        {
            // server closing
        }
        catch (final IOException ex)
        {
            // Peer went away mid-response (reset, timeout): nothing to answer.
        }
        finally
        {
            connections.remove(ch);
        }
    }

    /** Answers one request; returns whether the connection stays open. */
    private boolean handle(final SocketChannel ch, final HttpRequestHead head, final ByteBuffer copyBuffer)
        throws IOException
    {
        final boolean keepAlive = head.keepAlive();
        final boolean isHead = "HEAD".equals(head.method);
        if (!isHead && !"GET".equals(head.method))
        {
            respondError(ch, 405, "Method Not Allowed", "method=" + head.method, keepAlive, isHead);
            return keepAlive;
        }
        final long now = System.nanoTime();
        final Checked hit = checked.get(head.target);
        final Path file;
        if (null != hit && now - hit.atNanos < CHECK_VALID_NANOS)
        {
            file = hit.file;
        }
        else
        {
            file = resolve(head.target);
            if (null == file)
            {
                respondError(ch, 403, "Forbidden", "path outside the root", keepAlive, isHead);
                return keepAlive;
            }
            if (!Files.isRegularFile(file))
            {
                respondError(ch, 404, "Not Found", "no such file: " + head.target, keepAlive, isHead);
                return keepAlive;
            }
            if (checked.size() >= CHECKED_MAX)
            {
                checked.clear();
            }
            checked.put(head.target, new Checked(file, now));
        }
        final FileChannel opened;
        try
        {
            opened = FileChannel.open(file, StandardOpenOption.READ);
        }
        catch (final java.nio.file.NoSuchFileException ex)
        {
            // Deleted since it was checked.
            checked.remove(head.target);
            respondError(ch, 404, "Not Found", "no such file: " + head.target, keepAlive, isHead);
            return keepAlive;
        }
        try (FileChannel fc = opened)
        {
            final long size = fc.size();
            final ByteRange range = ByteRange.parse(head.range, size);
            if (ByteRange.UNSATISFIABLE == range)
            {
                final String extra = "Content-Range: bytes */" + size + "\r\n";
                writeHead(ch, 416, "Range Not Satisfiable", "text/plain", 0, extra, keepAlive);
                return keepAlive;
            }
            final long first = ByteRange.WHOLE == range ? 0 : range.first;
            final long length = ByteRange.WHOLE == range ? size : range.length;
            final String extra = ByteRange.WHOLE == range ? "Accept-Ranges: bytes\r\n"
                : "Accept-Ranges: bytes\r\nContent-Range: bytes " + first + "-" + (first + length - 1) + "/" + size + "\r\n";
            writeHead(ch, ByteRange.WHOLE == range ? 200 : 206, ByteRange.WHOLE == range ? "OK" : "Partial Content",
                contentType(file), length, extra, keepAlive);
            if (!isHead && length > 0)
            {
                if (null != pipes)
                {
                    pipes.transfer(Source.file(fc, first, length), Sink.socket(ch));
                }
                else
                {
                    copy(fc, first, length, ch, copyBuffer);
                }
                bodyBytes.addAndGet(length);
            }
        }
        return keepAlive;
    }

    private static void copy(
        final FileChannel fc, final long first, final long length, final SocketChannel ch, final ByteBuffer buf)
        throws IOException
    {
        long pos = first;
        final long end = first + length;
        while (pos < end)
        {
            buf.clear().limit((int)Math.min(buf.capacity(), end - pos));
            final int n = fc.read(buf, pos);
            if (n < 0)
            {
                throw new IOException("file shrank at " + pos);
            }
            buf.flip();
            while (buf.hasRemaining())
            {
                ch.write(buf);
            }
            pos += n;
        }
    }

    /** Maps a request target to a file under the root, or null when it would escape the root. */
    Path resolve(final String target)
    {
        final int q = target.indexOf('?');
        final String rawPath = q >= 0 ? target.substring(0, q) : target;
        final String decoded;
        try
        {
            decoded = java.net.URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
        if (decoded.indexOf('\0') >= 0 || decoded.contains("\\"))
        {
            return null;
        }
        for (final String segment : decoded.split("/"))
        {
            if ("..".equals(segment))
            {
                return null;
            }
        }
        Path p = root.resolve(decoded.substring(1)).normalize();
        if (!p.startsWith(root))
        {
            return null;
        }
        if (Files.isDirectory(p))
        {
            p = p.resolve("index.html");
        }
        try
        {
            // Symbolic links may not lead out of the root either.
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !p.toRealPath().startsWith(root))
            {
                return null;
            }
        }
        catch (final IOException ex)
        {
            return p;
        }
        return p;
    }

    private static String contentType(final Path file)
    {
        final String name = file.getFileName().toString();
        final int dot = name.lastIndexOf('.');
        final String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }

    private static void writeHead(
        final SocketChannel ch,
        final int status,
        final String reason,
        final String type,
        final long length,
        final String extra,
        final boolean keepAlive) throws IOException
    {
        final String head = "HTTP/1.1 " + status + " " + reason + "\r\nServer: hostplane-pipe\r\nContent-Type: " + type
            + "\r\nContent-Length: " + length + "\r\n" + extra + (keepAlive ? "" : "Connection: close\r\n") + "\r\n";
        final ByteBuffer buf = ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1));
        while (buf.hasRemaining())
        {
            ch.write(buf);
        }
    }

    private static void respondError(
        final SocketChannel ch,
        final int status,
        final String reason,
        final String detail,
        final boolean keepAlive,
        final boolean isHead) throws IOException
    {
        final byte[] body = (status + " " + reason + ": " + detail + "\n").getBytes(StandardCharsets.UTF_8);
        writeHead(ch, status, reason, "text/plain; charset=utf-8", body.length, "", keepAlive);
        if (!isHead)
        {
            final ByteBuffer buf = ByteBuffer.wrap(body);
            while (buf.hasRemaining())
            {
                ch.write(buf);
            }
        }
    }

    private static int indexOf(final ByteBuffer buf, final byte[] needle)
    {
        final byte[] a = buf.array();
        final int limit = buf.position() - needle.length;
        outer:
        for (int i = 0; i <= limit; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (a[i + j] != needle[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public void close() throws IOException
    {
        running = false;
        listener.close();
        for (final SocketChannel ch : connections)
        {
            ch.close();
        }
    }
}
