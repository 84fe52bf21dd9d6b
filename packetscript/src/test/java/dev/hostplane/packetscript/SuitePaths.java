package dev.hostplane.packetscript;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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

    public static List<Path> scripts()
    {
        try (Stream<Path> files = Files.walk(root()))
        {
            return files.filter(p -> p.toString().endsWith(".pkt")).sorted().collect(Collectors.toList());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
