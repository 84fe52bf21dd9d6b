package dev.hostplane.examples.iopipe;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The parts of an HTTP/1.1 request head the static file server needs: method, path, version, and the
 * Range / Connection / Content-Length headers. Parsing rejects malformed heads with a message that says
 * what and where (line and column).
 */
final class HttpRequestHead
{
    final String method;
    final String target;
    final boolean http11;
    final String range;
    final boolean closeRequested;
    final boolean keepAliveRequested;
    final boolean hasBody;

    private HttpRequestHead(
        final String method,
        final String target,
        final boolean http11,
        final String range,
        final boolean closeRequested,
        final boolean keepAliveRequested,
        final boolean hasBody)
    {
        this.method = method;
        this.target = target;
        this.http11 = http11;
        this.range = range;
        this.closeRequested = closeRequested;
        this.keepAliveRequested = keepAliveRequested;
        this.hasBody = hasBody;
    }

    boolean keepAlive()
    {
        return http11 ? !closeRequested : keepAliveRequested;
    }

    /** Parses {@code length} bytes of a request head (without the final blank line). */
    static HttpRequestHead parse(final byte[] bytes, final int length) throws BadRequest
    {
        final String text = new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
        final String[] lines = text.split("\r\n", -1);
        final String requestLine = lines[0];
        final int sp1 = requestLine.indexOf(' ');
        final int sp2 = sp1 < 0 ? -1 : requestLine.indexOf(' ', sp1 + 1);
        if (sp1 <= 0 || sp2 < 0 || requestLine.indexOf(' ', sp2 + 1) >= 0)
        {
            throw new BadRequest("request line 1:" + (Math.max(sp1, 0) + 1)
                + " expected 'METHOD SP target SP HTTP/1.x' but got '" + printable(requestLine) + "'");
        }
        final String method = requestLine.substring(0, sp1);
        final String target = requestLine.substring(sp1 + 1, sp2);
        final String version = requestLine.substring(sp2 + 1);
        if (!"HTTP/1.1".equals(version) && !"HTTP/1.0".equals(version))
        {
            throw new BadRequest("request line 1:" + (sp2 + 2) + " unsupported version '" + printable(version) + "'");
        }
        if (target.isEmpty() || '/' != target.charAt(0))
        {
            throw new BadRequest("request line 1:" + (sp1 + 2) + " target must start with '/': '"
                + printable(target) + "'");
        }
        String range = null;
        boolean close = false;
        boolean keepAlive = false;
        boolean hasBody = false;
        for (int i = 1; i < lines.length; i++)
        {
            final String line = lines[i];
            if (line.isEmpty())
            {
                continue;
            }
            final int colon = line.indexOf(':');
            if (colon <= 0)
            {
                throw new BadRequest("header line " + (i + 1) + ":1 has no name: '" + printable(line) + "'");
            }
            final String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            final String value = line.substring(colon + 1).trim();
            switch (name)
            {
                case "range":
                    range = value;
                    break;
                case "connection":
                    close = value.toLowerCase(Locale.ROOT).contains("close");
                    keepAlive = value.toLowerCase(Locale.ROOT).contains("keep-alive");
                    break;
                case "content-length":
                    hasBody = !"0".equals(value);
                    break;
                case "transfer-encoding":
                    hasBody = true;
                    break;
                default:
                    break;
            }
        }
        return new HttpRequestHead(method, target, "HTTP/1.1".equals(version), range, close, keepAlive, hasBody);
    }

    private static String printable(final String s)
    {
        final String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** A malformed request; the message says where. */
    static final class BadRequest extends Exception
    {
        private static final long serialVersionUID = 1L;

        BadRequest(final String message)
        {
            super(message);
        }
    }
}
