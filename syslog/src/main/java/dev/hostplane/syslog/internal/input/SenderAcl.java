package dev.hostplane.syslog.internal.input;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * rsyslog's allowed-sender list for one protocol ({@code $AllowedSender UDP|TCP, ...}): empty means
 * every sender is allowed; once it has an entry only matching senders are. Entries are an address
 * with an optional prefix length ({@code 192.0.2.0/24}, {@code [::1]/128}; without one the whole
 * address), or a host name, exact or with a leading {@code *} wildcard ({@code *.example.net}),
 * matched against the sender's reverse-resolved name when DNS is on. Decisions are cached per
 * address; a refused sender is reported once.
 */
public final class SenderAcl
{
    private static final Logger LOG = LoggerFactory.getLogger(SenderAcl.class);

    private final String protocol;
    private final List<Net> nets = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final ConcurrentHashMap<InetAddress, Boolean> decisions = new ConcurrentHashMap<>();
    private boolean resolveNames = true;

    /**
     * An empty list (everyone allowed).
     *
     * @param protocol {@code TCP} or {@code UDP}, for reports.
     */
    public SenderAcl(final String protocol)
    {
        this.protocol = protocol;
    }

    /**
     * Adds one entry.
     *
     * @param entry as written in the config.
     * @throws IllegalArgumentException when it is neither an address (with a valid prefix) nor a name.
     */
    public void add(final String entry)
    {
        String e = entry.trim();
        if (e.isEmpty())
        {
            throw new IllegalArgumentException("empty allowed-sender entry");
        }
        int bits = -1;
        final int slash = e.lastIndexOf('/');
        if (slash > 0)
        {
            try
            {
                bits = Integer.parseInt(e.substring(slash + 1));
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("allowed sender '" + entry + "': prefix length is not a number", ex);
            }
            e = e.substring(0, slash);
        }
        if (e.startsWith("[") && e.endsWith("]"))
        {
            e = e.substring(1, e.length() - 1);
        }
        if (isAddressLiteral(e))
        {
            final InetAddress a;
            try
            {
                a = InetAddress.getByName(e);
            }
            catch (final UnknownHostException ex)
            {
                throw new IllegalArgumentException("allowed sender '" + entry + "': not an address", ex);
            }
            final int max = a.getAddress().length * 8;
            if (bits > max || bits == 0 && slash < 0)
            {
                throw new IllegalArgumentException("allowed sender '" + entry + "': prefix length must be 1.." + max);
            }
            nets.add(new Net(a.getAddress(), bits < 0 ? max : bits));
            return;
        }
        if (bits >= 0 || !e.matches("\\*?[A-Za-z0-9._-]+"))
        {
            throw new IllegalArgumentException("allowed sender '" + entry + "': expected an address[/bits] or a host " +
                "name (optionally *.domain)");
        }
        names.add(e.toLowerCase(Locale.ROOT));
    }

    private static boolean isAddressLiteral(final String s)
    {
        return s.contains(":") || s.matches("[0-9]+(\\.[0-9]+){3}");
    }

    /**
     * Whether name entries may be matched (DNS on); without DNS they match nobody.
     *
     * @param resolve {@code net.enableDNS}.
     */
    public void resolveNames(final boolean resolve)
    {
        this.resolveNames = resolve;
    }

    /**
     * Whether any entry was given.
     *
     * @return true when the list restricts senders.
     */
    public boolean restricts()
    {
        return !nets.isEmpty() || !names.isEmpty();
    }

    /**
     * Whether a sender may send; the first refusal of each sender is reported.
     *
     * @param sender peer address.
     * @return true if allowed.
     */
    public boolean allows(final InetAddress sender)
    {
        if (!restricts())
        {
            return true;
        }
        final Boolean known = decisions.get(sender);
        if (null != known)
        {
            return known;
        }
        final boolean ok = decide(sender);
        if (null == decisions.putIfAbsent(sender, ok) && !ok)
        {
            LOG.warn("{} message from disallowed sender {} discarded (not in $AllowedSender {})", protocol,
                sender.getHostAddress(), this);
        }
        return ok;
    }

    private boolean decide(final InetAddress sender)
    {
        byte[] addr = sender.getAddress();
        if (addr.length == 16 && isMappedV4(addr))
        {
            addr = java.util.Arrays.copyOfRange(addr, 12, 16);
        }
        for (final Net n : nets)
        {
            if (n.contains(addr))
            {
                return true;
            }
        }
        if (names.isEmpty() || !resolveNames)
        {
            return false;
        }
        final String host = sender.getCanonicalHostName().toLowerCase(Locale.ROOT);
        for (final String name : names)
        {
            if (name.startsWith("*") ? host.endsWith(name.substring(1)) : host.equals(name))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean isMappedV4(final byte[] a)
    {
        for (int i = 0; i < 10; i++)
        {
            if (a[i] != 0)
            {
                return false;
            }
        }
        return a[10] == (byte)0xFF && a[11] == (byte)0xFF;
    }

    @Override
    public String toString()
    {
        final List<String> all = new ArrayList<>();
        for (final Net n : nets)
        {
            all.add(n.toString());
        }
        all.addAll(names);
        return protocol + " " + Collections.unmodifiableList(all);
    }

    /** An address prefix. */
    private static final class Net
    {
        private final byte[] address;
        private final int bits;

        Net(final byte[] address, final int bits)
        {
            this.address = address;
            this.bits = bits;
        }

        boolean contains(final byte[] a)
        {
            if (a.length != address.length)
            {
                return false;
            }
            int left = bits;
            for (int i = 0; i < a.length && left > 0; i++, left -= 8)
            {
                final int mask = left >= 8 ? 0xFF : (0xFF << (8 - left)) & 0xFF;
                if ((a[i] & mask) != (address[i] & mask))
                {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString()
        {
            try
            {
                return InetAddress.getByAddress(address).getHostAddress() + "/" + bits;
            }
            catch (final UnknownHostException ex)
            {
                return "?/" + bits;
            }
        }
    }
}
