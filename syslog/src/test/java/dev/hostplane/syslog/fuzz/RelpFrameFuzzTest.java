package dev.hostplane.syslog.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import dev.hostplane.syslog.internal.relp.RelpException;
import dev.hostplane.syslog.internal.relp.RelpFrameEncoder;
import dev.hostplane.syslog.internal.relp.RelpFrameParser;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Fuzzes the RELP frame parser: any bytes, fed whole or in pieces, either parse or raise a {@link
 * RelpException} (nothing else escapes); whatever the encoder writes parses back to the same frame.
 */
class RelpFrameFuzzTest
{
    private static final String[] SEEDS = {"", "1 ", "1 open ", "2 syslog ", "2 syslog 5 ", "3 rsp 6 200 OK", "0 "};

    @Provide
    Arbitrary<byte[]> frames()
    {
        final Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(80);
        final Arbitrary<byte[]> alphabet = Arbitraries.strings().withChars("0123456789 \nsyslogrpcena")
            .ofMaxLength(80).map(s -> s.getBytes(StandardCharsets.US_ASCII));
        return Arbitraries.oneOf(noise, alphabet).flatMap(tail -> Arbitraries.of(SEEDS).map(seed ->
        {
            final byte[] head = seed.getBytes(StandardCharsets.US_ASCII);
            final byte[] all = new byte[head.length + tail.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(tail, 0, all, head.length, tail.length);
            return all;
        }));
    }

    @Property(tries = 3000)
    void shouldParseOrRejectAnyBytesFedInPieces(@ForAll("frames") final byte[] bytes,
        @ForAll @IntRange(min = 1, max = 7) final int piece)
    {
        final RelpFrameParser p = new RelpFrameParser(64);
        final ByteBuf b = Unpooled.buffer();
        try
        {
            for (int i = 0; i < bytes.length; i += piece)
            {
                b.writeBytes(bytes, i, Math.min(piece, bytes.length - i));
                while (p.parse(b))
                {
                    assertThat(p.frameLength()).isPositive().isLessThanOrEqualTo(b.readableBytes());
                    assertThat(p.dataLength()).isBetween(0, 64);
                    b.skipBytes(p.frameLength());
                }
            }
        }
        catch (final RelpException ex)
        {
            assertThat(ex.getMessage()).startsWith("malformed RELP frame: ").contains(" at=");
        }
    }

    @Property(tries = 500)
    void shouldParseBackWhatTheEncoderWrites(@ForAll @IntRange(min = 0, max = 999_999_999) final int txnr,
        @ForAll("commands") final String command, @ForAll @Size(max = 300) final byte[] data)
    {
        final ByteBuf b = Unpooled.buffer();
        RelpFrameEncoder.frame(b, txnr, command.getBytes(StandardCharsets.US_ASCII), data, 0, data.length);
        final RelpFrameParser p = new RelpFrameParser(300);
        assertThat(p.parse(b)).isTrue();
        assertThat(p.txnr()).isEqualTo(txnr);
        assertThat(p.command(b)).isEqualTo(command);
        final byte[] got = new byte[p.dataLength()];
        b.getBytes(p.dataOffset(), got);
        assertThat(got).isEqualTo(data);
        assertThat(p.frameLength()).isEqualTo(b.readableBytes());
    }

    @Provide
    Arbitrary<String> commands()
    {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').ofMinLength(1).ofMaxLength(32);
    }
}
