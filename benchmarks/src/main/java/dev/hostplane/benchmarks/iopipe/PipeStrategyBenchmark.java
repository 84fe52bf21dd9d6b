package dev.hostplane.benchmarks.iopipe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import dev.hostplane.iopipe.PipeService;
import dev.hostplane.iopipe.Sink;
import dev.hostplane.iopipe.Source;
import dev.hostplane.iopipe.Strategy;
import dev.hostplane.iopipe.StrategyStats;
import dev.hostplane.iopipe.TransferOptions;
import dev.hostplane.iopipe.TransferResult;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-strategy throughput of one iopipe worker, each zero-copy path against the direct-buffer copy
 * fallback on the same pair, in the same run. One operation moves {@link #SIZE} bytes (16 MiB), so
 * bytes/s = ops/s x 16 MiB. Socket peers are loopback: a drain thread reading into a 1 MiB direct
 * buffer, and (socket sources) a feeder thread writing from one. Files live in java.io.tmpdir (ext4 here),
 * page-cached. {@code moverCpuNanos} is the worker thread's CPU time summed over the measurement (from the
 * service's per-strategy counters; helper threads are not included); tear-down prints the trial's
 * mover CPU seconds per GB.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class PipeStrategyBenchmark
{
    static final int SIZE = 16 << 20;

    @Param({"F2S_SENDFILE", "F2S_COPY", "S2S_SPLICE", "S2S_COPY", "F2F_COPY_FILE_RANGE", "F2F_COPY", "S2F_SPLICE",
        "S2F_COPY"})
    public String mode;

    private PipeService pipes;
    private Path dir;
    private Path sourceFile;
    private Path targetFile;
    private SocketChannel sinkSide;
    private SocketChannel drainSide;
    private SocketChannel sourceSide;
    private SocketChannel feedSide;
    private Thread drainer;
    private Thread feeder;
    private volatile boolean running;
    private TransferOptions options;
    private Strategy strategy;

    /** Worker CPU per operation, reported by JMH as a secondary result. */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Cpu
    {
        /** Worker CPU nanoseconds accumulated over the iteration. */
        public long moverCpuNanos;
    }

    @Setup(Level.Trial)
    public void setup() throws IOException
    {
        strategy = Strategy.valueOf(mode.substring(mode.indexOf('_') + 1));
        options = TransferOptions.builder().strategy(strategy).build();
        pipes = PipeService.builder().workers(1).chunkSize(4 << 20).build();
        // The local file system (ext4 here), as in production. The target is rewritten in place every
        // operation, so only its 16 MiB of pages are ever dirty: writeback is negligible.
        dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "iopipe-jmh");
        final byte[] data = new byte[SIZE];
        new Random(1).nextBytes(data);
        sourceFile = Files.write(dir.resolve("source.bin"), data);
        targetFile = dir.resolve("target.bin");
        running = true;
        if (mode.startsWith("F2S") || mode.startsWith("S2S"))
        {
            final SocketChannel[] pair = pair();
            sinkSide = pair[0];
            drainSide = pair[1];
            drainer = daemon("jmh-drain", () -> drain(drainSide));
        }
        if (mode.startsWith("S2"))
        {
            final SocketChannel[] pair = pair();
            sourceSide = pair[0];
            feedSide = pair[1];
            feeder = daemon("jmh-feed", () -> feed(feedSide));
        }
    }

    private static SocketChannel[] pair() throws IOException
    {
        try (ServerSocketChannel listener = ServerSocketChannel.open())
        {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            final SocketChannel a = SocketChannel.open(listener.getLocalAddress());
            final SocketChannel b = listener.accept();
            return new SocketChannel[] {b, a};
        }
    }

    private static Thread daemon(final String name, final Runnable r)
    {
        final Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void drain(final SocketChannel ch)
    {
        final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        try
        {
            while (running && ch.read(buf.clear()) >= 0)
            {
                // discard
            }
        }
        catch (final IOException ex)
        {
            if (running)
            {
                throw new UncheckedIOException(ex);
            }
        }
    }

    private void feed(final SocketChannel ch)
    {
        final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        new Random(2).ints(buf.capacity() / 4).forEach(buf::putInt);
        try
        {
            while (running)
            {
                buf.clear();
                while (buf.hasRemaining())
                {
                    ch.write(buf);
                }
            }
        }
        catch (final IOException ex)
        {
            if (running)
            {
                throw new UncheckedIOException(ex);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        running = false;
        final StrategyStats stats = pipes.strategyStats(strategy);
        System.out.printf("%niopipe-jmh mode=%s bytes=%d moverCpuSecondsPerGB=%.3f%n", mode, stats.bytes(),
            stats.cpuNanos() / 1e9 / (stats.bytes() / 1e9));
        pipes.close();
        for (final SocketChannel ch : new SocketChannel[] {sinkSide, drainSide, sourceSide, feedSide})
        {
            if (null != ch)
            {
                ch.close();
            }
        }
        Files.deleteIfExists(sourceFile);
        Files.deleteIfExists(targetFile);
        Files.deleteIfExists(dir);
    }

    @Benchmark
    public long transfer(final Cpu cpu) throws IOException
    {
        final StrategyStats before = pipes.strategyStats(strategy);
        final TransferResult r;
        if (mode.startsWith("F2S"))
        {
            r = pipes.transfer(Source.file(sourceFile), Sink.socket(sinkSide), options);
        }
        else if (mode.startsWith("S2S"))
        {
            r = pipes.transfer(Source.socket(sourceSide, SIZE), Sink.socket(sinkSide), options);
        }
        else if (mode.startsWith("F2F"))
        {
            r = pipes.transfer(Source.file(sourceFile), Sink.file(targetFile, 0), options);
        }
        else
        {
            r = pipes.transfer(Source.socket(sourceSide, SIZE), Sink.file(targetFile, 0), options);
        }
        cpu.moverCpuNanos += pipes.strategyStats(strategy).cpuNanos() - before.cpuNanos();
        if (r.strategy() != strategy || r.bytes() != SIZE)
        {
            throw new IllegalStateException("mode=" + mode + " ran strategy=" + r.strategy() + " bytes=" + r.bytes());
        }
        return r.bytes();
    }
}
