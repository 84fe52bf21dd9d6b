package dev.hostplane.syslog.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaos: numbered messages flow source → RELP → relay (imrelp → omrelp with a Disk queue) → RELP →
 * target (imrelp → file) while the relay and the target, each a hostplane syslogd in its own JVM,
 * are SIGKILLed at random moments and restarted on the same ports and work directories. The source
 * (in this JVM) is never killed. Every round prints how many messages were lost and how many arrived
 * twice; RELP plus a Disk queue promise no loss, so any loss fails the test (duplicates are what
 * RELP documents for a lost answer, and are only counted).
 * <p>
 * In {@code mvn verify}: 2 rounds of 10,000 messages. {@code benchmarks/scripts/syslog/chaos.sh}
 * runs 20 rounds of 100,000 ({@code -Dhostplane.chaos.rounds}, {@code -Dhostplane.chaos.n}).
 */
class ChaosTest
{
    private static final int ROUNDS = Integer.getInteger("hostplane.chaos.rounds", 2);
    private static final int N = Integer.getInteger("hostplane.chaos.n", 10_000);
    private static final long SEED = Long.getLong("hostplane.chaos.seed", System.nanoTime());

    @TempDir
    Path dir;

    @Test
    void shouldLoseNothingOverRelpAndADiskQueueWhileSenderAndReceiverAreKilled() throws Exception
    {
        final Random random = new Random(SEED);
        System.out.println("chaos: " + ROUNDS + " rounds of " + N + " messages, seed " + SEED);
        int totalLost = 0;
        for (int round = 1; round <= ROUNDS; round++)
        {
            final int[] r = round(round, random);
            totalLost += r[0];
            System.out.println("chaos round " + round + ": lost " + r[0] + ", duplicated " + r[1] + ", kills relay=" +
                r[2] + " target=" + r[3]);
        }
        assertThat(totalLost).as("RELP with a Disk queue promises no loss (seed %d)", SEED).isZero();
    }

    private int[] round(final int round, final Random random) throws Exception
    {
        final Path base = Files.createDirectories(dir.resolve("round-" + round));
        final int relayPort = freePort();
        final int targetPort = freePort();
        final Path received = base.resolve("target.log");
        final Child target = new Child(base.resolve("target"), "module(load=\"imrelp\")\n" +
            "input(type=\"imrelp\" address=\"127.0.0.1\" port=\"" + targetPort + "\")\n" +
            "template(name=\"m\" type=\"string\" string=\"%msg%\\n\")\n*.* " + received + ";m\n");
        final Child relay = new Child(base.resolve("relay"), "module(load=\"imrelp\")\nmodule(load=\"omrelp\")\n" +
            "input(type=\"imrelp\" address=\"127.0.0.1\" port=\"" + relayPort + "\")\n" +
            "template(name=\"m\" type=\"string\" string=\"%msg%\\n\")\n" +
            "action(type=\"omrelp\" target=\"127.0.0.1\" port=\"" + targetPort + "\" template=\"m\" " +
            "action.resumeRetryCount=\"-1\" action.resumeInterval=\"1\" queue.type=\"Disk\" queue.filename=\"q\")\n");
        target.start();
        relay.start();
        int relayKills = 0;
        int targetKills = 0;
        try (SyslogDaemon source = DaemonTestSupport.start("module(load=\"imtcp\")\nmodule(load=\"omrelp\")\n" +
            "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\")\n" +
            "template(name=\"m\" type=\"string\" string=\"%msg%\\n\")\n" +
            "action(type=\"omrelp\" target=\"127.0.0.1\" port=\"" + relayPort + "\" template=\"m\" " +
            "action.resumeRetryCount=\"-1\" action.resumeInterval=\"1\" queue.type=\"LinkedList\" " +
            "queue.size=\"" + (N + 1000) + "\")\n"))
        {
            // Send in slices so that the kills fall while messages flow.
            try (Socket s = new Socket("127.0.0.1", source.ports().get(0)))
            {
                final OutputStream o = s.getOutputStream();
                final int slice = Math.max(1, N / 40);
                long nextKill = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200 + random.nextInt(600));
                for (int from = 0; from < N; from += slice)
                {
                    DaemonTestSupport.sendSeq(o, from, Math.min(N, from + slice));
                    // Right after a slice, while it crosses relay and target: that is when a kill costs the most.
                    TimeUnit.MILLISECONDS.sleep(random.nextInt(15));
                    if (System.nanoTime() > nextKill)
                    {
                        final boolean killRelay = random.nextBoolean();
                        (killRelay ? relay : target).kill();
                        TimeUnit.MILLISECONDS.sleep(100 + random.nextInt(400));
                        (killRelay ? relay : target).start();
                        if (killRelay)
                        {
                            relayKills++;
                        }
                        else
                        {
                            targetKills++;
                        }
                        nextKill = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300 + random.nextInt(900));
                    }
                    TimeUnit.MILLISECONDS.sleep(40);
                }
            }
            assertThat(source.awaitProcessed(N, DaemonTestSupport.TIMEOUT)).isTrue();
            settle(received, N);
        }
        finally
        {
            relay.stop();
            target.stop();
        }
        final int[] counts = DaemonTestSupport.lostAndDuplicated(received, N);
        return new int[] {counts[0], counts[1], relayKills, targetKills};
    }

    /** Waits until every number arrived or nothing arrived for 10 s (at most 180 s). */
    private static void settle(final Path file, final int n) throws Exception
    {
        long last = -1;
        long since = System.nanoTime();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline)
        {
            final int[] c = DaemonTestSupport.lostAndDuplicated(file, N);
            if (c[0] == 0)
            {
                return;
            }
            final long size = Files.exists(file) ? Files.size(file) : 0;
            if (size != last)
            {
                last = size;
                since = System.nanoTime();
            }
            else if (System.nanoTime() - since > TimeUnit.SECONDS.toNanos(10))
            {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket s = new ServerSocket(0))
        {
            return s.getLocalPort();
        }
    }

    /** A hostplane syslogd in a child JVM, restartable on the same config and work directory. */
    private static final class Child
    {
        private final Path dir;
        private final Path conf;
        private Process process;

        Child(final Path dir, final String body) throws IOException
        {
            this.dir = Files.createDirectories(dir);
            final Path work = Files.createDirectories(dir.resolve("work"));
            this.conf = dir.resolve("syslog.conf");
            Files.writeString(conf, "global(workDirectory=\"" + work + "\" net.enableDNS=\"off\")\n" + body);
        }

        void start() throws IOException
        {
            final List<String> cmd = new ArrayList<>();
            cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xmx192m");
            cmd.add("-XX:+UseSerialGC");
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(DaemonMain.class.getName());
            cmd.add(conf.toString());
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("out.log").toFile())).start();
        }

        void kill() throws InterruptedException
        {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        void stop() throws InterruptedException
        {
            if (null != process && process.isAlive())
            {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS))
                {
                    process.destroyForcibly();
                }
            }
        }
    }
}
