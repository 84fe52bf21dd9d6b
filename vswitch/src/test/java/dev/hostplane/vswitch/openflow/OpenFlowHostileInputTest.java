package dev.hostplane.vswitch.openflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;

import dev.hostplane.vswitch.IdleMode;
import dev.hostplane.vswitch.SwitchConfig;
import dev.hostplane.vswitch.VirtualSwitch;
import dev.hostplane.vswitch.action.Actions;
import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.flow.Match;
import dev.hostplane.vswitch.port.EndpointPort;
import dev.hostplane.vswitch.testing.Frames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile OpenFlow peers over real TCP: bad lengths, unknown types, 64 KiB messages, messages left
 * incomplete, no HELLO, an OpenFlow 1.0-only peer, and a controller that never reads. Each gets the
 * protocol's error or a closed connection, and frames keep flowing through the data plane meanwhile.
 */
class OpenFlowHostileInputTest
{
    private static final int PROBE_MILLIS = 300;

    private VirtualSwitch sw;
    private EndpointPort a;
    private EndpointPort b;
    private OpenFlowAgent agent;
    private int port;

    @BeforeEach
    void start() throws Exception
    {
        sw = new VirtualSwitch(SwitchConfig.builder().idleMode(IdleMode.BLOCKING).ringCapacity(8 << 20).build());
        a = sw.addEndpointPort("ha");
        b = sw.addEndpointPort("hb");
        sw.start();
        agent = OpenFlowAgent.builder(sw).listen(OpenFlowTarget.parseListen("127.0.0.1:0"))
            .probeIntervalMillis(PROBE_MILLIS).build().start();
        port = agent.listenAddresses().get(0).getPort();
    }

    @AfterEach
    void stop()
    {
        agent.close();
        sw.close();
    }

    @Test
    void shouldAnswerBadLengthWithErrorAndClose() throws Exception
    {
        try (Peer p = Peer.connect(port))
        {
            p.hello();
            p.send(header(4, 14, 4, 7));
            final byte[] err = p.read();
            assertError(err, 1, 6);
            assertThat(xid(err)).isEqualTo(7);
            p.expectClosed(2000);
        }
        assertThat(agent.stats().connectionsClosed()).isEqualTo(1);
    }

    @Test
    void shouldAnswerUnknownTypeAndWrongVersionAndStayOpen() throws Exception
    {
        try (Peer p = Peer.connect(port))
        {
            p.hello();
            p.send(header(4, 200, 8, 11));
            assertError(p.read(), 1, 1);
            p.send(header(1, 2, 8, 12));
            assertError(p.read(), 1, 0);
            p.send(header(4, 2, 8, 13));
            final byte[] echo = p.read();
            assertThat(echo[1]).isEqualTo((byte)3);
            assertThat(xid(echo)).isEqualTo(13);
        }
    }

    @Test
    void shouldHandle64KiBMessages() throws Exception
    {
        try (Peer p = Peer.connect(port))
        {
            p.hello();
            final byte[] echo = new byte[65535];
            System.arraycopy(header(4, 2, 65535, 21), 0, echo, 0, 8);
            echo[65534] = 0x5A;
            p.send(echo);
            final byte[] reply = p.read();
            assertThat(reply).hasSize(65535);
            assertThat(reply[65534]).isEqualTo((byte)0x5A);
            final byte[] flowMod = new byte[65535];
            java.util.Arrays.fill(flowMod, (byte)0xEE);
            System.arraycopy(header(4, 14, 65535, 22), 0, flowMod, 0, 8);
            p.send(flowMod);
            final byte[] err = p.read();
            assertThat(err[1]).as("an OFPT_ERROR").isEqualTo((byte)1);
            assertThat(err.length).as("error carries at most 64 request bytes").isLessThanOrEqualTo(12 + 64);
            p.send(header(4, 20, 8, 23));
            assertThat(p.read()[1]).as("barrier reply after the bad 64 KiB request").isEqualTo((byte)21);
        }
    }

    @Test
    void shouldCloseSlowAndSilentPeers() throws Exception
    {
        try (Peer p = Peer.connect(port))
        {
            p.hello();
            p.send(java.util.Arrays.copyOf(header(4, 2, 100, 1), 20));
            p.expectClosed(4 * PROBE_MILLIS + 1000);
        }
        try (Peer p = Peer.connect(port))
        {
            p.readHello();
            p.expectClosed(4 * PROBE_MILLIS + 1000);
        }
        try (Peer p = Peer.connect(port))
        {
            p.hello();
            // Silent but alive: the agent probes with an echo request; not answering gets us closed.
            final byte[] probe = p.read();
            assertThat(probe[1]).as("ECHO_REQUEST probe").isEqualTo((byte)2);
            p.expectClosed(4 * PROBE_MILLIS + 1000);
        }
        assertThat(agent.stats().connectionsClosed()).isEqualTo(3);
    }

    @Test
    void shouldRefuseOpenFlow10OnlyPeers() throws Exception
    {
        try (Peer p = Peer.connect(port))
        {
            p.readHello();
            p.send(header(1, 0, 8, 5));
            assertError(p.read(), 0, 0);
            p.expectClosed(2000);
        }
    }

    @Test
    void shouldKeepSwitchingWhileAControllerDoesNotRead() throws Exception
    {
        sw.addFlow(Match.builder().exact(FlowField.IN_PORT, 1).build(), 10,
            List.of(Actions.output(2), Actions.controller(Actions.CONTROLLER_MAX_LENGTH)));
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[1500]);
        final int len = Frames.udp4(frame, 0x020000000002L, 0x020000000001L, -1, 0x0A000001, 0x0A000002, 1, 2, 1400);
        try (Peer p = Peer.connect(port))
        {
            p.hello();
            p.socket.setReceiveBufferSize(4096);
            Thread.sleep(100);
            final int frames = 20_000;
            final int[] received = {0};
            for (int i = 0; i < frames; i++)
            {
                while (!a.send(frame, 0, len))
                {
                    b.receive((buf, off, l) -> received[0]++, 256);
                }
                b.receive((buf, off, l) -> received[0]++, 256);
            }
            final long deadline = System.nanoTime() + 5_000_000_000L;
            while (received[0] < frames && System.nanoTime() < deadline)
            {
                b.awaitFrames(10_000_000L);
                b.receive((buf, off, l) -> received[0]++, 256);
            }
            // Every frame is accounted for: delivered, or dropped by the receiver's own full ring (which a
            // descheduled test thread can cause on a busy machine), never held up behind the controller.
            final long ringDrops = b.counters().txDropped();
            assertThat(received[0] + ringDrops).as("frames delivered + receiver ring drops").isEqualTo(frames);
            assertThat(ringDrops).as("receiver ring drops").isLessThan(frames / 100);
            // Packet-ins the stuck controller cannot take are dropped: by the agent when its peer's queue is
            // full, or earlier by the workers when the agent (descheduled on a busy machine) has not drained the
            // data plane's packet-in ring. Either way none of them held the frames up.
            final OpenFlowAgent.Stats stats = agent.stats();
            final long packetInRingDrops = sw.stats().packetInDropped();
            assertThat(stats.packetInsDropped() + stats.connectionsClosed() + packetInRingDrops)
                .as("packet-ins to the stuck controller were dropped (or it was cut off): %s, ring drops=%d", stats,
                    packetInRingDrops)
                .isPositive();
        }
    }

    private static byte[] header(final int version, final int type, final int length, final int xid)
    {
        return ByteBuffer.allocate(8).put((byte)version).put((byte)type).putShort((short)length).putInt(xid).array();
    }

    private static int xid(final byte[] msg)
    {
        return ByteBuffer.wrap(msg).getInt(4);
    }

    private static void assertError(final byte[] msg, final int type, final int code)
    {
        assertThat(msg[1]).as("OFPT_ERROR").isEqualTo((byte)1);
        final ByteBuffer b = ByteBuffer.wrap(msg);
        assertThat(b.getShort(8) & 0xFFFF).as("error type").isEqualTo(type);
        assertThat(b.getShort(10) & 0xFFFF).as("error code").isEqualTo(code);
    }

    /** A raw OpenFlow peer. */
    private static final class Peer implements AutoCloseable
    {
        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;

        private Peer(final Socket socket) throws IOException
        {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
            socket.setSoTimeout(5000);
        }

        static Peer connect(final int port) throws IOException
        {
            return new Peer(new Socket("127.0.0.1", port));
        }

        void hello() throws IOException
        {
            readHello();
            send(header(4, 0, 8, 1));
        }

        void readHello() throws IOException
        {
            final byte[] hello = read();
            assertThat(hello[1]).as("HELLO first").isZero();
            assertThat(hello[0]).isEqualTo((byte)4);
        }

        void send(final byte[] bytes) throws IOException
        {
            out.write(bytes);
            out.flush();
        }

        byte[] read() throws IOException
        {
            final byte[] head = new byte[8];
            in.readFully(head);
            final int length = ByteBuffer.wrap(head).getShort(2) & 0xFFFF;
            final byte[] msg = java.util.Arrays.copyOf(head, length);
            in.readFully(msg, 8, length - 8);
            return msg;
        }

        void expectClosed(final int millis) throws IOException
        {
            socket.setSoTimeout(millis);
            final long start = System.nanoTime();
            try
            {
                while (true)
                {
                    final byte[] m = read();
                    if (m[1] != 2)
                    {
                        throw new AssertionError("expected the connection to close, got message type " + m[1]);
                    }
                }
            }
            catch (final EOFException | java.net.SocketException ex)
            {
                assertThat(System.nanoTime() - start).isLessThan(millis * 1_000_000L);
            }
            catch (final SocketTimeoutException ex)
            {
                throw new AssertionError("connection still open after " + millis + " ms", ex);
            }
        }

        @Override
        public void close() throws IOException
        {
            socket.close();
        }
    }
}
