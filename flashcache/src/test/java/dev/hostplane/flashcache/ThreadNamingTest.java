package dev.hostplane.flashcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.hostplane.flashcache.store.MemoryBackingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache's write-back threads are named {@code hostplane-flashcache-<role>-N}, daemon, and end on close. */
class ThreadNamingTest
{
    @TempDir
    Path dir;

    @Test
    void shouldNameItsWriteBackThreadsAndEndThemOnClose() throws Exception
    {
        final Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        final Set<Thread> started;
        final CacheConfig config = CacheConfig.builder().ramBlocks(16).ramWritePolicy(WritePolicy.PERIODIC_WRITE_BACK)
            .flashDirectory(dir).flashBlocks(64).segmentBlocks(8).flashWriteBackThreads(2).fsync(false).build();
        try (BlockCache cache = BlockCache.open(config, new MemoryBackingStore(4096)))
        {
            started = new HashSet<>(Thread.getAllStackTraces().keySet());
            started.removeAll(before);
            final List<String> names = started.stream().map(Thread::getName).sorted().collect(Collectors.toList());
            assertThat(names).containsExactly("hostplane-flashcache-flash-writeback-0",
                "hostplane-flashcache-flash-writeback-1", "hostplane-flashcache-ram-writeback-0");
            assertThat(started).allMatch(Thread::isDaemon, "daemon");
        }
        for (final Thread thread : started)
        {
            thread.join(10_000);
            assertThat(thread.isAlive()).as("%s ended after close()", thread.getName()).isFalse();
        }
    }
}
