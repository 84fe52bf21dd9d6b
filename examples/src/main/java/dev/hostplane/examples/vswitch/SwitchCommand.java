package dev.hostplane.examples.vswitch;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.hostplane.vswitch.IdleMode;
import dev.hostplane.vswitch.SwitchConfig;
import dev.hostplane.vswitch.VirtualSwitch;
import dev.hostplane.vswitch.classifier.FlowRule;
import dev.hostplane.vswitch.control.FlowParseException;
import dev.hostplane.vswitch.control.FlowSpec;
import dev.hostplane.vswitch.control.MacLearningSwitch;
import dev.hostplane.vswitch.control.OfctlParser;
import dev.hostplane.vswitch.openflow.OpenFlowAgent;
import dev.hostplane.vswitch.openflow.OpenFlowTarget;
import dev.hostplane.vswitch.openflow.OpenFlowTls;
import dev.hostplane.vswitch.policy.Policy;
import dev.hostplane.vswitch.policy.PolicyParser;
import dev.hostplane.vswitch.policy.PolicyRuntime;
import dev.hostplane.vswitch.port.TapPort;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
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
        "Ports are numbered 1, 2, ... in --tap order. With --openflow-listen or --controller an OpenFlow 1.3",
        "controller programs the switch: MAC learning is off and a table miss drops (OpenFlow's default).",
        "With --policy FILE a Pyretic-style policy (see PolicyParser) compiled to flows runs the switch instead.",
        "Prints per-port counters on exit (Ctrl-C / SIGTERM)."})
public final class SwitchCommand implements Callable<Integer>
{
    @Option(names = "--tap", required = true, paramLabel = "NAME[@NETNS]", description = "TAP device to switch (repeat).")
    private List<String> taps = new ArrayList<>();

    @Option(names = "--flows", paramLabel = "FILE", description = "Flows in ovs-ofctl syntax, one per line.")
    private Path flows;

    @Option(names = "--policy", paramLabel = "FILE",
        description = "A policy (match/modify/fwd/flood/drop/if_/mac_learning, + >> & | ~) to compile and run; " +
            "ports are its fwd() numbers.")
    private Path policyFile;

    @Option(names = "--no-learning", description = "Do not run the MAC-learning application (flows only).")
    private boolean noLearning;

    @Option(names = "--no-offload", description = "Plain TAP frames: no virtio_net_hdr/GSO (the naive baseline).")
    private boolean noOffload;

    @Option(names = "--workers", defaultValue = "1", description = "Switching threads (default ${DEFAULT-VALUE}).")
    private int workers;

    @Option(names = "--batch", defaultValue = "32", description = "Frames per batch, 1..32 (default ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--idle", defaultValue = "blocking", converter = IdleModeConverter.class,
        description = "Idle strategy: busy-spin, yield, backoff, sleep, blocking (default ${DEFAULT-VALUE}).")
    private IdleMode idle;

    @Option(names = "--aging", defaultValue = "300", description = "MAC aging time in seconds (default ${DEFAULT-VALUE}).")
    private int aging;

    @Option(names = "--openflow-listen", paramLabel = "[ADDR:]PORT",
        description = "Accept OpenFlow 1.3 connections (ovs-ofctl, controllers) on PORT, on 127.0.0.1 unless ADDR " +
            "is given; ptcp:PORT[:ADDR] and pssl:PORT[:ADDR] (TLS) as in Open vSwitch.")
    private String openflowListen;

    @Option(names = "--controller", paramLabel = "tcp:HOST:PORT",
        description = "Connect to an OpenFlow 1.3 controller (tcp:HOST:PORT or ssl:HOST:PORT), reconnecting with " +
            "back-off (repeat for several).")
    private List<String> controllers = new ArrayList<>();

    @Option(names = "--private-key", paramLabel = "FILE", description = "PEM private key for ssl:/pssl: OpenFlow.")
    private Path privateKey;

    @Option(names = "--certificate", paramLabel = "FILE", description = "PEM certificate for ssl:/pssl: OpenFlow.")
    private Path certificate;

    @Option(names = "--ca-cert", paramLabel = "FILE", description = "PEM CA certificate peers must chain to.")
    private Path caCert;

    @Option(names = "--datapath-id", paramLabel = "HEX", description = "OpenFlow datapath id (default: random).")
    private String datapathId;

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
        final Policy policy;
        try
        {
            policy = policyFile == null ? null : PolicyParser.parseFile(policyFile);
        }
        catch (final FlowParseException | java.io.IOException ex)
        {
            System.err.println("hostplane switch: " + (ex instanceof FlowParseException ? "" : policyFile + ": ") +
                ex.getMessage());
            return 2;
        }
        final boolean openflow = openflowListen != null || !controllers.isEmpty();
        if (policy != null && (openflow || flows != null))
        {
            System.err.println("hostplane switch: --policy owns the flow table; it cannot be combined with --flows, " +
                "--openflow-listen or --controller");
            return 2;
        }
        try
        {
            if (openflow)
            {
                openflowAgent(null);
            }
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("hostplane switch: " + ex.getMessage());
            return 2;
        }
        final VirtualSwitch sw = new VirtualSwitch(SwitchConfig.builder()
            .workers(workers).batchSize(batch).idleMode(idle).build());
        final CountDownLatch stopped = new CountDownLatch(1);
        final OpenFlowAgent[] agent = new OpenFlowAgent[1];
        final PolicyRuntime[] runtime = new PolicyRuntime[1];
        final Thread hook = new Thread(() -> shutdown(sw, agent[0], out, stopped), "hostplane-switch-shutdown");
        try
        {
            for (final String tap : taps)
            {
                final int at = tap.indexOf('@');
                final TapPort port = at < 0 ? TapPort.open(tap, !noOffload) :
                    TapPort.openInNamespace(tap.substring(at + 1), tap.substring(0, at), !noOffload);
                sw.addPort(port);
            }
            if (!noLearning && !openflow && policy == null)
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
            if (policy != null)
            {
                // Installed before the workers start, so no frame meets the empty table (which drops).
                runtime[0] = PolicyRuntime.attach(sw, policy);
            }
            sw.start();
            if (openflow)
            {
                agent[0] = openflowAgent(sw).build().start();
            }
        }
        catch (final Exception ex)
        {
            if (agent[0] != null)
            {
                agent[0].close();
            }
            sw.close();
            System.err.println("hostplane switch: " + ex.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(hook);
        final StringBuilder ready = new StringBuilder("vswitch: running, ports:");
        sw.ports().forEach(p -> ready.append(' ').append(p.number()).append('=').append(p.name()));
        ready.append(", ").append(rules(sw)).append(" flows, offload=").append(!noOffload);
        out.println(ready);
        if (runtime[0] != null)
        {
            out.println("vswitch: policy " + policyFile + " compiled to " + runtime[0].flows().size() +
                " flows, MAC learning off");
        }
        if (agent[0] != null)
        {
            agent[0].listenAddresses().forEach(a -> out.println("vswitch: OpenFlow 1.3 listening on " +
                a.getAddress().getHostAddress() + ":" + a.getPort()));
            controllers.forEach(c -> out.println("vswitch: OpenFlow 1.3 controller " + c));
            out.println("vswitch: datapath id " + String.format("%016x", agent[0].datapathId()) +
                ", MAC learning off, table miss drops unless a controller installs a table-miss flow");
        }
        out.flush();
        if (duration > 0)
        {
            if (!stopped.await(duration, TimeUnit.SECONDS))
            {
                Runtime.getRuntime().removeShutdownHook(hook);
                shutdown(sw, agent[0], out, stopped);
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

    private OpenFlowAgent.Builder openflowAgent(final VirtualSwitch sw)
    {
        // Called once without a switch to validate the options before any device is opened.
        final OpenFlowAgent.Builder b = OpenFlowAgent.builder(sw);
        if (openflowListen != null)
        {
            b.listen(OpenFlowTarget.parseListen(openflowListen));
        }
        for (final String c : controllers)
        {
            b.controller(OpenFlowTarget.parse(c));
        }
        if (privateKey != null || certificate != null || caCert != null)
        {
            if (privateKey == null || certificate == null || caCert == null)
            {
                throw new IllegalArgumentException("TLS needs all of --private-key, --certificate and --ca-cert");
            }
            b.tls(new OpenFlowTls(privateKey, certificate, caCert));
        }
        if (datapathId != null)
        {
            try
            {
                b.datapathId(Long.parseUnsignedLong(datapathId.startsWith("0x") ? datapathId.substring(2) : datapathId,
                    16));
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("--datapath-id must be hexadecimal: " + datapathId, ex);
            }
        }
        return b;
    }

    private static void shutdown(final VirtualSwitch sw, final OpenFlowAgent agent, final PrintStream out,
        final CountDownLatch stopped)
    {
        if (agent != null)
        {
            agent.close();
        }
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

    /** Reads {@code --idle} by the mode's alias ({@code busy-spin}, {@code blocking}, ...). */
    static final class IdleModeConverter implements ITypeConverter<IdleMode>
    {
        @Override
        public IdleMode convert(final String value)
        {
            try
            {
                return IdleMode.fromAlias(value);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new TypeConversionException(ex.getMessage());
            }
        }
    }
}
