package dev.hostplane.flashcache.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
 * new name is added; lines with a bad checksum (a torn append) are ignored.
 */
public final class FileRegistry implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(FileRegistry.class);

    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> names = new ArrayList<>();
    private final FileChannel channel;

    /**
     * @param path where the registry lives, or {@code null} for an in-memory registry.
     * @throws IOException when it cannot be read.
     */
    public FileRegistry(final Path path) throws IOException
    {
        if (null == path)
        {
            channel = null;
            return;
        }
        if (Files.exists(path))
        {
            long lineNo = 0;
            for (final String line : Files.readAllLines(path, StandardCharsets.UTF_8))
            {
                lineNo++;
                final String[] f = line.split("\t", -1);
                if (f.length != 3 || !f[2].equals(crc(f[0] + "\t" + f[1])))
                {
                    LOG.warn("{}:{}: torn or corrupt file registry line ignored", path, lineNo);
                    continue;
                }
                final int id = Integer.parseInt(f[0]);
                if (id != names.size())
                {
                    LOG.warn("{}:{}: id={} out of order, ignored", path, lineNo, id);
                    continue;
                }
                names.add(f[1]);
                ids.put(f[1], id);
            }
        }
        channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        // Cut off a torn last line so appends start on a fresh line.
        if (channel.size() > 0)
        {
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
