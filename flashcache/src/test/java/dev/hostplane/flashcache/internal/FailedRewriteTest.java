package dev.hostplane.flashcache.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compaction (log rewrite) that fails leaves the current log in use; records appended to it before the
 * attempt and not yet written out must still reach it, or the flash tier's table holds changes no record
 * explains.
 */
class FailedRewriteTest
{
    private static final int BS = 4096;

    @TempDir
    Path tmp;

    @Test
    void shouldKeepPendingRecordsWhenARewriteFails() throws Exception
    {
        final Path path = tmp.resolve("flash.meta");
        final List<Long> keys = new ArrayList<>();
        try (MetadataLog log = MetadataLog.create(path, BS, 8, 64, 0, target -> { }))
        {
            log.append(MetadataDescriptor.TYPE_PUT, MetadataDescriptor.FLAG_DIRTY, 11, 0, 1);
            log.writeOut();
            // Appended, not yet written out, when the rewrite is attempted.
            log.append(MetadataDescriptor.TYPE_PUT, MetadataDescriptor.FLAG_DIRTY, 12, 1, 2);
            log.append(MetadataDescriptor.TYPE_CLEAN, (short)0, 11, 0, 0);
            // The rewrite's temporary file cannot be created: a directory is in its way.
            Files.createDirectory(tmp.resolve("flash.meta.tmp"));
            assertThatThrownBy(() -> log.rewrite(target ->
                target.append(MetadataDescriptor.TYPE_PUT, (short)0, 99, 5, 0))).isInstanceOf(IOException.class);
            log.append(MetadataDescriptor.TYPE_PUT, (short)0, 13, 2, 3);
            log.writeOut();
        }
        MetadataLog.replay(path, BS, 8, 64, new MetadataLog.RecoveryHandler()
        {
            @Override
            public void onRecord(
                final int index, final byte type, final short flags, final long seq, final long key, final int slot,
                final int dataCrc)
            {
                if (MetadataDescriptor.TYPE_HEADER != type)
                {
                    keys.add(type * 1000L + key);
                }
            }

            @Override
            public void onCorrupt(final int index)
            {
                throw new AssertionError("corrupt record " + index);
            }
        });
        assertThat(keys).containsExactly(
            MetadataDescriptor.TYPE_PUT * 1000L + 11, MetadataDescriptor.TYPE_PUT * 1000L + 12,
            MetadataDescriptor.TYPE_CLEAN * 1000L + 11, MetadataDescriptor.TYPE_PUT * 1000L + 13);
    }
}
