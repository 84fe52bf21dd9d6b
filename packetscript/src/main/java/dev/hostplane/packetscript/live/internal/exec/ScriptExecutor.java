package dev.hostplane.packetscript.live.internal.exec;

import dev.hostplane.packetscript.Script;
import dev.hostplane.packetscript.linux.Errno;
import dev.hostplane.packetscript.linux.LinuxSymbols;
import dev.hostplane.packetscript.live.net.LocalNetConfig;
import dev.hostplane.packetscript.live.net.LocalNetwork;
import dev.hostplane.packetscript.live.net.SniffedPacket;
import dev.hostplane.packetscript.live.netns.NetNamespace;
import dev.hostplane.packetscript.live.internal.sys.LibC;
import dev.hostplane.packetscript.live.internal.sys.TcpInfo;
import dev.hostplane.packetscript.model.Direction;
import dev.hostplane.packetscript.model.Event;
import dev.hostplane.packetscript.model.PacketSpec;
import dev.hostplane.packetscript.model.PythonCode;
import dev.hostplane.packetscript.model.ShellCommand;
import dev.hostplane.packetscript.model.SyscallSpec;
import dev.hostplane.packetscript.model.TcpOption;
import dev.hostplane.packetscript.model.TcpSpec;
import dev.hostplane.packetscript.model.Timing;
import dev.hostplane.packetscript.packet.ConnectionMapping;
import dev.hostplane.packetscript.packet.InboundPacketBuilder;
import dev.hostplane.packetscript.packet.OutboundPacketVerifier;
import dev.hostplane.packetscript.packet.PacketBuildException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.UnsafeBuffer;

import dev.hostplane.vswitch.packet.Ipv4Header;

/**
 * Runs one parsed script against the kernel of one fresh namespace, the way packetdrill's
 * {@code run_script} does: events in time order on the namespace's owner thread; inbound packets
 * built and written to tun0 at their time; outbound packets sniffed and verified in script space
 * with their kernel timestamps checked against the script time and tolerance; syscalls executed
 * with script fds mapped to live fds, {@code a...b} blocking calls on a second thread (also in
 * the namespace) whose return time and result are checked before the next syscall; shell
 * commands through {@code /bin/sh -c} in the script's directory; {@code %{ }%} blocks collected
 * with the TCP_INFO of the socket under test at their time and run by python3 at the end.
 *
 * <p>Time bookkeeping follows packetdrill's {@code adjust_relative_event_times}: an absolute time counts
 * from the first event; a relative one from <em>now</em> (when the previous event finished), except that an
 * inbound packet right after an inbound packet counts from that packet's script time; {@code +a...b} blocking
 * calls start at offset+a and must return at offset+b. Every event is checked against its time with the
 * tolerance {@code max(--tolerance_usecs, --tolerance_percent of the gap since the previous event)}.
 *
 * <p>Sequence, ack, SACK and TS mapping is the language layer's {@link ConnectionMapping}, one per
 * connection; inbound TCP packets and ICMP errors are built by the language layer's {@link InboundPacketBuilder}.
 * Outbound packets are verified by the language layer's {@link OutboundPacketVerifier}, in packetdrill's order
 * and words; segments the kernel sent for one script packet are joined first, as packetdrill aggregates them.
 * Symbols and errno names are shared too ({@code ...linux}).
 */
public final class ScriptExecutor
{
    private static final AtomicLong RUN_IDS = new AtomicLong();
    private static final long OUTBOUND_GRACE_NANOS = 1_000_000_000L;
    private static final long NON_BLOCKING_LIMIT_MILLIS = 3_000L;
    /** How long past its due time a blocking call is awaited: packetdrill's MAX_WAIT_SECS. */
    private static final long AWAIT_BLOCKING_MICROS = 1_000_000L;
    private static final long SPIN_NANOS = 2_000_000L;
    private static final long REALTIME_SPIN_NANOS =
        Long.getLong("hostplane.packetscript.spinMicros", 200L) * 1000L;
    private static final long SCRIPT_TIMEOUT_MILLIS = 180_000L;
    private static final java.util.concurrent.ScheduledExecutorService WATCHDOG =
        Executors.newSingleThreadScheduledExecutor(
            (runnable) ->
            {
                final Thread thread = new Thread(runnable, "pkt-syscall-watchdog");
                thread.setDaemon(true);
                return thread;
            });

    // Symbolic option values of inbound packets resolve through the same table as syscall arguments.
    private static final Map<String, String> SYMBOL_DEFINITIONS = symbolDefinitions();

    private final Script script;
    private final LiveOptions options;
    private final LocalNetConfig config;
    private final Path directory;
    private final long toleranceMicros;
    private final double tolerancePercent;
    private final long tsTickUsecs;
    /** {@code --mss}: inbound TCP packets are written as GSO packets of this segment size (0: plain). */
    private final int inboundGsoSize;
    private final boolean strictSegments;
    private final FdTable fds = new FdTable();
    private final List<ConnectionMapping> connections = new ArrayList<>();
    // The language layer's builder, shared with --dry_run and the offline tests; one buffer reused per packet.
    private final InboundPacketBuilder packetBuilder = new InboundPacketBuilder(SYMBOL_DEFINITIONS);
    private final OutboundPacketVerifier verifier;
    private final UnsafeBuffer inboundBuffer = new UnsafeBuffer(new byte[65_535]);
    private final List<String> pythonParts = new ArrayList<>();
    private final StringBuffer commandOutput = new StringBuffer();
    private final long runId;
    private final TimingTrace trace;
    private final boolean warmingUp;
    private ConnectionMapping current;
    private int nextEphemeralPort = 40_000;
    private NetNamespace namespace;
    private LocalNetwork network;
    private SyscallRunner syscalls;
    private ExecutorService blockingThread;
    private Future<SyscallOutcome> pendingBlocking;
    private Event pendingEvent;
    private long pendingEndMicros;
    private long pendingStartMicros;
    private long startNanos;
    private long startRealtimeNanos;
    private volatile boolean syscallThreadStuck;
    private boolean timedOut;
    private long spinNanos = SPIN_NANOS;

    /**
     * @param script the parsed script.
     * @param options effective options.
     * @param directory the script's directory (working directory of shell commands).
     */
    public ScriptExecutor(final Script script, final LiveOptions options, final Path directory)
    {
        this(script, options, directory, false);
    }

    ScriptExecutor(final Script script, final LiveOptions options, final Path directory, final boolean warmingUp)
    {
        this.warmingUp = warmingUp;
        this.script = script;
        this.options = options;
        this.config = options.network();
        this.directory = directory;
        this.toleranceMicros = options.longValue("tolerance_usecs", 4000);
        this.tolerancePercent = options.doubleValue("tolerance_percent", 12.5);
        this.tsTickUsecs = options.longValue("tcp_ts_tick_usecs", 0);
        this.verifier = new OutboundPacketVerifier(SYMBOL_DEFINITIONS, false, tsTickUsecs, toleranceMicros,
            tolerancePercent);
        this.inboundGsoSize = (int)options.longValue("mss", 0);
        if (inboundGsoSize < 0)
        {
            throw new IllegalArgumentException("bad --mss: " + options.get("mss"));
        }
        this.strictSegments = options.flag("strict_segments");
        this.runId = ProcessHandle.current().pid() * 100_000L + RUN_IDS.incrementAndGet();
        this.trace = new TimingTrace(script.source());
    }

    /**
     * Runs the script; everything it created (namespace, tun0, sockets) is gone afterwards.
     *
     * @throws ScriptFailure when the kernel did not behave as the script says.
     * @throws Exception when the environment failed (no namespace, for example).
     */
    public void run() throws Exception
    {
        namespace = NetNamespace.create("pkt");
        try
        {
            namespace.putEnvironment("PACKETDRILL_PID", Long.toString(runId));
            final String path = Python3.usedBy(script) ? Python3.path(directory) : null;
            if (null != path)
            {
                namespace.putEnvironment("PATH", path);
            }
            network = LocalNetwork.setUp(namespace, config);
            syscalls = new SyscallRunner(config, fds);
            blockingThread = Executors.newSingleThreadExecutor(
                (runnable) -> namespace.newThread("pkt-blocking-" + namespace.name(),
                    () ->
                    {
                        boostCurrentThread();
                        runnable.run();
                    }));
            ScriptScheduling.calibrate();
            // Started (in the namespace, boosted) before script time 0: creating a thread at the first
            // blocking call was measured to stall the script by up to 3.5 ms.
            blockingThread.submit(() -> { }).get();
            try
            {
                namespace.call(
                    () ->
                    {
                        runOnOwner();
                        return null;
                    },
                    SCRIPT_TIMEOUT_MILLIS);
            }
            catch (final java.util.concurrent.TimeoutException ex)
            {
                // As run_all.py's per-test timeout; the owner thread is abandoned with its namespace.
                syscallThreadStuck = true;
                timedOut = true;
                throw new ScriptFailure(script.source() + ": timed out after " + SCRIPT_TIMEOUT_MILLIS + " ms");
            }
        }
        finally
        {
            if (null != blockingThread)
            {
                if (timedOut)
                {
                    // The abandoned owner thread may still be running: retire the table so it can reach no
                    // fd any more, and only shut the sockets down (closing would free numbers the JVM could
                    // reuse while that thread still holds one); a timed-out script leaks its fds, safely.
                    fds.retire();
                    final Thread closer = namespace.newThread("pkt-closer",
                        () ->
                        {
                            for (final Integer fd : fds.liveFds())
                            {
                                LibC.shutdown(fd, 2);
                            }
                        });
                    closer.start();
                    closer.join(2000);
                }
                else if (null != pendingBlocking || syscallThreadStuck)
                {
                    // A call still sits in the kernel: shutdown() wakes accept/read/recv/connect/
                    // write waiters, so the syscall thread can end with the namespace.
                    namespace.call(
                        () ->
                        {
                            for (final Integer fd : fds.liveFds())
                            {
                                LibC.shutdown(fd, 2);
                            }
                            return null;
                        });
                }
                blockingThread.shutdownNow();
                blockingThread.awaitTermination(2, TimeUnit.SECONDS);
            }
            if (null != network && !timedOut)
            {
                namespace.call(
                    () ->
                    {
                        closeAll();
                        return null;
                    });
            }
            namespace.close();
            trace.flush();
        }
    }

    /**
     * What the script's shell commands and python code printed (standard output and error, in order), which C
     * packetdrill leaves on the terminal: a refused {@code sysctl} or {@code tc} says why only there.
     *
     * @return the text, empty when they printed nothing.
     */
    public String output()
    {
        return commandOutput.toString();
    }

    /** Closes every live fd the script created and still holds (only those: never a JVM fd), then the network. */
    private void closeAll()
    {
        for (final Integer fd : fds.retireAndTakeAll())
        {
            LibC.close(fd);
        }
        network.close();
    }

    /**
     * Gives the calling script thread packetdrill's scheduling ({@link ScriptScheduling}); only this thread is
     * affected, and it ends with the script.
     */
    static boolean boostCurrentThread()
    {
        return ScriptScheduling.boostCurrentThread();
    }

    /**
     * Gives the JVM's stop-the-world threads the script threads' scheduling while a suite runs (see
     * {@code ScriptScheduling.boostJvmThreads}); undo with {@link #restoreJvmThreads}.
     *
     * @return the thread ids changed.
     */
    public static List<Integer> boostJvmThreads()
    {
        return ScriptScheduling.boostJvmThreads();
    }

    /**
     * Undoes {@link #boostJvmThreads}.
     *
     * @param tids what it returned.
     */
    public static void restoreJvmThreads(final List<Integer> tids)
    {
        ScriptScheduling.restoreJvmThreads(tids);
    }

    private void runOnOwner() throws Exception
    {
        // A real-time thread is woken on time, so it need only spin the last fraction of a millisecond.
        spinNanos = boostCurrentThread() ? REALTIME_SPIN_NANOS : SPIN_NANOS;
        if (null != script.initCommand())
        {
            shell(script.initCommand().commandLine(), script.source() + ": init command");
        }
        if (!warmingUp)
        {
            WarmUp.awaitIfStarted();
        }
        network.tun().drain();
        final long[] start = ScriptScheduling.alignedStart();
        startNanos = start[0];
        startRealtimeNanos = start[1];

        long lastTime = 0;
        boolean lastInbound = false;
        for (final Event event : script.events())
        {
            lastTime = runEvent(event, lastTime, lastInbound);
            trace.record(event.position().line(), "x.end", lastTime, nowMicros(), 0);
            lastInbound = isInbound(event);
        }
        // packetdrill's order: the cleanup command and the Python blocks run while a blocking call may still be
        // in the kernel, and only then is the syscall thread awaited (state_free).
        if (null != script.cleanupCommand())
        {
            shell(script.cleanupCommand().commandLine(), script.source() + ": cleanup command");
        }
        runPython();
        finishBlocking();
    }

    private static boolean isInbound(final Event event)
    {
        return event.action() instanceof PacketSpec packet && Direction.INBOUND == packet.direction();
    }

    /**
     * Runs one event; returns its script time (packetdrill's {@code time_usecs} after
     * {@code adjust_relative_event_times}): relative times count from now, except that an inbound
     * packet right after an inbound packet counts from that packet's time, so CPU overheads do
     * not accumulate (packetdrill's anchoring rule).
     */
    private long runEvent(final Event event, final long lastTime, final boolean lastInbound) throws Exception
    {
        final Timing timing = event.timing();
        final long offset = lastInbound && isInbound(event) ? lastTime : nowMicros();
        final long start;
        if (timing instanceof Timing.Absolute absolute)
        {
            start = absolute.micros();
        }
        else if (timing instanceof Timing.Relative relative)
        {
            start = offset + relative.micros();
        }
        else if (timing instanceof Timing.RelativeRange range)
        {
            start = offset + range.startMicros();
        }
        else if (timing instanceof Timing.AbsoluteRange range)
        {
            start = range.startMicros();
        }
        else
        {
            start = offset;
        }
        if (event.action() instanceof PacketSpec packet)
        {
            if (Direction.OUTBOUND == packet.direction())
            {
                outbound(event, packet, lastTime, start, offset);
                return start;
            }
            waitUntil(start);
            checkEventTime(event, "inbound packet", start, lastTime, "in");
            inbound(event, packet);
            trace.record(event.position().line(), "in.sent", start, nowMicros(), tolerance(start, lastTime));
            return start;
        }
        if (event.action() instanceof SyscallSpec call)
        {
            finishBlocking();
            waitUntil(start);
            checkEventTime(event, "system call start", start, lastTime, "sys");
            if (call.isBlocking())
            {
                final long end = (timing instanceof Timing.Absolute ? 0 : offset) + call.endMicros();
                startBlocking(event, call, start, end);
            }
            else
            {
                checkSyscall(event, call, runNonBlocking(event, call));
            }
            return start;
        }
        if (event.action() instanceof ShellCommand command)
        {
            waitUntil(start);
            checkEventTime(event, "command", start, lastTime, "cmd");
            shell(command.commandLine(), position(event));
            return start;
        }
        if (event.action() instanceof PythonCode code)
        {
            waitUntil(start);
            capturePython(event, code);
            return start;
        }
        throw failure(event, "unsupported event: " + event.action());
    }

    private long nowMicros()
    {
        return (System.nanoTime() - startNanos) / 1000L;
    }

    // ------------------------------------------------------------------ packets

    private void inbound(final Event event, final PacketSpec packet) throws ScriptFailure
    {
        if (!packet.encapsulations().isEmpty())
        {
            throw failure(event, "error handling packet: encapsulated (PSP) packets need packetdrill's wire mode");
        }
        try
        {
            injectInbound(event, packet);
        }
        catch (final IllegalArgumentException | PacketBuildException ex)
        {
            throw failure(event, "error handling packet: " + ex.getMessage());
        }
    }

    private void injectInbound(final Event event, final PacketSpec packet) throws ScriptFailure
    {
        if (packet.transport() instanceof dev.hostplane.packetscript.model.IcmpSpec icmp)
        {
            if (null == current)
            {
                throw failure(event, "error handling packet: no socket under test for the inbound ICMP packet");
            }
            final int length;
            try
            {
                length = packetBuilder.build(packet, current, inboundBuffer, 0);
            }
            catch (final IllegalArgumentException | PacketBuildException ex)
            {
                throw failure(event, "error handling packet: " + ex.getMessage());
            }
            network.tun().write(inboundBuffer.byteArray(), 0, length);
            return;
        }
        if (!(packet.transport() instanceof TcpSpec tcp))
        {
            throw failure(event, "error handling packet: only TCP and ICMP packets can be injected so far: " +
                packet.transport().getClass().getSimpleName());
        }
        if (!packet.encapsulations().isEmpty())
        {
            throw failure(event, "error handling packet: encapsulated packets need wire mode");
        }
        final boolean syn = tcp.hasFlag('S');
        final boolean ack = tcp.hasFlag('.');
        ConnectionMapping connection = current;
        if (syn && !ack && !fds.listenerPorts.isEmpty())
        {
            final int listenPort = fds.listenerPorts.values().iterator().next();
            connection = new ConnectionMapping(config.localAddress(), listenPort, config.remoteAddress(),
                nextEphemeralPort++);
            connections.add(connection);
        }
        if (null == connection)
        {
            throw failure(event, "error handling packet: no socket for inbound packet (no listen() or connect() yet)");
        }
        current = connection;
        if (syn)
        {
            // Every inbound SYN names the peer's ISN here, so the builder's first-SYN rule
            // (ConnectionMapping.learnRemoteIsn, packetdrill's) finds it set; the live runs were validated
            // with this rule.
            connection.remoteIsn(tcp.startSequence(), tcp.startSequence());
        }
        checkSymbols(tcp);
        final int length = packetBuilder.build(packet, connection, inboundBuffer, 0);
        // As packetdrill: with --mss every inbound TCP packet carries the GSO type and size in its virtio-net
        // header, whatever its length; the kernel then sizes its receive window estimates (rcv_mss) by it.
        network.tun().write(inboundBuffer.byteArray(), 0, length, inboundGsoSize, config.ipVersion().wireIpv6());
    }

    private static Map<String, String> symbolDefinitions()
    {
        final Map<String, String> definitions = new java.util.HashMap<>();
        for (final String name : LinuxSymbols.names())
        {
            definitions.put(name, Long.toString(LinuxSymbols.value(name)));
        }
        return Map.copyOf(definitions);
    }

    /**
     * Symbolic option values (e.g. {@code mss MSS}) resolve through {@link LinuxSymbols} in live runs; one
     * that does not fails with the live runner's message before the packet is built.
     */
    private void checkSymbols(final TcpSpec tcp)
    {
        final List<TcpOption> list = tcp.options();
        for (int i = 0, n = null == list ? 0 : list.size(); i < n; i++)
        {
            if (list.get(i) instanceof TcpOption.Mss mss && mss.value().isSymbolic() &&
                null == LinuxSymbols.value(mss.value().symbol()))
            {
                throw new IllegalArgumentException("unknown symbol in packet: " + mss.value().symbol());
            }
        }
    }

    private void outbound(
        final Event event, final PacketSpec packet, final long lastTime, final long start, final long offset)
        throws ScriptFailure
    {
        if (!(packet.transport() instanceof TcpSpec tcp))
        {
            throw failure(event, "error handling packet: only TCP packets can be verified so far");
        }
        final Timing timing = event.timing();
        long earliest = start;
        long latest = start;
        final long tolerance = tolerance(start, lastTime);
        if (timing instanceof Timing.AbsoluteRange range)
        {
            earliest = range.startMicros();
            latest = range.endMicros();
        }
        else if (timing instanceof Timing.RelativeRange range)
        {
            earliest = offset + range.startMicros();
            latest = offset + range.endMicros();
        }
        final boolean anyTime = timing instanceof Timing.AnyTime;
        final long waitUntilNanos = startNanos + (anyTime ? 10_000_000_000L :
            (latest + tolerance) * 1000L + OUTBOUND_GRACE_NANOS);
        final SniffedPacket sniffed = nextRelevant(waitUntilNanos);
        if (null == sniffed)
        {
            // Worded as packetdrill's netdev_receive_loop, reached through run_packet_event's prefix.
            throw failure(event, "error handling packet: Timed out waiting for packet");
        }
        trace.record(event.position().line(), "x.sniffed", start, nowMicros(), 0);
        network.tun().drain();
        trace.record(event.position().line(), "x.drained", start, nowMicros(), 0);
        final LivePacket live = new LivePacket(sniffed.bytes());
        long actual = (sniffed.realtimeNanos() - startRealtimeNanos) / 1000L;
        if (!live.isTcp())
        {
            throw failure(event, "error handling packet: live packet is not TCP: protocol " + live.protocol);
        }
        final ConnectionMapping connection = connectionFor(live, tcp);
        int payload = live.payloadLength();
        int flags = live.flags();
        if (!strictSegments && payload < tcp.payloadLength() && payload > 0)
        {
            // As packetdrill: the rest of a script packet is waited for as long as its first segment was (a paced
            // write leaves in segments farther apart than the tolerance), and the whole is timed by its last
            // segment, when all of it has left.
            long nextSeq = live.seq() + payload;
            while (payload < tcp.payloadLength())
            {
                final SniffedPacket more = nextRelevant(waitUntilNanos);
                if (null == more)
                {
                    throw failure(event, "error handling packet: Timed out waiting for packet");
                }
                actual = (more.realtimeNanos() - startRealtimeNanos) / 1000L;
                final LivePacket next = new LivePacket(more.bytes());
                if (!next.isTcp() || next.seq() != nextSeq || next.srcPort() != live.srcPort())
                {
                    throw failure(event, "error handling packet: " + "live packet payload: expected " +
                        tcp.payloadLength() + " bytes vs actual " + payload + " bytes (next segment not contiguous)");
                }
                payload += next.payloadLength();
                nextSeq += next.payloadLength();
                // As packetdrill's aggregate_packets: headers of the last segment, CWR of the first.
                flags = (next.flags() & ~0x80) | (live.flags() & 0x80);
            }
            network.tun().drain();
        }
        if (!anyTime)
        {
            trace.record(event.position().line(), "out.rcv", start, nowMicros(), tolerance);
            trace.record(event.position().line(), earliest == latest ? "out" : "out~",
                Math.max(earliest, Math.min(actual, latest)), actual, tolerance);
        }
        // Reported as packetdrill reports it, without the two packet dumps: the segments summed here are not one
        // packet, and showing the first alone contradicts the length in the message.
        final String payloadMismatch = OutboundPacketVerifier.payloadMismatch(tcp.payloadLength(), payload);
        if (null != payloadMismatch)
        {
            throw failure(event, "error handling packet: " + payloadMismatch);
        }
        final byte[] verified = payload == live.payloadLength() && flags == live.flags() ? sniffed.bytes() :
            joined(live, payload, flags);
        final String mismatch;
        try
        {
            mismatch = verifier.verify(packet, new UnsafeBuffer(verified), 0, verified.length, connection, start)
                .message();
        }
        catch (final IllegalArgumentException | PacketBuildException ex)
        {
            throw failure(event, "error handling packet: " + ex.getMessage());
        }
        if (null != mismatch)
        {
            throw failure(event, "error handling packet: " + mismatch + dumps(tcp, start, live, connection, actual));
        }
        trace.record(event.position().line(), "x.verified", start, nowMicros(), 0);
        current = connection;
        if (!anyTime && (actual < earliest - tolerance || actual > latest + tolerance))
        {
            if (earliest != latest)
            {
                throw failure(event, String.format(
                    "error handling packet: timing error: expected outbound packet in time range %.6f~%.6f sec " +
                    "but happened at %.6f sec", earliest / 1e6, latest / 1e6, actual / 1e6) +
                    dumps(tcp, start, live, connection, actual));
            }
            // packetdrill words an outbound packet's timing error as a packet error ("error handling packet:").
            throw failure(event, String.format(
                "error handling packet: timing error: expected outbound packet at %.6f sec but happened at %.6f sec;" +
                " tolerance %.6f sec", start / 1e6, actual / 1e6, tolerance / 1e6) +
                dumps(tcp, start, live, connection, actual));
        }
    }

    /**
     * One packet for the segments joined for a script packet: the first segment's headers with the flags the
     * join ended with and the lengths of the whole payload (its bytes are not compared, so they stay zero).
     */
    private static byte[] joined(final LivePacket first, final int payload, final int flags)
    {
        final int headers = first.payloadOffset();
        final byte[] packet = new byte[headers + payload];
        System.arraycopy(first.bytes, 0, packet, 0, headers);
        packet[first.l4 + 13] = (byte)flags;
        packet[first.l4 + 12] = (byte)((packet[first.l4 + 12] & ~1) | ((flags >> 8) & 1));
        if (6 == first.ipVersion)
        {
            final int payloadLength = packet.length - first.ipHeaderLength;
            packet[4] = (byte)(payloadLength >> 8);
            packet[5] = (byte)payloadLength;
        }
        else
        {
            new Ipv4Header().wrap(new UnsafeBuffer(packet), 0, packet.length).totalLength(packet.length)
                .updateChecksum();
        }
        return packet;
    }

    /**
     * The next sniffed packet a script can be about: packets of the other IP version (the IPv6
     * link-local chatter tun0 makes in ipv4 mode) and ICMPv6 neighbour discovery / MLD are
     * skipped, as packetdrill's sniffer ignores what it cannot map to the test.
     */
    private SniffedPacket nextRelevant(final long deadlineNanos)
    {
        final int wireVersion = config.ipVersion().wireIpv6() ? 6 : 4;
        while (true)
        {
            final SniffedPacket sniffed = network.sniffer().next(Math.max(0,
                (deadlineNanos - System.nanoTime()) / 1_000_000L));
            if (null == sniffed)
            {
                return null;
            }
            final LivePacket live = new LivePacket(sniffed.bytes());
            if (live.ipVersion != wireVersion)
            {
                continue;
            }
            if (58 == live.protocol && sniffed.bytes().length > live.l4)
            {
                final int type = sniffed.bytes()[live.l4] & 0xFF;
                if ((type >= 130 && type <= 137) || 143 == type)
                {
                    continue;
                }
            }
            if (live.isTcp() && !isForSocketUnderTest(live))
            {
                // packetdrill only looks at packets of the socket under test or of a new connect():
                // e.g. the late FIN of a socket the script already closed is ignored.
                continue;
            }
            return sniffed;
        }
    }

    private boolean isForSocketUnderTest(final LivePacket live)
    {
        if (null != current && live.srcPort() == current.localPort() && live.dstPort() == current.remotePort())
        {
            return true;
        }
        if (0 == (live.flags() & 0x02))
        {
            return null == current && connections.isEmpty();
        }
        for (final ConnectionMapping connection : connections)
        {
            if (connection.localPort() == live.srcPort() && connection.remotePort() == live.dstPort())
            {
                return connection == current;
            }
        }
        return true;
    }

    private ConnectionMapping connectionFor(final LivePacket live, final TcpSpec tcp)
    {
        ConnectionMapping found = null;
        for (final ConnectionMapping connection : connections)
        {
            if (connection.localPort() == live.srcPort() && connection.remotePort() == live.dstPort())
            {
                found = connection;
            }
        }
        if (null == found)
        {
            found = new ConnectionMapping(config.localAddress(), live.srcPort(), config.remoteAddress(), live.dstPort());
            connections.add(found);
        }
        final boolean syn = 0 != (live.flags() & 0x02);
        if (syn)
        {
            // The kernel picks its ISN; the script's SYN seq is its name in script space.
            found.learnLocalIsn(tcp.startSequence(), live.seq());
        }
        else if (!found.localIsnKnown())
        {
            // First packet seen without SYN (the handshake was missed): take the script's seq as the
            // relative one, so the live ISN is what makes them agree.
            found.learnLocalIsn(0, live.seq() - tcp.startSequence());
        }
        return found;
    }

    /**
     * The two lines packetdrill adds to an outbound packet's error ({@code add_packet_dump}, short format): the
     * script's packet at its script time, then the packet the kernel sent at its time, in script space.
     */
    private static String dumps(
        final TcpSpec tcp, final long scriptMicros, final LivePacket live, final ConnectionMapping connection,
        final long actualMicros)
    {
        return "\n" + PacketDump.script(tcp, scriptMicros) + "\n" + PacketDump.actual(live, connection, actualMicros);
    }

    // ------------------------------------------------------------------ syscalls

    /**
     * Runs a call the script expects to return at once on the owner thread itself, as packetdrill does
     * (a hand-off to another thread costs a wake-up, which on a busy machine eats the 4 ms tolerance). A
     * watchdog shuts the script's sockets down if the call is still in the kernel after
     * {@value #NON_BLOCKING_LIMIT_MILLIS} ms (fds are process-wide, so any thread may), which wakes it, and
     * the script fails instead of hanging.
     */
    private SyscallOutcome runNonBlocking(final Event event, final SyscallSpec call) throws Exception
    {
        final java.util.concurrent.atomic.AtomicBoolean fired = new java.util.concurrent.atomic.AtomicBoolean();
        final java.util.concurrent.ScheduledFuture<?> watchdog = WATCHDOG.schedule(
            () ->
            {
                fired.set(true);
                for (final Integer fd : fds.liveFds())
                {
                    LibC.shutdown(fd, 2);
                }
            },
            NON_BLOCKING_LIMIT_MILLIS, TimeUnit.MILLISECONDS);
        final SyscallOutcome outcome;
        try
        {
            outcome = syscalls.run(call);
            outcome.endNanos = System.nanoTime();
        }
        catch (final IllegalArgumentException ex)
        {
            throw failure(event, "runtime error in " + call.name() + " call: " + ex.getMessage());
        }
        finally
        {
            watchdog.cancel(false);
        }
        if (fired.get())
        {
            throw failure(event, "runtime error in " + call.name() + " call: blocked for more than " +
                NON_BLOCKING_LIMIT_MILLIS + " ms but the script expects it to return at once (no a...b time)");
        }
        return outcome;
    }

    private void startBlocking(final Event event, final SyscallSpec call, final long start, final long end)
    {
        pendingEvent = event;
        pendingStartMicros = start;
        pendingEndMicros = end;
        pendingBlocking = blockingThread.submit(
            () ->
            {
                final SyscallOutcome outcome = syscalls.run(call);
                outcome.endNanos = System.nanoTime();
                return outcome;
            });
    }

    private void finishBlocking() throws Exception
    {
        if (null == pendingBlocking)
        {
            return;
        }
        final Future<SyscallOutcome> future = pendingBlocking;
        final Event event = pendingEvent;
        pendingBlocking = null;
        final SyscallOutcome outcome;
        try
        {
            // packetdrill waits at most one second for the syscall thread once it needs it (await_idle_thread);
            // a call later than that has missed its tolerance anyway, and waiting longer only holds a suite
            // slot. The second counts from the expected return (plus its tolerance) when that is still ahead.
            final long lateMicros = pendingEndMicros + tolerance(pendingEndMicros, pendingStartMicros);
            final long deadlineMicros = Math.max(lateMicros, nowMicros()) + AWAIT_BLOCKING_MICROS;
            outcome = future.get(Math.max(1, deadlineMicros - nowMicros()), TimeUnit.MICROSECONDS);
        }
        catch (final java.util.concurrent.TimeoutException ex)
        {
            syscallThreadStuck = true;
            throw failure(event, "blocking system call did not return (expected to return at " +
                String.format("%.6f sec)", pendingEndMicros / 1e6));
        }
        catch (final java.util.concurrent.ExecutionException ex)
        {
            throw failure(event, "runtime error in " + ((SyscallSpec)event.action()).name() + " call: " +
                ex.getCause().getMessage());
        }
        checkSyscall(event, (SyscallSpec)event.action(), outcome);
        final long actualEnd = (outcome.endNanos - startNanos) / 1000L;
        trace.record(event.position().line(), "ret", pendingEndMicros, actualEnd,
            tolerance(pendingEndMicros, pendingStartMicros));
        final long tolerance = tolerance(pendingEndMicros, pendingStartMicros);
        if (Math.abs(actualEnd - pendingEndMicros) > tolerance)
        {
            throw failure(event, String.format(
                "timing error: expected system call return at %.6f sec but happened at %.6f sec; tolerance %.6f sec",
                pendingEndMicros / 1e6, actualEnd / 1e6, tolerance / 1e6));
        }
    }

    private void checkSyscall(final Event event, final SyscallSpec call, final SyscallOutcome outcome)
        throws ScriptFailure
    {
        final long expected;
        try
        {
            expected = Args.integer(call.result());
        }
        catch (final IllegalArgumentException ex)
        {
            throw failure(event, "bad expected result of " + call.name() + ": " + ex.getMessage());
        }
        syscalls.recordResult(call, outcome, expected);
        final String name = call.name();
        if ("socket".equals(name) && outcome.result >= 0)
        {
            // A new socket under test: its packets are new connections, not the previous one's.
            current = null;
        }
        // Calls that create fds succeed with any live fd: the script's number is just its name.
        final boolean createsFd = SyscallRunner.createsFd(name);
        if (expected != outcome.result && !(createsFd && expected >= 0 && outcome.result >= 0))
        {
            // Worded as C packetdrill words it (errno number and strerror text), so the self-tests' "// Failure:"
            // lines match; an fd-creating call that was meant to succeed expects "non-negative", not one number.
            final String errno = outcome.result < 0 ? " with errno " + outcome.errno + " (" +
                strerror(outcome.errno) + ")" : "";
            final String wanted = createsFd && expected >= 0 ? "non-negative result" : "result " + expected;
            throw failure(event, "runtime error in " + name + " call: Expected " + wanted + " but got " +
                outcome.result + errno);
        }
        if (null != call.errno() && outcome.result < 0)
        {
            final Long wanted = LinuxSymbols.value(call.errno());
            if (null == wanted || wanted != outcome.errno)
            {
                throw failure(event, "runtime error in " + name + " call: Expected errno " + call.errno() + " but got " +
                    Errno.describe(outcome.errno));
            }
        }
        if (null != outcome.outputMismatch)
        {
            throw failure(event, "runtime error in " + name + " call: " + outcome.outputMismatch);
        }
    }

    private static String strerror(final int number)
    {
        final Errno errno = Errno.byNumber(number);
        return null != errno ? errno.message() : "Unknown error " + number;
    }

    // ------------------------------------------------------------------ shell and python

    private void shell(final String command, final String where) throws Exception
    {
        // dash lets us set PPID: set_sysctls.py and `/tmp/sysctl_restore_${PPID}.sh` then agree
        // per script even though every script's shells share this JVM as their parent.
        final NetNamespace.ExecResult result = namespace.exec(directory, 60_000, "/bin/sh", "-c",
            "PPID=" + runId + "; " + command);
        commandOutput.append(result.output());
        if (0 != result.exitStatus())
        {
            // As packetdrill words it; what the command printed is in output(), as packetdrill leaves it on stderr.
            throw new ScriptFailure(where + ": error executing `" + command.strip() + "` command: non-zero status " +
                result.exitStatus());
        }
    }

    private void capturePython(final Event event, final PythonCode code)
    {
        final StringBuilder part = new StringBuilder();
        part.append("_file = ").append(pythonString(event.position().source())).append('\n');
        part.append("_line = ").append(event.position().line()).append('\n');
        final int fd = fds.socketUnderTest;
        final Map<String, Long> info = fd >= 0 && fds.isOwned(fd) ? TcpInfo.read(fd) : null;
        if (null != info)
        {
            info.putAll(TcpInfo.readCcAndMemInfo(fd));
            for (final Map.Entry<String, Long> entry : info.entrySet())
            {
                part.append(entry.getKey()).append(" = ").append(entry.getValue()).append('\n');
            }
        }
        // packetdrill strips spaces and tabs from both ends of the block, so continuation lines after a backslash
        // may be indented with anything; dedent on top of that accepts blocks indented as a whole.
        final String text = code.text().replaceFirst("^[ \\t]+", "").replaceFirst("^\\s*\\n", "");
        part.append("exec(compile(textwrap.dedent(").append(pythonString(text))
            .append(") + '\\n\\n', ").append(pythonString(position(event))).append(", 'exec'))\n");
        pythonParts.add(part.toString());
    }

    private void runPython() throws Exception
    {
        if (pythonParts.isEmpty())
        {
            return;
        }
        // As packetdrill's preamble: an exception names the script line of its block first, then the traceback.
        final StringBuilder program = new StringBuilder("import sys\nimport textwrap\nimport traceback\n" +
            "def excepthook(etype, value, tb):\n" +
            "  sys.stderr.write('%s:%d: error in Python code\\n' % (_file, _line))\n" +
            "  traceback.print_exception(etype, value, tb)\n" +
            "sys.excepthook = excepthook\n");
        final List<String> names = new ArrayList<>(LinuxSymbols.names());
        java.util.Collections.sort(names);
        for (final String name : names)
        {
            if (name.startsWith("TCP") || name.startsWith("SO_") || name.startsWith("SOF_"))
            {
                program.append(name).append(" = ").append(LinuxSymbols.value(name)).append('\n');
            }
        }
        for (final String part : pythonParts)
        {
            program.append(part);
        }
        final String command = null != options.get("code_command") ? options.get("code_command") : "python3";
        final NetNamespace.ExecResult result = namespace.execWithInput(directory, 60_000,
            program.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), "/bin/sh", "-c", command + " -");
        commandOutput.append(result.output());
        if (0 != result.exitStatus())
        {
            throw new ScriptFailure(script.source() + ": error executing code: '" + command + "' returned non-zero " +
                "status " + result.exitStatus());
        }
    }

    private static String pythonString(final String text)
    {
        final StringBuilder out = new StringBuilder("'");
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if ('\\' == c || '\'' == c)
            {
                out.append('\\').append(c);
            }
            else if ('\n' == c)
            {
                out.append("\\n");
            }
            else if (c < 0x20 || c > 0x7e)
            {
                out.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                out.append(c);
            }
        }
        return out.append('\'').toString();
    }

    // ------------------------------------------------------------------ time

    private void waitUntil(final long micros)
    {
        final long target = startNanos + micros * 1000L;
        while (true)
        {
            final long remaining = target - System.nanoTime();
            if (remaining <= 0)
            {
                return;
            }
            // Sleep until shortly before, then spin, as packetdrill does: a loaded box wakes
            // sleepers late (a normal thread by milliseconds), and the default tolerance is only 4 ms.
            if (remaining > spinNanos)
            {
                LockSupport.parkNanos(remaining - spinNanos);
            }
            else
            {
                Thread.onSpinWait();
            }
        }
    }

    /** packetdrill's rule: the larger of --tolerance_usecs and --tolerance_percent of the gap. */
    private long tolerance(final long expected, final long lastTime)
    {
        final long dynamic = (long)(tolerancePercent / 100.0 * (expected - lastTime));
        return Math.max(toleranceMicros, dynamic);
    }

    private void checkEventTime(
        final Event event, final String what, final long start, final long lastTime, final String traceKind)
        throws ScriptFailure
    {
        final long actual = nowMicros();
        trace.record(event.position().line(), traceKind, start, actual, tolerance(start, lastTime));
        final long tolerance = tolerance(start, lastTime);
        if (Math.abs(actual - start) > tolerance)
        {
            throw failure(event, String.format(
                "timing error: expected %s at %.6f sec but happened at %.6f sec; tolerance %.6f sec",
                what, start / 1e6, actual / 1e6, tolerance / 1e6));
        }
    }

    private String position(final Event event)
    {
        return event.position().source() + ":" + event.position().line();
    }

    private ScriptFailure failure(final Event event, final String message)
    {
        return new ScriptFailure(position(event) + ": " + message);
    }

}
