package dev.hostplane.packetscript;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * Locates the shared upstream packetdrill suite ({@code hostplane.shared} system property, else
 * {@code ../../shared} from the module directory).
 */
public final class SuitePaths
{
    /** The definitions run_all.py passes in ipv4 mode. */
    public static final Map<String, String> IPV4_DEFINITIONS = Map.of(
        "TFO_COOKIE", "3021b9d889017eeb",
        "CODE", "host_unreachable",
        "CMSG_LEVEL_IP", "SOL_IP",
        "CMSG_TYPE_RECVERR", "IP_RECVERR");

    private SuitePaths()
    {
    }

    public static Path root()
    {
        final String shared = System.getProperty("hostplane.shared", "../../shared");
        return Path.of(shared, "conformance", "packetdrill");
    }

    /**
     * The suite's root, or a skipped test (with the reason printed) when {@code ../shared} is not
     * beside the checkout: only the conformance tests need it.
     *
     * @return the suite's root directory.
     */
    public static Path requireSuite()
    {
        final Path root = root();
        if (!Files.isDirectory(root))
        {
            final String reason = "no packetdrill suite at " + root.toAbsolutePath().normalize() +
                " (the shared data directory is not beside the checkout)";
            System.out.println("SKIPPED " + reason);
            Assumptions.assumeTrue(false, reason);
        }
        return root;
    }

    public static List<Path> scripts()
    {
        try (Stream<Path> files = Files.walk(requireSuite()))
        {
            return files.filter(p -> p.toString().endsWith(".pkt")).sorted().collect(Collectors.toList());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
