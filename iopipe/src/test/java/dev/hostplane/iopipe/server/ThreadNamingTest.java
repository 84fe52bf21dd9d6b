package dev.hostplane.iopipe.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.hostplane.iopipe.PipeService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every thread of the pipe service, the file server and the proxy is named {@code hostplane-iopipe-<role>-N},
 * is a daemon, and ends with its owner.
 */
class ThreadNamingTest
{
    private static final Pattern NAME = Pattern.compile("hostplane-iopipe-[a-z]+-\\d+");
    // Started by third-party code on first use, not by ours: Netty's shared executors, JNA's cleaner.
    private static final Pattern THIRD_PARTY = Pattern.compile("globalEventExecutor.*|ObjectCleanerThread.*|" +
        "JNA Cleaner|process reaper|Attach Listener|Common-Cleaner|ForkJoinPool.*|surefire.*");

    @TempDir
    Path root;

    @Test
    void shouldNameEveryThreadItStartsAndEndThemOnClose() throws Exception
    {
        final Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        final Set<Thread> started;
        try (PipeService pipes = PipeService.builder().workers(2).build();
            HttpFileServer web = HttpFileServer.builder(root).bind(new InetSocketAddress("127.0.0.1", 0)).start();
            TcpProxy proxy = TcpProxy.builder(new InetSocketAddress("127.0.0.1", web.port()))
                .bind(new InetSocketAddress("127.0.0.1", 0)).start())
        {
            started = new HashSet<>(Thread.getAllStackTraces().keySet());
            started.removeAll(before);
            started.removeIf(t -> THIRD_PARTY.matcher(t.getName()).matches());
            final List<String> names = started.stream().map(Thread::getName).sorted().collect(Collectors.toList());
            assertThat(names).contains("hostplane-iopipe-worker-0", "hostplane-iopipe-worker-1",
                "hostplane-iopipe-waiter-0", "hostplane-iopipe-http-0", "hostplane-iopipe-proxy-0");
            assertThat(names).allMatch(name -> NAME.matcher(name).matches(), "named hostplane-iopipe-<role>-N");
            assertThat(started).allMatch(Thread::isDaemon, "daemon");
        }
        for (final Thread thread : started)
        {
            thread.join(10_000);
            assertThat(thread.isAlive()).as("%s ended after close()", thread.getName()).isFalse();
        }
    }
}
