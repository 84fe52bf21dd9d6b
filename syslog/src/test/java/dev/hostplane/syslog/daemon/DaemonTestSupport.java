package dev.hostplane.syslog.daemon;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Helpers shared by the daemon tests: start from config text, send frames, wait for files. */
final class DaemonTestSupport
{
    static final Duration TIMEOUT = Duration.ofSeconds(40);
    private static final Pattern SEQ = Pattern.compile("seq=(\\d{6})");

    private DaemonTestSupport()
    {
    }

    static SyslogDaemon start(final String config)
    {
        return SyslogDaemon.builder().configText(config, "test.conf").zone(ZoneOffset.UTC).start();
    }

    static void sendTcp(final int port, final byte[] bytes) throws IOException
    {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port))
        {
            final OutputStream out = s.getOutputStream();
            out.write(bytes);
            out.flush();
        }
    }

    static void sendTcp(final int port, final String text) throws IOException
    {
        sendTcp(port, text.getBytes(StandardCharsets.UTF_8));
    }

    static void sendUdp(final int port, final byte[] bytes) throws IOException
    {
        try (DatagramSocket s = new DatagramSocket())
        {
            s.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
        }
    }

    static List<String> lines(final Path file) throws IOException
    {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.ISO_8859_1) : Collections.emptyList();
    }

    static boolean await(final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                return false;
            }
            try
            {
                Thread.sleep(5);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    static int lineCount(final Path file)
    {
        try
        {
            return lines(file).size();
        }
        catch (final IOException ex)
        {
            return -1;
        }
    }

    /**
     * The numbered test message the forwarding tests send: PRI, time and host vary with {@code i},
     * the text ends with {@code seq=NNNNNN status=ok} so every line at the far end has the same length.
     */
    static String seqMessage(final int i)
    {
        return String.format("<%d>Nov 26 10:%02d:%02d web%02d app[%d]: seq=%06d status=ok", 8 + i % 150, i / 60 % 60,
            i % 60, i % 7, i % 1000, i);
    }

    /**
     * Counts, in a far-end file of {@link #seqMessage} lines, how many of the numbers 0..n-1 never arrived and how
     * many arrived more than once (at-least-once delivery re-sends after a crash).
     *
     * @return {lost, duplicated}; a missing file lost all n.
     */
    static int[] lostAndDuplicated(final Path file, final int n) throws IOException
    {
        final BitSet seen = new BitSet(n);
        int duplicated = 0;
        if (Files.exists(file))
        {
            for (final String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1))
            {
                final Matcher m = SEQ.matcher(line);
                if (m.find())
                {
                    final int i = Integer.parseInt(m.group(1));
                    if (seen.get(i))
                    {
                        duplicated++;
                    }
                    seen.set(i);
                }
            }
        }
        return new int[] {n - seen.cardinality(), duplicated};
    }

    /** Sends {@link #seqMessage} {@code from} (inclusive) to {@code to} LF-framed, in writes of about 60 kB. */
    static void sendSeq(final OutputStream out, final int from, final int to) throws IOException
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++)
        {
            sb.append(seqMessage(i)).append('\n');
            if (sb.length() > 60_000)
            {
                out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
                sb.setLength(0);
            }
        }
        out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /**
     * Connects to a loopback port, retrying for a few seconds: rsyslogd writes its listenPortFileName
     * after bind() and before listen(), so the first connection can be refused.
     */
    static java.net.Socket connect(final int port) throws IOException
    {
        final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (true)
        {
            try
            {
                return new java.net.Socket("127.0.0.1", port);
            }
            catch (final java.net.ConnectException ex)
            {
                if (System.nanoTime() > deadline)
                {
                    throw ex;
                }
                try
                {
                    Thread.sleep(20);
                }
                catch (final InterruptedException ie)
                {
                    Thread.currentThread().interrupt();
                    throw ex;
                }
            }
        }
    }

    /** Closes each of the non-null daemons (ours or rsyslogd) in the order given. */
    static void closeAll(final AutoCloseable... daemons) throws Exception
    {
        for (final AutoCloseable d : daemons)
        {
            if (null != d)
            {
                d.close();
            }
        }
    }
}
