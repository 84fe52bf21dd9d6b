package dev.hostplane.vswitch.openflow;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TLS material for {@code ssl:}/{@code pssl:} OpenFlow connections, as Open vSwitch takes it
 * ({@code --private-key}, {@code --certificate}, {@code --ca-cert}): PEM files. Both sides present
 * a certificate and each checks the other's against the CA, as OVS does.
 *
 * @param privateKey PEM private key (PKCS#8).
 * @param certificate PEM certificate chain for that key.
 * @param caCertificate PEM CA certificate(s) that peers' certificates must chain to.
 */
public record OpenFlowTls(Path privateKey, Path certificate, Path caCertificate)
{
    /**
     * Checks that the files exist.
     *
     * @param privateKey key file.
     * @param certificate certificate file.
     * @param caCertificate CA file.
     */
    public OpenFlowTls
    {
        for (final Path p : new Path[] {privateKey, certificate, caCertificate})
        {
            if (p == null || !Files.isReadable(p))
            {
                throw new IllegalArgumentException("TLS file missing or unreadable: " + p);
            }
        }
    }
}
