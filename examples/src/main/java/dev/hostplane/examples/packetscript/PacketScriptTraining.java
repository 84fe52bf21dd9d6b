package dev.hostplane.examples.packetscript;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import dev.hostplane.examples.Hostplane;
import dev.hostplane.packetscript.live.netns.NetNamespace;

/**
 * The workload the build runs once at package time to record the start-up cache {@code bin/hostplane} passes to
 * {@code packetscript} commands ({@code examples/src/build/jvm-cache.sh}): a class-data-sharing archive on JDK 17-24,
 * an AOT cache on JDK 25+. A single script run is as short as C packetdrill's when its JVM finds the command line,
 * the parser and the live executor already loaded and linked, so this touches them as a user's run does: the same
 * command-line path ({@link Hostplane#execute}), {@code --dry_run} and {@code --print} of a server and a client
 * script, then both scripts run live against this kernel in IPv4 and IPv6, each in a namespace of its own with its
 * own {@code tun0}, which die with the run.
 *
 * <p>The live runs need root and {@code /dev/net/tun}; where they cannot run, the cache is recorded from parsing
 * alone (said on stdout). A live verdict is not the point and does not fail the training (a loaded build machine may
 * miss a timing); a command-line or parse failure does, and the build then records no cache and says why.
 */
public final class PacketScriptTraining
{
    /** A passive open with data both ways and a close, as most of the kernel's selftests start. */
    private static final String SERVER = """
        --tolerance_usecs=100000
        `sysctl -q net.ipv4.tcp_timestamps=1`

            0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
           +0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
           +0 bind(3, ..., ...) = 0
           +0 listen(3, 1) = 0
           +0 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>
           +0 > S. 0:0(0) ack 1 <...>
         +.01 < . 1:1(0) ack 1 win 257
           +0 accept(3, ..., ...) = 4
           +0 setsockopt(4, SOL_TCP, TCP_NODELAY, [1], 4) = 0
           +0...0.010 read(4, ..., 1000) = 1000
         +.01 < P. 1:1001(1000) ack 1 win 257
           +0 > . 1:1(0) ack 1001
           +0 write(4, ..., 1000) = 1000
           +0 > P. 1:1001(1000) ack 1001
         +.01 < . 1001:1001(0) ack 1001 win 257
           +0 close(4) = 0
           +0 > F. 1001:1001(0) ack 1001
         +.01 < F. 1001:1001(0) ack 1002 win 257
           +0 > . 1002:1002(0) ack 1002
        """;

    /** An active open with a send, a receive, a poll and a close initiated by the peer. */
    private static final String CLIENT = """
        --tolerance_usecs=100000

            0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
           +0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0
           +0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)
           +0 > S 0:0(0) <...>
         +.01 < S. 0:0(0) ack 1 win 65535 <mss 1460,sackOK,nop,nop,nop,wscale 7>
           +0 > . 1:1(0) ack 1
           +0 getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0
           +0 fcntl(3, F_SETFL, O_RDWR) = 0
           +0 send(3, ..., 1000, 0) = 1000
           +0 > P. 1:1001(1000) ack 1
         +.01 < P. 1:101(100) ack 1001 win 257
           +0 > . 1001:1001(0) ack 101
           +0 poll([{fd=3, events=POLLIN, revents=POLLIN}], 1, 0) = 1
           +0 recv(3, ..., 1000, 0) = 100
         +.01 < F. 101:101(0) ack 1001 win 257
           +0 > . 1001:1001(0) ack 102
           +0 close(3) = 0
           +0 > F. 1001:1001(0) ack 102
         +.01 < . 102:102(0) ack 1002 win 257
        """;

    private PacketScriptTraining()
    {
    }

    /**
     * Runs the training workload.
     *
     * @param args ignored.
     * @throws Exception when the command line or a parse fails (the build then records no cache).
     */
    public static void main(final String[] args) throws Exception
    {
        final Path dir = Files.createTempDirectory("hostplane-packetscript-training-");
        try
        {
            final Path server = Files.writeString(dir.resolve("server.pkt"), SERVER);
            final Path client = Files.writeString(dir.resolve("client.pkt"), CLIENT);
            expect(0, "--dry_run", server.toString(), client.toString());
            expect(0, "--print", server.toString());
            final String unsupported = NetNamespace.unsupportedReason();
            if (null != unsupported)
            {
                System.out.println("packetscript training: parse only, no live runs here: " + unsupported);
                return;
            }
            live("--ip_version=ipv4", "--local_ip=192.168.0.1", "--gateway_ip=192.168.0.1",
                "--netmask_ip=255.255.0.0", "--remote_ip=192.0.2.1", server.toString(), client.toString());
            live("--ip_version=ipv6", "--mtu=1520", "--local_ip=fd3d:0a0b:17d6::1",
                "--gateway_ip=fd3d:0a0b:17d6:8888::1", "--remote_ip=fd3d:fa7b:d17d::1", server.toString(),
                client.toString());
        }
        finally
        {
            deleteTree(dir);
        }
    }

    /** A live run: its verdict depends on the machine's load, so only a usage error (exit 2) stops the training. */
    private static void live(final String... args)
    {
        final List<String> command = new ArrayList<>(List.of("packetscript"));
        command.addAll(List.of(args));
        final int rc = Hostplane.execute(command.toArray(String[]::new));
        if (2 == rc)
        {
            throw new IllegalStateException("hostplane " + String.join(" ", command) + " exited 2 (usage)");
        }
        System.out.println("packetscript training: live run exited " + rc + ": " + String.join(" ", args));
    }

    private static void expect(final int expected, final String... args)
    {
        final List<String> command = new ArrayList<>(List.of("packetscript"));
        command.addAll(List.of(args));
        final int rc = Hostplane.execute(command.toArray(String[]::new));
        if (expected != rc)
        {
            throw new IllegalStateException("hostplane " + String.join(" ", command) + " exited " + rc);
        }
    }

    private static void deleteTree(final Path root) throws IOException
    {
        try (Stream<Path> walk = Files.walk(root))
        {
            for (final Path p : walk.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(p);
            }
        }
    }
}
