package dev.hostplane.iopipe.server;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** Content-Type by file name extension, as ASCII bytes ready for the response head. */
final class MediaTypes
{
    private static final byte[] DEFAULT = ascii("application/octet-stream");
    private static final Map<String, byte[]> BY_EXTENSION = Map.ofEntries(
        Map.entry("html", ascii("text/html; charset=utf-8")), Map.entry("htm", ascii("text/html; charset=utf-8")),
        Map.entry("txt", ascii("text/plain; charset=utf-8")), Map.entry("css", ascii("text/css")),
        Map.entry("js", ascii("text/javascript")), Map.entry("mjs", ascii("text/javascript")),
        Map.entry("json", ascii("application/json")), Map.entry("xml", ascii("application/xml")),
        Map.entry("png", ascii("image/png")), Map.entry("jpg", ascii("image/jpeg")),
        Map.entry("jpeg", ascii("image/jpeg")), Map.entry("gif", ascii("image/gif")),
        Map.entry("webp", ascii("image/webp")), Map.entry("svg", ascii("image/svg+xml")),
        Map.entry("ico", ascii("image/x-icon")), Map.entry("pdf", ascii("application/pdf")),
        Map.entry("wasm", ascii("application/wasm")), Map.entry("mp4", ascii("video/mp4")),
        Map.entry("woff2", ascii("font/woff2")));
    private static final int LONGEST = 5;

    private MediaTypes()
    {
    }

    /**
     * The type for the file whose path ends at {@code end} in {@code path}.
     *
     * @param path path bytes.
     * @param end  end of the path.
     * @return the type, {@code application/octet-stream} when unknown.
     */
    static byte[] of(final byte[] path, final int end)
    {
        int dot = -1;
        for (int i = end - 1; i >= 0 && i >= end - LONGEST - 1; i--)
        {
            if ('.' == path[i])
            {
                dot = i;
                break;
            }
            if ('/' == path[i])
            {
                break;
            }
        }
        if (dot < 0 || dot == end - 1)
        {
            return DEFAULT;
        }
        final String ext = new String(path, dot + 1, end - dot - 1, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        return BY_EXTENSION.getOrDefault(ext, DEFAULT);
    }

    private static byte[] ascii(final String s)
    {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
