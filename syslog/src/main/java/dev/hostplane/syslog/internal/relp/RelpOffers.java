package dev.hostplane.syslog.internal.relp;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The offers of an {@code open} command or of its response: LF-separated {@code name=value[,value]}
 * lines (in a response they follow the {@code 200 OK} status line).
 */
public final class RelpOffers
{
    private RelpOffers()
    {
    }

    /**
     * Parses offers.
     *
     * @param text offer lines.
     * @return values by offer name (names without '=' map to "").
     */
    public static Map<String, String> parse(final String text)
    {
        final Map<String, String> offers = new LinkedHashMap<>();
        for (final String line : text.split("\n"))
        {
            if (line.isEmpty())
            {
                continue;
            }
            final int eq = line.indexOf('=');
            offers.put(eq < 0 ? line : line.substring(0, eq), eq < 0 ? "" : line.substring(eq + 1));
        }
        return offers;
    }

    /**
     * Whether a {@code commands} offer lists a command.
     *
     * @param offers  parsed offers.
     * @param command command name.
     * @return true when listed.
     */
    public static boolean offersCommand(final Map<String, String> offers, final String command)
    {
        final String list = offers.get("commands");
        if (null == list)
        {
            return false;
        }
        for (final String c : list.split(","))
        {
            if (c.trim().equals(command))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Our offers: {@code relp_version}, {@code relp_software}, {@code commands=syslog}.
     *
     * @param prefix status line with its LF for a response, or "" for an open command.
     * @return bytes.
     */
    public static byte[] ours(final String prefix)
    {
        return (prefix + "relp_version=" + RelpDescriptor.PROTOCOL_VERSION + "\nrelp_software=" +
            RelpDescriptor.SOFTWARE + "\ncommands=syslog").getBytes(StandardCharsets.US_ASCII);
    }
}
