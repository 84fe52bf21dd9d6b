package dev.hostplane.benchmarks.packetscript;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import dev.hostplane.packetscript.PacketScript;
import dev.hostplane.packetscript.Script;
import dev.hostplane.packetscript.model.PacketSpec;
import dev.hostplane.packetscript.packet.ConnectionMapping;
import dev.hostplane.packetscript.packet.InboundPacketBuilder;
import dev.hostplane.packetscript.packet.OutboundPacketVerifier;
import dev.hostplane.packetscript.packet.VerificationResult;

/**
 * The packetscript language layer: parsing the whole upstream suite (177 scripts, read from
 * {@code hostplane.shared}), printing it back, building one inbound data segment into a reused buffer, and
 * verifying one outbound data segment. Average time per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PacketScriptBenchmark
{
    private List<String> texts;
    private List<Script> scripts;
    private InboundPacketBuilder builder;
    private OutboundPacketVerifier verifier;
    private ConnectionMapping mapping;
    private PacketSpec inbound;
    private PacketSpec outbound;
    private UnsafeBuffer buffer;
    private byte[] live;

    /**
     * Loads the suite and prepares one connection.
     *
     * @throws IOException if the shared suite cannot be read.
     */
    @Setup
    public void setUp() throws IOException
    {
        final Path root = Path.of(System.getProperty("hostplane.shared", "../shared"), "conformance", "packetdrill");
        try (Stream<Path> files = Files.walk(root))
        {
            final List<Path> paths = files.filter(p -> p.toString().endsWith(".pkt")).sorted()
                .collect(Collectors.toList());
            texts = new java.util.ArrayList<>();
            for (final Path p : paths)
            {
                texts.add(Files.readString(p, StandardCharsets.ISO_8859_1));
            }
        }
        if (texts.size() != 177)
        {
            throw new IllegalStateException("expected the 177 upstream scripts under " + root + ", found " +
                texts.size());
        }
        scripts = texts.stream().map(t -> PacketScript.parse("bench.pkt", t)).collect(Collectors.toList());
        builder = new InboundPacketBuilder(Map.of());
        verifier = new OutboundPacketVerifier(Map.of(), true);
        mapping = new ConnectionMapping(InetAddress.getByName("192.168.0.1"), 8080,
            InetAddress.getByName("192.0.2.1"), 48000);
        mapping.learnLocalIsn(0, 0);
        inbound = packet("< P. 1:1001(1000) ack 1 win 257 <nop,nop,TS val 100 ecr 200>");
        outbound = packet("> P. 1:1001(1000) ack 1 <nop,nop,TS val 100 ecr 200>");
        buffer = new UnsafeBuffer(new byte[2048]);
        final ConnectionMapping kernelSide = new ConnectionMapping(InetAddress.getByName("192.0.2.1"), 48000,
            InetAddress.getByName("192.168.0.1"), 8080);
        kernelSide.learnLocalIsn(0, 0);
        live = new InboundPacketBuilder(Map.of()).build(packet("< P. 1:1001(1000) ack 1 win 257 " +
            "<nop,nop,TS val 100 ecr 200>"), kernelSide);
        if (!verifier.verify(outbound, live, mapping).ok())
        {
            throw new IllegalStateException("benchmark packets do not verify");
        }
    }

    private static PacketSpec packet(final String line)
    {
        return (PacketSpec)PacketScript.parse("bench.pkt", "0 " + line + "\n").events().get(0).action();
    }

    /**
     * Parses all 177 scripts.
     *
     * @return the number of events (so the work is not eliminated).
     */
    @Benchmark
    public int parseSuite()
    {
        int events = 0;
        for (final String text : texts)
        {
            events += PacketScript.parse("bench.pkt", text).events().size();
        }
        return events;
    }

    /**
     * Prints all 177 parsed scripts.
     *
     * @return total characters printed.
     */
    @Benchmark
    public int printSuite()
    {
        int chars = 0;
        for (final Script script : scripts)
        {
            chars += PacketScript.print(script).length();
        }
        return chars;
    }

    /**
     * Builds one 1000-byte inbound data segment with options and checksums into a reused buffer.
     *
     * @return the packet length.
     */
    @Benchmark
    public int buildSegment()
    {
        return builder.build(inbound, mapping, buffer, 0);
    }

    /**
     * Verifies one 1000-byte outbound data segment field by field, checksums included.
     *
     * @return the verification result.
     */
    @Benchmark
    public VerificationResult verifySegment()
    {
        return verifier.verify(outbound, live, mapping);
    }
}
