package dev.hostplane.flashcache.crash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

/**
 * What a hostile tester (or a bad disk, or an operator) does to a flash directory after a crash.
 */
enum Damage
{
    /** 50 random bytes of {@code flash.data} flipped. */
    FLIP_DATA_BYTES,
    /** 5 random bytes of {@code flash.meta} flipped. */
    FLIP_LOG_BYTES,
    /** {@code flash.meta} cut to a random length in its first half (at least the header). */
    TRUNCATE_LOG,
    /** {@code flash.meta} emptied. */
    EMPTY_LOG,
    /** {@code files.registry} deleted. */
    DELETE_REGISTRY,
    /** {@code files.registry} overwritten with random bytes (not valid UTF-8 either). */
    JUNK_REGISTRY,
    /** {@code flash.seal} deleted. */
    DELETE_SEAL,
    /** {@code flash.data} deleted. */
    DELETE_DATA;

    static final String DATA = "flash.data";
    static final String META = "flash.meta";
    static final String REGISTRY = "files.registry";
    static final String SEAL = "flash.seal";

    /**
     * Applies the damage to the flash directory.
     *
     * @param flash  the flash directory.
     * @param random where the damage goes.
     * @return a description for messages.
     * @throws IOException when the files cannot be changed.
     */
    String apply(final Path flash, final SplittableRandom random) throws IOException
    {
        switch (this)
        {
            case FLIP_DATA_BYTES:
                return flip(flash.resolve(DATA), 50, random);
            case FLIP_LOG_BYTES:
                return flip(flash.resolve(META), 5, random);
            case TRUNCATE_LOG:
            {
                final Path meta = flash.resolve(META);
                final long size = Files.size(meta);
                if (size <= 80)
                {
                    return META + " too short to truncate";
                }
                final long keep = 40 + random.nextLong(Math.max(1, size / 2 - 40));
                try (FileChannel channel = FileChannel.open(meta, StandardOpenOption.WRITE))
                {
                    channel.truncate(keep);
                }
                return "truncated " + META + " from " + size + " to " + keep + " bytes";
            }
            case EMPTY_LOG:
                try (FileChannel channel = FileChannel.open(flash.resolve(META), StandardOpenOption.WRITE))
                {
                    channel.truncate(0);
                }
                return "emptied " + META;
            case DELETE_REGISTRY:
                Files.deleteIfExists(flash.resolve(REGISTRY));
                return "deleted " + REGISTRY;
            case JUNK_REGISTRY:
            {
                final byte[] junk = new byte[64 + random.nextInt(200)];
                for (int i = 0; i < junk.length; i++)
                {
                    junk[i] = (byte)(0x80 | random.nextInt(0x80));
                }
                junk[junk.length / 2] = '\n';
                Files.write(flash.resolve(REGISTRY), junk);
                return "junk in " + REGISTRY;
            }
            case DELETE_SEAL:
                Files.deleteIfExists(flash.resolve(SEAL));
                return "deleted " + SEAL;
            default:
                Files.deleteIfExists(flash.resolve(DATA));
                return "deleted " + DATA;
        }
    }

    private static String flip(final Path file, final int count, final SplittableRandom random) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final long size = channel.size();
            if (0 == size)
            {
                return file.getFileName() + " is empty, nothing to flip";
            }
            final ByteBuffer one = ByteBuffer.allocate(1);
            for (int i = 0; i < count; i++)
            {
                final long position = random.nextLong(size);
                one.clear();
                channel.read(one, position);
                one.put(0, (byte)(one.get(0) ^ (1 + random.nextInt(255)))).clear();
                channel.write(one, position);
            }
        }
        return "flipped " + count + " bytes of " + file.getFileName();
    }

    /**
     * @return whether a strict open must refuse after this damage (when flash held blocks).
     */
    boolean mustRefuse()
    {
        return this == TRUNCATE_LOG || this == EMPTY_LOG || this == DELETE_REGISTRY || this == JUNK_REGISTRY
            || this == DELETE_SEAL;
    }
}
