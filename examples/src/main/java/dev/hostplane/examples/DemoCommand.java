package dev.hostplane.examples;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code hostplane demo}: a short, self-checking tour of every module. Each {@link DemoStep}
 * does real work and checks it; the command exits 0 only if every step passed.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run a short, self-checking tour of every module; exit 0 only if every step worked.")
public final class DemoCommand implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * The steps, in the order they run. Each module adds its own.
     *
     * @return the demo steps.
     */
    static List<DemoStep> steps()
    {
        final List<DemoStep> steps = new ArrayList<>();
        steps.add(new JvmDemoStep());
        // Module demo steps are registered below, one line each.
        steps.add(new dev.hostplane.examples.vswitch.VswitchDemoStep());
        steps.add(new dev.hostplane.examples.syslog.SyslogDemoStep());
        steps.add(new dev.hostplane.examples.packetscript.PacketScriptDemoStep());
        steps.add(new dev.hostplane.examples.flashcache.FlashCacheDemoStep());
        steps.add(new dev.hostplane.examples.iopipe.IopipeDemoStep());
        return steps;
    }

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        int failed = 0;
        final List<DemoStep> steps = steps();
        for (final DemoStep step : steps)
        {
            final long start = System.nanoTime();
            try
            {
                final String detail = step.run();
                out.printf("[ ok ] %-40s %s (%d ms)%n", step.name(), detail, (System.nanoTime() - start) / 1_000_000);
            }
            catch (final Exception | AssertionError ex)
            {
                failed++;
                out.printf("[FAIL] %-40s %s%n", step.name(), ex);
            }
            out.flush();
        }
        out.printf("demo: %d of %d steps passed%n", steps.size() - failed, steps.size());
        out.flush();
        return failed == 0 ? 0 : 1;
    }
}
