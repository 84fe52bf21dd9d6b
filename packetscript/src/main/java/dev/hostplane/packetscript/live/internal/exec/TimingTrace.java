package dev.hostplane.packetscript.live.internal.exec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Optional per-event timing record of a script run, for measuring how late (or early) events happen relative
 * to their script time: one line per event, {@code script line kind scheduled_us actual_us
 * lateness_us tolerance_us}, appended
 * to the file named by {@code -Dpacketscript.timingTrace=FILE} when the script ends (parallel scripts append
 * whole blocks). Off (and free) without the property.
 *
 * <p>Kinds: {@code in} (inbound packet: when the injecting thread reached the event), {@code in.sent} (after the
 * tun write returned), {@code sys} (system call start), {@code ret} (blocking call return), {@code cmd},
 * {@code out} (outbound packet: kernel timestamp of the sniffed packet); and where the script thread's time goes:
 * {@code x.sniffed} (the sniffer handed the packet over), {@code x.drained}, {@code x.verified}, {@code x.end} (the
 * event is done; the next relative time counts from here).
 */
final class TimingTrace
{
    private static final String FILE = System.getProperty("packetscript.timingTrace", "");

    private final StringBuilder lines;
    private final String script;

    TimingTrace(final String script)
    {
        this.script = script;
        this.lines = FILE.isEmpty() ? null : new StringBuilder();
    }

    /**
     * Whether tracing is on.
     *
     * @return true with {@code -Dpacketscript.timingTrace}.
     */
    boolean enabled()
    {
        return null != lines;
    }

    void record(
        final int line, final String kind, final long scheduledMicros, final long actualMicros, final long tolerance)
    {
        if (null != lines)
        {
            lines.append(script).append(' ').append(line).append(' ').append(kind).append(' ')
                .append(scheduledMicros).append(' ').append(actualMicros).append(' ')
                .append(actualMicros - scheduledMicros).append(' ').append(tolerance).append('\n');
        }
    }

    void flush()
    {
        if (null == lines || lines.length() == 0)
        {
            return;
        }
        synchronized (TimingTrace.class)
        {
            try
            {
                Files.writeString(Path.of(FILE), lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot write timing trace: file=" + FILE, ex);
            }
        }
        lines.setLength(0);
    }
}
