package dev.hostplane.vswitch.openflow;

/**
 * Where an OpenFlow connection goes, spelled as Open vSwitch spells it: {@code tcp:HOST:PORT} and
 * {@code ssl:HOST:PORT} connect to a controller (active); {@code ptcp:PORT[:ADDR]} and
 * {@code pssl:PORT[:ADDR]} listen (passive). IPv6 hosts go in brackets ({@code tcp:[::1]:6653}).
 *
 * @param passive true to listen, false to connect.
 * @param tls true for TLS ({@code ssl:}, {@code pssl:}).
 * @param host host to connect to, or address to bind.
 * @param port TCP port (0 when listening means any free port).
 */
public record OpenFlowTarget(boolean passive, boolean tls, String host, int port)
{
    /** Address a passive target binds when none is given: loopback, since whoever reaches it reprograms the switch. */
    public static final String DEFAULT_LISTEN_ADDRESS = "127.0.0.1";

    /**
     * Validates.
     *
     * @param passive true to listen.
     * @param tls true for TLS.
     * @param host host or bind address.
     * @param port port.
     */
    public OpenFlowTarget
    {
        if (port < 0 || port > 65535 || (!passive && port == 0))
        {
            throw new IllegalArgumentException("bad OpenFlow port (expected " + (passive ? "0" : "1") +
                "..65535): port=" + port);
        }
        if (host == null || host.isEmpty())
        {
            throw new IllegalArgumentException("OpenFlow target needs a host");
        }
    }

    /**
     * Parses {@code tcp:HOST:PORT}, {@code ssl:HOST:PORT}, {@code ptcp:PORT[:ADDR]} or
     * {@code pssl:PORT[:ADDR]}.
     *
     * @param text the target.
     * @return the target.
     * @throws IllegalArgumentException naming what is wrong.
     */
    public static OpenFlowTarget parse(final String text)
    {
        final int colon = text.indexOf(':');
        if (colon < 0)
        {
            throw new IllegalArgumentException("OpenFlow target must start with tcp:, ssl:, ptcp: or pssl:: " + text);
        }
        final String scheme = text.substring(0, colon);
        final String rest = text.substring(colon + 1);
        switch (scheme)
        {
            case "tcp":
            case "ssl":
                final String[] hp = splitHostPort(rest, text);
                if (hp[0].isEmpty())
                {
                    throw new IllegalArgumentException("OpenFlow target needs HOST:PORT: " + text);
                }
                return new OpenFlowTarget(false, "ssl".equals(scheme), hp[0], port(hp[1], text));
            case "ptcp":
            case "pssl":
                final int c = rest.indexOf(':');
                final String portText = c < 0 ? rest : rest.substring(0, c);
                String address = c < 0 ? DEFAULT_LISTEN_ADDRESS : rest.substring(c + 1);
                if (address.startsWith("[") && address.endsWith("]"))
                {
                    address = address.substring(1, address.length() - 1);
                }
                return new OpenFlowTarget(true, "pssl".equals(scheme), address.isEmpty() ? DEFAULT_LISTEN_ADDRESS :
                    address, port(portText, text));
            default:
                throw new IllegalArgumentException("unknown OpenFlow target scheme '" + scheme +
                    "' (expected tcp, ssl, ptcp or pssl): " + text);
        }
    }

    /**
     * Parses a listen address: {@code [ADDR:]PORT} (binding 127.0.0.1 when no address is given), or
     * a full {@code ptcp:}/{@code pssl:} target.
     *
     * @param text the listen address.
     * @return a passive target.
     */
    public static OpenFlowTarget parseListen(final String text)
    {
        if (text.startsWith("ptcp:") || text.startsWith("pssl:"))
        {
            return parse(text);
        }
        final int c = text.lastIndexOf(':');
        if (c < 0)
        {
            return new OpenFlowTarget(true, false, DEFAULT_LISTEN_ADDRESS, port(text, text));
        }
        final String[] hp = splitHostPort(text, text);
        return new OpenFlowTarget(true, false, hp[0].isEmpty() ? DEFAULT_LISTEN_ADDRESS : hp[0], port(hp[1], text));
    }

    /**
     * The same target, using TLS.
     *
     * @return a TLS target.
     */
    public OpenFlowTarget withTls()
    {
        return new OpenFlowTarget(passive, true, host, port);
    }

    private static String[] splitHostPort(final String hostPort, final String whole)
    {
        if (hostPort.startsWith("["))
        {
            final int close = hostPort.indexOf(']');
            if (close < 0 || close + 1 >= hostPort.length() || hostPort.charAt(close + 1) != ':')
            {
                throw new IllegalArgumentException("bad [IPv6]:PORT in OpenFlow target: " + whole);
            }
            return new String[] {hostPort.substring(1, close), hostPort.substring(close + 2)};
        }
        final int c = hostPort.lastIndexOf(':');
        if (c < 0)
        {
            throw new IllegalArgumentException("OpenFlow target needs HOST:PORT: " + whole);
        }
        return new String[] {hostPort.substring(0, c), hostPort.substring(c + 1)};
    }

    private static int port(final String text, final String whole)
    {
        try
        {
            return Integer.parseInt(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("bad port '" + text + "' in OpenFlow target: " + whole, ex);
        }
    }

    @Override
    public String toString()
    {
        final String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        if (passive)
        {
            return (tls ? "pssl:" : "ptcp:") + port + ":" + h;
        }
        return (tls ? "ssl:" : "tcp:") + h + ":" + port;
    }
}
