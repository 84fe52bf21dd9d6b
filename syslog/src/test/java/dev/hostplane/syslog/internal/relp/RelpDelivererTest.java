package dev.hostplane.syslog.internal.relp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * omrelp's client against a scripted RELP server on loopback: never more than windowSize commands
 * unanswered, only in-order {@code 200} answers count, anything else breaks the session with a
 * reason (and what was answered before still counts).
 */
class RelpDelivererTest
{
    private static final byte[] MSG = "<13>Nov 26 10:00:00 h app: x".getBytes(StandardCharsets.US_ASCII);

    private ServerSocket server;
    private Socket peer;
    private final ByteBuf received = Unpooled.buffer();
    private final RelpFrameParser parser = new RelpFrameParser(RelpDescriptor.DEFAULT_MAX_DATA);

    @BeforeEach
    void listen() throws IOException
    {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close() throws IOException
    {
        if (null != peer)
        {
            peer.close();
        }
        server.close();
    }

    /** Connects the deliverer, answering its open with the given offers (accept runs meanwhile). */
    private RelpDeliverer connect(final int window, final long timeoutMs, final String openAnswer) throws Exception
    {
        final RelpDeliverer d = new RelpDeliverer("127.0.0.1", server.getLocalPort(), window, timeoutMs, 2_000,
            RelpDescriptor.DEFAULT_MAX_DATA);
        final Thread t = new Thread(() ->
        {
            try
            {
                peer = server.accept();
                final String[] open = next();
                assertThat(open[0] + " " + open[1]).isEqualTo("1 open");
                assertThat(open[2]).contains("relp_version=0").contains("commands=syslog");
                answer(1, openAnswer);
            }
            catch (final IOException ex)
            {
                throw new java.io.UncheckedIOException(ex);
            }
        });
        t.start();
        try
        {
            d.open();
        }
        finally
        {
            t.join();
        }
        return d;
    }

    private String[] next() throws IOException
    {
        final InputStream in = peer.getInputStream();
        while (!parser.parse(received))
        {
            final byte[] b = new byte[4096];
            final int n = in.read(b);
            if (n < 0)
            {
                return null;
            }
            received.writeBytes(b, 0, n);
        }
        final String[] f = {Integer.toString(parser.txnr()), parser.command(received),
            received.toString(parser.dataOffset(), parser.dataLength(), StandardCharsets.ISO_8859_1)};
        received.skipBytes(parser.frameLength());
        received.discardReadBytes();
        return f;
    }

    private void answer(final int txnr, final String data) throws IOException
    {
        final OutputStream out = peer.getOutputStream();
        out.write((txnr + " rsp " + data.length() + (data.isEmpty() ? "" : " " + data) + "\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static void awaitConfirmed(final RelpDeliverer d, final long n) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (d.confirmedBytes() < n && System.nanoTime() < deadline)
        {
            Thread.sleep(2);
        }
        assertThat(d.confirmedBytes()).isEqualTo(n);
    }

    @Test
    void shouldNeverHaveMoreThanWindowSizeCommandsUnanswered() throws Exception
    {
        final RelpDeliverer d = connect(4, 500, "200 OK\nrelp_version=0\ncommands=syslog");
        for (int i = 0; i < 4; i++)
        {
            d.write(MSG, 0, MSG.length);
        }
        d.flush();
        assertThat(d.writtenBytes()).isEqualTo(4);
        assertThatThrownBy(() -> d.write(MSG, 0, MSG.length)).isInstanceOf(IOException.class)
            .hasMessageContaining("sent no response for 500 ms (timeout)");
        final List<String> got = new ArrayList<>();
        for (int i = 0; i < 4; i++)
        {
            final String[] f = next();
            got.add(f[0] + " " + f[1] + " " + f[2]);
        }
        assertThat(got).containsExactly("2 syslog " + new String(MSG, StandardCharsets.US_ASCII),
            "3 syslog " + new String(MSG, StandardCharsets.US_ASCII), "4 syslog " + new String(MSG,
            StandardCharsets.US_ASCII), "5 syslog " + new String(MSG, StandardCharsets.US_ASCII));
        peer.setSoTimeout(300);
        assertThatThrownBy(this::next).as("nothing beyond the window").isInstanceOf(
            java.net.SocketTimeoutException.class);
        assertThat(d.confirmedBytes()).isZero();
        d.reset();
    }

    @Test
    void shouldCountOnlyInOrderOkAnswersAndKeepThemAfterTheSessionBreaks() throws Exception
    {
        final RelpDeliverer d = connect(8, 5_000, "200 OK\nrelp_version=0\nrelp_software=x\ncommands=syslog");
        for (int i = 0; i < 5; i++)
        {
            d.write(MSG, 0, MSG.length);
        }
        d.flush();
        answer(2, "200 OK");
        answer(3, "200 OK");
        awaitConfirmed(d, 2);
        answer(5, "200 OK");
        final long deadline = System.nanoTime() + 10_000_000_000L;
        IOException broken = null;
        while (null == broken && System.nanoTime() < deadline)
        {
            try
            {
                d.flush();
                Thread.sleep(2);
            }
            catch (final IOException ex)
            {
                broken = ex;
            }
        }
        assertThat(broken).isNotNull().hasMessageContaining("answered txnr=5, expected txnr=4");
        assertThat(d.confirmedAfterFailure()).isEqualTo(2);
        d.reset();
        assertThat(d.confirmedAfterFailure()).isEqualTo(-1);
    }

    @Test
    void shouldBreakTheSessionWhenAMessageIsRejected() throws Exception
    {
        final RelpDeliverer d = connect(8, 5_000, "200 OK\nrelp_version=0\ncommands=syslog");
        d.write(MSG, 0, MSG.length);
        d.write(MSG, 0, MSG.length);
        d.flush();
        answer(2, "200 OK");
        answer(3, "500 not accepted");
        final long deadline = System.nanoTime() + 10_000_000_000L;
        String why = null;
        while (null == why && System.nanoTime() < deadline)
        {
            try
            {
                d.flush();
                Thread.sleep(2);
            }
            catch (final IOException ex)
            {
                why = ex.getMessage();
            }
        }
        assertThat(why).contains("rejected txnr=3: '500 not accepted'");
        assertThat(d.confirmedBytes()).isEqualTo(1);
        d.reset();
    }

    @Test
    void shouldRefuseAServerThatDoesNotOfferTheSyslogCommand()
    {
        assertThatThrownBy(() -> connect(8, 5_000, "200 OK\nrelp_version=0\ncommands=")).isInstanceOf(
            IOException.class).hasMessageContaining("does not offer relp_version and commands=syslog");
    }

    @Test
    void shouldRefuseAnOpenAnsweredWithAnError()
    {
        assertThatThrownBy(() -> connect(8, 5_000, "500 required command not supported by client")).isInstanceOf(
            IOException.class).hasMessageContaining("refused open").hasMessageContaining("500 required command");
    }
}
