package dev.hostplane.examples;

import org.slf4j.LoggerFactory;

/**
 * Says, in one line at start, that the JVM start-up cache {@code bin/hostplane} chose (an AOT cache on
 * JDK 25+, a class-data-sharing archive with {@code HOSTPLANE_JVM_CACHE=cds}) could not be used.
 *
 * <p>A JVM that cannot map its cache (truncated or damaged file, a cache recorded for other jars or
 * flags) starts without it, only slower; the launcher turns the JVM's own multi-line report off and
 * names the cache in {@value #PROPERTY}, and this check reports the fallback with its fix instead.
 */
final class JvmStartupCache
{
    /** System property the launcher sets to the cache file it passed to the JVM. */
    static final String PROPERTY = "hostplane.jvm.cache";

    private JvmStartupCache()
    {
    }

    /** Logs one warning when a cache was passed and the JVM runs without any shared archive. */
    static void warnIfUnused()
    {
        final String message = unusedMessage(System.getProperty(PROPERTY), System.getProperty("java.vm.info", ""));
        if (null != message)
        {
            // Only on this path: the logger's classes are not worth loading on every start.
            LoggerFactory.getLogger(Hostplane.class).warn(message);
        }
    }

    /**
     * The warning for a cache the JVM did not map, or null when there was none or it is in use.
     *
     * @param cache  the cache file the launcher passed, or null.
     * @param vmInfo the JVM's {@code java.vm.info}, which names "sharing" while any archive is mapped.
     * @return the one-line warning, or null.
     */
    static String unusedMessage(final String cache, final String vmInfo)
    {
        if (null == cache || cache.isEmpty() || vmInfo.contains("sharing"))
        {
            return null;
        }
        return "start-up cache " + cache + " is not usable by this JVM, started without it (slower start): " +
            "rebuild it with 'mvn -B -DskipTests package' on this JDK, see why with HOSTPLANE_JAVA_OPTS=-Xlog:aot " +
            "(JDK 25+) or -Xlog:cds, or skip it with HOSTPLANE_JVM_CACHE=off";
    }
}
