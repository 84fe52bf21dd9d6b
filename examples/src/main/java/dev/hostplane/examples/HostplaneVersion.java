package dev.hostplane.examples;

import picocli.CommandLine;

/**
 * Reports the launcher's version from the jar manifest, falling back to "development build"
 * when running from classes.
 */
public final class HostplaneVersion implements CommandLine.IVersionProvider
{
    @Override
    public String[] getVersion()
    {
        final String version = Hostplane.class.getPackage().getImplementationVersion();
        return new String[] {
            "hostplane " + (version == null ? "development build" : version),
            "JVM: ${java.version} (${java.vendor} ${java.vm.name} ${java.vm.version})",
        };
    }
}
