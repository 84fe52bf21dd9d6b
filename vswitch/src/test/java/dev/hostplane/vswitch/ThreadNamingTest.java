package dev.hostplane.vswitch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.hostplane.vswitch.openflow.OpenFlowAgent;
import dev.hostplane.vswitch.openflow.OpenFlowTarget;
import dev.hostplane.vswitch.policy.Policies;
import dev.hostplane.vswitch.policy.PolicyController;
import org.junit.jupiter.api.Test;

/**
 * Every thread the module starts is named {@code hostplane-vswitch-<role>-N}, is a daemon, and ends with the
 * object that owns it.
 */
class ThreadNamingTest
{
    private static final Pattern NAME = Pattern.compile("hostplane-vswitch-[a-z]+(-[a-z]+)*-\\d+");
    // Started by third-party code on first use, not by ours: Netty's shared executors, JNA's cleaner.
    private static final Pattern THIRD_PARTY = Pattern.compile("globalEventExecutor.*|ObjectCleanerThread.*|" +
        "JNA Cleaner|process reaper|Attach Listener|Common-Cleaner|ForkJoinPool.*|surefire.*");

    @Test
    void shouldNameEveryThreadItStartsAndEndThemOnClose() throws Exception
    {
        final Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        final Set<Thread> started;
        try (VirtualSwitch sw = new VirtualSwitch(SwitchConfig.builder().workers(2).idleMode(IdleMode.BLOCKING)
            .build()).start();
            OpenFlowAgent agent = OpenFlowAgent.builder(sw).listen(OpenFlowTarget.parseListen("127.0.0.1:0"))
                .build().start();
            PolicyController controller = PolicyController.start(Policies.flood(), null,
                new InetSocketAddress("127.0.0.1", 0)))
        {
            started = new HashSet<>(Thread.getAllStackTraces().keySet());
            started.removeAll(before);
            started.removeIf(t -> THIRD_PARTY.matcher(t.getName()).matches());
            final List<String> names = started.stream().map(Thread::getName).sorted().collect(Collectors.toList());
            assertThat(names).contains("hostplane-vswitch-worker-0", "hostplane-vswitch-worker-1",
                "hostplane-vswitch-control-0", "hostplane-vswitch-openflow-0",
                "hostplane-vswitch-policy-controller-0");
            assertThat(names).allMatch(name -> NAME.matcher(name).matches(), "named hostplane-vswitch-<role>-N");
            assertThat(started).allMatch(Thread::isDaemon, "daemon");
        }
        for (final Thread thread : started)
        {
            thread.join(10_000);
            assertThat(thread.isAlive()).as("%s ended after close()", thread.getName()).isFalse();
        }
    }
}
