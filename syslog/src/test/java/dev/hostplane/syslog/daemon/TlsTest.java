package dev.hostplane.syslog.daemon;

import static dev.hostplane.syslog.daemon.DaemonTestSupport.await;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.lineCount;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.run;
import static dev.hostplane.syslog.daemon.DaemonTestSupport.sendSeq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSocket;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import dev.hostplane.syslog.internal.tls.PemFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS (RFC 5425) on imtcp and omfwd with rsyslog's syntax. Certificates come from {@code openssl}
 * (a CA, a server cert for localhost, a client cert, one with a name nobody permits, an expired one
 * and a self-signed one). Interop runs both ways against rsyslogd 8.2302 with its GnuTLS ({@code gtls})
 * and OpenSSL ({@code ossl}) drivers: the files written at the far end must be byte-identical. Peers
 * that must be refused are refused by both daemons, and ours counts them with the reason.
 */
class TlsTest
{
    private static final int N = 2000;
    private static final String TEMPLATE = DaemonTestSupport.LINE_TEMPLATE;

    @TempDir
    static Path certs;
    @TempDir
    Path dir;

    @BeforeAll
    static void makeCertificates() throws Exception
    {
        assumeThat(run(certs, "openssl", "version")).as("openssl (apt-get install -y openssl)").isTrue();
        assertThat(run(certs, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key",
            "-out", "ca.pem", "-days", "3650", "-subj", "/CN=hostplane test CA")).isTrue();
        issue("server", "localhost", "DNS:localhost,IP:127.0.0.1", null);
        issue("client", "client.example.net", "DNS:client.example.net", null);
        issue("intruder", "intruder.example.org", "DNS:intruder.example.org", null);
        // A client certificate whose extended key usage allows server use only.
        issue("serveronly", "client.example.net", "DNS:client.example.net\nextendedKeyUsage=serverAuth", null);
        // A client certificate issued by an intermediate CA: presented with both CAs, a chain of three.
        Files.writeString(certs.resolve("inter.ext"), "basicConstraints=critical,CA:true\nkeyUsage=keyCertSign,cRLSign\n");
        assertThat(run(certs, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "inter.key", "-out",
            "inter.csr", "-subj", "/CN=hostplane test intermediate CA")).isTrue();
        assertThat(run(certs, "openssl", "x509", "-req", "-in", "inter.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "inter.pem", "-days", "3650", "-extfile", "inter.ext")).isTrue();
        Files.writeString(certs.resolve("deep.ext"), "subjectAltName=DNS:client.example.net\n");
        assertThat(run(certs, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "deep.key", "-out",
            "deep.csr", "-subj", "/CN=client.example.net")).isTrue();
        assertThat(run(certs, "openssl", "x509", "-req", "-in", "deep.csr", "-CA", "inter.pem", "-CAkey", "inter.key",
            "-CAcreateserial", "-out", "deep-leaf.pem", "-days", "3650", "-extfile", "deep.ext")).isTrue();
        Files.writeString(certs.resolve("deep.pem"), Files.readString(certs.resolve("deep-leaf.pem")) +
            Files.readString(certs.resolve("inter.pem")) + Files.readString(certs.resolve("ca.pem")));
        if (run(certs, "faketime", "2020-01-01", "true"))
        {
            issue("expired", "client.example.net", "DNS:client.example.net", "2020-01-01");
        }
        else
        {
            System.out.println("SKIP TlsTest expired-certificate case: faketime not installed (apt-get install -y faketime)");
        }
        assertThat(run(certs, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "selfsigned.key",
            "-out", "selfsigned.pem", "-days", "3650", "-subj", "/CN=client.example.net", "-addext",
            "subjectAltName=DNS:client.example.net")).isTrue();
        // GnuTLS's certtool and older openssl write PKCS#1 keys: our sender reads that form.
        assertThat(run(certs, "openssl", "rsa", "-in", "client.key", "-traditional", "-out", "client-pkcs1.key")).isTrue();
        assertThat(Files.readString(certs.resolve("client-pkcs1.key"))).contains("BEGIN RSA PRIVATE KEY");
    }

    private static void issue(final String name, final String cn, final String san, final String fakeDate)
        throws Exception
    {
        Files.writeString(certs.resolve(name + ".ext"), "subjectAltName=" + san + "\n");
        assertThat(run(certs, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out",
            name + ".csr", "-subj", "/CN=" + cn)).isTrue();
        final List<String> sign = new ArrayList<>();
        if (null != fakeDate)
        {
            sign.add("faketime");
            sign.add(fakeDate);
        }
        sign.addAll(List.of("openssl", "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", name + ".pem", "-days", null == fakeDate ? "3650" : "2", "-extfile", name + ".ext"));
        assertThat(run(certs, sign.toArray(new String[0]))).isTrue();
    }

    private static String cert(final String name)
    {
        return certs.resolve(name).toString();
    }

    private static String globalTls(final String driver, final String certName)
    {
        return "global(defaultNetstreamDriver=\"" + driver + "\" defaultNetstreamDriverCAFile=\"" + cert("ca.pem") +
            "\" defaultNetstreamDriverCertFile=\"" + cert(certName + ".pem") + "\" defaultNetstreamDriverKeyFile=\"" +
            cert(certName + ".key") + "\")\n";
    }

    /** A TLS listener that takes only client.example.net, certificates checked against the CA. */
    private static String tlsListener(final String portFile)
    {
        return "module(load=\"imtcp\" streamDriver.name=\"DRIVER\" streamDriver.mode=\"1\" " +
            "streamDriver.authMode=\"x509/name\" permittedPeer=[\"client.example.net\"])\n" +
            "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\"" +
            (null == portFile ? "" : " listenPortFileName=\"" + portFile + "\"") + ")\n";
    }

    private static String tlsForward(final int port, final String peer)
    {
        return "action(type=\"omfwd\" target=\"127.0.0.1\" port=\"" + port + "\" protocol=\"tcp\" " +
            "StreamDriver=\"DRIVER\" StreamDriverMode=\"1\" StreamDriverAuthMode=\"x509/name\" " +
            "StreamDriverPermittedPeers=\"" + peer + "\" action.resumeInterval=\"1\")\n";
    }

    @ParameterizedTest
    @ValueSource(strings = {"gtls", "ossl"})
    void shouldInteroperateWithRsyslogdBothWays(final String driver) throws Exception
    {
        assumeThat(Rsyslogd.available()).isTrue();
        assumeThat(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_" + driver + ".so")))
            .as("rsyslog-%s installed (apt-get install -y rsyslog-%s)", driver.equals("gtls") ? "gnutls" : "openssl",
                driver.equals("gtls") ? "gnutls" : "openssl").isTrue();
        // Ours -> theirs: plain TCP into our daemon, omfwd over TLS into rsyslogd's TLS listener.
        final Path theirs = dir.resolve("theirs.log");
        final Path ours = dir.resolve("ours.log");
        try (Rsyslogd r = Rsyslogd.start(dir.resolve("rsyslogd-rx"), globalTls(driver, "server") +
            tlsListener(dir.resolve("rsyslogd-rx/port").toString()).replace("DRIVER", driver) + TEMPLATE +
            "action(type=\"omfile\" file=\"" + theirs + "\" template=\"t\")\n"))
        {
            final int port = r.port("port");
            try (SyslogDaemon sender = DaemonTestSupport.start(globalTls(driver, "client").replace("client.key",
                "client-pkcs1.key") + "module(load=\"imtcp\")\ninput(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\")\n" +
                tlsForward(port, "localhost").replace("DRIVER", driver));
                Socket s = new Socket("127.0.0.1", sender.ports().get(0)))
            {
                sendSeq(s.getOutputStream(), 0, N);
                assertThat(await(() -> lineCount(theirs) == N)).as("rsyslogd (%s) wrote what we sent over TLS: %s",
                    driver, lineCount(theirs)).isTrue();
            }
        }
        // Theirs -> ours: plain TCP into rsyslogd, its omfwd over TLS into our TLS listener.
        try (SyslogDaemon receiver = DaemonTestSupport.start(globalTls(driver, "server") +
            tlsListener(null).replace("DRIVER", driver) + TEMPLATE +
            "action(type=\"omfile\" file=\"" + ours + "\" template=\"t\")\n");
            Rsyslogd r = Rsyslogd.start(dir.resolve("rsyslogd-tx"), globalTls(driver, "client") +
                "module(load=\"imtcp\")\ninput(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\" listenPortFileName=\"" +
                dir.resolve("rsyslogd-tx/port") + "\")\n" + tlsForward(receiver.ports().get(0), "localhost")
                .replace("DRIVER", driver).replace(" action.resumeInterval=\"1\"", "")))
        {
            try (Socket s = new Socket("127.0.0.1", r.port("port")))
            {
                sendSeq(s.getOutputStream(), 0, N);
            }
            assertThat(await(() -> lineCount(ours) == N)).as("we wrote what rsyslogd (%s) sent over TLS: %s", driver,
                lineCount(ours)).isTrue();
            assertThat(receiver.inputCounters().get(0).tlsRefused()).isZero();
        }
        assertThat(Files.readAllBytes(ours)).as("byte-identical far-end files").isEqualTo(Files.readAllBytes(theirs));
        assertThat(DaemonTestSupport.seqNumbers(ours)).isEqualTo(DaemonTestSupport.range(0, N));
    }

    /** RELP's TLS parameters (librelp's names) for one side: own certificate, CA, peer check by name. */
    private static String relpTls(final String own, final String peer)
    {
        return "tls=\"on\" tls.cacert=\"" + cert("ca.pem") + "\" tls.mycert=\"" + cert(own + ".pem") +
            "\" tls.myprivkey=\"" + cert(own + ".key") + "\" tls.authmode=\"name\" tls.permittedpeer=[\"" + peer +
            "\"]";
    }

    @ParameterizedTest
    @ValueSource(strings = {"gnutls", "openssl"})
    void shouldCarryRelpOverTlsBothWaysWithRsyslogd(final String tlsLib) throws Exception
    {
        assumeThat(Rsyslogd.available()).isTrue();
        assumeThat(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/rsyslog/imrelp.so")))
            .as("rsyslog-relp installed (apt-get install -y rsyslog-relp)").isTrue();
        final int n = 1000;
        final Path theirs = dir.resolve("theirs.log");
        final Path ours = dir.resolve("ours.log");
        // Ours -> theirs: our omrelp over TLS into rsyslogd's imrelp TLS listener (librelp on tlsLib).
        final int relpPort = freePort();
        try (Rsyslogd r = Rsyslogd.start(dir.resolve("rsyslogd-rx"), "module(load=\"imrelp\" tls.tlslib=\"" + tlsLib +
            "\")\ninput(type=\"imrelp\" address=\"127.0.0.1\" port=\"" + relpPort + "\" " +
            relpTls("server", "client.example.net") + ")\n" + TEMPLATE +
            "action(type=\"omfile\" file=\"" + theirs + "\" template=\"t\")\n"))
        {
            try (SyslogDaemon sender = DaemonTestSupport.start("module(load=\"imtcp\")\nmodule(load=\"omrelp\")\n" +
                "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\")\naction(type=\"omrelp\" target=\"127.0.0.1\" " +
                "port=\"" + relpPort + "\" action.resumeInterval=\"1\" action.resumeRetryCount=\"-1\" " +
                relpTls("client", "localhost").replace("client.key", "client-pkcs1.key") + ")\n");
                Socket s = new Socket("127.0.0.1", sender.ports().get(0)))
            {
                sendSeq(s.getOutputStream(), 0, n);
                assertThat(await(() -> lineCount(theirs) == n)).as("rsyslogd's imrelp (%s) wrote what our omrelp " +
                    "sent over TLS: %s", tlsLib, lineCount(theirs)).isTrue();
            }
        }
        // Theirs -> ours: rsyslogd's omrelp over TLS into our imrelp TLS listener.
        try (SyslogDaemon receiver = DaemonTestSupport.start("module(load=\"imrelp\")\ninput(type=\"imrelp\" " +
            "address=\"127.0.0.1\" port=\"0\" " + relpTls("server", "client.example.net") + ")\n" + TEMPLATE +
            "action(type=\"omfile\" file=\"" + ours + "\" template=\"t\")\n");
            Rsyslogd r = Rsyslogd.start(dir.resolve("rsyslogd-tx"), "module(load=\"imtcp\")\nmodule(load=\"omrelp\" " +
                "tls.tlslib=\"" + tlsLib + "\")\ninput(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\" " +
                "listenPortFileName=\"" + dir.resolve("rsyslogd-tx/port") + "\")\naction(type=\"omrelp\" " +
                "target=\"127.0.0.1\" port=\"" + receiver.ports().get(0) + "\" action.resumeInterval=\"1\" " +
                relpTls("client", "localhost") + ")\n"))
        {
            try (Socket s = DaemonTestSupport.connect(r.port("port")))
            {
                sendSeq(s.getOutputStream(), 0, n);
            }
            assertThat(await(() -> lineCount(ours) == n)).as("our imrelp wrote what rsyslogd's omrelp (%s) sent " +
                "over TLS: %s", tlsLib, lineCount(ours)).isTrue();
            // A plain RELP client and a certificate with a name nobody permits: refused and counted.
            sendRefused(receiver.ports().get(0), List.<String[]>of(new String[] {"intruder.pem", "intruder.key"}));
            assertThat(await(() -> receiver.inputCounters().get(0).tlsRefused() == 2))
                .as("refused: %s", receiver.inputCounters().get(0)).isTrue();
        }
        assertThat(Files.readAllBytes(ours)).as("byte-identical far-end files").isEqualTo(Files.readAllBytes(theirs));
        assertThat(DaemonTestSupport.seqNumbers(ours)).isEqualTo(DaemonTestSupport.range(0, n));
    }

    @Test
    void shouldRefuseRelpTlsThatTheJdkCannotSpeakAtLoad() throws Exception
    {
        final Path conf = dir.resolve("anon.conf");
        Files.writeString(conf, "module(load=\"imrelp\")\ninput(type=\"imrelp\" port=\"0\" tls=\"on\")\n");
        assertThatThrownBy(() -> SyslogDaemon.builder().configFile(conf).start().close())
            .hasMessageContaining(conf + ":2:").hasMessageContaining("tls.mycert")
            .hasMessageContaining("anonymous Diffie-Hellman");
        Files.writeString(conf, "module(load=\"omrelp\")\naction(type=\"omrelp\" target=\"127.0.0.1\" tls=\"on\" " +
            "tls.mycert=\"" + cert("client.pem") + "\" tls.myprivkey=\"" + cert("client.key") +
            "\" tls.prioritystring=\"NORMAL:-VERS-TLS1.0\")\n");
        assertThatThrownBy(() -> SyslogDaemon.builder().configFile(conf).start().close())
            .hasMessageContaining(conf + ":2:").hasMessageContaining("tls.prioritystring");
    }

    private static int freePort() throws IOException
    {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return s.getLocalPort();
        }
    }

    @Test
    void shouldRefuseWrongNameExpiredSelfSignedAndPlainPeersLikeRsyslogd() throws Exception
    {
        final List<String[]> bad = new ArrayList<>();
        bad.add(new String[] {"intruder.pem", "intruder.key", "not permitted"});
        if (Files.exists(certs.resolve("expired.pem")))
        {
            bad.add(new String[] {"expired.pem", "expired.key", "NotAfter"});
        }
        bad.add(new String[] {"selfsigned.pem", "selfsigned.key", "certification path"});
        final Path ours = dir.resolve("ours.log");
        try (SyslogDaemon d = DaemonTestSupport.start(globalTls("gtls", "server") + tlsListener(null)
            .replace("DRIVER", "gtls") + TEMPLATE + "action(type=\"omfile\" file=\"" + ours + "\" template=\"t\")\n"))
        {
            final int port = d.ports().get(0);
            sendRefused(port, bad);
            assertThat(await(() -> d.inputCounters().get(0).tlsRefused() == bad.size() + 1))
                .as("refused and counted: %s", d.inputCounters().get(0)).isTrue();
            sendTls(port, "client.pem", "client.key", "good");
            assertThat(await(() -> lineCount(ours) == 1)).isTrue();
            assertThat(Files.readString(ours)).isEqualTo(" good\n");
            assertThat(d.inputCounters().get(0).tlsRefused()).isEqualTo(bad.size() + 1);
        }

        // The same peers against rsyslogd's GnuTLS listener: it takes only the permitted one too.
        if (Rsyslogd.available())
        {
            final Path theirs = dir.resolve("theirs.log");
            try (Rsyslogd r = Rsyslogd.start(dir.resolve("rsyslogd"), globalTls("gtls", "server") +
                tlsListener(dir.resolve("rsyslogd/port").toString()).replace("DRIVER", "gtls") + TEMPLATE +
                "action(type=\"omfile\" file=\"" + theirs + "\" template=\"t\")\n"))
            {
                final int port = r.port("port");
                sendRefused(port, bad);
                sendTls(port, "client.pem", "client.key", "good");
                assertThat(await(() -> lineCount(theirs) == 1)).isTrue();
                TimeUnit.MILLISECONDS.sleep(500);
            }
            assertThat(Files.readString(theirs)).isEqualTo(Files.readString(ours));
        }
    }

    /** Our gtls listener with a peer check and extra module options; writes each message's text to {@code out}. */
    private static SyslogDaemon listener(final Path out, final String authMode, final String peer, final String options)
    {
        return DaemonTestSupport.start(globalTls("gtls", "server") + "module(load=\"imtcp\" streamDriver.name=\"gtls\" " +
            "streamDriver.mode=\"1\" streamDriver.authMode=\"" + authMode + "\" permittedPeer=[\"" + peer + "\"] " +
            options + ")\ninput(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\")\n" + TEMPLATE +
            "action(type=\"omfile\" file=\"" + out + "\" template=\"t\")\n");
    }

    /** Sends one message with a client certificate; true when it reached the file, false when refused. */
    private static boolean taken(final SyslogDaemon d, final Path out, final String certName) throws Exception
    {
        final long refused = d.inputCounters().get(0).tlsRefused();
        final int before = lineCount(out);
        sendTls(d.ports().get(0), certName + ".pem", certName + ".key", "from " + certName);
        assertThat(await(() -> lineCount(out) > before || d.inputCounters().get(0).tlsRefused() > refused))
            .as("%s taken or refused", certName).isTrue();
        return lineCount(out) > before;
    }

    @Test
    void shouldTakeAnExpiredCertificateOnlyWhenPermitExpiredCertsSaysSo() throws Exception
    {
        assumeThat(Files.exists(certs.resolve("expired.pem"))).as("faketime made an expired certificate").isTrue();
        for (final String setting : List.of("off", "warn", "on"))
        {
            final Path out = dir.resolve(setting + ".log");
            try (SyslogDaemon d = listener(out, "x509/name", "client.example.net",
                "streamDriver.permitExpiredCerts=\"" + setting + "\""))
            {
                assertThat(taken(d, out, "expired")).as("permitExpiredCerts=%s", setting).isEqualTo(!"off".equals(setting));
                assertThat(taken(d, out, "selfsigned")).as("not expired but from no CA: refused with %s", setting)
                    .isFalse();
            }
        }
    }

    @Test
    void shouldRefuseACertificateForTheWrongPurposeWhenCheckExtendedKeyPurposeIsOn() throws Exception
    {
        // Fingerprint mode: no CA check, so only this option looks at the key purpose.
        final String peers = fingerprint("serveronly.pem") + "\", \"" + fingerprint("client.pem");
        final Path off = dir.resolve("off.log");
        try (SyslogDaemon d = listener(off, "x509/fingerprint", peers, ""))
        {
            assertThat(taken(d, off, "serveronly")).as("no purpose check by default").isTrue();
        }
        final Path on = dir.resolve("on.log");
        try (SyslogDaemon d = listener(on, "x509/fingerprint", peers, "streamDriver.checkExtendedKeyPurpose=\"on\""))
        {
            assertThat(taken(d, on, "serveronly")).as("server-only certificate from a sender").isFalse();
            assertThat(taken(d, on, "client")).as("no extended key usage: not restricted, as in GnuTLS").isTrue();
        }
    }

    @Test
    void shouldRefuseAChainLongerThanTlsVerifyDepth() throws Exception
    {
        final Path deflt = dir.resolve("default.log");
        try (SyslogDaemon d = listener(deflt, "x509/name", "client.example.net", ""))
        {
            assertThat(taken(d, deflt, "deep")).as("three certificates, default depth 10").isTrue();
        }
        final Path two = dir.resolve("two.log");
        try (SyslogDaemon d = listener(two, "x509/name", "client.example.net", "streamDriver.TlsVerifyDepth=\"2\""))
        {
            assertThat(taken(d, two, "deep")).as("three certificates, tlsVerifyDepth=2").isFalse();
            assertThat(taken(d, two, "client")).as("one certificate").isTrue();
        }
    }

    @Test
    void shouldNotSendToAServerWhoseNameIsNotPermittedAndSendOnceItIs() throws Exception
    {
        final Path ours = dir.resolve("ours.log");
        try (SyslogDaemon receiver = DaemonTestSupport.start(globalTls("ossl", "server") +
            "module(load=\"imtcp\" streamDriver.name=\"ossl\" streamDriver.mode=\"1\" streamDriver.authMode=\"anon\")\n" +
            "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\")\n" + TEMPLATE +
            "action(type=\"omfile\" file=\"" + ours + "\" template=\"t\")\n"))
        {
            final int port = receiver.ports().get(0);
            try (SyslogDaemon wrong = DaemonTestSupport.start(globalTls("ossl", "client") +
                "module(load=\"imtcp\")\ninput(type=\"imtcp\" address=\"127.0.0.1\" port=\"0\")\n" +
                tlsForward(port, "someone.else.example.net").replace("DRIVER", "ossl"));
                Socket s = new Socket("127.0.0.1", wrong.ports().get(0)))
            {
                sendSeq(s.getOutputStream(), 0, 10);
                assertThat(await(() -> wrong.actionCounters().get(0).suspended())).isTrue();
                assertThat(wrong.actionCounters().get(0).lastError()).contains("not permitted").contains("localhost");
                assertThat(lineCount(ours)).as("nothing goes to a server we do not trust").isZero();
            }
            // Fingerprint mode: no CA needed, the server's SHA-1 fingerprint is the permitted peer.
            final String fp = fingerprint("server.pem");
            try (SyslogDaemon right = DaemonTestSupport.start("module(load=\"imtcp\")\ninput(type=\"imtcp\" " +
                "address=\"127.0.0.1\" port=\"0\")\naction(type=\"omfwd\" target=\"127.0.0.1\" port=\"" + port +
                "\" protocol=\"tcp\" StreamDriver=\"ossl\" StreamDriverMode=\"1\" StreamDriverAuthMode=" +
                "\"x509/fingerprint\" StreamDriverPermittedPeers=\"" + fp + "\")\n");
                Socket s = new Socket("127.0.0.1", right.ports().get(0)))
            {
                sendSeq(s.getOutputStream(), 0, 10);
                assertThat(await(() -> lineCount(ours) == 10)).isTrue();
            }
        }
    }

    @Test
    void shouldRunTlsConfiguredWithTheLegacyDirectives() throws Exception
    {
        final Path ours = dir.resolve("ours.log");
        final String defaults = "$DefaultNetstreamDriver gtls\n$DefaultNetstreamDriverCAFile " + cert("ca.pem") +
            "\n$DefaultNetstreamDriverCertFile " + cert("NAME.pem") + "\n$DefaultNetstreamDriverKeyFile " +
            cert("NAME.key") + "\n$ModLoad imtcp\n";
        try (SyslogDaemon receiver = DaemonTestSupport.start(defaults.replace("NAME", "server") +
            "$InputTCPServerStreamDriverMode 1\n$InputTCPServerStreamDriverAuthMode x509/name\n" +
            "$InputTCPServerStreamDriverPermittedPeer client.example.net\n$InputTCPServerRun 0\n" +
            "$template t,\"%msg%\\n\"\n*.* " + ours + ";t\n"))
        {
            final int port = receiver.ports().get(0);
            try (SyslogDaemon sender = DaemonTestSupport.start(defaults.replace("NAME", "client") +
                "$InputTCPServerRun 0\n$ActionSendStreamDriverMode 1\n$ActionSendStreamDriverAuthMode x509/name\n" +
                "$ActionSendStreamDriverPermittedPeer localhost\n*.* @@127.0.0.1:" + port + "\n");
                Socket s = new Socket("127.0.0.1", sender.ports().get(0)))
            {
                sendSeq(s.getOutputStream(), 0, 100);
                assertThat(await(() -> lineCount(ours) == 100)).as("legacy TLS sender to legacy TLS listener").isTrue();
            }
            sendRefused(port, List.<String[]>of(new String[] {"intruder.pem", "intruder.key"}));
            assertThat(await(() -> receiver.inputCounters().get(0).tlsRefused() == 2))
                .as("the listener is TLS with x509/name: a plain sender and a wrong name are refused").isTrue();
        }
        assertThat(DaemonTestSupport.seqNumbers(ours)).isEqualTo(DaemonTestSupport.range(0, 100));
        final Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, "$ModLoad imtcp\n$DefaultNetstreamDriver tls\n");
        assertThatThrownBy(() -> SyslogDaemon.builder().configFile(bad).start().close())
            .hasMessageContaining(bad + ":2").hasMessageContaining("unknown netstream driver 'tls'");
    }

    private static String fingerprint(final String pem) throws Exception
    {
        final Process p = new ProcessBuilder("openssl", "x509", "-in", cert(pem), "-noout", "-fingerprint", "-sha1")
            .redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        p.waitFor();
        // "SHA1 Fingerprint=AB:CD:..." -> rsyslog's "SHA1:AB:CD:..."
        return "SHA1:" + out.substring(out.indexOf('=') + 1);
    }

    /** Each bad certificate, then a plain-TCP sender, each trying to send one message. */
    private static void sendRefused(final int port, final List<String[]> bad) throws Exception
    {
        for (final String[] b : bad)
        {
            sendTls(port, b[0], b[1], "refused " + b[0]);
        }
        try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), port))
        {
            plain.getOutputStream().write("<13>Nov 26 10:00:00 h app: plain\n".getBytes(StandardCharsets.US_ASCII));
            plain.getOutputStream().flush();
            plain.setSoTimeout(5000);
            try
            {
                plain.getInputStream().read();
            }
            catch (final IOException expected)
            {
                // Reset or timeout: refused either way.
            }
        }
    }

    /** A JDK TLS client with the given certificate that trusts any server, sends one message, waits for the close. */
    private static void sendTls(final int port, final String certFile, final String keyFile, final String text)
        throws Exception
    {
        final JdkSslContext ctx = (JdkSslContext)SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
            .keyManager(PemFiles.privateKey(cert(keyFile)), PemFiles.certificates(cert(certFile))
                .toArray(new java.security.cert.X509Certificate[0]))
            .trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        try (SSLSocket s = (SSLSocket)ctx.context().getSocketFactory().createSocket("127.0.0.1", port))
        {
            s.setSoTimeout(5000);
            final OutputStream o = s.getOutputStream();
            o.write(("<13>Nov 26 10:00:00 h app: " + text + "\n").getBytes(StandardCharsets.US_ASCII));
            o.flush();
            s.shutdownOutput();
            s.getInputStream().read();
        }
        catch (final IOException refused)
        {
            // The server refused us (alert or reset): what the refused cases expect.
        }
    }
}
