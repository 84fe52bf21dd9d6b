package dev.hostplane.benchmarks.syslog;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import dev.hostplane.syslog.internal.relp.RelpDescriptor;
import dev.hostplane.syslog.internal.relp.RelpFrameEncoder;
import dev.hostplane.syslog.internal.relp.RelpFrameParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The RELP codec on the per-message path: encoding a {@code syslog} command (omrelp) and parsing it
 * plus encoding its {@code rsp 200 OK} (imrelp). One op = one message; both must allocate nothing
 * ({@code -prof gc}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RelpFrameBenchmark
{
    private final byte[] message = ("<22>2026-05-08T07:08:10+00:00 web01 postfix/smtpd[6001]: id=1 " +
        "k1:v2:beta:status=sent all fine here").getBytes(StandardCharsets.US_ASCII);
    private ByteBuf out;
    private ByteBuf frames;
    private ByteBuf answers;
    private RelpFrameParser parser;
    private int txnr;

    /** Buffers and one encoded command to parse over and over. */
    @Setup
    public void setup()
    {
        out = Unpooled.directBuffer(4096);
        answers = Unpooled.directBuffer(4096);
        frames = Unpooled.directBuffer(4096);
        RelpFrameEncoder.frame(frames, 123_456, RelpDescriptor.SYSLOG, message, 0, message.length);
        parser = new RelpFrameParser(RelpDescriptor.DEFAULT_MAX_DATA);
        txnr = 1;
    }

    /**
     * omrelp: one {@code syslog} command into the send buffer.
     *
     * @return bytes written.
     */
    @Benchmark
    public int encodeSyslogCommand()
    {
        out.clear();
        txnr = RelpDescriptor.next(txnr);
        RelpFrameEncoder.frame(out, txnr, RelpDescriptor.SYSLOG, message, 0, message.length);
        return out.readableBytes();
    }

    /**
     * imrelp: parse one command, check it is {@code syslog}, answer {@code 200 OK}.
     *
     * @return data length seen.
     */
    @Benchmark
    public int parseCommandAndAnswer()
    {
        frames.readerIndex(0);
        if (!parser.parse(frames) || !parser.is(frames, RelpDescriptor.SYSLOG))
        {
            throw new IllegalStateException("not a syslog frame");
        }
        answers.clear();
        RelpFrameEncoder.frame(answers, parser.txnr(), RelpDescriptor.RSP, RelpDescriptor.OK, 0,
            RelpDescriptor.OK.length);
        return parser.dataLength() + answers.readableBytes();
    }
}
