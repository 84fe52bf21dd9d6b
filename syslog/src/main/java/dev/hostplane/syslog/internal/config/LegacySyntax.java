package dev.hostplane.syslog.internal.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.hostplane.syslog.internal.engine.Filter;
import dev.hostplane.syslog.internal.engine.Filters;
import dev.hostplane.syslog.internal.engine.Stmt;
import dev.hostplane.syslog.internal.engine.Stmts;
import dev.hostplane.syslog.internal.forward.ForwardModules;
import dev.hostplane.syslog.internal.input.InputModule;
import dev.hostplane.syslog.internal.input.InputModules;
import dev.hostplane.syslog.internal.input.SenderAcl;
import dev.hostplane.syslog.internal.message.SyslogNames;
import dev.hostplane.syslog.internal.module.ActionParams;
import dev.hostplane.syslog.internal.module.Params;
import dev.hostplane.syslog.internal.output.MmJsonParseModule;
import dev.hostplane.syslog.internal.output.OmDiscard;
import dev.hostplane.syslog.internal.output.OmDiscardModule;
import dev.hostplane.syslog.internal.output.OmFileModule;
import dev.hostplane.syslog.internal.template.PropertySpec;
import dev.hostplane.syslog.internal.template.RegexTranslator;
import dev.hostplane.syslog.internal.template.Template;
import dev.hostplane.syslog.internal.template.TemplateParser;
import dev.hostplane.syslog.internal.tls.TlsSettings;

/**
 * The legacy (sysklogd-era and rsyslog v5) syntax: PRI selectors ({@code mail.*;auth.none}),
 * property filters ({@code :msg, contains, "x"}), actions to the end of the line ({@code /file},
 * {@code ?dyna}, {@code @@host}, {@code :omrelp:}, {@code ~}), {@code $Directives} and
 * {@code $template}. Legacy actions are built by the same modules as {@code action()}.
 */
final class LegacySyntax
{
    private final ConfigParser c;
    /** {@code $InputTCPServerStreamDriver*}: imtcp TLS parameters of the next {@code $InputTCPServerRun}s. */
    private final Map<String, String> tcpServerTls = new LinkedHashMap<>();
    private final List<String> tcpServerPeers = new ArrayList<>();
    /** {@code $ActionSendStreamDriver*}: omfwd TLS parameters of the {@code @@} actions that follow. */
    private final Map<String, String> sendTls = new LinkedHashMap<>();
    private final List<String> sendPeers = new ArrayList<>();

    LegacySyntax(final ConfigParser c)
    {
        this.c = c;
    }

    String selectorToken()
    {
        final int start = c.s.pos;
        while (!c.s.eof() && !Character.isWhitespace(c.s.peek()))
        {
            c.s.pos++;
        }
        return c.s.text.substring(start, c.s.pos);
    }

    Stmt legacyFilter(final Filter filter)
    {
        final Stmts.Block body = new Stmts.Block();
        body.body.add(c.script.actionList());
        c.lastFilterBody = body;
        return new Stmts.If(filter, body, null);
    }

    Filter priFilter(final String selector, final int at)
    {
        final long[] mask = decodeSelector(selector, at);
        boolean all = true;
        for (int i = 0; i < SyslogNames.FACILITY_SLOTS * 8; i++)
        {
            if ((mask[i >> 6] & (1L << (i & 63))) == 0)
            {
                all = false;
                break;
            }
        }
        return all ? Filters.ALWAYS : new Filters.Pri(mask);
    }

    /**
     * Decodes a selector like {@code *.info;mail.none} into a mask, with rsyslog's semantics.
     *
     * @param selector selector text.
     * @param at       position for errors.
     * @return four longs with bit facility*8+severity.
     */
    long[] decodeSelector(final String selector, final int at)
    {
        final int[] pmask = new int[SyslogNames.FACILITY_SLOTS];
        for (final String part : selector.split(";"))
        {
            if (part.isEmpty())
            {
                continue;
            }
            final int dot = part.lastIndexOf('.');
            if (dot < 0)
            {
                throw c.s.error(at, "selector '" + part + "': expected facility.priority");
            }
            String pri = part.substring(dot + 1);
            boolean ignore = false;
            boolean single = false;
            if (pri.startsWith("!"))
            {
                ignore = true;
                pri = pri.substring(1);
            }
            if (pri.startsWith("="))
            {
                single = true;
                pri = pri.substring(1);
            }
            final int sev;
            if ("*".equals(pri))
            {
                sev = 8;
            }
            else if ("none".equalsIgnoreCase(pri))
            {
                sev = -1;
            }
            else
            {
                sev = SyslogNames.severityCode(pri);
                if (sev < 0)
                {
                    throw c.s.error(at, "selector '" + part + "': unknown priority '" + pri + "'");
                }
            }
            for (final String fac : part.substring(0, dot).split(","))
            {
                final int from;
                final int to;
                if ("*".equals(fac))
                {
                    from = 0;
                    to = SyslogNames.FACILITY_SLOTS - 1;
                }
                else
                {
                    final int code = SyslogNames.facilityCode(fac);
                    if (code < 0)
                    {
                        throw c.s.error(at, "selector '" + part + "': unknown facility '" + fac + "'");
                    }
                    from = code;
                    to = code;
                }
                for (int f = from; f <= to; f++)
                {
                    if (sev == -1)
                    {
                        pmask[f] = 0;
                    }
                    else if (single)
                    {
                        if (ignore)
                        {
                            pmask[f] &= ~(1 << sev);
                        }
                        else
                        {
                            pmask[f] |= 1 << sev;
                        }
                    }
                    else if (sev == 8)
                    {
                        pmask[f] = ignore ? 0 : 0xFF;
                    }
                    else
                    {
                        for (int i = 0; i <= sev; i++)
                        {
                            if (ignore)
                            {
                                pmask[f] &= ~(1 << i);
                            }
                            else
                            {
                                pmask[f] |= 1 << i;
                            }
                        }
                    }
                }
            }
        }
        final long[] mask = new long[4];
        for (int f = 0; f < SyslogNames.FACILITY_SLOTS; f++)
        {
            for (int sv = 0; sv < 8; sv++)
            {
                if ((pmask[f] & (1 << sv)) != 0)
                {
                    final int idx = f * 8 + sv;
                    mask[idx >> 6] |= 1L << (idx & 63);
                }
            }
        }
        return mask;
    }

    Stmt propertyFilter()
    {
        final int start = c.s.pos;
        c.s.pos++;
        final String line = c.s.text.substring(c.s.pos, lineEnd());
        final String[] head = splitPropertyFilter(line, start);
        final String prop = head[0].trim();
        String op = head[1].trim();
        final boolean negate = op.startsWith("!");
        if (negate)
        {
            op = op.substring(1);
        }
        final PropertySpec spec;
        try
        {
            spec = TemplateParser.property(prop);
        }
        catch (final IllegalArgumentException ex)
        {
            throw c.s.error(start + 1, ex.getMessage());
        }
        final String value = head[2];
        c.s.pos += Integer.parseInt(head[3]);
        final byte[] bytes = value.getBytes(StandardCharsets.ISO_8859_1);
        final String text = ":" + prop + ", " + (negate ? "!" : "") + op + ", \"" + value + "\"";
        final Filter filter;
        switch (op.toLowerCase(Locale.ROOT))
        {
            case "isequal":
                filter = new Filters.PropertyCompare(spec, Filters.EQUALS, negate, bytes, null, text);
                break;
            case "contains":
                filter = new Filters.PropertyCompare(spec, Filters.CONTAINS, negate, bytes, null, text);
                break;
            case "startswith":
                filter = new Filters.PropertyCompare(spec, Filters.STARTSWITH, negate, bytes, null, text);
                break;
            case "isempty":
                filter = new Filters.PropertyCompare(spec, Filters.ISEMPTY, negate, bytes, null, text);
                break;
            case "regex":
            case "ereregex":
                filter = new Filters.PropertyCompare(spec, Filters.REGEX, negate, bytes,
                    RegexTranslator.compile(value, "ereregex".equalsIgnoreCase(op), false), text);
                break;
            default:
                throw c.s.error(start, "property filter: unknown compare operation '" + op +
                    "': expected isequal, contains, startswith, regex, ereregex or isempty (rsyslog 8.2302 has no " +
                    "contains_i/startswith_i in property filters: use RainerScript 'if $prop contains_i ...')");
        }
        return legacyFilter(filter);
    }

    int lineEnd()
    {
        final int nl = c.s.text.indexOf('\n', c.s.pos);
        return nl < 0 ? c.s.text.length() : nl;
    }

    /** Splits {@code prop, op, "value" rest} → prop, op, value, consumed length. */
    String[] splitPropertyFilter(final String line, final int at)
    {
        final int c1 = line.indexOf(',');
        if (c1 < 0)
        {
            throw c.s.error(at, "property filter: expected ':property, operation, \"value\"'");
        }
        final int c2 = line.indexOf(',', c1 + 1);
        final String op = c2 < 0 ? line.substring(c1 + 1).trim() : line.substring(c1 + 1, c2);
        if (c2 < 0)
        {
            if ("isempty".equalsIgnoreCase(op.trim()) || "!isempty".equalsIgnoreCase(op.trim()))
            {
                return new String[] {line.substring(0, c1), op, "", String.valueOf(line.length())};
            }
            throw c.s.error(at, "property filter: expected ', \"value\"' after the operation");
        }
        int i = c2 + 1;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t'))
        {
            i++;
        }
        if (i >= line.length() || line.charAt(i) != '"')
        {
            if (op.trim().toLowerCase(Locale.ROOT).endsWith("isempty"))
            {
                return new String[] {line.substring(0, c1), op, "", String.valueOf(c2 + 1)};
            }
            throw c.s.error(at + 1 + i, "property filter: expected a quoted value");
        }
        final StringBuilder value = new StringBuilder();
        i++;
        while (i < line.length() && line.charAt(i) != '"')
        {
            if (line.charAt(i) == '\\' && i + 1 < line.length())
            {
                i++;
            }
            value.append(line.charAt(i));
            i++;
        }
        if (i >= line.length())
        {
            throw c.s.error(at, "property filter: unterminated value, expected closing '\"'");
        }
        return new String[] {line.substring(0, c1), op, value.toString(), String.valueOf(i + 1)};
    }

    Stmt legacyAction(final int at, final String raw)
    {
        if (raw.isEmpty())
        {
            throw c.s.error(at, "expected an action after the filter");
        }
        String a = raw;
        if ("~".equals(a))
        {
            c.config.warnings.add(c.s.file + ":" + c.s.line(at) + ": ~ action is deprecated, consider using the 'stop' statement");
            return new Stmts.Stop();
        }
        String template = null;
        final int semi = a.indexOf(';');
        if (semi >= 0 && !a.startsWith(":om"))
        {
            template = a.substring(semi + 1).trim();
            a = a.substring(0, semi).trim();
        }
        if (a.startsWith("/") || a.startsWith("-/") || a.startsWith("?"))
        {
            // omfile's name ends at white space; without ';' whatever follows (e.g. a comment) is ignored.
            int end = 0;
            while (end < a.length() && !Character.isWhitespace(a.charAt(end)))
            {
                end++;
            }
            a = a.substring(0, end);
        }
        boolean sync = c.fileDefaults.sync;
        if (a.startsWith("-"))
        {
            a = a.substring(1);
            sync = false;
        }
        if (a.startsWith(":omfile:"))
        {
            a = a.substring(8);
        }
        if (a.startsWith("/") || a.startsWith("?"))
        {
            if (null == legacyTemplate(template, at))
            {
                return disabled(raw, template, at);
            }
            final Params p = legacyParams(raw, at, template);
            p.add(a.startsWith("/") ? "file" : "dynafile", a.startsWith("/") ? a : a.substring(1).trim(), c.position(at));
            p.add("sync", sync ? "on" : "off", c.position(at));
            return c.objects.legacyAction(OmFileModule.INSTANCE, p);
        }
        if (a.startsWith(":omdiscard:"))
        {
            return c.objects.legacyAction(OmDiscardModule.DISCARD, legacyParams(raw, at, null));
        }
        if (a.startsWith(":mmjsonparse:"))
        {
            c.objects.requireModule("mmjsonparse", at);
            return c.objects.legacyAction(MmJsonParseModule.INSTANCE, legacyParams(raw, at, null));
        }
        if (a.startsWith("@"))
        {
            if (null == legacyTemplate(template, at))
            {
                return disabled(raw, template, at);
            }
            final Params p = legacyParams(raw, at, template);
            forwardTarget(a.trim(), p, at);
            return c.objects.legacyAction(ForwardModules.OMFWD, p);
        }
        if (a.startsWith("|"))
        {
            final Template t = null == template || template.isEmpty() ? c.namedTemplate(c.defaultFileTemplate, at) :
                legacyTemplate(template, at);
            return null == t ? disabled(raw, template, at) : c.register(ForwardModules.legacyPipe(a.substring(1), t));
        }
        if (a.startsWith(":omrelp:"))
        {
            c.objects.requireModule("omrelp", at);
            // ':om...' actions keep their ';' above; omrelp's is the template separator as for '@'.
            final int sep = a.indexOf(';');
            final String relpTemplate = sep < 0 ? null : a.substring(sep + 1).trim();
            final String hostPort = (sep < 0 ? a : a.substring(0, sep)).substring(":omrelp:".length()).trim();
            if (null == legacyTemplate(relpTemplate, at))
            {
                return disabled(raw, relpTemplate, at);
            }
            final Params p = legacyParams(raw, at, relpTemplate);
            final int colon = hostPort.lastIndexOf(':');
            final String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            if (host.isEmpty())
            {
                throw c.s.error(at, "legacy action ':omrelp:" + hostPort + "': missing host");
            }
            p.add("target", host, c.position(at));
            if (colon >= 0)
            {
                p.add("port", hostPort.substring(colon + 1), c.position(at));
            }
            return c.objects.legacyAction(ForwardModules.OMRELP, p);
        }
        if (a.startsWith(":omusrmsg:") || "*".equals(a) || a.matches("[A-Za-z0-9_,]+"))
        {
            return c.register(new OmDiscard("omusrmsg"));
        }
        if (a.startsWith("^") || a.startsWith(":"))
        {
            throw c.s.error(at, "legacy action '" + raw + "' is not supported by this engine " +
                "(program outputs are not built): expected a file, ?dynafile, @host, |pipe, :omrelp:, ~ or stop");
        }
        throw c.s.error(at, "unknown legacy action '" + raw + "': expected /file, -/file, ?template, ~ or stop");
    }

    /**
     * The parameters of a legacy action: its template (when it names one) and the {@code $ActionQueue*} /
     * {@code $ActionResume*} settings given since the previous action, which apply to this one only.
     */
    private Params legacyParams(final String raw, final int at, final String template)
    {
        final Params p = new Params("legacy action '" + raw + "'", c.position(at));
        p.add("type", "legacy", c.position(at));
        if (null != template && !template.isEmpty())
        {
            p.add("template", template, c.position(at));
        }
        if (null != c.legacyActionQueue)
        {
            c.legacyActionQueue.copyInto(p);
            c.legacyActionQueue = null;
        }
        return p;
    }

    /** {@code @host[:port]}, {@code @@host}, {@code @@(o)host}, {@code @[v6addr]:port} into omfwd parameters. */
    private void forwardTarget(final String action, final Params p, final int at)
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
                throw c.s.error(at, "unterminated option list in forwarding action '" + action + "'");
            }
            octet = a.substring(1, close).contains("o");
            a = a.substring(close + 1);
        }
        String host = a;
        String port = null;
        if (a.startsWith("["))
        {
            final int close = a.indexOf(']');
            host = a.substring(1, Math.max(1, close));
            if (close > 0 && close + 1 < a.length() && a.charAt(close + 1) == ':')
            {
                port = a.substring(close + 2);
            }
        }
        else
        {
            final int colon = a.lastIndexOf(':');
            if (colon >= 0)
            {
                host = a.substring(0, colon);
                port = a.substring(colon + 1);
            }
        }
        if (host.isEmpty())
        {
            throw c.s.error(at, "forwarding action '" + action + "': missing host");
        }
        p.add("target", host, c.position(at));
        if (null != port)
        {
            p.add("port", port.trim(), c.position(at));
        }
        p.add("protocol", tcp ? "tcp" : "udp", c.position(at));
        if (tcp)
        {
            addTls(p, sendTls, "streamdriverpermittedpeers", sendPeers, at);
        }
        if (octet)
        {
            p.add("tcp_framing", "octet-counted", c.position(at));
        }
    }

    /** Legacy actions: rsyslog reports an unknown template and keeps running without that action. */
    Template legacyTemplate(final String name, final int at)
    {
        if (null == name || name.isEmpty() || null != c.findTemplate(name))
        {
            return c.template(name, at);
        }
        return null;
    }

    Stmt disabled(final String raw, final String template, final int at)
    {
        c.config.warnings.add(c.s.file + ":" + c.s.line(at) + ": action '" + raw + "' disabled: unknown template '" +
            template + "' (rsyslog does the same: it writes nothing for this action)");
        return c.register(new OmDiscard("disabled-unknown-template"));
    }

    void directive(final int at, final String name, final String args)
    {
        final String n = name.toLowerCase(Locale.ROOT);
        switch (n)
        {
            case "template":
                templateDirective(at, args);
                break;
            case "modload":
                c.objects.loadModule(args.trim(), at);
                break;
            case "includeconfig":
                c.includeGlob(args.trim(), at, true);
                break;
            case "actionfiledefaulttemplate":
                c.namedTemplate(args.trim(), at);
                c.defaultFileTemplate = args.trim();
                break;
            case "localhostname":
                c.config.localHostname = args.trim();
                break;
            case "filecreatemode":
                c.fileDefaults.fileCreateMode = Integer.parseInt(args.trim(), 8);
                break;
            case "dircreatemode":
                c.fileDefaults.dirCreateMode = Integer.parseInt(args.trim(), 8);
                break;
            case "createdirs":
                c.fileDefaults.createDirs = "on".equalsIgnoreCase(args.trim());
                break;
            case "dynafilecachesize":
                c.fileDefaults.dynaFileCacheSize = Integer.parseInt(args.trim());
                break;
            case "escapecontrolcharactersonreceive":
                c.config.parser.escapeControlCharacters("on".equalsIgnoreCase(args.trim()));
                break;
            case "escape8bitcharactersonreceive":
                c.config.parser.escape8Bit("on".equalsIgnoreCase(args.trim()));
                break;
            case "escapecontrolcharactertab":
                c.config.parser.escapeTab("on".equalsIgnoreCase(args.trim()));
                break;
            case "controlcharacterescapeprefix":
                if (!args.trim().isEmpty())
                {
                    c.config.parser.escapePrefix(args.trim().charAt(0));
                }
                break;
            case "maxmessagesize":
                c.config.parser.maxMessageSize(ConfigParser.size(args));
                break;
            case "ruleset":
                c.currentLegacyRuleset = c.config.rulesets.computeIfAbsent(args.trim(), k -> new Stmts.Block());
                break;
            case "inputtcpserverbindruleset":
                c.config.tcpRuleset = args.trim();
                c.legacyTcpRuleset = args.trim();
                break;
            case "inputudpserverbindruleset":
                c.legacyUdpRuleset = args.trim();
                break;
            case "inputtcpserverrun":
                if (!c.config.modules.contains("imtcp"))
                {
                    throw c.s.error(at, "$InputTCPServerRun: module imtcp not loaded, add $ModLoad imtcp");
                }
                legacyInput(InputModules.IMTCP, args.trim(), c.legacyTcpRuleset, at);
                break;
            case "udpserverrun":
                if (!c.config.modules.contains("imudp"))
                {
                    throw c.s.error(at, "$UDPServerRun: module imudp not loaded, add $ModLoad imudp");
                }
                legacyInput(InputModules.IMUDP, args.trim(), c.legacyUdpRuleset, at);
                break;
            case "allowedsender":
                allowedSender(args, at);
                break;
            case "workdirectory":
                c.config.workDirectory = Paths.get(args.trim());
                break;
            case "defaultnetstreamdriver":
                c.config.tls.driver = streamDriver(args.trim(), name, at);
                break;
            case "defaultnetstreamdrivercafile":
                c.config.tls.caFile = args.trim();
                break;
            case "defaultnetstreamdrivercertfile":
                c.config.tls.certFile = args.trim();
                break;
            case "defaultnetstreamdriverkeyfile":
                c.config.tls.keyFile = args.trim();
                break;
            case "inputtcpserverstreamdrivermode":
                tcpServerTls.put("streamdriver.mode", args.trim());
                break;
            case "inputtcpserverstreamdriverauthmode":
                tcpServerTls.put("streamdriver.authmode", args.trim());
                break;
            case "inputtcpserverstreamdriverpermittedpeer":
                tcpServerPeers.add(args.trim());
                break;
            case "actionsendstreamdriver":
                sendTls.put("streamdriver", streamDriver(args.trim(), name, at));
                break;
            case "actionsendstreamdrivermode":
                sendTls.put("streamdrivermode", args.trim());
                break;
            case "actionsendstreamdriverauthmode":
                sendTls.put("streamdriverauthmode", args.trim());
                break;
            case "actionsendstreamdriverpermittedpeer":
                sendPeers.add(args.trim());
                break;
            default:
                if (n.startsWith("actionqueue") && null != ActionParams.QUEUE.get("queue." + n.substring(11)) ||
                    "actionresumeretrycount".equals(n) || "actionresumeinterval".equals(n))
                {
                    // Legacy action queue settings apply to the next action only.
                    legacyQueueSetting(n, args.trim(), at);
                    break;
                }
                if (!LegacyDirectives.KNOWN.contains(n))
                {
                    throw c.s.error(at, "unknown directive $" + name + ": not a directive of rsyslog or of a loaded " +
                        "module (rsyslogd -N1 rejects it too)");
                }
                c.config.warnings.add(c.s.file + ":" + c.s.line(at) + ": directive $" + name + " accepted, has no effect here");
                break;
        }
    }

    void templateDirective(final int at, final String args)
    {
        final int comma = args.indexOf(',');
        if (comma < 0)
        {
            throw c.s.error(at, "$template: expected 'name,\"format\"'");
        }
        final String name = args.substring(0, comma).trim();
        String rest = args.substring(comma + 1).trim();
        if (!rest.startsWith("\""))
        {
            throw c.s.error(at, "$template " + name + ": expected a quoted format string");
        }
        int i = 1;
        final StringBuilder body = new StringBuilder();
        while (i < rest.length() && rest.charAt(i) != '"')
        {
            if (rest.charAt(i) == '\\' && i + 1 < rest.length())
            {
                body.append(rest.charAt(i)).append(rest.charAt(i + 1));
                i += 2;
                continue;
            }
            body.append(rest.charAt(i));
            i++;
        }
        if (i >= rest.length())
        {
            throw c.s.error(at, "$template " + name + ": unterminated format string, expected closing '\"'");
        }
        rest = rest.substring(i + 1).trim().toLowerCase(Locale.ROOT);
        final int json = rest.contains("jsonf") ? Template.OPTION_JSONF : rest.contains("json") ?
            Template.OPTION_JSON : rest.contains("stdsql") ? Template.OPTION_STDSQL : rest.contains("sql") ?
            Template.OPTION_SQL : Template.OPTION_NONE;
        try
        {
            c.config.templates.put(name, new Template(name, TemplateParser.parse(body.toString(), true), json, null));
        }
        catch (final IllegalArgumentException ex)
        {
            throw c.s.error(at, "$template " + name + ": " + ex.getMessage());
        }
    }

    /** A legacy {@code $...ServerRun} input, bound to the ruleset the last {@code $...BindRuleset} named. */
    private void legacyInput(final InputModule module, final String port, final String ruleset, final int at)
    {
        final Params p = new Params("$" + (module == InputModules.IMTCP ? "InputTCPServerRun" : "UDPServerRun") + " " +
            port, c.position(at));
        p.add("port", port, c.position(at));
        if (null != ruleset)
        {
            p.add("ruleset", ruleset, c.position(at));
        }
        if (module == InputModules.IMTCP)
        {
            addTls(p, tcpServerTls, "permittedpeer", tcpServerPeers, at);
        }
        c.objects.addInput(module, p.validate(module.params(), c.config.warnings));
    }

    /**
     * The legacy TLS settings read so far ({@code $InputTCPServerStreamDriver*} for the next
     * {@code $InputTCPServerRun}, {@code $ActionSendStreamDriver*} for the next {@code @@} actions),
     * given as the same parameters the object syntax takes, so both are checked and built alike.
     */
    private void addTls(final Params p, final Map<String, String> settings, final String peersName,
        final List<String> peers, final int at)
    {
        for (final Map.Entry<String, String> e : settings.entrySet())
        {
            p.add(e.getKey(), e.getValue(), c.position(at));
        }
        if (!peers.isEmpty())
        {
            p.add(peersName, new ArrayList<>(peers), c.position(at));
        }
    }

    private String streamDriver(final String driver, final String directive, final int at)
    {
        final String d = driver.toLowerCase(Locale.ROOT);
        if (!TlsSettings.DRIVERS.contains(d))
        {
            throw c.s.error(at, "$" + directive + ": unknown netstream driver '" + driver + "', expected one of " +
                TlsSettings.DRIVERS);
        }
        return d;
    }

    /** {@code $AllowedSender UDP|TCP, entry[, entry...]}: adds to that protocol's list. */
    private void allowedSender(final String args, final int at)
    {
        final String[] parts = args.split(",");
        final String protocol = parts[0].trim().toUpperCase(Locale.ROOT);
        final SenderAcl acl = "UDP".equals(protocol) ? c.config.udpAcl : "TCP".equals(protocol) ? c.config.tcpAcl : null;
        if (null == acl)
        {
            throw c.s.error(at, "$AllowedSender: expected UDP or TCP first, found '" + parts[0].trim() + "'");
        }
        if (parts.length < 2)
        {
            throw c.s.error(at, "$AllowedSender " + protocol + ": expected at least one sender after the protocol");
        }
        for (int i = 1; i < parts.length; i++)
        {
            try
            {
                acl.add(parts[i]);
            }
            catch (final IllegalArgumentException ex)
            {
                throw c.s.error(at, "$AllowedSender: " + ex.getMessage());
            }
        }
    }

    /** {@code $ActionQueueSize 1000} and the like: one setting of the next legacy action. */
    private void legacyQueueSetting(final String directive, final String value, final int at)
    {
        final String name = directive.startsWith("actionqueue") ? "queue." + directive.substring(11) :
            "action." + directive.substring(6);
        if (null == c.legacyActionQueue)
        {
            c.legacyActionQueue = new Params("$ActionQueue settings", c.position(at));
        }
        c.legacyActionQueue.add(name, value, c.position(at));
    }
}
