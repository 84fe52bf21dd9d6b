package dev.hostplane.flashcache.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.hostplane.flashcache.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackingStoreTest
{
    @TempDir
    Path dir;

    @Test
    void shouldWriteBlocksAtTheirOffsetAndReadZerosPastEndOfFile() throws Exception
    {
        try (FileBackingStore store = new FileBackingStore(dir, 4096))
        {
            store.open(3, "sub/volume.dat");
            final ByteBuffer block = ByteBuffer.allocate(8192);
            block.putLong(4096, 0x1122334455667788L).position(17).limit(100);
            store.write(3, 2, block, 4096);
            assertThat(block.position()).isEqualTo(17);
            assertThat(block.limit()).isEqualTo(100);
            assertThat(Files.size(dir.resolve("sub/volume.dat"))).isEqualTo(3 * 4096);

            final ByteBuffer dst = ByteBuffer.allocateDirect(4096);
            store.read(3, 2, dst, 0);
            assertThat(dst.getLong(0)).isEqualTo(0x1122334455667788L);
            dst.putLong(0, -1);
            store.read(3, 9, dst, 0);
            assertThat(dst.getLong(0)).isZero();
        }
    }

    @Test
    void shouldRejectNamesOutsideTheDirectoryAndUnopenedFiles() throws Exception
    {
        try (FileBackingStore store = new FileBackingStore(dir, 4096))
        {
            assertThatThrownBy(() -> store.open(0, "../escape")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("escapes directory");
            assertThatThrownBy(() -> store.read(5, 0, ByteBuffer.allocate(4096), 0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("file=5 was not opened");
        }
    }

    @Test
    void shouldAddLatencyOnTheInjectedClock() throws Exception
    {
        final long[] slept = new long[1];
        final Clock simulated = new Clock()
        {
            @Override
            public long nanoTime()
            {
                return slept[0];
            }

            @Override
            public void sleepNanos(final long nanos)
            {
                slept[0] += nanos;
            }
        };
        final MemoryBackingStore memory = new MemoryBackingStore(512);
        final LatencyBackingStore filer = new LatencyBackingStore(memory, simulated, 300_000, 900_000);
        final ByteBuffer block = ByteBuffer.allocate(512);
        filer.write(1, 1, block, 0);
        filer.read(1, 1, block, 0);
        filer.read(1, 2, block, 0);
        assertThat(slept[0]).isEqualTo(900_000 + 2 * 300_000);
        assertThat(memory.reads()).isEqualTo(2);
        assertThat(memory.writes()).isEqualTo(1);
    }
}
