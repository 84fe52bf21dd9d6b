package dev.hostplane.flashcache.sim;

/**
 * One I/O of a trace in the paper's event format: which host and thread issued it, when, what, and where.
 * A mutable flyweight: readers and generators reuse one instance per stream.
 */
public final class TraceEvent
{
    /** Host index, from 0. */
    public int host;
    /** Thread index within the host, from 0. */
    public int thread;
    /** Issue time, nanoseconds from the trace start. */
    public long timeNanos;
    /** Whether it is a write (else a read). */
    public boolean write;
    /** File index. */
    public int file;
    /** Byte offset in the file. */
    public long offset;
    /** Length in bytes. */
    public int length;

    /**
     * @return the event as a trace line: {@code host thread time_ns R|W file offset length}.
     */
    @Override
    public String toString()
    {
        return host + " " + thread + " " + timeNanos + " " + (write ? 'W' : 'R') + " " + file + " " + offset + " " + length;
    }
}
