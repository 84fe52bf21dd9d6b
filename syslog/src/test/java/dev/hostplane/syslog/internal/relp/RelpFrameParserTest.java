package dev.hostplane.syslog.internal.relp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** The RELP frame codec: whole frames, split frames, and every kind of malformed header. */
class RelpFrameParserTest
{
    private static ByteBuf buf(final String s)
    {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    @Test
    void shouldParseFramesOneAfterAnother()
    {
        final ByteBuf b = buf("2 syslog 5 hello\n3 close 0\n0 serverclose 0\n");
        final RelpFrameParser p = new RelpFrameParser(1024);
        assertThat(p.parse(b)).isTrue();
        assertThat(p.txnr()).isEqualTo(2);
        assertThat(p.is(b, RelpDescriptor.SYSLOG)).isTrue();
        assertThat(p.is(b, RelpDescriptor.CLOSE)).isFalse();
        assertThat(b.toString(p.dataOffset(), p.dataLength(), StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(p.frameLength()).isEqualTo("2 syslog 5 hello\n".length());
        b.skipBytes(p.frameLength());
        assertThat(p.parse(b)).isTrue();
        assertThat(p.txnr()).isEqualTo(3);
        assertThat(p.is(b, RelpDescriptor.CLOSE)).isTrue();
        assertThat(p.dataLength()).isZero();
        b.skipBytes(p.frameLength());
        assertThat(p.parse(b)).isTrue();
        assertThat(p.txnr()).isZero();
        assertThat(p.command(b)).isEqualTo("serverclose");
        b.skipBytes(p.frameLength());
        assertThat(b.isReadable()).isFalse();
    }

    @Test
    void shouldKeepDataWithLineFeedsAndSpacesIntact()
    {
        final ByteBuf b = buf("7 rsp 25 200 OK\nrelp_version=0\nx y\n");
        final RelpFrameParser p = new RelpFrameParser(1024);
        assertThat(p.parse(b)).isTrue();
        assertThat(b.toString(p.dataOffset(), p.dataLength(), StandardCharsets.US_ASCII))
            .isEqualTo("200 OK\nrelp_version=0\nx y");
    }

    @Test
    void shouldAskForMoreBytesAtEverySplitPointOfAValidFrame()
    {
        final String frame = "123456789 syslog 11 hello world\n";
        for (int cut = 0; cut < frame.length(); cut++)
        {
            final RelpFrameParser p = new RelpFrameParser(1024);
            assertThat(p.parse(buf(frame.substring(0, cut)))).as("prefix of %d bytes", cut).isFalse();
        }
        final RelpFrameParser p = new RelpFrameParser(1024);
        assertThat(p.parse(buf(frame))).isTrue();
        assertThat(p.txnr()).isEqualTo(123_456_789);
    }

    @Test
    void shouldRejectMalformedFramesSayingWhatAndWhere()
    {
        final String[][] cases = {
            {"x syslog 1 a\n", "expected a TXNR digit, got 'x' at=0"},
            {"1234567890 syslog 1 a\n", "TXNR longer than 9 digits at=9"},
            {" 1 syslog 1 a\n", "expected a TXNR digit, got 0x20 at=0"},
            {"12x syslog 1 a\n", "expected a digit or SP after TXNR, got 'x' at=2"},
            {"1  syslog 1 a\n", "expected a command letter, got 0x20 at=2"},
            {"1 sys1og 1 a\n", "expected a letter or SP in the command, got '1' at=5"},
            {"1 abcdefghijklmnopqrstuvwxyzabcdefg 0\n", "command longer than 32 letters at=34"},
            {"1 syslog x\n", "expected a DATALEN digit, got 'x' at=9"},
            {"1 syslog 1234567890 a\n", "DATALEN longer than 9 digits at=18"},
            {"1 syslog 2000 a\n", "DATALEN 2000 above maxDataSize=1024 at=13"},
            {"1 syslog 5hello\n", "expected SP after DATALEN 5, got 'h' at=10"},
            {"1 syslog 5 hello!\n", "expected LF trailer after 5 data bytes, got '!' at=16"},
            {"1 close 0 \n", "expected LF trailer after 0 data bytes, got 0x20 at=9"},
        };
        for (final String[] c : cases)
        {
            final RelpFrameParser p = new RelpFrameParser(1024);
            assertThatThrownBy(() -> p.parse(buf(c[0]))).as("frame %s", c[0]).isInstanceOf(RelpException.class)
                .hasMessage("malformed RELP frame: " + c[1] + " (session byte offset)");
        }
    }

    @Test
    void shouldCountTheOffsetOverTheWholeSession()
    {
        final ByteBuf b = buf("1 syslog 1 a\n2 syslog 1 bX");
        final RelpFrameParser p = new RelpFrameParser(1024);
        assertThat(p.parse(b)).isTrue();
        b.skipBytes(p.frameLength());
        b.discardReadBytes();
        assertThatThrownBy(() -> p.parse(b)).hasMessageContaining("got 'X' at=25");
    }

    @Test
    void shouldEncodeWhatItParses()
    {
        final ByteBuf b = Unpooled.buffer();
        final byte[] data = "<13>Nov 26 10:00:00 h app: x".getBytes(StandardCharsets.US_ASCII);
        RelpFrameEncoder.frame(b, 999_999_999, RelpDescriptor.SYSLOG, data, 0, data.length);
        RelpFrameEncoder.frame(b, 0, RelpDescriptor.SERVERCLOSE, null, 0, 0);
        RelpFrameEncoder.frame(b, 10, RelpDescriptor.RSP, RelpDescriptor.OK, 0, RelpDescriptor.OK.length);
        assertThat(b.toString(StandardCharsets.US_ASCII)).isEqualTo("999999999 syslog 28 " +
            "<13>Nov 26 10:00:00 h app: x\n0 serverclose 0\n10 rsp 6 200 OK\n");
        assertThat(RelpDescriptor.next(RelpDescriptor.MAX_TXNR)).isEqualTo(1);
        assertThat(RelpDescriptor.next(7)).isEqualTo(8);
    }

    @Test
    void shouldParseOffersOfAnOpenAndOfItsResponse()
    {
        final java.util.Map<String, String> o = RelpOffers.parse("relp_version=0\nrelp_software=librelp,1.11.0," +
            "http://librelp.adiscon.com\ncommands=syslog,eventlog\n");
        assertThat(o).containsEntry("relp_version", "0").containsKey("relp_software");
        assertThat(RelpOffers.offersCommand(o, "syslog")).isTrue();
        assertThat(RelpOffers.offersCommand(o, "starttls")).isFalse();
        assertThat(new String(RelpOffers.ours("200 OK\n"), StandardCharsets.US_ASCII))
            .startsWith("200 OK\nrelp_version=0\n").endsWith("\ncommands=syslog");
    }
}
