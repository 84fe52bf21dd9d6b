package dev.hostplane.iopipe.server;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;

/**
 * Writes HTTP/1.1 response heads straight into a buffer from pre-encoded pieces: no header map, no
 * strings, no encoder in the pipeline (the pipeline has only a request decoder; the response is one
 * buffer, or one region carrying the head and the file, see {@link FileBodyRegion}).
 */
final class ResponseHead
{
    static final int OK = 200;
    static final int PARTIAL = 206;
    static final int MOVED = 301;

    private static final byte[] SERVER = ascii("Server: hostplane\r\nDate: ");
    private static final byte[] CONTENT_TYPE = ascii("\r\nContent-Type: ");
    private static final byte[] CONTENT_LENGTH = ascii("\r\nContent-Length: ");
    private static final byte[] LAST_MODIFIED = ascii("\r\nLast-Modified: ");
    private static final byte[] ACCEPT_RANGES = ascii("\r\nAccept-Ranges: bytes");
    private static final byte[] CONTENT_RANGE = ascii("\r\nContent-Range: bytes ");
    private static final byte[] CLOSE = ascii("\r\nConnection: close");
    private static final byte[] KEEP_ALIVE = ascii("\r\nConnection: keep-alive");
    private static final byte[] LOCATION = ascii("\r\nLocation: ");
    private static final byte[] ALLOW = ascii("\r\nAllow: GET, HEAD");
    private static final byte[] TEXT = ascii("text/plain; charset=utf-8");
    private static final byte[] END = ascii("\r\n\r\n");

    private ResponseHead()
    {
    }

    /** How the connection continues after this response. */
    enum Connection
    {
        /** HTTP/1.1 default: nothing to say. */
        DEFAULT,
        /** HTTP/1.0 client that asked for keep-alive. */
        KEEP_ALIVE,
        /** The server closes after this response. */
        CLOSE
    }

    static void statusLine(final ByteBuf out, final int status)
    {
        out.writeBytes(statusLine(status));
        out.writeBytes(SERVER);
        out.writeBytes(HttpDate.now());
    }

    static void contentType(final ByteBuf out, final byte[] type)
    {
        out.writeBytes(CONTENT_TYPE);
        out.writeBytes(type);
    }

    static void contentLength(final ByteBuf out, final long length)
    {
        out.writeBytes(CONTENT_LENGTH);
        decimal(out, length);
    }

    static void lastModified(final ByteBuf out, final long epochSecond)
    {
        out.writeBytes(LAST_MODIFIED);
        out.writeBytes(HttpDate.of(epochSecond));
    }

    static void acceptRanges(final ByteBuf out)
    {
        out.writeBytes(ACCEPT_RANGES);
    }

    /** {@code Content-Range: bytes first-last/size}, or {@code bytes * /size} when {@code first < 0}. */
    static void contentRange(final ByteBuf out, final long first, final long length, final long size)
    {
        out.writeBytes(CONTENT_RANGE);
        if (first < 0)
        {
            out.writeByte('*');
        }
        else
        {
            decimal(out, first);
            out.writeByte('-');
            decimal(out, first + length - 1);
        }
        out.writeByte('/');
        decimal(out, size);
    }

    static void location(final ByteBuf out, final byte[] path, final int length, final boolean absolute)
    {
        out.writeBytes(LOCATION);
        out.writeByte('/');
        for (int i = 0; i < length; i++)
        {
            final int b = path[i] & 0xFF;
            // Percent-encode what may not appear raw in a header or would change the URI's meaning.
            if (b <= 0x20 || b >= 0x7F || '%' == b || '?' == b || '#' == b)
            {
                out.writeByte('%');
                out.writeByte(Character.toUpperCase(Character.forDigit(b >> 4, 16)));
                out.writeByte(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
            else
            {
                out.writeByte(b);
            }
        }
        out.writeByte('/');
    }

    static void allow(final ByteBuf out)
    {
        out.writeBytes(ALLOW);
    }

    /** Ends the head, with the Connection header it needs. */
    static void end(final ByteBuf out, final Connection connection)
    {
        if (Connection.CLOSE == connection)
        {
            out.writeBytes(CLOSE);
        }
        else if (Connection.KEEP_ALIVE == connection)
        {
            out.writeBytes(KEEP_ALIVE);
        }
        out.writeBytes(END);
    }

    /**
     * A complete error or redirect response with a short text body (none for HEAD).
     *
     * @param out        the buffer.
     * @param status     the status code.
     * @param connection how the connection continues.
     * @param withBody   false for HEAD.
     */
    static void error(final ByteBuf out, final int status, final Connection connection, final boolean withBody)
    {
        final byte[] body = body(status);
        statusLine(out, status);
        contentType(out, TEXT);
        contentLength(out, body.length);
        if (405 == status)
        {
            allow(out);
        }
        end(out, connection);
        if (withBody)
        {
            out.writeBytes(body);
        }
    }

    static void decimal(final ByteBuf out, final long value)
    {
        if (value < 10)
        {
            out.writeByte('0' + (int)value);
            return;
        }
        int digits = 1;
        for (long p = 10; p <= value && digits < 19; p *= 10)
        {
            digits++;
        }
        final int at = out.writerIndex();
        out.ensureWritable(digits);
        long v = value;
        for (int i = digits - 1; i >= 0; i--)
        {
            out.setByte(at + i, '0' + (int)(v % 10));
            v /= 10;
        }
        out.writerIndex(at + digits);
    }

    private static final byte[][] STATUS_LINES = new byte[600][];
    private static final byte[][] BODIES = new byte[600][];

    static
    {
        final Object[][] known = {
            {200, "OK"}, {206, "Partial Content"}, {301, "Moved Permanently"}, {400, "Bad Request"},
            {403, "Forbidden"}, {404, "Not Found"}, {405, "Method Not Allowed"}, {408, "Request Timeout"},
            {413, "Content Too Large"}, {414, "URI Too Long"}, {416, "Range Not Satisfiable"},
            {431, "Request Header Fields Too Large"}, {500, "Internal Server Error"}, {503, "Service Unavailable"},
            {505, "HTTP Version Not Supported"}};
        for (final Object[] k : known)
        {
            final int code = (Integer)k[0];
            STATUS_LINES[code] = ascii("HTTP/1.1 " + code + " " + k[1] + "\r\n");
            BODIES[code] = ascii(code + " " + k[1] + "\n");
        }
    }

    private static byte[] statusLine(final int status)
    {
        final byte[] line = STATUS_LINES[status];
        if (null == line)
        {
            throw new IllegalArgumentException("status=" + status + " has no reason phrase here");
        }
        return line;
    }

    private static byte[] body(final int status)
    {
        return BODIES[status];
    }

    private static byte[] ascii(final String s)
    {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
