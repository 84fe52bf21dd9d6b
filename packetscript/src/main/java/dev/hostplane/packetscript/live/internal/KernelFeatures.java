package dev.hostplane.packetscript.live.internal;

import dev.hostplane.packetscript.live.LiveRunner;
import dev.hostplane.packetscript.live.Precondition;
import com.sun.jna.Memory;
import dev.hostplane.packetscript.linux.Errno;
import dev.hostplane.packetscript.live.netns.NetNamespace;
import dev.hostplane.packetscript.live.internal.sys.LibC;
import dev.hostplane.packetscript.live.internal.sys.LinuxConstants;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/**
 * What this machine's kernel offers the scripts, probed on first use and remembered for the JVM's life: which
 * queueing disciplines {@code tc} can attach, which values the per-namespace {@code net.*} sysctls accept (the
 * congestion controls a namespace may select among them), and the tick rate (HZ). Every probe runs in a network
 * namespace of its own, made for probing and thrown away with the JVM: nothing is set in the host namespace.
 *
 * <p>Scripts whose {@link Precondition}s this kernel refuses and that fail without them are skipped with the reason
 * ({@link LiveRunner}), as kselftest skips a test whose kernel config is missing: the suites are written for
 * kernels with {@code sch_fq}, {@code cubic} allowed in namespaces and AccECN, and machines differ.
 */
public final class KernelFeatures
{
    private static final long COMMAND_TIMEOUT_MILLIS = 10_000L;
    private static volatile KernelFeatures current;

    private final Map<String, String> refusals = new ConcurrentHashMap<>();
    private NetNamespace probe;

    private KernelFeatures()
    {
    }

    /**
     * The kernel this JVM runs on.
     *
     * @return the (lazily probing) features.
     */
    public static KernelFeatures current()
    {
        KernelFeatures features = current;
        if (null == features)
        {
            synchronized (KernelFeatures.class)
            {
                features = current;
                if (null == features)
                {
                    features = new KernelFeatures();
                    current = features;
                }
            }
        }
        return features;
    }

    /**
     * Why this kernel cannot meet a precondition.
     *
     * @param precondition what a script asks.
     * @return null when the kernel meets it, else the reason (e.g. {@code qdisc fq: Specified qdisc kind is
     *     unknown.}).
     */
    public String refusal(final Precondition precondition)
    {
        final String key = precondition.what();
        final String cached = refusals.get(key);
        if (null != cached)
        {
            return cached.isEmpty() ? null : cached;
        }
        final String reason = Precondition.Kind.QDISC == precondition.kind() ?
            probeQdisc(precondition.name()) : probeSysctl(precondition.name(), precondition.value());
        refusals.put(key, null == reason ? "" : reason);
        return reason;
    }

    /**
     * The kernel's tick rate: {@code CONFIG_HZ} from {@code /proc/config.gz} or {@code /boot/config-*}.
     *
     * @return HZ, or 0 when no kernel config can be read.
     */
    public int hz()
    {
        final String release = osRelease();
        final List<Path> configs = List.of(Path.of("/proc/config.gz"), Path.of("/boot/config-" + release));
        for (final Path config : configs)
        {
            final String text = readConfig(config);
            for (final String line : text.split("\n"))
            {
                if (line.startsWith("CONFIG_HZ="))
                {
                    return Integer.parseInt(line.substring("CONFIG_HZ=".length()).strip());
                }
            }
        }
        return 0;
    }

    /**
     * One line for logs and test output: kernel release, HZ, and the congestion controls a namespace may select.
     *
     * @return the summary.
     */
    public String summary()
    {
        final List<String> selectable = new ArrayList<>();
        final List<String> refused = new ArrayList<>();
        for (final String name : readOrEmpty(Path.of("/proc/sys/net/ipv4/tcp_available_congestion_control"))
            .strip().split("\\s+"))
        {
            if (!name.isEmpty())
            {
                final Precondition select = new Precondition(Precondition.Kind.SYSCTL, Precondition.CONGESTION_CONTROL,
                    name, "probe", true);
                (null == refusal(select) ? selectable : refused).add(name);
            }
        }
        final Precondition fq = new Precondition(Precondition.Kind.QDISC, "fq", null, "probe", true);
        final int hz = hz();
        return "kernel " + osRelease() + ", HZ=" + (0 == hz ? "unknown" : hz) + ", qdisc fq " +
            (null == refusal(fq) ? "available" : "unavailable") + ", congestion controls a namespace may select: " +
            String.join(" ", selectable) + (refused.isEmpty() ? "" : " (refused: " + String.join(" ", refused) + ")");
    }

    private String probeQdisc(final String kind)
    {
        try
        {
            final NetNamespace.ExecResult result = namespace().exec(null, COMMAND_TIMEOUT_MILLIS,
                "tc", "qdisc", "replace", "dev", "lo", "root", kind);
            return 0 == result.exitStatus() ? null :
                "qdisc " + kind + ": " + firstLine(result.output(), "tc exit status " + result.exitStatus());
        }
        catch (final Exception ex)
        {
            return "qdisc " + kind + ": cannot run tc: " + ex.getMessage();
        }
    }

    /** Writes the value to /proc/sys in the probe namespace's owner thread, as sysctl(8) would in a script's. */
    private String probeSysctl(final String key, final String value)
    {
        final String path = "/proc/sys/" + key.replace('.', '/');
        try
        {
            final Integer errno = namespace().call(() -> writeProcSys(path, value));
            if (null == errno)
            {
                return null;
            }
            final String why = Errno.ENOENT.number() == errno ? "this kernel has no such sysctl" :
                Errno.describe(errno);
            final String allowed = Precondition.CONGESTION_CONTROL.equals(key) ?
                " (a namespace may select only: " +
                readOrEmpty(Path.of("/proc/sys/net/ipv4/tcp_allowed_congestion_control")).strip() + ")" : "";
            return key + "=" + value + ": " + why + allowed;
        }
        catch (final Exception ex)
        {
            return key + "=" + value + ": cannot probe: " + ex.getMessage();
        }
    }

    private static Integer writeProcSys(final String path, final String value)
    {
        final int fd = LibC.open(path, LinuxConstants.O_WRONLY | LinuxConstants.O_CLOEXEC, 0);
        if (fd < 0)
        {
            return LibC.errno();
        }
        try
        {
            final byte[] bytes = (value + "\n").getBytes(StandardCharsets.US_ASCII);
            final Memory buffer = new Memory(bytes.length);
            buffer.write(0, bytes, 0, bytes.length);
            return LibC.write(fd, buffer, bytes.length) < 0 ? LibC.errno() : null;
        }
        finally
        {
            LibC.close(fd);
        }
    }

    private synchronized NetNamespace namespace()
    {
        if (null == probe)
        {
            probe = NetNamespace.create("kernel-probe");
        }
        return probe;
    }

    private static String firstLine(final String text, final String otherwise)
    {
        final String stripped = text.strip();
        return stripped.isEmpty() ? otherwise : stripped.split("\n")[0].strip();
    }

    private static String osRelease()
    {
        return readOrEmpty(Path.of("/proc/sys/kernel/osrelease")).strip();
    }

    private static String readConfig(final Path config)
    {
        if (!Files.isReadable(config))
        {
            return "";
        }
        try (InputStream raw = Files.newInputStream(config);
             InputStream in = config.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw)
        {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.ISO_8859_1);
        }
        catch (final IOException ex)
        {
            return "";
        }
    }

    private static String readOrEmpty(final Path path)
    {
        try
        {
            return Files.readString(path, StandardCharsets.ISO_8859_1);
        }
        catch (final IOException ex)
        {
            return "";
        }
    }
}
