package dev.hostplane.vswitch.openflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.hostplane.vswitch.SwitchConfig;
import dev.hostplane.vswitch.VirtualSwitch;
import dev.hostplane.vswitch.testing.Host;
import dev.hostplane.vswitch.testing.OfCtl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenFlow over TLS with real peers and certificates made by the openssl tool: {@code pssl:} with
 * {@code ovs-ofctl ... ssl:} (mutual authentication against one CA, as Open vSwitch does; an
 * untrusted client and a plain-TCP client are refused), and {@code ssl:} out to os-ken's TLS
 * listener.
 */
class OpenFlowTlsTest
{
    @Test
    void shouldServeOvsOfctlOverTlsAndConnectToOsKenOverTls(@TempDir final Path dir) throws Exception
    {
        OfCtl.assumeInstalled();
        final boolean openssl = Host.hasTool("openssl");
        if (!openssl)
        {
            System.out.println("SKIPPED (OpenFlow TLS test): openssl missing");
        }
        assumeTrue(openssl, "openssl missing");
        final Path ca = certificateAuthority(dir, "ca");
        final Path other = certificateAuthority(dir, "otherca");
        signed(dir, "ca", "switch");
        signed(dir, "ca", "ctl");
        signed(dir, "otherca", "intruder");
        final OpenFlowTls tls = new OpenFlowTls(dir.resolve("switch.key"), dir.resolve("switch.pem"), ca);

        try (VirtualSwitch sw = new VirtualSwitch(SwitchConfig.builder().build()))
        {
            sw.addEndpointPort("t1");
            sw.start();
            try (OpenFlowAgent agent = OpenFlowAgent.builder(sw).listen(OpenFlowTarget.parse("pssl:0:127.0.0.1"))
                .tls(tls).datapathId(0x55).build().start())
            {
                final String target = "ssl:127.0.0.1:" + agent.listenAddresses().get(0).getPort();
                final OfCtl ofctl = new OfCtl(target, "--private-key=" + dir.resolve("ctl.key"),
                    "--certificate=" + dir.resolve("ctl.pem"), "--ca-cert=" + ca);
                assertThat(ofctl.ok("show")).contains("dpid:0000000000000055").contains("1(t1)");
                ofctl.ok("add-flow", "in_port=1,actions=drop");
                assertThat(ofctl.ok("dump-flows")).contains("in_port=1 actions=drop");

                final OfCtl intruder = new OfCtl(target, "--private-key=" + dir.resolve("intruder.key"),
                    "--certificate=" + dir.resolve("intruder.pem"), "--ca-cert=" + other);
                assertThat(intruder.run("show").exitCode()).as("a client with an untrusted certificate").isNotZero();
                final OfCtl plain = new OfCtl("tcp:127.0.0.1:" + agent.listenAddresses().get(0).getPort());
                assertThat(plain.run("show").exitCode()).as("plain TCP to the TLS port").isNotZero();
                assertThat(sw.dumpFlows()).hasSize(1);
            }

            if (!Host.hasTool("osken-manager"))
            {
                System.out.println("SKIPPED (active ssl: part): osken-manager missing (Debian python3-os-ken)");
                return;
            }
            final Path app = dir.resolve("l2_learning.py");
            try (InputStream in = getClass().getResourceAsStream("/openflow/l2_learning.py"))
            {
                Files.copy(in, app);
            }
            final int port = Host.freePort();
            final File log = dir.resolve("osken.log").toFile();
            final Process controller = Host.start(log, "osken-manager", "--ofp-listen-host", "127.0.0.1",
                "--ofp-ssl-listen-port", Integer.toString(port), "--ofp-tcp-listen-port", Integer.toString(Host.freePort()),
                "--ctl-privkey", dir.resolve("ctl.key").toString(), "--ctl-cert", dir.resolve("ctl.pem").toString(),
                "--ca-certs", ca.toString(), app.toString());
            try
            {
                assertThat(Host.awaitListening(null, port, 30_000)).as(Files.readString(log.toPath())).isTrue();
                try (OpenFlowAgent agent = OpenFlowAgent.builder(sw).controller(OpenFlowTarget.parse("ssl:127.0.0.1:" +
                    port)).tls(tls).datapathId(0x56).build().start())
                {
                    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (!Files.readString(log.toPath()).contains("CONNECTED dpid=0000000000000056") &&
                        System.nanoTime() < deadline)
                    {
                        Thread.sleep(50);
                    }
                    assertThat(Files.readString(log.toPath())).contains("CONNECTED dpid=0000000000000056");
                    assertThat(agent.stats().connections()).isEqualTo(1);
                }
            }
            finally
            {
                Host.stop(controller);
            }
        }
    }

    private static Path certificateAuthority(final Path dir, final String name)
    {
        Host.runOk("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=" + name,
            "-keyout", dir.resolve(name + ".key").toString(), "-out", dir.resolve(name + ".pem").toString());
        return dir.resolve(name + ".pem");
    }

    private static void signed(final Path dir, final String ca, final String name)
    {
        Host.runOk("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=" + name,
            "-keyout", dir.resolve(name + ".key").toString(), "-out", dir.resolve(name + ".csr").toString());
        Host.runOk("openssl", "x509", "-req", "-in", dir.resolve(name + ".csr").toString(), "-days", "2",
            "-CA", dir.resolve(ca + ".pem").toString(), "-CAkey", dir.resolve(ca + ".key").toString(),
            "-CAcreateserial", "-out", dir.resolve(name + ".pem").toString());
    }
}
