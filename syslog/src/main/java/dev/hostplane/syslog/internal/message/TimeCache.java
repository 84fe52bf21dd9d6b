package dev.hostplane.syslog.internal.message;

/**
 * Per-message cache of formatted timestamps, keyed by (which time, format, UTC or not). Buffers are
 * created on first use of a key and reused for every later message, so the steady state allocates
 * nothing; {@link #clear()} (at every parse) only drops the valid bits.
 */
final class TimeCache
{
    private static final int FORMATS = SyslogTime.DateFormat.values().length;

    private final ByteSink[] sinks = new ByteSink[FORMATS * 4];
    private final SyslogTime utcTime = new SyslogTime();
    private long valid;
    private long validHigh;

    void clear()
    {
        valid = 0;
        validHigh = 0;
    }

    ByteView get(final SyslogTime time, final boolean reported, final SyslogTime.DateFormat format, final boolean utc,
        final ByteView view)
    {
        // In local time rsyslog keeps one RFC 3164 string per message for the default format,
        // date-rfc3164 and date-rfc3164-buggyday: whichever is asked for first is what all get.
        final SyslogTime.DateFormat slot = !utc && format == SyslogTime.DateFormat.RFC3164_BUGGYDAY ?
            SyslogTime.DateFormat.RFC3164 : format;
        final int key = (slot.ordinal() << 2) | (reported ? 2 : 0) | (utc ? 1 : 0);
        ByteSink sink = sinks[key];
        if (null == sink)
        {
            sink = new ByteSink(40);
            sinks[key] = sink;
        }
        if (!isValid(key))
        {
            sink.clear();
            if (utc)
            {
                utcTime.copyFrom(time);
                utcTime.toUtc();
                utcTime.format(sink, format);
            }
            else
            {
                time.format(sink, format);
            }
            markValid(key);
        }
        return view.wrap(sink.array(), 0, sink.length());
    }

    private boolean isValid(final int key)
    {
        return key < Long.SIZE ? (valid & (1L << key)) != 0 : (validHigh & (1L << (key - Long.SIZE))) != 0;
    }

    private void markValid(final int key)
    {
        if (key < Long.SIZE)
        {
            valid |= 1L << key;
        }
        else
        {
            validHigh |= 1L << (key - Long.SIZE);
        }
    }
}
