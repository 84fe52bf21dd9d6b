package dev.hostplane.syslog;

/**
 * What a {@link SyslogReplay} run did: frames read from the input, messages processed.
 */
public final class ReplayResult
{
    private final long frames;
    private final long messages;
    private final long bytes;

    ReplayResult(final long frames, final long messages, final long bytes)
    {
        this.frames = frames;
        this.messages = messages;
        this.bytes = bytes;
    }

    /**
     * Frames found in the input (LF or octet-counted).
     *
     * @return count.
     */
    public long frames()
    {
        return frames;
    }

    /**
     * Messages run through the rule graph.
     *
     * @return count.
     */
    public long messages()
    {
        return messages;
    }

    /**
     * Input bytes read.
     *
     * @return count.
     */
    public long bytes()
    {
        return bytes;
    }

    @Override
    public String toString()
    {
        return "frames=" + frames + " messages=" + messages + " bytes=" + bytes;
    }
}
