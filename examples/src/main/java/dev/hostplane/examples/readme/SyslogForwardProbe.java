package dev.hostplane.examples.readme;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import dev.hostplane.syslog.SyslogEngine;

/**
 * Not a README snippet: the check behind the syslog row of the README's flag table. An engine
 * forwards one message over TCP ({@code @@host:port}, omfwd) to a loopback listener; with
 * {@code sun.nio.ch} exported it confirms delivery by the peer's acknowledgements, without it it
 * logs once that it can only confirm delivery to the kernel.
 */
public final class SyslogForwardProbe
{
    private SyslogForwardProbe()
    {
    }

    /**
     * Runs the probe.
     *
     * @param args unused.
     * @throws Exception when forwarding fails.
     */
    public static void main(final String[] args) throws Exception
    {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            try (SyslogEngine engine = SyslogEngine.builder()
                .configText("*.* @@127.0.0.1:" + listener.getLocalPort() + "\n").build())
            {
                engine.submit("<13>Nov  3 08:01:02 app01 myapp[7]: forwarded over TCP");
                engine.flush();
                try (Socket peer = listener.accept())
                {
                    peer.setSoTimeout(10_000);
                    final BufferedReader in = new BufferedReader(
                        new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8));
                    System.out.println("forwarded: " + in.readLine());
                }
            }
        }
    }
}
