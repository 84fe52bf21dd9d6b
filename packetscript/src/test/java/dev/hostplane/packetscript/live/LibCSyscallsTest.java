package dev.hostplane.packetscript.live;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.hostplane.packetscript.live.netns.NetNamespace;
import dev.hostplane.packetscript.linux.Errno;
import dev.hostplane.packetscript.live.internal.sys.LibC;
import dev.hostplane.packetscript.live.internal.sys.LinuxConstants;
import dev.hostplane.packetscript.live.internal.sys.Msghdr;
import dev.hostplane.packetscript.live.internal.sys.Sockaddr;
import dev.hostplane.packetscript.live.internal.sys.TcpInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every libc call the suite needs, for real, over loopback inside a namespace this test creates.
 */
class LibCSyscallsTest
{
    private static final int SIOCINQ = 0x541B;
    private static final int SIOCOUTQ = 0x5411;
    private static final int EPOLLIN = 0x1;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int POLLIN = 0x1;
    private static final int SHUT_WR = 1;
    private static final int SO_ZEROCOPY = 60;
    private static final int MSG_ZEROCOPY = 0x4000000;
    private static final int MSG_ERRQUEUE = 0x2000;
    private static final int EBADF = 9;

    private NetNamespace ns;

    @BeforeEach
    void setUp()
    {
        LiveAssumptions.assumeNamespaces();
        ns = NetNamespace.create("libc");
    }

    @AfterEach
    void tearDown()
    {
        if (null != ns)
        {
            ns.close();
        }
    }

    @Test
    void shouldRunTheSocketSyscallsAgainstTheKernel() throws Exception
    {
        ns.call(
            () ->
            {
                final int[] pair = connectedPair();
                final int client = pair[0];
                final int server = pair[1];

                // write/read
                assertThat(LibC.write(client, text("hello"), 5)).isEqualTo(5);
                final Memory buf = new Memory(4096);
                waitReadable(server);
                assertThat(LibC.ioctl(server, SIOCINQ, buf)).isZero();
                assertThat(buf.getInt(0)).isEqualTo(5);
                assertThat(LibC.read(server, buf, 4096)).isEqualTo(5);
                assertThat(buf.getString(0, "US-ASCII").substring(0, 5)).isEqualTo("hello");

                // writev/readv
                final Msghdr iov = new Msghdr().iovecs(2).iovec(0, text("ab"), 2).iovec(1, text("cde"), 3);
                assertThat(LibC.writev(client, iov.pointer().getPointer(16), 2)).isEqualTo(5);
                waitReadable(server);
                final Memory a = new Memory(2);
                final Memory b = new Memory(16);
                final Msghdr rio = new Msghdr().iovecs(2).iovec(0, a, 2).iovec(1, b, 16);
                assertThat(LibC.readv(server, rio.pointer().getPointer(16), 2)).isEqualTo(5);
                assertThat(new String(a.getByteArray(0, 2), StandardCharsets.US_ASCII)).isEqualTo("ab");
                assertThat(new String(b.getByteArray(0, 3), StandardCharsets.US_ASCII)).isEqualTo("cde");

                // send/recv, sendto/recvfrom
                assertThat(LibC.send(client, text("xyz"), 3, 0)).isEqualTo(3);
                waitReadable(server);
                assertThat(LibC.recv(server, buf, 4096, 0)).isEqualTo(3);
                assertThat(LibC.sendto(client, text("12"), 2, 0, Pointer.NULL, 0)).isEqualTo(2);
                waitReadable(server);
                final Memory from = new Memory(Sockaddr.STORAGE_SIZE);
                final Memory fromLen = new Memory(4);
                fromLen.setInt(0, Sockaddr.STORAGE_SIZE);
                assertThat(LibC.recvfrom(server, buf, 4096, 0, from, fromLen)).isEqualTo(2);

                // nonblocking recv on an empty socket: -1 EAGAIN
                final int flags = LibC.fcntl(server, LinuxConstants.F_GETFL, 0);
                assertThat(LibC.fcntl(server, LinuxConstants.F_SETFL, flags | LinuxConstants.O_NONBLOCK)).isZero();
                assertThat(LibC.fcntl(server, LinuxConstants.F_GETFL, 0) & LinuxConstants.O_NONBLOCK).isNotZero();
                assertThat(LibC.recv(server, buf, 4096, 0)).isEqualTo(-1);
                assertThat(Errno.nameOf(LibC.errno())).isEqualTo("EAGAIN");

                // sendmsg/recvmsg
                final Msghdr out = new Msghdr().iovecs(1).iovec(0, text("msg!"), 4);
                assertThat(LibC.sendmsg(client, out.pointer(), 0)).isEqualTo(4);
                waitReadable(server);
                final Msghdr in = new Msghdr().iovecs(1).iovec(0, buf, 4096);
                assertThat(LibC.recvmsg(server, in.pointer(), 0)).isEqualTo(4);

                // epoll
                final int ep = LibC.epoll_create(1);
                assertThat(ep).isPositive();
                final Memory event = new Memory(12);
                event.clear();
                event.setInt(0, EPOLLIN);
                event.setLong(4, 42);
                assertThat(LibC.epoll_ctl(ep, EPOLL_CTL_ADD, server, event)).isZero();
                final Memory events = new Memory(12 * 4);
                assertThat(LibC.epoll_wait(ep, events, 4, 0)).isZero();
                LibC.write(client, text("e"), 1);
                assertThat(LibC.epoll_wait(ep, events, 4, 2000)).isEqualTo(1);
                assertThat(events.getInt(0) & EPOLLIN).isNotZero();
                assertThat(events.getLong(4)).isEqualTo(42);
                LibC.read(server, buf, 4096);
                LibC.close(ep);

                // TCP_INFO and SIOCOUTQ
                final Map<String, Long> info = TcpInfo.read(client);
                assertThat(info).isNotNull();
                assertThat(info.get("tcpi_state")).isEqualTo(1L);
                assertThat(info.get("tcpi_snd_mss")).isPositive();
                assertThat(info).containsKey("tcpi_delivered").containsKey("tcpi_snd_cwnd");
                assertThat(LibC.ioctl(client, SIOCOUTQ, buf)).isZero();
                assertThat(buf.getInt(0)).isBetween(0, 16);

                // MSG_ZEROCOPY and its MSG_ERRQUEUE completion
                final Memory one = new Memory(4);
                one.setInt(0, 1);
                assertThat(LibC.setsockopt(client, LinuxConstants.SOL_SOCKET, SO_ZEROCOPY, one, 4)).isZero();
                assertThat(LibC.send(client, text("zc"), 2, MSG_ZEROCOPY)).isEqualTo(2);
                final Memory control = new Memory(128);
                final Msghdr err = new Msghdr().iovecs(0).control(control, 128);
                long got = -1;
                for (int i = 0; i < 200 && got < 0; i++)
                {
                    err.control(control, 128);
                    got = LibC.recvmsg(client, err.pointer(), MSG_ERRQUEUE);
                    if (got < 0)
                    {
                        Thread.sleep(5);
                    }
                }
                assertThat(got).isZero();
                assertThat(err.controlLength()).isPositive();
                assertThat(control.getInt(8)).as("cmsg_level IP").isEqualTo(0);
                assertThat(control.getByte(16 + 4)).as("ee_origin ZEROCOPY").isEqualTo((byte)5);
                waitReadable(server);
                LibC.read(server, buf, 4096);

                // shutdown: peer reads EOF
                assertThat(LibC.shutdown(client, SHUT_WR)).isZero();
                waitReadable(server);
                assertThat(LibC.read(server, buf, 4096)).isZero();

                assertThat(LibC.close(client)).isZero();
                assertThat(LibC.close(server)).isZero();
                assertThat(LibC.close(server)).isEqualTo(-1);
                assertThat(LibC.errno()).isEqualTo(EBADF);
                return null;
            });
    }

    @Test
    void shouldMoveBytesWithOpenPipeSpliceAndSendfile() throws Exception
    {
        final Path file = Files.createTempFile("libc-sendfile", ".bin");
        try
        {
            Files.writeString(file, "0123456789");
            ns.call(
                () ->
                {
                    final int[] pair = connectedPair();
                    final int fileFd = LibC.open(file.toString(), LinuxConstants.O_RDONLY, 0);
                    assertThat(fileFd).isPositive();
                    final Memory offset = new Memory(8);
                    offset.setLong(0, 2);
                    assertThat(LibC.sendfile(pair[0], fileFd, offset, 5)).isEqualTo(5);
                    assertThat(offset.getLong(0)).isEqualTo(7);

                    final Memory fds = new Memory(8);
                    assertThat(LibC.pipe(fds)).isZero();
                    final int readEnd = fds.getInt(0);
                    final int writeEnd = fds.getInt(4);
                    waitReadable(pair[1]);
                    assertThat(LibC.splice(pair[1], Pointer.NULL, writeEnd, Pointer.NULL, 5, 0)).isEqualTo(5);
                    final Memory buf = new Memory(16);
                    assertThat(LibC.read(readEnd, buf, 16)).isEqualTo(5);
                    assertThat(new String(buf.getByteArray(0, 5), StandardCharsets.US_ASCII)).isEqualTo("23456");
                    for (final int fd : new int[] {fileFd, readEnd, writeEnd, pair[0], pair[1]})
                    {
                        assertThat(LibC.close(fd)).isZero();
                    }
                    return null;
                });
        }
        finally
        {
            Files.deleteIfExists(file);
        }
    }

    private static int[] connectedPair() throws Exception
    {
        final InetAddress loopback = InetAddress.getByName("127.0.0.1");
        final int listener = LibC.socket(LinuxConstants.AF_INET, LinuxConstants.SOCK_STREAM, 0);
        assertThat(listener).isPositive();
        final Memory one = new Memory(4);
        one.setInt(0, 1);
        assertThat(LibC.setsockopt(listener, LinuxConstants.SOL_SOCKET, LinuxConstants.SO_REUSEADDR, one, 4)).isZero();
        assertThat(LibC.bind(listener, Sockaddr.of(loopback, 0), Sockaddr.IN_SIZE)).isZero();
        assertThat(LibC.listen(listener, 1)).isZero();
        final Memory name = new Memory(Sockaddr.STORAGE_SIZE);
        final Memory nameLen = new Memory(4);
        nameLen.setInt(0, Sockaddr.STORAGE_SIZE);
        assertThat(LibC.getsockname(listener, name, nameLen)).isZero();
        final int port = Sockaddr.decode(name).getPort();
        assertThat(port).isPositive();

        final int client = LibC.socket(LinuxConstants.AF_INET, LinuxConstants.SOCK_STREAM, 0);
        assertThat(LibC.connect(client, Sockaddr.of(loopback, port), Sockaddr.IN_SIZE)).isZero();
        final int server = LibC.accept(listener, Pointer.NULL, Pointer.NULL);
        assertThat(server).isPositive();
        assertThat(LibC.close(listener)).isZero();
        return new int[] {client, server};
    }

    private static void waitReadable(final int fd)
    {
        final Memory pfd = new Memory(8);
        pfd.setInt(0, fd);
        pfd.setShort(4, (short)POLLIN);
        pfd.setShort(6, (short)0);
        assertThat(LibC.poll(pfd, 1, 2000)).isEqualTo(1);
    }

    private static Memory text(final String value)
    {
        final byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        final Memory memory = new Memory(bytes.length);
        memory.write(0, bytes, 0, bytes.length);
        return memory;
    }
}
