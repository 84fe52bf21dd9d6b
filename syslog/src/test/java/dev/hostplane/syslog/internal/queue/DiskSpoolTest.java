package dev.hostplane.syslog.internal.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool of an action queue across a crash (the queue object is abandoned without close, as a
 * SIGKILL leaves it) and across damaged files.
 */
class DiskSpoolTest
{
    @TempDir
    Path dir;

    @Test
    void shouldDeliverEverySpooledMessageAfterACrash() throws Exception
    {
        final QueueOptions o = options(true);
        final ListDeliverer down = new ListDeliverer(false);
        final ActionQueue first = new ActionQueue("t1", down, o);
        for (int i = 0; i < 3000; i++)
        {
            final byte[] m = ("m" + i + "\n").getBytes(StandardCharsets.US_ASCII);
            first.offer(m, 0, m.length);
        }
        // No close(): the process is gone. The worker keeps failing against a dead target meanwhile.
        final ListDeliverer up = new ListDeliverer(true);
        final ActionQueue second = new ActionQueue("t2", up, o);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (up.got.size() < 3000 && System.nanoTime() < deadline)
        {
            TimeUnit.MILLISECONDS.sleep(10);
        }
        second.close();
        assertThat(up.got).hasSize(3000);
        assertThat(up.got.get(0)).isEqualTo("m0\n");
        assertThat(up.got.get(2999)).isEqualTo("m2999\n");
    }

    @Test
    void shouldKeepTheRecordsBeforeATornTailAndReportTheOffset() throws Exception
    {
        final Path f = dir.resolve("spool");
        final DiskSpool s = new DiskSpool(f, false);
        for (int i = 0; i < 10; i++)
        {
            final byte[] m = ("record-" + i).getBytes(StandardCharsets.US_ASCII);
            s.append(m, 0, m.length);
        }
        final long size = Files.size(f);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw"))
        {
            raf.setLength(size - 3);
        }
        final DiskSpool again = new DiskSpool(f, false);
        assertThat(again.size()).isEqualTo(9);
        assertThat(Files.exists(dir.resolve("spool.corrupt-" + (size - 16)))).as("torn record moved aside at its offset")
            .isTrue();
    }

    @Test
    void shouldStopAtACorruptRecordAndKeepTheOnesBefore() throws Exception
    {
        final Path f = dir.resolve("spool");
        final DiskSpool s = new DiskSpool(f, false);
        for (int i = 0; i < 10; i++)
        {
            final byte[] m = "0123456789".getBytes(StandardCharsets.US_ASCII);
            s.append(m, 0, m.length);
        }
        // Record 4 starts at 16 + 4 * 18; flip a byte of its data.
        final long record4 = DiskSpool.HEADER_LENGTH + 4 * 18;
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw"))
        {
            raf.seek(record4 + 8 + 3);
            raf.write('X');
        }
        final DiskSpool again = new DiskSpool(f, false);
        assertThat(again.size()).isEqualTo(4);
        assertThat(Files.size(dir.resolve("spool.corrupt-" + record4))).isEqualTo(6 * 18);
    }

    private QueueOptions options(final boolean persistAll)
    {
        final QueueOptions o = new QueueOptions();
        o.spoolFile = dir.resolve("q");
        o.persistAll = persistAll;
        o.size = 1000;
        o.resumeRetryCount = -1;
        o.resumeIntervalMs = 5;
        o.maxBackoffMs = 20;
        o.shutdownTimeoutMs = 2000;
        return o;
    }

    /** Collects delivered messages, or fails every open. */
    private static final class ListDeliverer implements Deliverer
    {
        final List<String> got = new CopyOnWriteArrayList<>();
        private final boolean up;
        private final List<String> batch = new ArrayList<>();
        private long written;

        ListDeliverer(final boolean up)
        {
            this.up = up;
        }

        @Override
        public void open() throws IOException
        {
            if (!up)
            {
                throw new IOException("target down");
            }
        }

        @Override
        public void write(final byte[] data, final int offset, final int length)
        {
            batch.add(new String(data, offset, length, StandardCharsets.US_ASCII));
            written += length;
        }

        @Override
        public void flush()
        {
            got.addAll(batch);
            batch.clear();
        }

        @Override
        public long confirmedBytes()
        {
            return Long.MAX_VALUE;
        }

        @Override
        public long writtenBytes()
        {
            return written;
        }

        @Override
        public void reset()
        {
            batch.clear();
        }

        @Override
        public String target()
        {
            return "list";
        }
    }
}
