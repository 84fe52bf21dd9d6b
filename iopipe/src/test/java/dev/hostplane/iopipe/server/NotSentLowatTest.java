package dev.hostplane.iopipe.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import dev.hostplane.iopipe.internal.LibC;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * notSentLowat reaches the kernel: the server's and the proxy's sockets carry the configured
 * TCP_NOTSENT_LOWAT (read back with getsockopt from this process's descriptors), the proxy's default is
 * 128 KiB, and sockets of a server without the option keep the kernel's default.
 */
class NotSentLowatTest
{
    /** An odd size no kernel default or other test uses. */
    private static final int MARK = 48 * 1024 + 512;

    @TempDir
    Path tmp;

    @Test
    void shouldSetTheMarkOnServedAndProxiedSockets() throws Exception
    {
        final Path root = Files.createDirectories(tmp.resolve("www"));
        final byte[] file = new byte[1 << 20];
        Arrays.fill(file, (byte)'x');
        Files.write(root.resolve("f"), file);
        try (HttpFileServer plain = HttpFileServer.builder(root).bind(new InetSocketAddress("127.0.0.1", 0)).start();
            RawHttp c = new RawHttp(plain.port()))
        {
            c.send("GET /f HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.readResponse(false).body()).hasSize(file.length);
            assertThat(socketsWithMark(MARK)).as("without the option").isZero();
        }
        try (HttpFileServer web = HttpFileServer.builder(root).bind(new InetSocketAddress("127.0.0.1", 0))
            .notSentLowat(MARK).start();
            RawHttp c = new RawHttp(web.port()))
        {
            c.send("GET /f HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(Arrays.equals(c.readResponse(false).body(), file)).isTrue();
            assertThat(socketsWithMark(MARK)).as("the server's socket of the open connection").isEqualTo(1);
        }
        try (HttpFileServer web = HttpFileServer.builder(root).bind(new InetSocketAddress("127.0.0.1", 0)).start();
            TcpProxy proxy = TcpProxy.builder(new InetSocketAddress("127.0.0.1", web.port()))
                .bind(new InetSocketAddress("127.0.0.1", 0)).eventLoops(1).notSentLowat(MARK).start();
            RawHttp c = new RawHttp(proxy.port()))
        {
            c.send("GET /f HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(Arrays.equals(c.readResponse(false).body(), file)).isTrue();
            assertThat(socketsWithMark(MARK)).as("the proxy's client and backend sockets").isEqualTo(2);
        }
        try (HttpFileServer web = HttpFileServer.builder(root).bind(new InetSocketAddress("127.0.0.1", 0)).start();
            TcpProxy proxy = TcpProxy.builder(new InetSocketAddress("127.0.0.1", web.port()))
                .bind(new InetSocketAddress("127.0.0.1", 0)).eventLoops(1).start();
            RawHttp c = new RawHttp(proxy.port()))
        {
            c.send("GET /f HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(Arrays.equals(c.readResponse(false).body(), file)).isTrue();
            assertThat(socketsWithMark(128 * 1024)).as("the proxy's default, on both sockets").isEqualTo(2);
        }
    }

    /** TCP sockets of this process whose TCP_NOTSENT_LOWAT is {@code mark}. */
    private static int socketsWithMark(final int mark) throws IOException
    {
        final int[] value = new int[1];
        final int[] length = new int[1];
        return OwnDescriptors.count("socket:", fd ->
        {
            length[0] = 4;
            return 0 == LibC.getsockopt(fd, LibC.IPPROTO_TCP, LibC.TCP_NOTSENT_LOWAT, value, length)
                && mark == value[0];
        });
    }
}
