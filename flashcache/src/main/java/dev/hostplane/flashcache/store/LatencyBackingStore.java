package dev.hostplane.flashcache.store;

import java.io.IOException;
import java.nio.ByteBuffer;

import dev.hostplane.flashcache.BackingStore;
import dev.hostplane.flashcache.Clock;

/**
 * Wraps a backing store and adds a fixed latency to every read and write, like a network filer a few
 * hundred microseconds away. Time passes on the injected {@link Clock}, so under the simulator it is
 * simulated time.
 */
public final class LatencyBackingStore implements BackingStore
{
    private final BackingStore delegate;
    private final Clock clock;
    private final long readNanos;
    private final long writeNanos;

    /**
     * @param delegate   the store that holds the data.
     * @param clock      whose time passes.
     * @param readNanos  added to every read.
     * @param writeNanos added to every write.
     */
    public LatencyBackingStore(final BackingStore delegate, final Clock clock, final long readNanos, final long writeNanos)
    {
        if (readNanos < 0 || writeNanos < 0)
        {
            throw new IllegalArgumentException("readNanos=" + readNanos + " writeNanos=" + writeNanos + " must be >= 0");
        }
        this.delegate = delegate;
        this.clock = clock;
        this.readNanos = readNanos;
        this.writeNanos = writeNanos;
    }

    @Override
    public int blockSize()
    {
        return delegate.blockSize();
    }

    @Override
    public void open(final int file, final String name) throws IOException
    {
        delegate.open(file, name);
    }

    @Override
    public void read(final int file, final long blockNo, final ByteBuffer dst, final int offset) throws IOException
    {
        clock.sleepNanos(readNanos);
        delegate.read(file, blockNo, dst, offset);
    }

    @Override
    public void write(final int file, final long blockNo, final ByteBuffer src, final int offset) throws IOException
    {
        clock.sleepNanos(writeNanos);
        delegate.write(file, blockNo, src, offset);
    }

    @Override
    public void flush() throws IOException
    {
        delegate.flush();
    }

    @Override
    public void close() throws IOException
    {
        delegate.close();
    }
}
