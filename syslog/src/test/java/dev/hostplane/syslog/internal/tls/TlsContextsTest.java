package dev.hostplane.syslog.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two TLS engines behind our contexts: Netty's OpenSSL engine (BoringSSL), chosen where it
 * loads, and the JDK's, the fallback elsewhere. Each, as listener or as sender, completes an
 * x509/name handshake with the other and carries data, and each refuses a peer whose name is not permitted with
 * {@link PeerTrust}'s reason, so the peer check is the same whichever engine runs. Both ends run in
 * memory ({@link EmbeddedChannel}s joined by hand); the interop with rsyslogd is {@code TlsTest}'s.
 */
class TlsContextsTest
{
    private static final List<SslProvider> ENGINES = List.of(SslProvider.JDK, SslProvider.OPENSSL);

    @TempDir
    static Path certs;

    @BeforeAll
    static void makeCertificates() throws Exception
    {
        assumeThat(run("openssl", "version")).as("openssl (apt-get install -y openssl)").isTrue();
        assertThat(run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "3650", "-subj", "/CN=hostplane test CA")).isTrue();
        issue("server", "localhost");
        issue("client", "client.example.net");
        issue("intruder", "intruder.example.org");
    }

    @Test
    void shouldUseBoringSslWhereNettyShipsItAndTheJdkOnlyWhenAskedOrWhereItDoesNotLoad() throws Exception
    {
        final boolean shipped = "linux".equals(System.getProperty("os.name").toLowerCase(Locale.ROOT)) &&
            "amd64".equals(System.getProperty("os.arch"));
        if (shipped)
        {
            // The dependency is for this platform: if it does not load, the build is broken, not the machine.
            assertThat(OpenSsl.isAvailable()).as("netty-tcnative loads: %s", OpenSsl.unavailabilityCause()).isTrue();
        }
        assertThat(TlsContexts.choose("")).isEqualTo(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK);
        assertThat(TlsContexts.choose("jdk")).isEqualTo(SslProvider.JDK);
        assertThatThrownBy(() -> TlsContexts.choose("gnutls")).isInstanceOf(IOException.class)
            .hasMessageContaining(TlsContexts.PROVIDER_PROPERTY).hasMessageContaining("jdk or openssl");
    }

    @Test
    void shouldHandshakeAndCarryDataWithEachEngineOnEitherEnd() throws Exception
    {
        assumeThat(OpenSsl.isAvailable()).as("netty-tcnative loads here: %s", OpenSsl.unavailabilityCause()).isTrue();
        // Each engine as listener and as sender, facing the other; one engine on both ends is TlsTest's daemons.
        for (final SslProvider server : ENGINES)
        {
            final SslProvider client = SslProvider.JDK == server ? SslProvider.OPENSSL : SslProvider.JDK;
            final Pair p = Pair.of(server, client, "client");
            assertThat(p.handshake()).as("%s server, %s client: %s", server, client, p.failure()).isTrue();
            p.client.writeOutbound(Unpooled.copiedBuffer("<13>hello over TLS\n", StandardCharsets.US_ASCII));
            p.pump();
            final ByteBuf got = p.server.readInbound();
            assertThat(got.toString(StandardCharsets.US_ASCII)).as("%s -> %s", client, server)
                .isEqualTo("<13>hello over TLS\n");
            got.release();
            p.close();
        }
    }

    @Test
    void shouldRefuseAPeerWhoseNameIsNotPermittedOnEitherEngine() throws Exception
    {
        assumeThat(OpenSsl.isAvailable()).as("netty-tcnative loads here: %s", OpenSsl.unavailabilityCause()).isTrue();
        for (final SslProvider engine : ENGINES)
        {
            final Pair p = Pair.of(engine, engine, "intruder");
            assertThat(p.handshake()).as("%s takes intruder.example.org", engine).isFalse();
            assertThat(p.serverFailure()).as("%s says why", engine).contains("intruder.example.org")
                .contains("not permitted");
            p.close();
        }
    }

    private static void issue(final String name, final String cn) throws Exception
    {
        Files.writeString(certs.resolve(name + ".ext"), "subjectAltName=DNS:" + cn + "\n");
        assertThat(run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + cn)).isTrue();
        assertThat(run("openssl", "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", name + ".pem", "-days", "3650", "-extfile", name + ".ext")).isTrue();
    }

    private static boolean run(final String... cmd) throws Exception
    {
        final Process p = new ProcessBuilder(cmd).directory(certs.toFile()).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        final boolean ok = p.waitFor(60, TimeUnit.SECONDS) && 0 == p.exitValue();
        if (!ok)
        {
            System.out.println(String.join(" ", cmd) + ": " + out.trim());
        }
        return ok;
    }

    private static String file(final String name)
    {
        return certs.resolve(name).toString();
    }

    /** A listener (x509/name, permits client.example.net) and a sender, each in its own channel. */
    private static final class Pair
    {
        final EmbeddedChannel server = new EmbeddedChannel();
        final EmbeddedChannel client = new EmbeddedChannel();
        final SslHandler serverTls;
        final SslHandler clientTls;

        private Pair(final SslHandler serverTls, final SslHandler clientTls)
        {
            this.serverTls = serverTls;
            this.clientTls = clientTls;
            server.pipeline().addLast(serverTls);
            client.pipeline().addLast(clientTls);
        }

        static Pair of(final SslProvider serverEngine, final SslProvider clientEngine, final String clientCert)
            throws IOException
        {
            final TlsSettings listen = new TlsSettings(AuthMode.NAME, List.of("client.example.net"), file("ca.pem"),
                file("server.pem"), file("server.key"));
            final TlsSettings send = new TlsSettings(AuthMode.NAME, List.of("localhost"), file("ca.pem"),
                file(clientCert + ".pem"), file(clientCert + ".key"));
            final Pair p = new Pair(TlsContexts.server(listen, serverEngine).newHandler(io.netty.buffer
                .ByteBufAllocator.DEFAULT), TlsContexts.client(send, "localhost", clientEngine)
                .newHandler(io.netty.buffer.ByteBufAllocator.DEFAULT, "localhost", 6514));
            return p;
        }

        /** Moves records both ways until neither side has anything to send; true when both handshakes succeeded. */
        boolean handshake()
        {
            for (int i = 0; i < 50 && !(serverTls.handshakeFuture().isDone() && clientTls.handshakeFuture().isDone());
                i++)
            {
                if (!pump())
                {
                    break;
                }
            }
            pump();
            return serverTls.handshakeFuture().isSuccess() && clientTls.handshakeFuture().isSuccess();
        }

        boolean pump()
        {
            boolean moved = false;
            moved |= move(client, server);
            moved |= move(server, client);
            return moved;
        }

        private static boolean move(final EmbeddedChannel from, final EmbeddedChannel to)
        {
            boolean moved = false;
            for (Object o = from.readOutbound(); null != o; o = from.readOutbound())
            {
                moved = true;
                if (to.isOpen())
                {
                    try
                    {
                        to.writeInbound(o);
                    }
                    catch (final RuntimeException ex)
                    {
                        // A refused handshake surfaces here as well as in its future, which is what is checked.
                    }
                }
                else
                {
                    ((ByteBuf)o).release();
                }
            }
            return moved;
        }

        String failure()
        {
            return "server: " + serverFailure() + ", client: " + String.valueOf(clientTls.handshakeFuture().cause());
        }

        String serverFailure()
        {
            Throwable t = serverTls.handshakeFuture().cause();
            final StringBuilder sb = new StringBuilder();
            while (null != t)
            {
                sb.append(t).append(" / ");
                t = t.getCause();
            }
            return sb.toString();
        }

        void close()
        {
            server.finishAndReleaseAll();
            client.finishAndReleaseAll();
        }
    }
}
