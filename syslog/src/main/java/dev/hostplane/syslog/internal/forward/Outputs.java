package dev.hostplane.syslog.internal.forward;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Map;

import dev.hostplane.syslog.SyslogException;
import dev.hostplane.syslog.internal.engine.Action;
import dev.hostplane.syslog.internal.template.Template;
import dev.hostplane.syslog.internal.queue.QueueOptions;

/**
 * Creates the network and stream outputs for the config parser: legacy {@code @host:port},
 * {@code @@host:port}, {@code @@(o)host:port}, {@code |/pipe}, and {@code action(type="omfwd"|
 * "ompipe"|"omstdout")} with their {@code queue.*} / {@code action.*} parameters.
 */
public final class Outputs
{
    /** Default template of omfwd (rsyslog 8). */
    public static final String FORWARD_TEMPLATE = "RSYSLOG_TraditionalForwardFormat";
    private static final int DEFAULT_PORT = 514;
    private static final int UDP_MAX = 65_507;

    private Outputs()
    {
    }

    /**
     * A legacy forwarding action ({@code @host[:port]}, {@code @@host[:port]}, {@code @@(o)host}).
     *
     * @param action    the action text without its {@code ;template}.
     * @param template  resolved template.
     * @param workDir   work directory for spool files (may be null).
     * @param queue     {@code $ActionQueue*} / {@code $ActionResume*} settings, as {@code queue.*} /
     *                  {@code action.*} keys.
     * @return the action.
     */
    public static Action legacyForward(final String action, final Template template, final Path workDir,
        final Map<String, Object> queue)
    {
        String a = action;
        final boolean tcp = a.startsWith("@@");
        a = a.substring(tcp ? 2 : 1);
        boolean octet = false;
        if (a.startsWith("("))
        {
            final int close = a.indexOf(')');
            if (close < 0)
            {
                throw new SyslogException("unterminated option list in forwarding action '" + action + "'");
            }
            octet = a.substring(1, close).contains("o");
            a = a.substring(close + 1);
        }
        String host = a;
        int port = DEFAULT_PORT;
        if (a.startsWith("["))
        {
            final int close = a.indexOf(']');
            host = a.substring(1, Math.max(1, close));
            if (close > 0 && close + 1 < a.length() && a.charAt(close + 1) == ':')
            {
                port = port(a.substring(close + 2), action);
            }
        }
        else
        {
            final int colon = a.lastIndexOf(':');
            if (colon >= 0)
            {
                host = a.substring(0, colon);
                port = port(a.substring(colon + 1), action);
            }
        }
        if (host.isEmpty())
        {
            throw new SyslogException("forwarding action '" + action + "': missing host");
        }
        return forward(host, port, tcp, octet, template, queueOptions(queue, workDir));
    }

    private static int port(final String s, final String action)
    {
        try
        {
            final int p = Integer.parseInt(s.trim());
            if (p < 1 || p > 65535)
            {
                throw new NumberFormatException();
            }
            return p;
        }
        catch (final NumberFormatException ex)
        {
            throw new SyslogException("forwarding action '" + action + "': invalid port '" + s + "'", ex);
        }
    }

    private static Action forward(final String host, final int port, final boolean tcp, final boolean octet,
        final Template template, final QueueOptions q)
    {
        final dev.hostplane.syslog.internal.queue.Deliverer d = tcp ? new TcpDeliverer(host, port, octet) :
            new UdpDeliverer(host, port, UDP_MAX);
        return new QueuedOutput("omfwd", d, template, q);
    }

    /**
     * A legacy pipe action {@code |/path}.
     *
     * @param pipe     path after the bar.
     * @param template template.
     * @return the action.
     */
    public static Action legacyPipe(final String pipe, final Template template)
    {
        return new QueuedOutput("ompipe", new StreamDeliverer(Paths.get(pipe.trim())), template, new QueueOptions());
    }

    /**
     * {@code action(type="omfwd"|"ompipe"|"omstdout")}; removes the parameters it understands.
     *
     * @param type     module name.
     * @param p        remaining action parameters (lower-case keys).
     * @param queue    {@code queue.*} and {@code action.*} parameters.
     * @param template resolved template.
     * @param workDir  work directory for spool files (may be null: current directory).
     * @return the action.
     */
    public static Action action(final String type, final Map<String, Object> p, final Map<String, Object> queue,
        final Template template, final Path workDir)
    {
        final QueueOptions q = queueOptions(queue, workDir);
        switch (type.toLowerCase(Locale.ROOT))
        {
            case "omfwd":
            {
                final String target = str(p, "target", null);
                if (null == target)
                {
                    throw new SyslogException("action(type=\"omfwd\"): expected parameter 'target'");
                }
                final int port = port(str(p, "port", "514"), "omfwd target=" + target);
                final String protocol = str(p, "protocol", "udp").toLowerCase(Locale.ROOT);
                if (!"udp".equals(protocol) && !"tcp".equals(protocol))
                {
                    throw new SyslogException("action(type=\"omfwd\"): protocol must be udp or tcp, got '" +
                        protocol + "'");
                }
                final String framing = str(p, "tcp_framing", "traditional").toLowerCase(Locale.ROOT);
                if (!"traditional".equals(framing) && !"octet-counted".equals(framing))
                {
                    throw new SyslogException("action(type=\"omfwd\"): TCP_Framing must be traditional or " +
                        "octet-counted, got '" + framing + "'");
                }
                return forward(target, port, "tcp".equals(protocol), "octet-counted".equals(framing), template, q);
            }
            case "ompipe":
            {
                final String pipe = str(p, "pipe", null);
                if (null == pipe)
                {
                    throw new SyslogException("action(type=\"ompipe\"): expected parameter 'pipe'");
                }
                return new QueuedOutput("ompipe", new StreamDeliverer(Paths.get(pipe)), template, q);
            }
            case "omstdout":
                return new QueuedOutput("omstdout", new StreamDeliverer(null), template, q);
            case "omrelp":
                return relp(p, template, q);
            default:
                throw new SyslogException("unknown output module '" + type + "'");
        }
    }

    /**
     * A legacy RELP action {@code :omrelp:host:port} (port 514 when omitted).
     *
     * @param hostPort text after {@code :omrelp:}.
     * @param template resolved template.
     * @param workDir  work directory for spool files (may be null).
     * @param queue    {@code $ActionQueue*} settings as {@code queue.*} / {@code action.*} keys.
     * @return the action.
     */
    public static Action legacyRelp(final String hostPort, final Template template, final Path workDir,
        final Map<String, Object> queue)
    {
        final Map<String, Object> p = new java.util.HashMap<>();
        final int colon = hostPort.lastIndexOf(':');
        p.put("target", colon < 0 ? hostPort : hostPort.substring(0, colon));
        if (colon >= 0)
        {
            p.put("port", hostPort.substring(colon + 1));
        }
        if (p.get("target").toString().isEmpty())
        {
            throw new SyslogException("legacy action ':omrelp:" + hostPort + "': missing host");
        }
        return relp(p, template, queueOptions(queue, workDir));
    }

    /** omrelp with rsyslog's parameter names and defaults (port 514, windowSize 0 = 128, timeout 90 s). */
    private static Action relp(final Map<String, Object> p, final Template template, final QueueOptions q)
    {
        final String target = str(p, "target", null);
        if (null == target)
        {
            throw new SyslogException("action(type=\"omrelp\"): expected parameter 'target'");
        }
        final int port = port(str(p, "port", "514"), "omrelp target=" + target);
        final int window = integer(str(p, "windowsize", "0"), "omrelp windowSize");
        if (window < 0)
        {
            throw new SyslogException("action(type=\"omrelp\"): windowSize must be 0 (default) or more, got " + window);
        }
        final long timeout = Math.max(1, integer(str(p, "timeout", "90"), "omrelp timeout")) * 1000L;
        final long connTimeout = Math.max(1, integer(str(p, "conn.timeout", "10"), "omrelp conn.timeout")) * 1000L;
        final String tls = str(p, "tls", "off");
        if (!"off".equalsIgnoreCase(tls))
        {
            throw new SyslogException("action(type=\"omrelp\"): tls=\"" + tls + "\" is not supported (plain RELP only)");
        }
        final dev.hostplane.syslog.internal.relp.RelpDeliverer d = new dev.hostplane.syslog.internal.relp.RelpDeliverer(
            target, port, 0 == window ? dev.hostplane.syslog.internal.relp.RelpDescriptor.DEFAULT_WINDOW : window,
            timeout, connTimeout, dev.hostplane.syslog.internal.relp.RelpDescriptor.DEFAULT_MAX_DATA);
        return new QueuedOutput("omrelp", d, template, q);
    }

    private static QueueOptions queueOptions(final Map<String, Object> queue, final Path workDir)
    {
        final QueueOptions q = new QueueOptions();
        final String size = str(queue, "queue.size", null);
        if (null != size)
        {
            q.size = integer(size, "queue.size");
        }
        final String batch = str(queue, "queue.dequeuebatchsize", null);
        if (null != batch)
        {
            q.batchSize = Math.max(1, integer(batch, "queue.dequeueBatchSize"));
        }
        final String file = str(queue, "queue.filename", null);
        if (null != file)
        {
            final Path f = Paths.get(file);
            q.spoolFile = f.isAbsolute() || null == workDir ? f : workDir.resolve(f);
        }
        final String retry = str(queue, "action.resumeretrycount", null);
        if (null != retry)
        {
            q.resumeRetryCount = integer(retry, "action.resumeRetryCount");
        }
        final String interval = str(queue, "action.resumeinterval", null);
        if (null != interval)
        {
            q.resumeIntervalMs = Math.max(1, integer(interval, "action.resumeInterval")) * 1000L;
            q.maxBackoffMs = Math.max(q.maxBackoffMs, q.resumeIntervalMs);
        }
        final String shutdown = str(queue, "queue.timeoutshutdown", null);
        if (null != shutdown)
        {
            q.shutdownTimeoutMs = integer(shutdown, "queue.timeoutShutdown");
        }
        if (q.diskAssisted() && q.resumeRetryCount >= 0)
        {
            // A spool exists so that nothing is lost: never give a batch up.
            q.resumeRetryCount = -1;
        }
        return q;
    }

    private static int integer(final String v, final String name)
    {
        try
        {
            return Integer.parseInt(v.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new SyslogException(name + ": expected an integer, got '" + v + "'", ex);
        }
    }

    private static String str(final Map<String, Object> p, final String key, final String dflt)
    {
        final Object v = p.remove(key);
        return null == v ? dflt : v.toString();
    }
}
