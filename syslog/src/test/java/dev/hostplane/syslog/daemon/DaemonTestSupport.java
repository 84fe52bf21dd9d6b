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
import java.nio.file.Paths;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Helpers shared by the daemon tests: start from config text, send frames, wait for files. */
final class DaemonTestSupport
{
    static final Duration TIMEOUT = Duration.ofSeconds(40);
    /** The template of the file-writing daemons: each message's text as one line. */
    static final String LINE_TEMPLATE = "template(name=\"t\" type=\"string\" string=\"%msg%\\n\")\n";
    /**
     * Set to {@code false} to leave out the rsyslogd halves that print rsyslogd's numbers next to ours for the same
     * fault (nothing is asserted on them; each fault's assertions on our daemon run either way). They run by default
     * so every verify shows both daemons' losses side by side; {@code
     * benchmarks/scripts/syslog/fault-comparisons.sh} runs just these tests and prints the comparison lines.
     */
    static final String COMPARE_PROPERTY = "hostplane.syslog.compareRsyslogd";
    private static final Pattern SEQ = Pattern.compile("seq=(\\d{6})");

    private DaemonTestSupport()
    {
    }

    static SyslogDaemon start(final String config)
    {
        return SyslogDaemon.builder().configText(config, "test.conf").zone(ZoneOffset.UTC).start();
    }

    /**
     * Config of a daemon, ours or rsyslogd alike, that takes TCP on a loopback port and writes each message's text
     * as a line to {@code file}, retrying a failed write every second ({@code action.resumeInterval="1"}).
     *
     * @param file     the output file.
     * @param portFile where the listener writes the port it took (listenPortFileName), or null.
     * @return config text.
     */
    static String tcpToFile(final Path file, final Path portFile)
    {
        return "module(load=\"imtcp\")\ninput(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\"" +
            (null == portFile ? "" : " listenPortFileName=\"" + portFile + "\"") + ")\n" + LINE_TEMPLATE +
            "action(type=\"omfile\" file=\"" + file + "\" template=\"t\" action.resumeInterval=\"1\")\n";
    }

    /** Our daemon running {@link #tcpToFile}; its port is {@code ports().get(0)}. */
    static SyslogDaemon startTcpToFile(final Path file)
    {
        return start(tcpToFile(file, null));
    }

    /**
     * rsyslogd running {@link #tcpToFile} in {@code dir}, through {@code wrapper} (may be empty); its port is
     * {@code port("port")}.
     */
    static Rsyslogd startRsyslogdTcpToFile(final Path dir, final Path file, final List<String> wrapper)
        throws IOException
    {
        return Rsyslogd.start(dir, tcpToFile(file, dir.resolve("port")), wrapper);
    }

    /**
     * Whether to run a print-only rsyslogd comparison (see {@link #COMPARE_PROPERTY}) and rsyslogd is installed;
     * says why when it does not.
     *
     * @param what the comparison, for the skip line.
     */
    static boolean compareWithRsyslogd(final String what)
    {
        if ("false".equals(System.getProperty(COMPARE_PROPERTY)))
        {
            System.out.println("SKIP rsyslogd comparison (" + what + "): -D" + COMPARE_PROPERTY + "=false");
            return false;
        }
        return Rsyslogd.available();
    }

    /**
     * The command line of our daemon in a child JVM ({@link DaemonMain}) on a config file, behind {@code wrapper}
     * (e.g. setpriv; may be empty).
     */
    static List<String> childDaemon(final Path conf, final String maxHeap, final List<String> wrapper)
    {
        final List<String> cmd = new ArrayList<>(wrapper);
        cmd.addAll(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + maxHeap,
            "-cp", System.getProperty("java.class.path"), DaemonMain.class.getName(), conf.toString()));
        return cmd;
    }

    /** Runs a command in {@code cwd} (null: ours) for at most 60 s; prints its output when it fails. */
    static boolean run(final Path cwd, final String... cmd)
    {
        try
        {
            final ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            if (null != cwd)
            {
                pb.directory(cwd.toFile());
            }
            final Process p = pb.start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            final boolean ok = p.waitFor(60, TimeUnit.SECONDS) && 0 == p.exitValue();
            if (!ok)
            {
                System.out.println(String.join(" ", cmd) + ": " + out.trim());
            }
            return ok;
        }
        catch (final IOException ex)
        {
            System.out.println(String.join(" ", cmd) + ": " + ex);
            return false;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@link #run(Path, String...)} in our working directory. */
    static boolean run(final String... cmd)
    {
        return run(null, cmd);
    }

    /** The {@code seq=NNNNNN} numbers of a file's lines, in file order (an unreadable file has none). */
    static List<Integer> seqNumbers(final Path file)
    {
        final List<Integer> seq = new ArrayList<>();
        try
        {
            for (final String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1))
            {
                final Matcher m = SEQ.matcher(line);
                if (m.find())
                {
                    seq.add(Integer.parseInt(m.group(1)));
                }
            }
        }
        catch (final IOException ex)
        {
            return seq;
        }
        return seq;
    }

    /** The numbers from (inclusive) to (exclusive), to compare with {@link #seqNumbers}. */
    static List<Integer> range(final int from, final int to)
    {
        final List<Integer> r = new ArrayList<>(to - from);
        for (int i = from; i < to; i++)
        {
            r.add(i);
        }
        return r;
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
