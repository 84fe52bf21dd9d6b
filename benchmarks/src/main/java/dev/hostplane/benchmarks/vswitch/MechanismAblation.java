package dev.hostplane.benchmarks.vswitch;

import java.awt.BasicStroke;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.hostplane.vswitch.MechanismStats;
import dev.hostplane.vswitch.IdleMode;
import dev.hostplane.vswitch.SwitchConfig;
import dev.hostplane.vswitch.VirtualSwitch;
import dev.hostplane.vswitch.action.Actions;
import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.flow.Match;
import dev.hostplane.vswitch.port.EndpointPort;
import org.agrona.concurrent.UnsafeBuffer;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The Hyper-Switch mechanism ablation (the article's Figure 2, in-process): 1..8 endpoint pairs,
 * each a sending thread and a receiving thread (the "VMs"), through a switch with two workers
 * (blocking idle strategy, so notification matters), with each mechanism switched off in turn and
 * all off, for a few flows per pair. Reports delivered frames per second and the process's CPU
 * time per delivered frame (senders, receivers and workers together), as CSV on stdout, a
 * Markdown table on stderr and a PNG chart.
 *
 * <p>Run: {@code benchmarks/scripts/vswitch/mechanism-ablation.sh [seconds-per-point] [out.png]}; given a
 * CSV of an earlier run instead of the seconds, it redraws that run's table and chart.
 */
public final class MechanismAblation
{
    private static final int FRAME = 64;
    private static final int[] PAIRS = {1, 2, 4, 8};
    private static final int[] FLOWS = {1, 64};

    private MechanismAblation()
    {
    }

    /** One configuration of the mechanisms. */
    private record Variant(String name, boolean batched, boolean preemptive, boolean offload)
    {
    }

    private static final Variant[] VARIANTS = {
        new Variant("all on", true, true, true),
        new Variant("no batched notification", false, true, true),
        new Variant("no preemptive copy", true, false, true),
        new Variant("no offload", true, true, false),
        new Variant("all off", false, false, false)};

    /** One measured point. */
    private record Point(Variant variant, int pairs, int flows, double mpps, double cpuNanosPerFrame,
        MechanismStats stats, long dropped)
    {
    }

    /**
     * Runs the matrix.
     *
     * @param args [seconds per point, default 2] [PNG path, default mechanism-ablation.png]
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final File png = new File(args.length > 1 ? args[1] : "mechanism-ablation.png");
        if (args.length > 0 && args[0].endsWith(".csv"))
        {
            // Redraw the chart of an earlier run from its CSV.
            final List<Point> points = read(new File(args[0]));
            table(points, System.err);
            chart(points, png);
            return;
        }
        final double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2.0;
        // Warm the JIT on every code path before anything is measured.
        for (final Variant v : VARIANTS)
        {
            run(v, 2, 16, 0.5);
        }
        final List<Point> points = new ArrayList<>();
        final PrintStream out = System.out;
        out.println("variant,pairs,flows,mpps,cpu_ns_per_frame,endpoint_notifications,worker_wakeups,lend_stalls," +
            "lend_reclaims,expired_loans,offloads,dropped");
        for (final int flows : FLOWS)
        {
            for (final int pairs : PAIRS)
            {
                for (final Variant v : VARIANTS)
                {
                    final Point p = run(v, pairs, flows, seconds);
                    points.add(p);
                    final MechanismStats s = p.stats();
                    out.printf(Locale.ROOT, "%s,%d,%d,%.3f,%.0f,%d,%d,%d,%d,%d,%d,%d%n", v.name(), pairs, flows, p.mpps(),
                        p.cpuNanosPerFrame(), s.endpointNotifications(), s.workerWakeups(), s.lendStalls(),
                        s.lendReclaims(), s.expiredLoans(), s.offloads(), p.dropped());
                }
            }
        }
        table(points, System.err);
        chart(points, png);
        System.err.println("chart: " + png.getAbsolutePath());
    }

    private static List<Point> read(final File csv) throws IOException
    {
        final List<Point> points = new ArrayList<>();
        final List<String> lines = java.nio.file.Files.readAllLines(csv.toPath());
        for (final String line : lines.subList(1, lines.size()))
        {
            final String[] f = line.split(",");
            Variant variant = null;
            for (final Variant v : VARIANTS)
            {
                if (v.name().equals(f[0]))
                {
                    variant = v;
                }
            }
            if (variant == null)
            {
                throw new IOException(csv + ": unknown variant in line: " + line);
            }
            points.add(new Point(variant, Integer.parseInt(f[1]), Integer.parseInt(f[2]), Double.parseDouble(f[3]),
                Double.parseDouble(f[4]), new MechanismStats(Long.parseLong(f[5]), Long.parseLong(f[6]),
                Long.parseLong(f[7]), Long.parseLong(f[8]), Long.parseLong(f[9]), Long.parseLong(f[10])),
                Long.parseLong(f[11])));
        }
        return points;
    }

    private static Point run(final Variant v, final int pairs, final int flows, final double seconds)
        throws InterruptedException
    {
        final SwitchConfig config = SwitchConfig.builder().workers(2).idleMode(IdleMode.BLOCKING).batchSize(32)
            .batchedNotification(v.batched()).preemptiveCopy(v.preemptive()).offloadToIdleWorkers(v.offload())
            .build();
        try (VirtualSwitch sw = new VirtualSwitch(config))
        {
            final EndpointPort[] senders = new EndpointPort[pairs];
            final EndpointPort[] receivers = new EndpointPort[pairs];
            for (int i = 0; i < pairs; i++)
            {
                senders[i] = sw.addEndpointPort("tx" + i);
                receivers[i] = sw.addEndpointPort("rx" + i);
                for (int f = 0; f < flows; f++)
                {
                    sw.addFlow(Match.builder().exact(FlowField.IN_PORT, senders[i].number())
                        .exact(FlowField.ETH_TYPE, 0x800).exact(FlowField.IP_PROTO, 17)
                        .exact(FlowField.TP_DST, 10_000 + f).build(), 100,
                        List.of(Actions.output(receivers[i].number())));
                }
            }
            sw.start();
            final AtomicBoolean stop = new AtomicBoolean();
            final AtomicBoolean measuring = new AtomicBoolean();
            final AtomicLong delivered = new AtomicLong();
            final List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < pairs; i++)
            {
                threads.add(sender(senders[i], flows, stop));
                threads.add(receiver(receivers[i], stop, measuring, delivered));
            }
            threads.forEach(Thread::start);
            Thread.sleep(200);
            final long cpu0 = processCpuNanos();
            final long t0 = System.nanoTime();
            measuring.set(true);
            Thread.sleep((long)(seconds * 1000));
            measuring.set(false);
            final long t1 = System.nanoTime();
            final long cpu1 = processCpuNanos();
            stop.set(true);
            for (final Thread t : threads)
            {
                t.join();
            }
            final long frames = delivered.get();
            long dropped = 0;
            for (final EndpointPort r : receivers)
            {
                dropped += r.counters().txDropped();
            }
            return new Point(v, pairs, flows, frames / ((t1 - t0) / 1e3) , frames == 0 ? 0 :
                (double)(cpu1 - cpu0) / frames, sw.mechanismStats(), dropped);
        }
    }

    private static Thread sender(final EndpointPort port, final int flows, final AtomicBoolean stop)
    {
        final UnsafeBuffer[] frames = new UnsafeBuffer[flows];
        for (int f = 0; f < flows; f++)
        {
            frames[f] = UdpFlowFixture.frame(f, FRAME);
        }
        final Thread t = new Thread(() ->
        {
            int f = 0;
            while (!stop.get())
            {
                if (port.send(frames[f], 0, FRAME))
                {
                    f = f + 1 == flows ? 0 : f + 1;
                }
                else
                {
                    // The switch is behind: give the core to it, as a guest whose ring is full would.
                    Thread.yield();
                }
            }
        }, "ablation-" + port.name());
        t.setDaemon(true);
        return t;
    }

    private static Thread receiver(final EndpointPort port, final AtomicBoolean stop, final AtomicBoolean measuring,
        final AtomicLong delivered)
    {
        final Thread t = new Thread(() ->
        {
            final long[] count = new long[1];
            while (!stop.get())
            {
                port.awaitFrames(TimeUnit.MILLISECONDS.toNanos(10));
                count[0] = 0;
                port.receive((b, o, l) -> count[0]++, 256);
                if (measuring.get())
                {
                    delivered.addAndGet(count[0]);
                }
            }
        }, "ablation-" + port.name());
        t.setDaemon(true);
        return t;
    }

    private static long processCpuNanos()
    {
        return ((com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    }

    private static void table(final List<Point> points, final PrintStream err)
    {
        for (final int flows : FLOWS)
        {
            err.printf(Locale.ROOT, "%n%d flow(s) per pair: Mpps delivered (CPU ns per frame)%n%n| variant |", flows);
            for (final int pairs : PAIRS)
            {
                err.printf(Locale.ROOT, " %d pair%s |", pairs, pairs == 1 ? "" : "s");
            }
            err.print("\n|---|");
            for (int i = 0; i < PAIRS.length; i++)
            {
                err.print("---|");
            }
            err.println();
            for (final Variant v : VARIANTS)
            {
                err.print("| " + v.name() + " |");
                for (final int pairs : PAIRS)
                {
                    for (final Point p : points)
                    {
                        if (p.variant() == v && p.pairs() == pairs && p.flows() == flows)
                        {
                            err.printf(Locale.ROOT, " %.2f (%.0f) |", p.mpps(), p.cpuNanosPerFrame());
                        }
                    }
                }
                err.println();
            }
        }
    }

    private static void chart(final List<Point> points, final File png) throws IOException
    {
        final int flows = FLOWS[FLOWS.length - 1];
        final XYSeriesCollection mpps = new XYSeriesCollection();
        final XYSeriesCollection cpu = new XYSeriesCollection();
        for (final Variant v : VARIANTS)
        {
            final XYSeries a = new XYSeries(v.name());
            final XYSeries b = new XYSeries(v.name());
            for (final Point p : points)
            {
                if (p.variant() == v && p.flows() == flows)
                {
                    a.add(p.pairs(), p.mpps());
                    b.add(p.pairs(), p.cpuNanosPerFrame());
                }
            }
            mpps.addSeries(a);
            cpu.addSeries(b);
        }
        final NumberAxis pairsAxis = new NumberAxis("endpoint pairs (" + flows + " flows each, 64 B frames)");
        final CombinedDomainXYPlot plot = new CombinedDomainXYPlot(pairsAxis);
        plot.add(plot(mpps, "Mpps delivered", true));
        plot.add(plot(cpu, "CPU ns per frame", false));
        final JFreeChart chart = new JFreeChart("vswitch: Hyper-Switch mechanisms switched off one at a time",
            JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(java.awt.Color.WHITE);
        ChartUtils.saveChartAsPNG(png, chart, 900, 700);
    }

    private static final java.awt.Color[] COLOURS = {new java.awt.Color(0xD62728), new java.awt.Color(0x1F77B4),
        new java.awt.Color(0x2CA02C), new java.awt.Color(0xFF7F0E), new java.awt.Color(0x555555)};

    private static XYPlot plot(final XYSeriesCollection data, final String label, final boolean inLegend)
    {
        final JFreeChart c = ChartFactory.createXYLineChart(null, null, label, data, PlotOrientation.VERTICAL, true,
            false, false);
        final XYPlot p = c.getXYPlot();
        final XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++)
        {
            r.setSeriesStroke(i, new BasicStroke(2f));
            r.setSeriesPaint(i, COLOURS[i % COLOURS.length]);
            r.setSeriesVisibleInLegend(i, inLegend);
        }
        p.setRenderer(r);
        p.setBackgroundPaint(java.awt.Color.WHITE);
        p.setRangeGridlinePaint(java.awt.Color.LIGHT_GRAY);
        return p;
    }
}
