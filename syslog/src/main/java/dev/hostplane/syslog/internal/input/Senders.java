package dev.hostplane.syslog.internal.input;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code fromhost} / {@code fromhost-ip} bytes per sender address, resolved once and cached (rsyslog
 * caches DNS results too): with DNS off {@code fromhost} is the address; with DNS on it is the
 * reverse-resolved name without its domain, the address when there is none.
 */
public final class Senders
{
    private final boolean dns;
    private final ConcurrentHashMap<InetAddress, byte[][]> cache = new ConcurrentHashMap<>();

    /**
     * Creates the cache.
     *
     * @param dns {@code net.enableDNS}.
     */
    public Senders(final boolean dns)
    {
        this.dns = dns;
    }

    /**
     * The bytes for one sender.
     *
     * @param address sender.
     * @return {fromhost, fromhost-ip}.
     */
    public byte[][] lookup(final InetAddress address)
    {
        final byte[][] cached = cache.get(address);
        return null != cached ? cached : cache.computeIfAbsent(address, this::resolve);
    }

    private byte[][] resolve(final InetAddress address)
    {
        String ip = address.getHostAddress();
        if (address instanceof java.net.Inet6Address && ip.startsWith("0:0:0:0:0:ffff:"))
        {
            ip = ip.substring("0:0:0:0:0:ffff:".length());
        }
        String host = ip;
        if (dns)
        {
            final String name = address.isLoopbackAddress() ? "localhost" : address.getCanonicalHostName();
            final int dot = name.indexOf('.');
            host = name.equals(ip) || dot <= 0 || Character.isDigit(name.charAt(0)) ? name : name.substring(0, dot);
        }
        return new byte[][] {host.getBytes(StandardCharsets.ISO_8859_1), ip.getBytes(StandardCharsets.ISO_8859_1)};
    }
}
