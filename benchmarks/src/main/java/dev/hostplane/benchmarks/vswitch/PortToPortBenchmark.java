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
