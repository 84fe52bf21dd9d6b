package dev.hostplane.packetscript.live.internal.exec;

import com.sun.jna.Memory;
import dev.hostplane.packetscript.live.internal.sys.LibC;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the threads of a running script get the CPU on time, as C packetdrill's {@code run_script} arranges it.
 *
 * <p>{@link #boostCurrentThread()}: packetdrill runs with the lowest real-time priority ({@code SCHED_RR} 1) when
 * the machine has more than one CPU, so a sleeping script thread is woken at its event time even when builds
 * keep every core busy; a normal thread, even at nice -10, was measured waking up to 10 ms late here (the default
 * tolerance is 4 ms). We do the same for the script's own threads only, with {@code SCHED_RESET_ON_FORK} so the
 * threads and processes they start ({@code sh}, {@code ip}, {@code python3}, JDK helper threads) are ordinary again.
 * The kernel's real-time throttling (95 % per second by default) still leaves CPU to everything else. Where
 * real-time scheduling is refused, nice -10 is used. {@code -Dhostplane.packetscript.boost=rt|nice|false}.
 *
 * <p>{@link #alignedStart()}: packetdrill starts script time 250 µs after a jiffy edge
 * ({@code schedule_start_time_usecs}), so the kernel's jiffy-based timers (delayed ACK, RTO, TLP) fall at the
 * same place relative to script events in every run instead of anywhere within a tick.
 */
final class ScriptScheduling
{
    private static final Logger LOG = LoggerFactory.getLogger(ScriptScheduling.class);

    static final String MODE = System.getProperty("hostplane.packetscript.boost", "rt");
    private static final int SCHED_OTHER = 0;
    private static final int SCHED_RR = 2;
    private static final int SCHED_RESET_ON_FORK = 0x40000000;
    private static final int RT_PRIORITY = 1;
    private static final long JIFFY_OFFSET_NANOS =
        Long.getLong("hostplane.packetscript.jiffyOffsetMicros", 250L) * 1000L;
    private static final int CALIBRATION_EDGES = 9;
    private static final long ALIGN_LIMIT_NANOS = 200_000_000L;
    private static final long EDGE_SLACK_NANOS = 150_000L;
    private static final long[] CANDIDATE_PERIODS = {10_000_000L, 4_000_000L, 3_333_333L, 1_000_000L};
    private static boolean calibrated;
    private static long[] jiffyEdges;
    private static final AtomicBoolean REPORTED = new AtomicBoolean();

    private ScriptScheduling()
    {
    }

    /**
     * Gives the calling thread packetdrill's scheduling: real-time round robin at the lowest priority, else nice -10.
     *
     * @return true when the thread now runs real-time.
     */
    static boolean boostCurrentThread()
    {
        if ("rt".equals(MODE))
        {
            final Memory param = new Memory(4);
            param.setInt(0, RT_PRIORITY);
            if (0 == LibC.sched_setscheduler(LibC.gettid(), SCHED_RR | SCHED_RESET_ON_FORK, param))
            {
                return true;
            }
            if (REPORTED.compareAndSet(false, true))
            {
                LOG.warn("SCHED_RR refused (errno={}): script threads run at nice -10 instead, so their timing " +
                    "is looser; run as root or grant CAP_SYS_NICE", LibC.errno());
            }
        }
        if (!"false".equals(MODE))
        {
            LibC.setpriority(0, LibC.gettid(), -10);
        }
        return false;
    }

    /**
     * Script time 0 for a script about to start: a fixed offset after a jiffy edge at least 1 ms
     * ahead (packetdrill spins on {@code times(2)} for ten ticks before every script; we learn where the edges fall
     * once per JVM, {@link #calibrate()}, so no script thread spins for it). Falls back to 1 ms from now when the
     * tick counter could not be measured.
     *
     * @return {monotonic nanos, realtime epoch nanos} of script time 0; the caller waits until it.
     */
    static long[] alignedStart()
    {
        final long[] edges = calibrate();
        final long now = System.nanoTime();
        long start = now + 1_000_000L;
        if (null != edges)
        {
            final long period = edges[0];
            final long phase = edges[1];
            final long ticks = Math.floorDiv(start - phase + period - 1, period);
            start = phase + ticks * period + JIFFY_OFFSET_NANOS;
        }
        final Instant wall = Instant.now();
        final long wallNow = wall.getEpochSecond() * 1_000_000_000L + wall.getNano();
        return new long[] {start, wallNow + (start - System.nanoTime())};
    }

    /**
     * Where jiffy edges fall on {@link System#nanoTime()}: spins (once per JVM, at the caller's priority, about
     * 100 ms) on the {@code times(2)} counter, which advances only on jiffy edges, and picks the longest candidate
     * tick period (1/100, 1/250, 1/300, 1/1000 s; 10 ms also fits every USER_HZ edge) that two thirds of the
     * observed edges fit, with their median offset as the phase.
     *
     * @return {period, phase} in nanoseconds, or null when the counter did not tick as expected.
     */
    static synchronized long[] calibrate()
    {
        if (calibrated)
        {
            return jiffyEdges;
        }
        calibrated = true;
        final long[] seen = new long[CALIBRATION_EDGES];
        int count = 0;
        final long limit = System.nanoTime() + ALIGN_LIMIT_NANOS;
        long last = LibC.times(null);
        while (count < seen.length)
        {
            final long now = System.nanoTime();
            if (now - limit > 0)
            {
                return null;
            }
            final long ticks = LibC.times(null);
            if (ticks != last)
            {
                seen[count++] = now;
                last = ticks;
            }
        }
        for (final long period : CANDIDATE_PERIODS)
        {
            // The kernel keeps its tick on multiples of the tick period in CLOCK_MONOTONIC (= nanoTime), but the
            // counter is sometimes advanced late (a CPU leaving idle catches jiffies up): judge by the median.
            final long[] residues = new long[count];
            for (int i = 0; i < count; i++)
            {
                residues[i] = Math.floorMod(seen[i] + period / 2, period) - period / 2;
            }
            java.util.Arrays.sort(residues);
            final long median = residues[count / 2];
            int fitting = 0;
            for (final long residue : residues)
            {
                fitting += Math.abs(residue - median) <= EDGE_SLACK_NANOS ? 1 : 0;
            }
            if (fitting * 3 >= count * 2)
            {
                jiffyEdges = new long[] {period, median};
                return jiffyEdges;
            }
        }
        return null;
    }

    /**
     * Gives the JVM's stop-the-world threads ({@code VM Thread}, {@code GC Thread#N}) the script threads'
     * real-time priority while a suite runs. Every safepoint and young collection stops the script threads too,
     * and ends only when these threads get a CPU: with builds keeping both cores busy (measured with two busy loops
     * at load 4.5) ordinary JVM threads stretched such stops to 5-10 ms and failed scripts by timing. They are idle
     * outside those stops. Likewise the two threads whose locks a script thread takes on its timed path (JNA's
     * cleaner, registered with on every native buffer allocation, and the syscall watchdog's queue): a preempted
     * ordinary thread holding such a lock would stall a real-time script thread (priority inversion). No-op
     * unless real-time boosting is on ({@code -Dhostplane.packetscript.boost=rt}).
     *
     * @return the thread ids changed, for {@link #restoreJvmThreads}.
     */
    static java.util.List<Integer> boostJvmThreads()
    {
        final java.util.List<Integer> changed = new java.util.ArrayList<>();
        if (!"rt".equals(MODE))
        {
            return changed;
        }
        final java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        if (null == tasks)
        {
            return changed;
        }
        final Memory param = new Memory(4);
        param.setInt(0, RT_PRIORITY);
        for (final java.io.File task : tasks)
        {
            try
            {
                final String comm = java.nio.file.Files.readString(task.toPath().resolve("comm")).strip();
                if ("VM Thread".equals(comm) || comm.startsWith("GC Thread#") || "JNA Cleaner".equals(comm) ||
                    "pkt-syscall-wat".equals(comm))
                {
                    final int tid = Integer.parseInt(task.getName());
                    if (0 == LibC.sched_setscheduler(tid, SCHED_RR, param))
                    {
                        changed.add(tid);
                    }
                }
            }
            catch (final java.io.IOException | NumberFormatException ex)
            {
                // The thread ended meanwhile, or is not ours to read: leave it.
            }
        }
        return changed;
    }

    /**
     * Puts threads changed by {@link #boostJvmThreads} back to ordinary scheduling.
     *
     * @param tids the thread ids.
     */
    static void restoreJvmThreads(final java.util.List<Integer> tids)
    {
        final Memory param = new Memory(4);
        param.setInt(0, 0);
        for (final int tid : tids)
        {
            LibC.sched_setscheduler(tid, SCHED_OTHER, param);
        }
    }
}
