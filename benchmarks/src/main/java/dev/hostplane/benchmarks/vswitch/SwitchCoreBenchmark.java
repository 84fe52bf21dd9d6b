package dev.hostplane.benchmarks.vswitch;

import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.hostplane.vswitch.SwitchConfig;
import dev.hostplane.vswitch.VirtualSwitch;
import dev.hostplane.vswitch.action.Actions;
import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.flow.Match;
import dev.hostplane.vswitch.packet.EthernetFrame;
import dev.hostplane.vswitch.packet.IpProtocols;
import dev.hostplane.vswitch.packet.Ipv4Header;
import dev.hostplane.vswitch.packet.UdpHeader;
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
    private final UnsafeBuffer[] frames = new UnsafeBuffer[FLOWS];
    private long received;
    private final FrameHandler sink = (buffer, offset, length) -> received++;

    /** Builds the switch, rules and frames. */
    @Setup(Level.Trial)
    public void setUp()
    {
        sw = new VirtualSwitch(SwitchConfig.builder().batchSize(batch).ringCapacity(1 << 22).build());
        a = sw.addEndpointPort("a");
        b = sw.addEndpointPort("b");
        for (int i = 0; i < 64; i++)
        {
            sw.addFlow(Match.builder().exact(FlowField.ETH_TYPE, 0x800).exact(FlowField.IP_PROTO, 17)
                .exact(FlowField.TP_DST, 10_000 + i).build(), 100, List.of(Actions.output(b.number())));
        }
        sw.addFlow(Match.ALL, 0, List.of(Actions.flood()));
        for (int f = 0; f < FLOWS; f++)
        {
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[frameSize]);
            new EthernetFrame().wrap(frame, 0, 14).destination(0x02_00_00_00_00_0BL).source(0x02_00_00_00_00_0AL)
                .etherType(EthernetFrame.ETHER_TYPE_IPV4);
            final int ipLength = frameSize - 14;
            final Ipv4Header ip = new Ipv4Header().wrap(frame, 14, ipLength);
            ip.write(0, ipLength, 1, 0, 64, IpProtocols.UDP, 0x0A000001, 0x0A000002);
            new UdpHeader().wrap(frame, 34, ipLength - 20).write(5000 + f, 10_000 + f, ipLength - 20)
                .updateChecksum(ip.pseudoHeaderSum());
            frames[f] = frame;
        }
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
