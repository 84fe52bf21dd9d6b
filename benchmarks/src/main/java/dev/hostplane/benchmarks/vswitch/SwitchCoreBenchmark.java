package dev.hostplane.benchmarks.vswitch;


import java.util.concurrent.TimeUnit;

import dev.hostplane.vswitch.SwitchConfig;
import dev.hostplane.vswitch.VirtualSwitch;







import dev.hostplane.vswitch.port.EndpointPort;
import dev.hostplane.vswitch.port.FrameHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The switching core's own rate, the figure Hyper-Switch quotes per core: the same switch, rules
 * and frames as {@link PortToPortBenchmark}, but the endpoints' work (writing frames into the TX
 * ring, draining the RX ring) happens in the untimed per-invocation setup, so the score is what one
 * thread running the worker's duty cycle moves: take a batch from the TX ring, extract, look up
 * (exact-match cache in front of 65 rules), count, copy into the other endpoint's RX ring.
 * {@link PortToPortBenchmark} keeps all three parties on one thread.
 *
 * <p>The frames were just written by the same core, so they arrive in its cache; endpoints on other
 * cores would hand them over through the shared cache instead.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar SwitchCoreBenchmark -f 1 -wi 3 -i 5}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SwitchCoreBenchmark
{
    // Enough frames per invocation that JMH's per-invocation timestamps cost well under 1 %.
    private static final int FRAMES = 2048;
    private static final int FLOWS = 16;

    @Param({"64", "1500"})
    int frameSize;

    @Param({"32"})
    int batch;

    private VirtualSwitch sw;
    private EndpointPort a;
    private EndpointPort b;
    private UnsafeBuffer[] frames;
    private long received;
    private final FrameHandler sink = (buffer, offset, length) -> received++;

    /** Builds the switch, rules and frames. */
    @Setup(Level.Trial)
    public void setUp()
    {
        sw = new VirtualSwitch(SwitchConfig.builder().batchSize(batch).ringCapacity(1 << 22).build());
        a = sw.addEndpointPort("a");
        b = sw.addEndpointPort("b");
        UdpFlowFixture.installRules(sw, b.number());
        frames = UdpFlowFixture.frames(FLOWS, frameSize);
    }

    /** Untimed: the receiving endpoint drains what the last invocation switched, the sender queues the next frames. */
    @Setup(Level.Invocation)
    public void endpoints()
    {
        while (b.receive(sink, FRAMES) > 0)
        {
            // drain
        }
        for (int i = 0; i < FRAMES; i++)
        {
            final UnsafeBuffer frame = frames[i & (FLOWS - 1)];
            if (!a.send(frame, 0, frameSize))
            {
                throw new IllegalStateException("TX ring full");
            }
        }
    }

    /** Closes the switch. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        sw.close();
    }

    /**
     * Switches the queued frames.
     *
     * @return duty cycles run (keeps the work observable).
     */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public int switchFrames()
    {
        int cycles = 0;
        while (a.hasPendingInput())
        {
            sw.doWork();
            cycles++;
        }
        return cycles;
    }
}
