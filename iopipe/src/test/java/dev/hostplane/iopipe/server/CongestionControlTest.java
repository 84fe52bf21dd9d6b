package dev.hostplane.iopipe.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import dev.hostplane.iopipe.internal.LibC;
import io.netty.channel.unix.Socket;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * congestionControl reaches the kernel: the served connection and the proxy's two sockets use the
 * configured algorithm from the start (inherited from the listener, or set before connect), read back with
 * getsockopt(TCP_CONGESTION) from this process's descriptors, while the test's own client sockets keep the
 * system default; with nothing configured a loopback listener gets reno, "system" keeps the system default,
 * and a name the kernel refuses leaves every socket on the system default and the server serving. The
 * kernel cases use reno, which every kernel allows, and skip, saying why, where reno is already the system
 * default (nothing would tell the two apart).
 */
class CongestionControlTest
{
    private static final String RENO = "reno";
    private static String systemDefault;

    @TempDir
    Path tmp;

    @BeforeAll
    static void readSystemDefault() throws IOException
    {
        systemDefault = Files.readString(Path.of("/proc/sys/net/ipv4/tcp_congestion_control")).trim();
    }

    private static void assumeRenoIsNotTheSystemDefault()
    {
        if (RENO.equals(systemDefault))
        {
            System.out.println("CongestionControlTest kernel case skipped: the system default is already reno");
        }
        Assumptions.assumeFalse(RENO.equals(systemDefault), "the system default is already reno");
    }

    @Test
    void shouldServeAndProxyWithTheConfiguredAlgorithm() throws Exception
    {
        assumeRenoIsNotTheSystemDefault();
        final Path root = Files.createDirectories(tmp.resolve("www"));
        final byte[] file = new byte[1 << 20];
        Arrays.fill(file, (byte)'x');
        Files.write(root.resolve("f"), file);
        try (HttpFileServer plain = HttpFileServer.builder(root).bind(new InetSocketAddress("127.0.0.1", 0))
            .congestionControl("system").start();
            RawHttp c = new RawHttp(plain.port()))
        {
            c.send("GET /f HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.readResponse(false).body()).hasSize(file.length);
            assertThat(sockets(RENO, plain.port(), -1)).as("with the system's").isZero();
        }
        try (HttpFileServer web = HttpFileServer.builder(root).bind(new InetSocketAddress("127.0.0.1", 0)).start();
            RawHttp c = new RawHttp(web.port()))
        {
            c.send("GET /f HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(Arrays.equals(c.readResponse(false).body(), file)).isTrue();
            assertThat(sockets(RENO, web.port(), -1)).as("the loopback listener and the served connection, by default")
                .isEqualTo(2);
            assertThat(sockets(systemDefault, -1, web.port())).as("the test's client socket").isEqualTo(1);
        }
        try (HttpFileServer web = HttpFileServer.builder(root).bind(new InetSocketAddress("127.0.0.1", 0))
            .congestionControl("system").start();
            TcpProxy proxy = TcpProxy.builder(new InetSocketAddress("127.0.0.1", web.port()))
                .bind(new InetSocketAddress("127.0.0.1", 0)).eventLoops(1).congestionControl(RENO).start();
            RawHttp c = new RawHttp(proxy.port()))
        {
            c.send("GET /f HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(Arrays.equals(c.readResponse(false).body(), file)).isTrue();
            assertThat(sockets(RENO, proxy.port(), web.port())).as("the proxy's listener, client and backend sockets")
                .isEqualTo(3);
        }
    }

    @Test
    void shouldKeepTheSystemDefaultWhenTheKernelRefusesTheName() throws Exception
    {
        assumeRenoIsNotTheSystemDefault();
        final Path root = Files.createDirectories(tmp.resolve("www"));
        Files.writeString(root.resolve("f"), "hello");
        try (HttpFileServer web = HttpFileServer.builder(root).bind(new InetSocketAddress("127.0.0.1", 0))
            .congestionControl("nosuchalgo").start();
            RawHttp c = new RawHttp(web.port()))
        {
            c.send("GET /f HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(new String(c.readResponse(false).body(), StandardCharsets.US_ASCII)).isEqualTo("hello");
            assertThat(sockets("nosuchalgo", web.port(), -1)).isZero();
            assertThat(sockets(systemDefault, web.port(), -1)).as("listener and served socket").isEqualTo(2);
        }
    }

    @Test
    void shouldChooseRenoForLoopbackAddressesOnlyWhenNothingIsConfigured() throws Exception
    {
        final InetSocketAddress v4 = new InetSocketAddress("127.0.0.2", 80);
        final InetSocketAddress v6 = new InetSocketAddress("::1", 80);
        final InetSocketAddress wildcard = new InetSocketAddress(80);
        final InetSocketAddress other = new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte)192, 0, 2, 1}), 80);
        assertThat(CongestionControl.effective(null, v4)).isEqualTo(RENO);
        assertThat(CongestionControl.effective(null, v6)).isEqualTo(RENO);
        assertThat(CongestionControl.effective(null, wildcard)).as("the wildcard takes clients from anywhere").isNull();
        assertThat(CongestionControl.effective(null, other)).isNull();
        assertThat(CongestionControl.effective("system", v4)).isNull();
        assertThat(CongestionControl.effective("cubic", v4)).isEqualTo("cubic");
        assertThat(CongestionControl.effective("bbr", other)).isEqualTo("bbr");
    }

    @Test
    void shouldRefuseANameTheKernelCannotTake()
    {
        assertThatThrownBy(() -> HttpFileServer.builder(tmp).congestionControl(""))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("congestionControl=");
        assertThatThrownBy(() -> TcpProxy.builder(new InetSocketAddress("127.0.0.1", 1))
            .congestionControl("a-name-longer-than-15"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("congestionControl=a-name-longer-than-15");
        assertThatThrownBy(() -> TcpProxy.builder(new InetSocketAddress("127.0.0.1", 1)).congestionControl("re no"))
            .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * TCP sockets of this process whose congestion control is {@code name} and whose local port is
     * {@code port} (a server's listener and accepted sockets) or whose remote port is {@code remotePort} (a
     * proxy's backend sockets; -1 for none): other tests' servers in this JVM may still hold sockets.
     */
    private static int sockets(final String name, final int port, final int remotePort) throws IOException
    {
        final byte[] value = new byte[16];
        final int[] length = new int[1];
        return OwnDescriptors.count("socket:", fd ->
        {
            Arrays.fill(value, (byte)0);
            length[0] = value.length;
            if (0 != LibC.getsockopt(fd, LibC.IPPROTO_TCP, LibC.TCP_CONGESTION, value, length))
            {
                return false;
            }
            int end = 0;
            while (end < length[0] && 0 != value[end])
            {
                end++;
            }
            if (!name.equals(new String(value, 0, end, StandardCharsets.US_ASCII)))
            {
                return false;
            }
            // Wraps the descriptor only to ask the kernel its addresses; never closed here.
            final Socket socket = new Socket(fd);
            try
            {
                final InetSocketAddress local = socket.localAddress();
                final InetSocketAddress remote = socket.remoteAddress();
                return (null != local && local.getPort() == port)
                    || (null != remote && remote.getPort() == remotePort);
            }
            catch (final RuntimeException notInet)
            {
                return false;
            }
        });
    }
}
