package dev.hostplane.syslog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;

/**
 * Replays a file of syslog frames through an engine built from a config, as
 * {@code hostplane syslog replay} does: every frame is treated as received by imtcp from
 * 127.0.0.1 (LF framing, or octet-counted framing when a frame starts with a digit, as imtcp
 * decides), inputs declared in the config are checked but not started, and all outputs are
 * flushed and closed at the end.
 */
public final class SyslogReplay
{
    private final Path config;
    private final Path input;
    private final ZoneId zone;
    private final Clock clock;

    private SyslogReplay(final Builder b)
    {
        this.config = b.config;
        this.input = b.input;
        this.zone = b.zone;
        this.clock = b.clock;
    }

    /**
     * Starts building a replay. Defaults: time zone from {@code TZ} (else the system zone), system clock.
     *
     * @return a builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Runs the replay.
     *
     * @return counts.
     * @throws IOException           when the input cannot be read.
     * @throws SyslogConfigException with file:line:column when the config is wrong.
     */
    public ReplayResult run() throws IOException, SyslogConfigException
    {
        try (SyslogEngine engine = SyslogEngine.builder().configFile(config).zone(zone).clock(clock).build();
            InputStream in = Files.newInputStream(input))
        {
            final FrameReader reader = new FrameReader(in, engine);
            reader.readAll();
            engine.flush();
            return new ReplayResult(reader.frames, engine.messagesProcessed(), reader.bytes);
        }
    }

    /**
     * Splits a stream into frames the way imtcp does (octet-counted when a frame starts with a
     * digit and the count is followed by a space, else up to LF; frames longer than
     * maxMessageSize are cut and continued), streaming through one reused buffer.
     */
    private static final class FrameReader
    {
        private final InputStream in;
        private final SyslogEngine engine;
        private final int max;
        private byte[] buf = new byte[1 << 20];
        private int start;
        private int limit;
        private boolean eof;
        long frames;
        long bytes;

        FrameReader(final InputStream in, final SyslogEngine engine)
        {
            this.in = in;
            this.engine = engine;
            this.max = Math.max(1, engine.maxMessageSize());
        }

        /** Makes at least {@code need} bytes available from {@code start}; false at end of input. */
        private boolean fill(final int need) throws IOException
        {
            while (limit - start < need && !eof)
            {
                if (start > 0)
                {
                    System.arraycopy(buf, start, buf, 0, limit - start);
                    limit -= start;
                    start = 0;
                }
                if (limit == buf.length)
                {
                    buf = java.util.Arrays.copyOf(buf, buf.length * 2);
                }
                final int n = in.read(buf, limit, buf.length - limit);
                if (n < 0)
                {
                    eof = true;
                }
                else
                {
                    limit += n;
                    bytes += n;
                }
            }
            return limit - start >= need;
        }

        private void submit(final int offset, final int length)
        {
            engine.submit(buf, offset, length);
            frames++;
        }

        void readAll() throws IOException
        {
            while (fill(1))
            {
                if (buf[start] >= '0' && buf[start] <= '9' && octetCounted())
                {
                    continue;
                }
                lfFramed();
            }
        }

        private boolean octetCounted() throws IOException
        {
            int p = start;
            long len = 0;
            while (true)
            {
                if (p - start >= 10 || (p >= limit && !fill(p - start + 1)))
                {
                    return false;
                }
                final byte c = buf[p];
                if (c >= '0' && c <= '9')
                {
                    len = len * 10 + (c - '0');
                    p++;
                }
                else
                {
                    break;
                }
            }
            if (p == start || len > Integer.MAX_VALUE - 64)
            {
                return false;
            }
            // imtcp consumes the byte after the count as the delimiter even when it is not a space.
            final int header = p + 1 - start;
            fill(header + (int)len);
            final int available = Math.min((int)len, limit - start - header);
            submit(start + header, Math.min(available, Math.max(max, available)));
            start += header + available;
            return true;
        }

        private void lfFramed() throws IOException
        {
            int p = start;
            while (true)
            {
                while (p < limit && buf[p] != '\n' && p - start < max)
                {
                    p++;
                }
                if (p - start >= max)
                {
                    // imtcp submits what it has when the frame reaches maxMessageSize and goes on;
                    // the byte that overflowed the buffer is lost (measured with rsyslogd 8.2302).
                    submit(start, max);
                    start += max;
                    if (fill(1) && buf[start] != '\n')
                    {
                        start++;
                    }
                    return;
                }
                if (p < limit)
                {
                    if (p > start)
                    {
                        submit(start, p - start);
                    }
                    start = p + 1;
                    return;
                }
                final int scanned = p - start;
                if (!fill(scanned + 1))
                {
                    if (limit > start)
                    {
                        submit(start, limit - start);
                    }
                    start = limit;
                    return;
                }
                p = start + scanned;
            }
        }
    }

    /** Options of a replay. */
    public static final class Builder
    {
        private Path config;
        private Path input;
        private ZoneId zone = defaultZone();
        private Clock clock = Clock.systemUTC();

        private Builder()
        {
        }

        private static ZoneId defaultZone()
        {
            final String tz = System.getenv("TZ");
            if (null != tz && !tz.isEmpty())
            {
                try
                {
                    return ZoneId.of(tz.startsWith(":") ? tz.substring(1) : tz);
                }
                catch (final java.time.DateTimeException ex)
                {
                    return ZoneId.systemDefault();
                }
            }
            return ZoneId.systemDefault();
        }

        /**
         * The rsyslog.conf.
         *
         * @param file config.
         * @return this builder.
         */
        public Builder config(final Path file)
        {
            this.config = file;
            return this;
        }

        /**
         * The input file of frames.
         *
         * @param file input.
         * @return this builder.
         */
        public Builder input(final Path file)
        {
            this.input = file;
            return this;
        }

        /**
         * Receiver time zone.
         *
         * @param zone zone.
         * @return this builder.
         */
        public Builder zone(final ZoneId zone)
        {
            this.zone = zone;
            return this;
        }

        /**
         * Reception clock.
         *
         * @param clock clock.
         * @return this builder.
         */
        public Builder clock(final Clock clock)
        {
            this.clock = clock;
            return this;
        }

        /**
         * Builds the replay.
         *
         * @return the replay.
         */
        public SyslogReplay build()
        {
            if (null == config || null == input)
            {
                throw new SyslogException("replay needs config and input: config=" + config + " input=" + input);
            }
            return new SyslogReplay(this);
        }
    }
}
