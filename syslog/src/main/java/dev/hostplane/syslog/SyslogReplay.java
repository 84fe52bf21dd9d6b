package dev.hostplane.syslog;

import java.io.IOException;
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
        final byte[] data = Files.readAllBytes(input);
        long frames = 0;
        try (SyslogEngine engine = SyslogEngine.builder().configFile(config).zone(zone).clock(clock).build())
        {
            int pos = 0;
            final int end = data.length;
            while (pos < end)
            {
                final int start = pos;
                if (data[pos] >= '0' && data[pos] <= '9')
                {
                    int len = 0;
                    int p = pos;
                    while (p < end && data[p] >= '0' && data[p] <= '9' && len < 200_000_000)
                    {
                        len = len * 10 + (data[p] - '0');
                        p++;
                    }
                    if (p < end && data[p] == ' ')
                    {
                        final int msgStart = p + 1;
                        final int msgLen = Math.min(len, end - msgStart);
                        engine.submit(data, msgStart, msgLen);
                        frames++;
                        pos = msgStart + msgLen;
                        continue;
                    }
                    pos = start;
                }
                int nl = pos;
                while (nl < end && data[nl] != '\n')
                {
                    nl++;
                }
                if (nl > pos)
                {
                    // imtcp submits what it has when a frame reaches maxMessageSize and goes on.
                    final int max = Math.max(1, engine.maxMessageSize());
                    for (int p = pos; p < nl; p += max)
                    {
                        engine.submit(data, p, Math.min(max, nl - p));
                        frames++;
                    }
                }
                pos = nl + 1;
            }
            engine.flush();
            return new ReplayResult(frames, engine.messagesProcessed(), data.length);
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
