package dev.hostplane.vswitch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.hostplane.vswitch.action.Actions;
import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.flow.Match;
import dev.hostplane.vswitch.port.EndpointPort;
import dev.hostplane.vswitch.testing.Frames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every combination of the switchable Hyper-Switch mechanisms carries every frame, intact: two
 * senders blast numbered frames at two receivers through two workers; each receiver must see each
 * number exactly once with its payload unchanged (a deferred copy that lost a race with the worker
 * may only count the frame as an expired loan, never deliver it torn). Each mechanism must also do
 * what it says: without batched notification every delivered frame wakes the receiver, with it no
 * more than one wake-up per frame; with offload on, a worker with full batches from two ports hands
 * one to the idle worker, and with offload off it never does.
 */
class MechanismsTest
{
    private static final int FRAMES = 10_000;
    private static final int PAYLOAD = 64;
    private static final long MAC = 0x020000000099L;

    @ParameterizedTest(name = "batched={0} preemptiveCopy={1} offload={2}")
    @CsvSource({"true,true,true", "false,true,true", "true,false,true", "true,true,false", "false,false,false",
        "false,false,true", "true,false,false", "false,true,false"})
    void shouldCarryEveryFrameIntactWithAnyMechanismOff(final boolean batched, final boolean preemptive,
        final boolean offload) throws Exception
    {
        final SwitchConfig config = SwitchConfig.builder().workers(2).idleMode(IdleMode.BLOCKING)
            .batchedNotification(batched).preemptiveCopy(preemptive).offloadToIdleWorkers(offload).build();
        try (VirtualSwitch sw = new VirtualSwitch(config))
        {
            final EndpointPort[] p = new EndpointPort[5];
            for (int i = 1; i <= 4; i++)
            {
                p[i] = sw.addEndpointPort("m" + i);
            }
            sw.addFlow(Match.builder().exact(FlowField.IN_PORT, p[1].number()).build(), 10,
                List.of(Actions.output(p[2].number())));
            sw.addFlow(Match.builder().exact(FlowField.IN_PORT, p[3].number()).build(), 10,
                List.of(Actions.output(p[4].number())));
            sw.start();
            final Receiver r2 = new Receiver(p[2]);
            final Receiver r4 = new Receiver(p[4]);
            r2.start();
            r4.start();
            r2.bound.await();
            r4.bound.await();
            final Thread s1 = sender(p[1], r2);
            final Thread s3 = sender(p[3], r4);
            s1.start();
            s3.start();
            s1.join();
            s3.join();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while ((r2.accounted() < FRAMES || r4.accounted() < FRAMES) && System.nanoTime() < deadline)
            {
                Thread.sleep(5);
            }
            r2.stop.set(true);
            r4.stop.set(true);
            r2.join();
            r4.join();
            for (final Receiver r : List.of(r2, r4))
            {
                assertThat(r.torn.get()).as("frames delivered with a payload not their own").isZero();
                assertThat(r.duplicates.get()).as("frames delivered twice").isZero();
                assertThat(r.accounted()).as("delivered + expired loans").isEqualTo(FRAMES);
                if (preemptive)
                {
                    assertThat(r.port.expiredLoans()).isZero();
                }
                final long delivered = r.port.counters().txPackets();
                if (!batched)
                {
                    assertThat(r.port.counters().notifications())
                        .as("without batching every frame delivered wakes the receiver").isEqualTo(delivered);
                }
                else
                {
                    assertThat(r.port.counters().notifications()).isLessThanOrEqualTo(delivered);
                }
            }
            final MechanismStats stats = sw.mechanismStats();
            if (preemptive)
            {
                assertThat(stats.lendStalls()).isZero();
                assertThat(stats.lendReclaims()).isZero();
            }
            if (!offload)
            {
                assertThat(stats.offloads()).isZero();
            }
        }
    }

    @ParameterizedTest(name = "offload={0}")
    @CsvSource({"true", "false"})
    void shouldHandABusyWorkersPortToTheIdleWorkerOnlyWithOffloadOn(final boolean offload) throws Exception
    {
        final SwitchConfig config = SwitchConfig.builder().workers(2).idleMode(IdleMode.YIELD)
            .offloadToIdleWorkers(offload).build();
        try (VirtualSwitch sw = new VirtualSwitch(config))
        {
            // Ports go to the worker polling the fewest: 1 and 3 to worker 0, 2 to worker 1.
            final EndpointPort a = sw.addEndpointPort("a");
            final EndpointPort sink = sw.addEndpointPort("sink");
            final EndpointPort b = sw.addEndpointPort("b");
            sw.addFlow(Match.builder().build(), 1, List.of(Actions.output(sink.number())));
            sw.start();
            final AtomicBoolean stop = new AtomicBoolean();
            final Thread drain = new Thread(() ->
            {
                while (!stop.get())
                {
                    sink.receive((buf, o, l) -> { }, 256);
                }
            });
            drain.start();
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[128]);
            final int len = Frames.udp4(frame, MAC, MAC + 1, -1, 1, 2, 5000, 80, PAYLOAD);
            // Worker 0 gets full batches from both a and b while worker 1 (only the sink) has nothing.
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(offload ? 10_000 : 1_500);
            while (System.nanoTime() < deadline && sw.mechanismStats().offloads() == 0)
            {
                for (int i = 0; i < 64; i++)
                {
                    a.send(frame, 0, len);
                    b.send(frame, 0, len);
                }
            }
            stop.set(true);
            drain.join();
            assertThat(sw.mechanismStats().offloads()).isEqualTo(offload ? 1 : 0);
            assertThat(sink.counters().txPackets()).isPositive();
        }
    }

    private static Thread sender(final EndpointPort port, final Receiver receiver)
    {
        return new Thread(() ->
        {
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
            for (int seq = 0; seq < FRAMES; seq++)
            {
                final int len = Frames.udp4(frame, MAC, MAC + 1, -1, 1, 2, 5000, 80, PAYLOAD);
                final int payload = len - PAYLOAD;
                for (int i = 0; i < PAYLOAD; i += 4)
                {
                    frame.putInt(payload + i, seq * 31 + i, ByteOrder.BIG_ENDIAN);
                }
                // Keep what is in flight below what the receiver's ring holds, so nothing is
                // dropped for want of room and every frame must arrive.
                while (seq - receiver.accounted() > 2_000)
                {
                    Thread.onSpinWait();
                }
                while (!port.send(frame, 0, len))
                {
                    Thread.yield();
                }
            }
        });
    }

    /** Receives numbered frames, checking each payload and counting duplicates. */
    private static final class Receiver extends Thread
    {
        final EndpointPort port;
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong received = new AtomicLong();
        final AtomicLong torn = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        final java.util.concurrent.CountDownLatch bound = new java.util.concurrent.CountDownLatch(1);
        private final BitSet seen = new BitSet(FRAMES);

        Receiver(final EndpointPort port)
        {
            this.port = port;
        }

        long accounted()
        {
            return received.get() + port.expiredLoans();
        }

        @Override
        public void run()
        {
            // The first wait names this thread as the receiver that per-frame notification wakes.
            port.awaitFrames(1);
            bound.countDown();
            while (!stop.get())
            {
                port.awaitFrames(TimeUnit.MILLISECONDS.toNanos(5));
                port.receive((buffer, offset, length) ->
                {
                    final int payload = offset + length - PAYLOAD;
                    final int seq = buffer.getInt(payload, ByteOrder.BIG_ENDIAN) / 31;
                    for (int i = 0; i < PAYLOAD; i += 4)
                    {
                        if (buffer.getInt(payload + i, ByteOrder.BIG_ENDIAN) != seq * 31 + i)
                        {
                            torn.incrementAndGet();
                            return;
                        }
                    }
                    if (seq < 0 || seq >= FRAMES || seen.get(seq))
                    {
                        duplicates.incrementAndGet();
                    }
                    else
                    {
                        seen.set(seq);
                    }
                    received.incrementAndGet();
                }, 256);
            }
        }
    }
}
