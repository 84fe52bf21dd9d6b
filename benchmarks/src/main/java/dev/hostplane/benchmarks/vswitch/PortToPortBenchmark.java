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
 * End-to-end in-process port-to-port switching (the Hyper-Switch comparison): an endpoint sends
 * 256 UDP frames into its TX ring, the switch's duty cycle (driven on this thread with
 * {@link VirtualSwitch#doWork()}) extracts, classifies (exact-match cache in front of 64 rules over
 * several masks), and copies each frame into the other endpoint's RX ring, which the benchmark
 * drains. Score is frames per microsecond (= Mpps). Parameters: frame size 64 or 1500 bytes and
 * batch size 1 or 32.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar PortToPortBenchmark -f 1 -wi 2 -w 1s -i 3 -r 1s}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class PortToPortBenchmark
{
    private static final int FRAMES = 256;
    private static final int FLOWS = 16;

    @Param({"64", "1500"})
    int frameSize;

    @Param({"1", "32"})
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

    /** Closes the switch. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        sw.close();
    }

    /**
     * Sends, switches and receives 256 frames.
     *
     * @return frames received so far (keeps the work observable).
     */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public long switchFrames()
    {
        final long target = received + FRAMES;
        for (int i = 0; i < FRAMES; i++)
        {
            final UnsafeBuffer frame = frames[i & (FLOWS - 1)];
            if (!a.send(frame, 0, frameSize))
            {
                throw new IllegalStateException("TX ring full");
            }
        }
        while (received < target)
        {
            sw.doWork();
            b.receive(sink, FRAMES);
        }
        return received;
    }
}
