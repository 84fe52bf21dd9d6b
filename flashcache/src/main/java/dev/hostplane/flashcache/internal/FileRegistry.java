package dev.hostplane.flashcache.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stable file ids: the flash tier's keys contain a file id, so the name behind each id must survive
 * restarts. Kept in an append-only text file, one {@code id<TAB>name<TAB>crc} line per file, fsync'd when a
 * new name is added. A torn last line (an append a crash cut short) is dropped; damage before it ends the run
 * of trusted ids, and the flash tier refuses to open if it holds blocks of the ids that were lost.
 */
public final class FileRegistry implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(FileRegistry.class);

    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> names = new ArrayList<>();
    private final FileChannel channel;

    /**
     * What a registry file holds, read without changing it.
     *
     * @param names the names of ids {@code 0..n-1}, in order: the longest run of valid lines.
     * @param issue what is wrong (a missing file or a damaged line, with its number), or {@code null}. A torn
     *              last line is not an issue: it is an append a crash cut short, whose id was never handed out.
     */
    public record Reading(List<String> names, String issue)
    {
    }

    /**
     * Reads a registry without changing it. Lines that are not valid UTF-8, do not parse or fail their
     * checksum end the run of trusted ids.
     *
     * @param path the registry file.
     * @return the names and what is wrong.
     * @throws IOException when the file exists but cannot be read.
     */
    public static Reading read(final Path path) throws IOException
    {
        final List<String> names = new ArrayList<>();
        if (!Files.exists(path))
        {
            return new Reading(names, path.getFileName() + " is missing");
        }
        final byte[] bytes = Files.readAllBytes(path);
        final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        String issue = null;
        int lineNo = 0;
        int start = 0;
        while (start < bytes.length && null == issue)
        {
            lineNo++;
            int end = start;
            while (end < bytes.length && '\n' != bytes[end])
            {
                end++;
            }
            final boolean last = end >= bytes.length;
            final String bad = parseLine(decoder, bytes, start, end, names);
            if (null != bad && !last)
            {
                issue = path.getFileName() + ":" + lineNo + ": " + bad;
            }
            else if (null != bad)
            {
                LOG.warn("{}:{}: torn last line ignored ({})", path, lineNo, bad);
            }
            start = end + 1;
        }
        return new Reading(names, issue);
    }

    private static String parseLine(
        final CharsetDecoder decoder, final byte[] bytes, final int start, final int end, final List<String> names)
    {
        final String line;
        try
        {
            line = decoder.reset().decode(ByteBuffer.wrap(bytes, start, end - start)).toString();
        }
        catch (final CharacterCodingException ex)
        {
            return "not valid UTF-8";
        }
        final String[] f = line.split("\t", -1);
        if (f.length != 3 || !f[2].equals(crc(f[0] + "\t" + f[1])))
        {
            return "damaged line (bad field count or checksum)";
        }
        if (!f[0].equals(Integer.toString(names.size())))
        {
            return "id=" + f[0] + " out of order, expected " + names.size();
        }
        names.add(f[1]);
        return null;
    }

    /**
     * Opens the registry for appending, keeping the names of {@code reading} and rewriting the file to just
     * those lines when it holds anything else (a torn last line, or damage the caller accepted).
     *
     * @param path    where the registry lives, or {@code null} for an in-memory registry.
     * @param reading what {@link #read(Path)} found there (ignored when {@code path} is {@code null}).
     * @throws IOException when it cannot be written.
     */
    public FileRegistry(final Path path, final Reading reading) throws IOException
    {
        if (null == path)
        {
            channel = null;
            return;
        }
        for (final String name : reading.names())
        {
            ids.put(name, names.size());
            names.add(name);
        }
        channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < names.size(); i++)
        {
            text.append(line(i, names.get(i)));
        }
        final byte[] good = text.toString().getBytes(StandardCharsets.UTF_8);
        if (good.length != channel.size())
        {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(good));
            channel.force(true);
        }
    }

    /**
     * @param path where the registry lives, or {@code null} for an in-memory registry.
     * @throws IOException when it cannot be read or written.
     */
    public FileRegistry(final Path path) throws IOException
    {
        this(path, null == path ? null : read(path));
    }

    private static String crc(final String text)
    {
        final CRC32C crc = new CRC32C();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(crc.getValue());
    }

    private static String line(final int id, final String name)
    {
        final String body = id + "\t" + name;
        return body + "\t" + crc(body) + "\n";
    }

    /**
     * Returns the id of a name, registering it durably if new.
     *
     * @param name file name (no tab or newline).
     * @return its id.
     * @throws IOException when the registry cannot be written.
     */
    public synchronized int idOf(final String name) throws IOException
    {
        if (name.isEmpty() || name.indexOf('\t') >= 0 || name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0)
        {
            throw new IllegalArgumentException("name=" + name + " must be non-empty without tab or newline");
        }
        final Integer existing = ids.get(name);
        if (null != existing)
        {
            return existing;
        }
        final int id = names.size();
        if (id > BlockKeys.MAX_FILE)
        {
            throw new IllegalStateException("too many files: max=" + BlockKeys.MAX_FILE);
        }
        if (null != channel)
        {
            channel.write(ByteBuffer.wrap(line(id, name).getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        names.add(name);
        ids.put(name, id);
        return id;
    }

    /**
     * @param name file name.
     * @return its id, or -1 if never registered.
     */
    public synchronized int find(final String name)
    {
        final Integer id = ids.get(name);
        return null == id ? -1 : id;
    }

    /**
     * @param id file id.
     * @return its name, or {@code null}.
     */
    public synchronized String nameOf(final int id)
    {
        return id >= 0 && id < names.size() ? names.get(id) : null;
    }

    /**
     * @return registered names in id order.
     */
    public synchronized List<String> names()
    {
        return new ArrayList<>(names);
    }

    @Override
    public void close() throws IOException
    {
        if (null != channel)
        {
            channel.close();
        }
    }
}
