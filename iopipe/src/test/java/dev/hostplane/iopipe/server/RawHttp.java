package dev.hostplane.iopipe.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A test client that writes raw bytes and reads raw responses, for requests no HTTP client library would send. */
final class RawHttp implements AutoCloseable
{
    /** One parsed response. */
    record Response(String statusLine, String head, byte[] body)
    {
        int status()
        {
            return Integer.parseInt(statusLine.split(" ")[1]);
        }

        String header(final String name)
        {
            for (final String line : head.split("\r\n"))
            {
                final int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name))
                {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    final Socket socket;

    RawHttp(final int port) throws IOException
    {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(5000);
    }

    RawHttp send(final String text) throws IOException
    {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return this;
    }

    /** Everything until the server closes (or the timeout; then whatever came). */
    byte[] readUntilClose(final int timeoutMs) throws IOException
    {
        socket.setSoTimeout(timeoutMs);
        final ByteArrayOutputStream all = new ByteArrayOutputStream();
        final byte[] buf = new byte[65536];
        final InputStream in = socket.getInputStream();
        try
        {
            int n;
            while ((n = in.read(buf)) >= 0)
            {
                all.write(buf, 0, n);
            }
        }
        catch (final SocketTimeoutException ex)
        {
            throw new IOException("server did not close within " + timeoutMs + " ms; got "
                + all.size() + " bytes: " + new String(all.toByteArray(), 0, Math.min(all.size(), 300),
                StandardCharsets.ISO_8859_1), ex);
        }
        catch (final java.net.SocketException ex)
        {
            // a reset after the responses
        }
        return all.toByteArray();
    }

    /** Whether the server closed the connection within {@code timeoutMs}: EOF or reset; false on timeout. */
    boolean closedWithin(final int timeoutMs) throws IOException
    {
        socket.setSoTimeout(timeoutMs);
        try
        {
            final byte[] buf = new byte[65536];
            while (socket.getInputStream().read(buf) >= 0)
            {
                // drain
            }
            return true;
        }
        catch (final SocketTimeoutException ex)
        {
            return false;
        }
        catch (final java.net.SocketException ex)
        {
            return true;
        }
    }

    /** Reads exactly one response (Content-Length framed). */
    Response readResponse(final boolean head) throws IOException
    {
        final InputStream in = socket.getInputStream();
        final ByteArrayOutputStream h = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4)
        {
            final int b = in.read();
            if (b < 0)
            {
                throw new IOException("EOF inside a response head: " + h.toString(StandardCharsets.ISO_8859_1));
            }
            h.write(b);
            state = ('\r' == b && (0 == state || 2 == state)) || ('\n' == b && (1 == state || 3 == state)) ? state + 1
                : '\r' == b ? 1 : 0;
        }
        final String text = h.toString(StandardCharsets.ISO_8859_1);
        final String statusLine = text.substring(0, text.indexOf("\r\n"));
        final Response noBody = new Response(statusLine, text, new byte[0]);
        final String length = noBody.header("Content-Length");
        final int n = head || null == length ? 0 : Integer.parseInt(length);
        final byte[] body = in.readNBytes(n);
        if (body.length != n)
        {
            throw new IOException("EOF inside a body: " + body.length + " of " + n);
        }
        return new Response(statusLine, text, body);
    }

    /** Parses every response in {@code bytes} (all Content-Length framed, HEAD not supported). */
    static List<Response> parseAll(final byte[] bytes)
    {
        final List<Response> out = new ArrayList<>();
        int at = 0;
        while (at < bytes.length)
        {
            final String rest = new String(bytes, at, Math.min(bytes.length - at, 65536), StandardCharsets.ISO_8859_1);
            final int end = rest.indexOf("\r\n\r\n");
            if (end < 0)
            {
                throw new IllegalStateException("garbage after " + out.size() + " responses: " + rest);
            }
            final String head = rest.substring(0, end + 4);
            final Response r = new Response(head.substring(0, head.indexOf("\r\n")), head, new byte[0]);
            final String length = r.header("Content-Length");
            final int n = null == length ? 0 : Integer.parseInt(length);
            final int bodyAt = at + end + 4;
            out.add(new Response(r.statusLine(), head, java.util.Arrays.copyOfRange(bytes, bodyAt, bodyAt + n)));
            at = bodyAt + n;
        }
        return out;
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
