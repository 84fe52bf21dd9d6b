package dev.hostplane.syslog.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * Every thread the daemon starts is named {@code hostplane-syslog-<role>-N}, is a daemon, and ends on close.
 */
class ThreadNamingTest
{
    private static final Pattern NAME = Pattern.compile("hostplane-syslog-[a-z]+(-[a-z]+)*-\\d+");
    // Started by third-party code on first use, not by ours: Netty's shared executors, JNA's cleaner.
    private static final Pattern THIRD_PARTY = Pattern.compile("globalEventExecutor.*|ObjectCleanerThread.*|" +
        "JNA Cleaner|process reaper|Attach Listener|Common-Cleaner|ForkJoinPool.*|surefire.*");

    @Test
    void shouldNameEveryThreadItStartsAndEndThemOnClose() throws Exception
    {
        final Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        final Set<Thread> started;
        try (ServerSocket target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()))
        {
            final String config = "module(load=\"imtcp\")\ninput(type=\"imtcp\" port=\"0\")\n" +
                "*.* action(type=\"omfwd\" target=\"127.0.0.1\" port=\"" + target.getLocalPort() +
                "\" protocol=\"tcp\" queue.type=\"LinkedList\")\n";
            try (SyslogDaemon daemon = DaemonTestSupport.start(config))
            {
                started = new HashSet<>(Thread.getAllStackTraces().keySet());
                started.removeAll(before);
                started.removeIf(t -> THIRD_PARTY.matcher(t.getName()).matches());
                final List<String> names = started.stream().map(Thread::getName).sorted().collect(Collectors.toList());
                assertThat(names).anyMatch(n -> n.startsWith("hostplane-syslog-main-queue-"))
                    .anyMatch(n -> n.startsWith("hostplane-syslog-io-"));
                assertThat(names).allMatch(name -> NAME.matcher(name).matches(), "named hostplane-syslog-<role>-N");
                assertThat(started).allMatch(Thread::isDaemon, "daemon");
            }
        }
        for (final Thread thread : started)
        {
            thread.join(10_000);
            assertThat(thread.isAlive()).as("%s ended after close()", thread.getName()).isFalse();
        }
    }
}
