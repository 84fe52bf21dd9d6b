package dev.hostplane.examples.vswitch;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.hostplane.vswitch.SwitchConfig;
import dev.hostplane.vswitch.VirtualSwitch;
import dev.hostplane.vswitch.classifier.FlowRule;
import dev.hostplane.vswitch.control.FlowParseException;
import dev.hostplane.vswitch.control.FlowSpec;
import dev.hostplane.vswitch.control.MacLearningSwitch;
import dev.hostplane.vswitch.control.OfctlParser;
import dev.hostplane.vswitch.port.TapPort;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hostplane switch}: runs a MAC-learning switch over named TAP devices until SIGINT/SIGTERM
 * (or {@code --duration}), then prints per-port counters.
 */
@Command(
    name = "switch",
    mixinStandardHelpOptions = true,
    description = {
        "Runs a MAC-learning software switch (vswitch) over Linux TAP devices.",
        "Each --tap NAME opens (creating if needed) a TAP device in this network namespace;",
        "NAME@NETNS opens it inside the named namespace (ip netns add NETNS). Needs root.",
        "Prints per-port counters on exit (Ctrl-C / SIGTERM)."})
public final class SwitchCommand implements Callable<Integer>
{
    @Option(names = "--tap", required = true, paramLabel = "NAME[@NETNS]", description = "TAP device to switch (repeat).")
    private List<String> taps = new ArrayList<>();

    @Option(names = "--flows", paramLabel = "FILE", description = "Flows in ovs-ofctl syntax, one per line.")
    private Path flows;

    @Option(names = "--no-learning", description = "Do not run the MAC-learning application (flows only).")
    private boolean noLearning;

    @Option(names = "--no-offload", description = "Plain TAP frames: no virtio_net_hdr/GSO (the naive baseline).")
    private boolean noOffload;

    @Option(names = "--workers", defaultValue = "1", description = "Switching threads (default ${DEFAULT-VALUE}).")
    private int workers;

    @Option(names = "--batch", defaultValue = "32", description = "Frames per batch, 1..32 (default ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--idle", defaultValue = "blocking",
        description = "Idle strategy: busy-spin, yield, backoff, sleep, blocking (default ${DEFAULT-VALUE}).")
    private String idle;

    @Option(names = "--aging", defaultValue = "300", description = "MAC aging time in seconds (default ${DEFAULT-VALUE}).")
    private int aging;

    @Option(names = "--duration", defaultValue = "0", description = "Stop after this many seconds (0 = until signalled).")
    private int duration;

    @Override
    public Integer call() throws Exception
    {
        final PrintStream out = System.out;
        final List<FlowSpec> specs;
        try
        {
            specs = flows == null ? List.of() : new OfctlParser().parseFile(flows);
        }
        catch (final FlowParseException ex)
        {
            System.err.println("hostplane switch: " + ex.getMessage());
            return 2;
        }
        final VirtualSwitch sw = new VirtualSwitch(SwitchConfig.builder()
            .workers(workers).batchSize(batch).idleStrategy(idle).build());
        final CountDownLatch stopped = new CountDownLatch(1);
        final Thread hook = new Thread(() -> shutdown(sw, out, stopped), "hostplane-switch-shutdown");
        try
        {
            for (final String tap : taps)
            {
                final int at = tap.indexOf('@');
                final TapPort port = at < 0 ? TapPort.open(tap, !noOffload) :
                    TapPort.openInNamespace(tap.substring(at + 1), tap.substring(0, at), !noOffload);
                sw.addPort(port);
            }
            if (!noLearning)
            {
                MacLearningSwitch.attach(sw, aging);
            }
            final long now = System.nanoTime();
            final List<FlowRule> rules = new ArrayList<>();
            for (final FlowSpec spec : specs)
            {
                rules.add(spec.toRule(now));
            }
            sw.addFlows(rules);
            sw.start();
        }
        catch (final Exception ex)
        {
            sw.close();
            System.err.println("hostplane switch: " + ex.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(hook);
        final StringBuilder ready = new StringBuilder("vswitch: running, ports:");
        sw.ports().forEach(p -> ready.append(' ').append(p.number()).append('=').append(p.name()));
        ready.append(", ").append(rules(sw)).append(" flows, offload=").append(!noOffload);
        out.println(ready);
        out.flush();
        if (duration > 0)
        {
            if (!stopped.await(duration, TimeUnit.SECONDS))
            {
                Runtime.getRuntime().removeShutdownHook(hook);
                shutdown(sw, out, stopped);
            }
        }
        else
        {
            stopped.await();
        }
        return 0;
    }

    private static int rules(final VirtualSwitch sw)
    {
        return sw.dumpFlows().size();
    }

    private static void shutdown(final VirtualSwitch sw, final PrintStream out, final CountDownLatch stopped)
    {
        final String flows = String.join("\n", sw.dumpFlows().stream().map(FlowRule::toString).toList());
        sw.close();
        out.println("vswitch: stopped. Per-port counters:");
        out.print(sw.dumpPorts());
        out.println("vswitch: " + sw.stats());
        out.println("vswitch: flows at exit:");
        out.println(flows);
        out.flush();
        stopped.countDown();
    }
}
