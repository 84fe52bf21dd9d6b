package dev.hostplane.syslog.internal.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.hostplane.syslog.SyslogConfigException;
import dev.hostplane.syslog.SyslogException;
import dev.hostplane.syslog.internal.engine.Action;
import dev.hostplane.syslog.internal.engine.Filter;
import dev.hostplane.syslog.internal.engine.Filters;
import dev.hostplane.syslog.internal.engine.Stmt;
import dev.hostplane.syslog.internal.engine.Stmts;
import dev.hostplane.syslog.internal.message.MessageParser;
import dev.hostplane.syslog.internal.message.SyslogNames;
import dev.hostplane.syslog.internal.message.VarPath;
import dev.hostplane.syslog.internal.output.DynaFile;
import dev.hostplane.syslog.internal.output.FileOptions;
import dev.hostplane.syslog.internal.output.MmJsonParse;
import dev.hostplane.syslog.internal.output.MmNormalize;
import dev.hostplane.syslog.internal.forward.Outputs;
import dev.hostplane.syslog.internal.output.OmDiscard;
import dev.hostplane.syslog.internal.output.OmFile;
import dev.hostplane.syslog.internal.script.Expr;
import dev.hostplane.syslog.internal.template.BuiltinTemplates;
import dev.hostplane.syslog.internal.template.PropertySpec;
import dev.hostplane.syslog.internal.template.RegexTranslator;
import dev.hostplane.syslog.internal.template.Template;
import dev.hostplane.syslog.internal.template.TemplateParser;

/**
 * Loads an rsyslog configuration — legacy selectors and {@code $Directives} mixed freely with
 * RainerScript — into a {@link Config} whose rulesets are already optimised rule graphs. Every
 * error is a {@link SyslogConfigException} naming file:line:column and what was expected.
 */
public final class ConfigParser
{
    private static final java.util.Set<String> KNOWN_MODULES = new java.util.HashSet<>(java.util.Arrays.asList(
        "imtcp", "imudp", "imptcp", "imuxsock", "imklog", "imjournal", "imfile", "immark", "imdiag", "omfile",
        "builtin:omfile", "omdiscard", "builtin:omdiscard", "mmjsonparse", "mmnormalize", "builtin:omfwd", "omusrmsg",
        "builtin:omusrmsg", "builtin:ompipe", "ompipe", "omstdout", "omfwd", "pmrfc3164", "builtin:pmrfc3164", "builtin:pmrfc5424", "impstats",
        "imrelp", "omrelp"));

    private final Config config = new Config();
    private final List<Stmts.Call> calls = new ArrayList<>();
    private final FileOptions fileDefaults = new FileOptions();
    private final Map<String, Object> legacyActionQueue = new java.util.HashMap<>();
    private String defaultFileTemplate = BuiltinTemplates.FILE_FORMAT;
    private Stmts.Block currentLegacyRuleset;
    /** {@code $InputTCPServerBindRuleset} / {@code $InputUDPServerBindRuleset}: the next legacy input's ruleset. */
    private String legacyTcpRuleset;
    private String legacyUdpRuleset;
    private Stmts.Block lastFilterBody;
    private Scanner s;
    private int depth;

    private ConfigParser()
    {
        config.templates.putAll(BuiltinTemplates.all());
        final Stmts.Block main = new Stmts.Block();
        config.rulesets.put(Config.DEFAULT_RULESET, main);
        currentLegacyRuleset = main;
    }

    /**
     * Loads a config file.
     *
     * @param file path.
     * @return the config.
     */
    public static Config load(final Path file)
    {
        final ConfigParser p = new ConfigParser();
        p.parseFile(file);
        return p.finish();
    }

    /**
     * Loads config text.
     *
     * @param name label for messages.
     * @param text config text.
     * @return the config.
     */
    public static Config loadString(final String name, final String text)
    {
        final ConfigParser p = new ConfigParser();
        p.parseText(name, text);
        return p.finish();
    }

    private Config finish()
    {
        for (final Stmts.Call call : calls)
        {
            call.target = config.rulesets.get(call.name);
            if (null == call.target)
            {
                throw new SyslogConfigException("<config>", 1, 1, "call: unknown ruleset '" + call.name + "'");
            }
        }
        for (final Stmts.Block b : config.rulesets.values())
        {
            seal(b);
        }
        return config;
    }

    private static void seal(final Stmt stmt)
    {
        if (stmt instanceof Stmts.Block)
        {
            final Stmts.Block b = (Stmts.Block)stmt;
            for (int i = 0; i < b.body.size(); i++)
            {
                b.body.set(i, fold(b.body.get(i)));
            }
            for (final Stmt child : b.body)
            {
                seal(child);
            }
            b.seal();
        }
        else if (stmt instanceof Stmts.If)
        {
            seal(((Stmts.If)stmt).then);
            if (null != ((Stmts.If)stmt).otherwise)
            {
                seal(((Stmts.If)stmt).otherwise);
            }
        }
    }

    /** Constant folding: "always" filters vanish, "never" filters leave only their else branch. */
    private static Stmt fold(final Stmt stmt)
    {
        if (stmt instanceof Stmts.If)
        {
            final Stmts.If f = (Stmts.If)stmt;
            if (f.filter == Filters.ALWAYS)
            {
                return f.then;
            }
            if (f.filter instanceof Filters.Negation && ((Filters.Negation)f.filter).inner() == Filters.ALWAYS)
            {
                return null == f.otherwise ? new Stmts.Block() : f.otherwise;
            }
        }
        return stmt;
    }

    private void parseFile(final Path file)
    {
        final String text;
        try
        {
            text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        }
        catch (final IOException ex)
        {
            throw new SyslogConfigException(file.toString(), 1, 1, "cannot read config file: " + ex.getMessage());
        }
        parseText(file.toString(), text);
    }

    private void parseText(final String name, final String text)
    {
        if (++depth > 16)
        {
            throw new SyslogConfigException(name, 1, 1, "include nesting too deep (over 16 levels)");
        }
        final Scanner saved = s;
        final Stmts.Block savedLast = lastFilterBody;
        s = new Scanner(name, text);
        try
        {
            parseStatements(null, true);
            s.skip(true);
            if (!s.eof())
            {
                throw s.error("unexpected " + s.describe() + ": expected a statement");
            }
        }
        catch (final IllegalArgumentException ex)
        {
            throw s.error(ex.getMessage());
        }
        finally
        {
            s = saved;
            lastFilterBody = savedLast;
            depth--;
        }
    }

    /** Parses statements into {@code into} (null = current legacy ruleset) until '}' or EOF. */
    private void parseStatements(final Stmts.Block into, final boolean topLevel)
    {
        while (true)
        {
            s.skip(true);
            if (s.eof() || s.peek() == '}')
            {
                return;
            }
            final Stmt stmt = parseStatement(topLevel);
            if (null != stmt)
            {
                (null == into ? currentLegacyRuleset : into).body.add(stmt);
            }
        }
    }

    private Stmt parseStatement(final boolean topLevel)
    {
        final char c = s.peek();
        final int start = s.pos;
        if (c == '$' && s.atLineStart() && Character.isLetter(s.peek(1)))
        {
            s.pos++;
            directive(start, s.word(), s.restOfLine());
            return null;
        }
        if (c == ':')
        {
            return propertyFilter();
        }
        if (c == '&')
        {
            s.pos++;
            if (null == lastFilterBody)
            {
                throw s.error(start, "'&' without a preceding filter to continue");
            }
            lastFilterBody.body.add(actionList());
            return null;
        }
        if (c == '{')
        {
            return block();
        }
        if (c == '/' || c == '?' || c == '~' || c == '@' || c == '|' || c == '^' || (c == '-' && s.peek(1) == '/'))
        {
            return legacyAction(start, s.restOfLine());
        }
        final String word = s.word();
        final String kw = word.toLowerCase(Locale.ROOT);
        s.skip(false);
        final boolean paren = s.peek() == '(';
        switch (kw)
        {
            case "if":
                return parseIf();
            case "set":
                return set();
            case "unset":
                return unset();
            case "stop":
                return new Stmts.Stop();
            case "continue":
                // RainerScript's explicit no-op statement: an empty block does nothing and costs nothing.
                return new Stmts.Block();
            case "call":
                return call();
            case "foreach":
                return foreach();
            case "reset":
                return set();
            case "call_indirect":
                return callIndirect();
            default:
                break;
        }
        if (paren)
        {
            return object(start, kw);
        }
        if (kw.equals("ruleset") || kw.equals("template") || kw.equals("module") || kw.equals("input") ||
            kw.equals("action") || kw.equals("global"))
        {
            throw s.error("expected '(' after '" + word + "'");
        }
        s.pos = start;
        final String selector = selectorToken();
        if (selector.isEmpty() || !selector.contains("."))
        {
            throw s.error(start, "unexpected " + (selector.isEmpty() ? s.describe() : "'" + selector + "'") +
                ": expected a selector (facility.priority), a property filter ':prop, op, \"value\"', " +
                "a $Directive or a RainerScript statement");
        }
        final Filter filter = priFilter(selector, start);
        return legacyFilter(filter);
    }

    private String selectorToken()
    {
        final int start = s.pos;
        while (!s.eof() && !Character.isWhitespace(s.peek()))
        {
            s.pos++;
        }
        return s.text.substring(start, s.pos);
    }

    private Stmt legacyFilter(final Filter filter)
    {
        final Stmts.Block body = new Stmts.Block();
        body.body.add(actionList());
        lastFilterBody = body;
        return new Stmts.If(filter, body, null);
    }

    // ---------------------------------------------------------------- PRI selectors

    private Filter priFilter(final String selector, final int at)
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
                throw s.error(at, "selector '" + part + "': expected facility.priority");
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
                    throw s.error(at, "selector '" + part + "': unknown priority '" + pri + "'");
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
                        throw s.error(at, "selector '" + part + "': unknown facility '" + fac + "'");
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

    // ---------------------------------------------------------------- property filters

    private Stmt propertyFilter()
    {
        final int start = s.pos;
        s.pos++;
        final String line = s.text.substring(s.pos, lineEnd());
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
            throw s.error(start + 1, ex.getMessage());
        }
        final String value = head[2];
        s.pos += Integer.parseInt(head[3]);
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
                throw s.error(start, "property filter: unknown compare operation '" + op +
                    "': expected isequal, contains, startswith, regex, ereregex or isempty (rsyslog 8.2302 has no " +
                    "contains_i/startswith_i in property filters: use RainerScript 'if $prop contains_i ...')");
        }
        return legacyFilter(filter);
    }

    private int lineEnd()
    {
        final int nl = s.text.indexOf('\n', s.pos);
        return nl < 0 ? s.text.length() : nl;
    }

    /** Splits {@code prop, op, "value" rest} → prop, op, value, consumed length. */
    private String[] splitPropertyFilter(final String line, final int at)
    {
        final int c1 = line.indexOf(',');
        if (c1 < 0)
        {
            throw s.error(at, "property filter: expected ':property, operation, \"value\"'");
        }
        final int c2 = line.indexOf(',', c1 + 1);
        final String op = c2 < 0 ? line.substring(c1 + 1).trim() : line.substring(c1 + 1, c2);
        if (c2 < 0)
        {
            if ("isempty".equalsIgnoreCase(op.trim()) || "!isempty".equalsIgnoreCase(op.trim()))
            {
                return new String[] {line.substring(0, c1), op, "", String.valueOf(line.length())};
            }
            throw s.error(at, "property filter: expected ', \"value\"' after the operation");
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
            throw s.error(at + 1 + i, "property filter: expected a quoted value");
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
            throw s.error(at, "property filter: unterminated value, expected closing '\"'");
        }
        return new String[] {line.substring(0, c1), op, value.toString(), String.valueOf(i + 1)};
    }

    // ---------------------------------------------------------------- actions

    /** After a filter: '{ }', action(), stop, call, or a legacy action to end of line. */
    private Stmt actionList()
    {
        s.skip(true);
        final int start = s.pos;
        if (s.peek() == '{')
        {
            s.pos++;
            final Stmts.Block b = new Stmts.Block();
            parseStatements(b, false);
            s.expect('}', "to close the action block");
            return b;
        }
        final String word = s.word().toLowerCase(Locale.ROOT);
        s.skip(false);
        if ("action".equals(word) && s.peek() == '(')
        {
            return object(start, "action");
        }
        if ("stop".equals(word))
        {
            return new Stmts.Stop();
        }
        if ("call".equals(word))
        {
            return call();
        }
        s.pos = start;
        return legacyAction(start, s.restOfLine());
    }

    private Stmt legacyAction(final int at, final String raw)
    {
        if (raw.isEmpty())
        {
            throw s.error(at, "expected an action after the filter");
        }
        String a = raw;
        if ("~".equals(a))
        {
            config.warnings.add(s.file + ":" + s.line(at) + ": ~ action is deprecated, consider using the 'stop' statement");
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
        final FileOptions options = fileDefaults.copy();
        if (a.startsWith("-"))
        {
            a = a.substring(1);
            options.sync = false;
        }
        if (a.startsWith(":omfile:"))
        {
            a = a.substring(8);
        }
        if (a.startsWith("/"))
        {
            final Template t = legacyTemplate(template, at);
            return null == t ? disabled(raw, template, at) : register(new OmFile(Paths.get(a), t, options));
        }
        if (a.startsWith("?"))
        {
            final Template name = namedTemplate(a.substring(1).trim(), at);
            final Template t = legacyTemplate(template, at);
            return null == t ? disabled(raw, template, at) : register(new DynaFile(name, t, options));
        }
        if (a.startsWith(":omdiscard:"))
        {
            return register(new OmDiscard("omdiscard"));
        }
        if (a.startsWith(":mmjsonparse:"))
        {
            requireModule("mmjsonparse", at);
            return register(new MmJsonParse("@cee:", false, "$!"));
        }
        if (a.startsWith("@") || a.startsWith("|"))
        {
            // issue 8: forwarding and pipe outputs live in internal.forward.
            final Template t = null == template || template.isEmpty() ? namedTemplate(a.startsWith("@") ?
                Outputs.FORWARD_TEMPLATE : defaultFileTemplate, at) : legacyTemplate(template, at);
            try
            {
                return null == t ? disabled(raw, template, at) : register(a.startsWith("@") ?
                    Outputs.legacyForward(a.trim(), t, config.workDirectory, takeLegacyActionQueue()) :
                    Outputs.legacyPipe(a.substring(1), t));
            }
            catch (final SyslogException ex)
            {
                throw s.error(at, ex.getMessage());
            }
        }
        if (a.startsWith(":omrelp:"))
        {
            requireModule("omrelp", at);
            // ':om...' actions keep their ';' above; omrelp's is the template separator as for '@'.
            final int sep = a.indexOf(';');
            final String relpTemplate = sep < 0 ? null : a.substring(sep + 1).trim();
            final String hostPort = (sep < 0 ? a : a.substring(0, sep)).substring(":omrelp:".length()).trim();
            final Template t = null == relpTemplate || relpTemplate.isEmpty() ?
                namedTemplate("RSYSLOG_ForwardFormat", at) : legacyTemplate(relpTemplate, at);
            try
            {
                return null == t ? disabled(raw, relpTemplate, at) : register(Outputs.legacyRelp(hostPort, t,
                    config.workDirectory, takeLegacyActionQueue()));
            }
            catch (final SyslogException ex)
            {
                throw s.error(at, ex.getMessage());
            }
        }
        if (a.startsWith(":omusrmsg:") || "*".equals(a) || a.matches("[A-Za-z0-9_,]+"))
        {
            return register(new OmDiscard("omusrmsg"));
        }
        if (a.startsWith("|") || a.startsWith("^") || a.startsWith(":"))
        {
            throw s.error(at, "legacy action '" + raw + "' is not supported by this engine yet " +
                "(network, pipe and program outputs come later): expected a file, ?dynafile, ~ or stop");
        }
        throw s.error(at, "unknown legacy action '" + raw + "': expected /file, -/file, ?template, ~ or stop");
    }

    private Map<String, Object> takeLegacyActionQueue()
    {
        final Map<String, Object> q = new java.util.HashMap<>(legacyActionQueue);
        legacyActionQueue.clear();
        return q;
    }

    private Stmt register(final Action action)
    {
        config.actions.add(action);
        return new Stmts.Act(action);
    }

    private Template template(final String name, final int at)
    {
        return namedTemplate(null == name || name.isEmpty() ? defaultFileTemplate : name, at);
    }

    /** Legacy actions: rsyslog reports an unknown template and keeps running without that action. */
    private Template legacyTemplate(final String name, final int at)
    {
        if (null == name || name.isEmpty() || null != findTemplate(name))
        {
            return template(name, at);
        }
        return null;
    }

    private Stmt disabled(final String raw, final String template, final int at)
    {
        config.warnings.add(s.file + ":" + s.line(at) + ": action '" + raw + "' disabled: unknown template '" +
            template + "' (rsyslog does the same: it writes nothing for this action)");
        return register(new OmDiscard("disabled-unknown-template"));
    }

    private Template namedTemplate(final String name, final int at)
    {
        for (final Map.Entry<String, Template> e : config.templates.entrySet())
        {
            if (e.getKey().equalsIgnoreCase(name))
            {
                return e.getValue();
            }
        }
        throw s.error(at, "unknown template '" + name + "': define it before use");
    }

    // ---------------------------------------------------------------- RainerScript statements

    private Stmt parseIf()
    {
        final int at = s.pos;
        final Expr cond = new ExprParser(s, this::findTemplate, this::selectorMask, config.lookupTables::get).parse();
        s.skip(true);
        final String then = s.word();
        if (!"then".equalsIgnoreCase(then))
        {
            throw s.error("expected 'then' after the if condition, found " + (then.isEmpty() ? s.describe() :
                "'" + then + "'"));
        }
        final Stmt body = branch();
        final Stmts.Block bodyBlock = body instanceof Stmts.Block ? (Stmts.Block)body : wrap(body);
        Stmt otherwise = null;
        final int save = s.pos;
        s.skip(true);
        final String maybeElse = s.word();
        if ("else".equalsIgnoreCase(maybeElse))
        {
            otherwise = branch();
        }
        else
        {
            s.pos = save;
        }
        lastFilterBody = bodyBlock;
        if (at < 0)
        {
            throw s.error("unreachable");
        }
        return new Stmts.If(Optimizer.toFilter(cond), bodyBlock, otherwise);
    }

    private static Stmts.Block wrap(final Stmt stmt)
    {
        final Stmts.Block b = new Stmts.Block();
        b.body.add(stmt);
        return b;
    }

    private Stmt branch()
    {
        s.skip(true);
        final int start = s.pos;
        final char c = s.peek();
        if (c == '{')
        {
            return block();
        }
        final String word = s.word().toLowerCase(Locale.ROOT);
        switch (word)
        {
            case "if":
            case "set":
            case "unset":
            case "stop":
            case "continue":
            case "call":
            case "foreach":
            case "action":
            case "call_indirect":
            case "reset":
                s.pos = start;
                return parseStatement(false);
            default:
                s.pos = start;
                if (c == '$' || c == ':' || word.contains("."))
                {
                    return parseStatement(false);
                }
                return legacyAction(start, s.restOfLine());
        }
    }

    private Stmt set()
    {
        s.skip(true);
        final int at = s.pos;
        final VarPath path = variableName();
        s.expect('=', "after the variable in 'set'");
        final Expr value = new ExprParser(s, this::findTemplate, this::selectorMask, config.lookupTables::get).parse();
        s.expect(';', "to end the 'set' statement");
        if (null == path)
        {
            throw s.error(at, "set: expected a variable like $!name, $.name or $/name");
        }
        return new Stmts.Set(path, value);
    }

    private VarPath variableName()
    {
        final int at = s.pos;
        if (s.peek() != '$')
        {
            throw s.error("expected a variable like $!name");
        }
        s.pos++;
        final StringBuilder sb = new StringBuilder("$");
        while (!s.eof() && (s.isWordChar(s.peek()) || s.peek() == '!' || s.peek() == '/' || s.peek() == '[' ||
            s.peek() == ']'))
        {
            sb.append(s.peek());
            s.pos++;
        }
        final VarPath p = VarPath.parse(sb.toString());
        if (null == p)
        {
            throw s.error(at, "expected a variable like $!name, $.name or $/name, found '" + sb + "'");
        }
        return p;
    }

    private Stmt unset()
    {
        s.skip(true);
        final VarPath path = variableName();
        s.expect(';', "to end the 'unset' statement");
        return new Stmts.Unset(path);
    }

    private Stmt call()
    {
        s.skip(false);
        final int at = s.pos;
        final String name = s.word();
        if (name.isEmpty())
        {
            throw s.error(at, "call: expected a ruleset name");
        }
        final Stmts.Call c = new Stmts.Call(name);
        calls.add(c);
        return c;
    }

    private Stmt foreach()
    {
        s.expect('(', "after foreach");
        s.skip(true);
        final VarPath it = variableName();
        s.skip(true);
        if (!"in".equalsIgnoreCase(s.word()))
        {
            throw s.error("foreach: expected 'in'");
        }
        final Expr collection = new ExprParser(s, this::findTemplate, this::selectorMask, config.lookupTables::get).parse();
        s.expect(')', "to close foreach");
        s.skip(true);
        if (!"do".equalsIgnoreCase(s.word()))
        {
            throw s.error("foreach: expected 'do'");
        }
        return new Stmts.Foreach(it, collection, branch());
    }

    Template findTemplate(final String name)
    {
        for (final Map.Entry<String, Template> e : config.templates.entrySet())
        {
            if (e.getKey().equalsIgnoreCase(name))
            {
                return e.getValue();
            }
        }
        return null;
    }

    long[] selectorMask(final String selector)
    {
        return decodeSelector(selector, s.pos);
    }

    /**
     * A braced statement block; the scanner stands on its '{'. Shared by the top-level statement and the
     * statement after if/else, which accept a block the same way.
     */
    private Stmts.Block block()
    {
        s.pos++;
        final Stmts.Block b = new Stmts.Block();
        parseStatements(b, false);
        s.expect('}', "to close the block");
        return b;
    }

    // ---------------------------------------------------------------- objects

    private Map<String, Object> params(final String object)
    {
        s.expect('(', "after " + object);
        final Map<String, Object> params = new LinkedHashMap<>();
        while (true)
        {
            if (s.skipToClose(')'))
            {
                return params;
            }
            final int at = s.pos;
            final String key = s.word();
            if (key.isEmpty())
            {
                throw s.error("in " + object + "(): expected a parameter name or ')', found " + s.describe());
            }
            s.expect('=', "after parameter '" + key + "'");
            s.skip(true);
            final Object value;
            if (s.peek() == '"' || s.peek() == '\'')
            {
                value = s.string();
            }
            else if (s.peek() == '[')
            {
                s.pos++;
                final List<String> list = new ArrayList<>();
                while (true)
                {
                    if (s.skipToClose(']'))
                    {
                        break;
                    }
                    if (s.peek() != '"' && s.peek() != '\'')
                    {
                        throw s.error("expected a quoted string in the array of '" + key + "'");
                    }
                    list.add(s.string());
                    s.skip(true);
                    if (s.peek() == ',')
                    {
                        s.pos++;
                    }
                }
                value = list;
            }
            else
            {
                final String w = s.word();
                if (w.isEmpty())
                {
                    throw s.error("parameter '" + key + "': expected a quoted value, found " + s.describe());
                }
                value = w;
            }
            if (params.put(key.toLowerCase(Locale.ROOT), value) != null)
            {
                throw s.error(at, "parameter '" + key + "' given twice in " + object + "()");
            }
        }
    }

    private static String str(final Map<String, Object> p, final String key, final String dflt)
    {
        final Object v = p.remove(key);
        return null == v ? dflt : v.toString();
    }

    private static boolean bool(final Map<String, Object> p, final String key, final boolean dflt)
    {
        final String v = str(p, key, null);
        return null == v ? dflt : "on".equalsIgnoreCase(v) || "yes".equalsIgnoreCase(v) || "1".equals(v) ||
            "true".equalsIgnoreCase(v);
    }

    private int octal(final Map<String, Object> p, final String key, final int dflt, final int at)
    {
        final String v = str(p, key, null);
        if (null == v)
        {
            return dflt;
        }
        try
        {
            return Integer.parseInt(v, 8);
        }
        catch (final NumberFormatException ex)
        {
            throw s.error(at, "parameter '" + key + "': expected an octal mode like 0644, got '" + v + "'");
        }
    }

    private Stmt object(final int at, final String kind)
    {
        final Map<String, Object> p = params(kind);
        switch (kind)
        {
            case "action":
                return action(at, p);
            case "template":
                templateObject(at, p);
                return null;
            case "ruleset":
                ruleset(at, p);
                return null;
            case "module":
                module(at, p);
                return null;
            case "input":
                input(at, p);
                return null;
            case "global":
                global(p);
                return null;
            case "parser":
                parserObject(at, p);
                return null;
            case "lookup_table":
                lookupTable(at, p);
                return null;
            case "main_queue":
                mainQueue(at, p);
                return null;
            case "timezone":
            case "dyn_stats":
            case "percentile_stats":
            case "ratelimit":
                config.warnings.add(s.file + ":" + s.line(at) + ": " + kind + "() accepted, has no effect in this engine");
                return null;
            case "include":
                include(at, p);
                return null;
            default:
                throw s.error(at, "unknown object '" + kind + "()': expected action, template, ruleset, module, " +
                    "input, global, main_queue, parser or include");
        }
    }

    private void checkEmpty(final Map<String, Object> p, final String object, final int at)
    {
        if (!p.isEmpty())
        {
            config.warnings.add(s.file + ":" + s.line(at) + ": " + object + "(): parameters ignored: " + p.keySet());
        }
    }

    private Stmt action(final int at, final Map<String, Object> p)
    {
        final String type = str(p, "type", null);
        if (null == type)
        {
            throw s.error(at, "action(): missing required parameter 'type'");
        }
        p.remove("name");
        final Map<String, Object> queueParams = new java.util.HashMap<>();
        for (final String k : new ArrayList<>(p.keySet()))
        {
            if (k.startsWith("queue.") || k.startsWith("action."))
            {
                queueParams.put(k, p.remove(k));
            }
        }
        final Action action;
        switch (type.toLowerCase(Locale.ROOT))
        {
            case "omfile":
            {
                final FileOptions o = fileDefaults.copy();
                o.createDirs = bool(p, "createdirs", o.createDirs);
                o.dirCreateMode = octal(p, "dircreatemode", o.dirCreateMode, at);
                o.fileCreateMode = octal(p, "filecreatemode", o.fileCreateMode, at);
                o.sync = bool(p, "sync", false);
                final String cache = str(p, "dynafilecachesize", null);
                if (null != cache)
                {
                    o.dynaFileCacheSize = Integer.parseInt(cache);
                }
                final Template t = template(str(p, "template", null), at);
                final String file = str(p, "file", null);
                final String dyna = str(p, "dynafile", null);
                p.remove("flushontxend");
                p.remove("asyncwriting");
                p.remove("iobuffersize");
                p.remove("flushinterval");
                p.remove("fileowner");
                p.remove("filegroup");
                p.remove("dirowner");
                p.remove("dirgroup");
                if (null != file)
                {
                    action = new OmFile(Paths.get(file), t, o);
                }
                else if (null != dyna)
                {
                    action = new DynaFile(namedTemplate(dyna, at), t, o);
                }
                else
                {
                    throw s.error(at, "action(type=\"omfile\"): expected parameter 'file' or 'dynaFile'");
                }
                break;
            }
            case "omdiscard":
                action = new OmDiscard("omdiscard");
                break;
            case "omrelp":
            case "omfwd":
            case "ompipe":
            case "omstdout":
                if ("omrelp".equalsIgnoreCase(type))
                {
                    requireModule("omrelp", at);
                }
                try
                {
                    // issue 8: network and stream outputs with their own queues (internal.forward).
                    action = Outputs.action(type, p, queueParams, template(str(p, "template",
                        "omfwd".equalsIgnoreCase(type) ? Outputs.FORWARD_TEMPLATE :
                        "omrelp".equalsIgnoreCase(type) ? "RSYSLOG_ForwardFormat" : null), at), config.workDirectory);
                }
                catch (final SyslogException ex)
                {
                    throw s.error(at, ex.getMessage());
                }
                break;
            case "mmjsonparse":
                requireModule("mmjsonparse", at);
                action = new MmJsonParse(str(p, "cookie", "@cee:"), bool(p, "userawmsg", false),
                    str(p, "container", "$!"));
                break;
            case "mmnormalize":
            {
                requireModule("mmnormalize", at);
                final String rb = str(p, "rulebase", null);
                if (null == rb)
                {
                    throw s.error(at, "action(type=\"mmnormalize\"): expected parameter 'ruleBase'");
                }
                try
                {
                    action = new MmNormalize(Paths.get(rb), bool(p, "userawmsg", false), str(p, "path", "$!"));
                }
                catch (final SyslogException ex)
                {
                    throw s.error(at, ex.getMessage());
                }
                break;
            }
            default:
                throw s.error(at, "action type '" + type + "' is not supported by this engine yet: expected " +
                    "omfile, omdiscard, mmjsonparse or mmnormalize");
        }
        checkEmpty(p, "action", at);
        return register(action);
    }

    private void requireModule(final String name, final int at)
    {
        if (!config.modules.contains(name))
        {
            throw s.error(at, "action type '" + name + "' used but module not loaded: add module(load=\"" + name +
                "\")");
        }
    }

    private void templateObject(final int at, final Map<String, Object> p)
    {
        final String name = str(p, "name", null);
        if (null == name)
        {
            throw s.error(at, "template(): missing required parameter 'name'");
        }
        final String type = str(p, "type", "string").toLowerCase(Locale.ROOT);
        int json = Template.OPTION_NONE;
        if (bool(p, "option.json", false))
        {
            json = Template.OPTION_JSON;
        }
        if (bool(p, "option.jsonf", false))
        {
            json = Template.OPTION_JSONF;
        }
        if (bool(p, "option.sql", false))
        {
            json = Template.OPTION_SQL;
        }
        if (bool(p, "option.stdsql", false))
        {
            json = Template.OPTION_STDSQL;
        }
        p.remove("option.casesensitive");
        final Template t;
        try
        {
            switch (type)
            {
                case "string":
                {
                    final String text = str(p, "string", null);
                    if (null == text)
                    {
                        throw s.error(at, "template(type=\"string\"): missing parameter 'string'");
                    }
                    t = new Template(name, TemplateParser.parse(text, false), json, null);
                    break;
                }
                case "subtree":
                {
                    final String sub = str(p, "subtree", null);
                    final VarPath path = null == sub ? null : VarPath.parse(sub);
                    if (null == path)
                    {
                        throw s.error(at, "template(type=\"subtree\"): expected subtree=\"$!...\"");
                    }
                    t = new Template(name, new ArrayList<>(), Template.OPTION_NONE, path);
                    break;
                }
                case "list":
                    t = new Template(name, listItems(), json, null);
                    break;
                default:
                    throw s.error(at, "template(): unsupported type '" + type + "': expected string, list or subtree");
            }
        }
        catch (final IllegalArgumentException ex)
        {
            throw s.error(at, "template '" + name + "': " + ex.getMessage());
        }
        checkEmpty(p, "template", at);
        config.templates.put(name, t);
    }

    private List<Object> listItems()
    {
        s.expect('{', "to start the list template's items");
        final List<Object> items = new ArrayList<>();
        while (true)
        {
            if (s.skipToClose('}'))
            {
                return items;
            }
            final int at = s.pos;
            final String kind = s.word().toLowerCase(Locale.ROOT);
            final Map<String, Object> p = params(kind);
            if ("constant".equals(kind))
            {
                final String v = str(p, "value", null);
                if (null == v)
                {
                    throw s.error(at, "constant(): missing parameter 'value'");
                }
                items.add(v.getBytes(StandardCharsets.ISO_8859_1));
            }
            else if ("property".equals(kind))
            {
                items.add(listProperty(at, p));
            }
            else
            {
                throw s.error(at, "expected property(...) or constant(...) in a list template, found '" + kind + "'");
            }
        }
    }

    private PropertySpec listProperty(final int at, final Map<String, Object> p)
    {
        final String name = str(p, "name", null);
        if (null == name)
        {
            throw s.error(at, "property(): missing parameter 'name'");
        }
        final PropertySpec spec = TemplateParser.property(name);
        spec.outName = str(p, "outname", null);
        final String df = str(p, "dateformat", str(p, "date.format", null));
        if (null != df)
        {
            spec.dateFormat = TemplateParser.dateFormat(df);
        }
        final String from = str(p, "position.from", null);
        final String to = str(p, "position.to", null);
        if (null != from)
        {
            spec.fromPos = Integer.parseInt(from);
        }
        if (null != to)
        {
            spec.toPos = Integer.parseInt(to);
        }
        spec.posEndRelative = bool(p, "position.relativetoend", false);
        final String fieldNr = str(p, "field.number", null);
        if (null != fieldNr)
        {
            spec.fieldNumber = Integer.parseInt(fieldNr);
            spec.fieldDelimiter = Integer.parseInt(str(p, "field.delimiter", "9"));
        }
        final String re = str(p, "regex.expression", null);
        if (null != re)
        {
            spec.regex = RegexTranslator.compile(re, "ERE".equalsIgnoreCase(str(p, "regex.type", "BRE")), false);
            spec.regexSubmatch = Integer.parseInt(str(p, "regex.submatch", "0"));
            spec.regexMatchNumber = Integer.parseInt(str(p, "regex.match", "0"));
            spec.regexNoMatch = TemplateParser.noMatch(str(p, "regex.nomatchmode", "DFLT"));
        }
        final String cc = str(p, "caseconversion", "").toLowerCase(Locale.ROOT);
        spec.caseConversion = "lower".equals(cc) ? PropertySpec.CASE_LOWER : "upper".equals(cc) ?
            PropertySpec.CASE_UPPER : PropertySpec.CASE_NONE;
        final String ctl = str(p, "controlcharacters", "").toLowerCase(Locale.ROOT);
        spec.controlCharacters = "escape".equals(ctl) ? PropertySpec.CC_ESCAPE : "drop".equals(ctl) ?
            PropertySpec.CC_DROP : "space".equals(ctl) ? PropertySpec.CC_SPACE : PropertySpec.CC_KEEP;
        final String sp = str(p, "securepath", "").toLowerCase(Locale.ROOT);
        spec.securePath = "drop".equals(sp) ? 1 : "replace".equals(sp) ? 2 : 0;
        final String fmt = str(p, "format", "").toLowerCase(Locale.ROOT);
        spec.format = "csv".equals(fmt) ? PropertySpec.FORMAT_CSV : "json".equals(fmt) ? PropertySpec.FORMAT_JSON :
            "jsonf".equals(fmt) || "jsonfr".equals(fmt) ? PropertySpec.FORMAT_JSONF : "jsonr".equals(fmt) ?
            PropertySpec.FORMAT_JSONR : PropertySpec.FORMAT_NONE;
        final String dt = str(p, "datatype", "string").toLowerCase(Locale.ROOT);
        spec.dataType = "number".equals(dt) ? PropertySpec.TYPE_NUMBER : "auto".equals(dt) ? PropertySpec.TYPE_AUTO :
            "bool".equals(dt) ? PropertySpec.TYPE_BOOL : PropertySpec.TYPE_STRING;
        final String oe = str(p, "onempty", "keep").toLowerCase(Locale.ROOT);
        spec.onEmpty = "skip".equals(oe) ? PropertySpec.EMPTY_SKIP : "null".equals(oe) ? PropertySpec.EMPTY_NULL :
            PropertySpec.EMPTY_KEEP;
        spec.dropLastLf = bool(p, "droplastlf", false);
        spec.spIfNo1stSp = bool(p, "spifno1stsp", false);
        // str() consumes the parameter (so unknown ones can be reported), so read date.inUTC once.
        final String inUtc = str(p, "date.inutc", "off");
        spec.dateUtc = "utc".equalsIgnoreCase(inUtc) || "on".equalsIgnoreCase(inUtc) || "yes".equalsIgnoreCase(inUtc) ||
            "1".equals(inUtc) || "true".equalsIgnoreCase(inUtc);
        final String fw = str(p, "fixedwidth", null);
        if (null != fw && ("on".equalsIgnoreCase(fw)) && spec.toPos > 0)
        {
            spec.fixedWidth = spec.toPos - Math.max(1, spec.fromPos) + 1;
        }
        checkEmpty(p, "property", at);
        return spec;
    }

    private void parserObject(final int at, final Map<String, Object> p)
    {
        final String name = str(p, "name", null);
        final String type = str(p, "type", null);
        if (null == name || null == type)
        {
            throw s.error(at, "parser(): expected parameters 'name' and 'type'");
        }
        if (!"pmrfc3164".equalsIgnoreCase(type))
        {
            throw s.error(at, "parser(type=\"" + type + "\") is not supported: expected pmrfc3164");
        }
        final MessageParser mp = config.parser.copy();
        mp.forceTagEndingByColon(bool(p, "force.tagendingbycolon", false));
        mp.removeMsgFirstSpace(bool(p, "remove.msgfirstspace", false));
        mp.permitInHostname(bool(p, "permit.squarebracketsinhostname", false),
            bool(p, "permit.slashesinhostname", false), bool(p, "permit.atsignsinhostname", false));
        p.remove("detect.yearaftertimestamp");
        p.remove("detect.headerless");
        checkEmpty(p, "parser", at);
        config.parsers.put(name, mp);
    }

    private void lookupTable(final int at, final Map<String, Object> p)
    {
        final String name = str(p, "name", null);
        final String file = str(p, "file", null);
        if (null == name || null == file)
        {
            throw s.error(at, "lookup_table(): expected parameters 'name' and 'file'");
        }
        p.remove("reloadonhup");
        final Object table;
        try
        {
            table = dev.hostplane.syslog.internal.message.Json.parse(
                new String(Files.readAllBytes(Paths.get(file)), StandardCharsets.ISO_8859_1), 0);
        }
        catch (final IOException ex)
        {
            throw s.error(at, "lookup_table(): cannot read file '" + file + "': " + ex.getMessage());
        }
        if (!(table instanceof Map))
        {
            throw s.error(at, "lookup_table(): file '" + file + "' is not a JSON object");
        }
        @SuppressWarnings("unchecked")
        final Map<String, Object> t = (Map<String, Object>)table;
        config.lookupTables.put(name, t);
    }

    private void bindParser(final String ruleset, final Object spec, final int at)
    {
        final List<String> names = new ArrayList<>();
        if (spec instanceof List)
        {
            for (final Object o : (List<?>)spec)
            {
                names.add(o.toString());
            }
        }
        else
        {
            names.add(spec.toString());
        }
        MessageParser chosen = null;
        boolean with5424 = false;
        for (final String n : names)
        {
            if ("rsyslog.rfc5424".equalsIgnoreCase(n))
            {
                with5424 = true;
            }
            else if ("rsyslog.rfc3164".equalsIgnoreCase(n))
            {
                chosen = config.parser.copy();
            }
            else
            {
                chosen = config.parsers.get(n);
                if (null == chosen)
                {
                    throw s.error(at, "ruleset '" + ruleset + "': unknown parser '" + n + "'");
                }
                chosen = chosen.copy();
            }
        }
        if (null == chosen)
        {
            chosen = config.parser.copy();
        }
        chosen.rfc5424(with5424);
        config.rulesetParsers.put(ruleset, chosen);
    }

    private void ruleset(final int at, final Map<String, Object> p)
    {
        final String name = str(p, "name", null);
        if (null == name)
        {
            throw s.error(at, "ruleset(): missing required parameter 'name'");
        }
        final Object parserSpec = p.remove("parser");
        if (null != parserSpec)
        {
            bindParser(name, parserSpec, at);
        }
        for (final String k : new ArrayList<>(p.keySet()))
        {
            if (k.startsWith("queue."))
            {
                p.remove(k);
            }
        }
        checkEmpty(p, "ruleset", at);
        final Stmts.Block block = config.rulesets.computeIfAbsent(name, k -> new Stmts.Block());
        s.expect('{', "to start the body of ruleset '" + name + "'");
        final Stmts.Block savedLast = lastFilterBody;
        parseStatements(block, false);
        s.expect('}', "to close ruleset '" + name + "'");
        lastFilterBody = savedLast;
    }

    private void module(final int at, final Map<String, Object> p)
    {
        final String load = str(p, "load", null);
        if (null == load)
        {
            throw s.error(at, "module(): missing required parameter 'load'");
        }
        loadModule(load, at);
        if ("builtin:omfile".equalsIgnoreCase(load) || "omfile".equalsIgnoreCase(load))
        {
            final String t = str(p, "template", null);
            if (null != t)
            {
                defaultFileTemplate = t;
            }
            fileDefaults.fileCreateMode = octal(p, "filecreatemode", fileDefaults.fileCreateMode, at);
            fileDefaults.dirCreateMode = octal(p, "dircreatemode", fileDefaults.dirCreateMode, at);
        }
        p.clear();
    }

    private void loadModule(final String name, final int at)
    {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".so"))
        {
            n = n.substring(0, n.length() - 3);
        }
        if (!KNOWN_MODULES.contains(n))
        {
            throw s.error(at, "module '" + name + "' is not available in this engine");
        }
        if (!config.modules.contains(n))
        {
            config.modules.add(n);
        }
    }

    private void input(final int at, final Map<String, Object> p)
    {
        final String type = str(p, "type", null);
        if (null == type)
        {
            throw s.error(at, "input(): missing required parameter 'type'");
        }
        final String t = type.toLowerCase(Locale.ROOT);
        final Map<String, Object> spec = new java.util.LinkedHashMap<>(p);
        spec.put("type", t);
        spec.put("@line", s.file + ":" + s.line(at));
        config.inputSpecs.add(spec);
        if (!config.modules.contains(t))
        {
            throw s.error(at, "input(type=\"" + type + "\"): module not loaded, add module(load=\"" + type + "\")");
        }
        if (("imtcp".equals(t) || "imudp".equals(t) || "imptcp".equals(t) || "imrelp".equals(t)) &&
            !p.containsKey("port"))
        {
            throw s.error(at, "input(type=\"" + type + "\"): missing required parameter 'port'");
        }
        final String ruleset = str(p, "ruleset", null);
        if ("imtcp".equals(t) && null != ruleset && Config.DEFAULT_RULESET.equals(config.tcpRuleset))
        {
            config.tcpRuleset = ruleset;
        }
        config.inputs.add(t + p);
    }

    /** A legacy {@code $...ServerRun} input, bound to the ruleset the last {@code $...BindRuleset} named. */
    private Map<String, Object> legacyInput(final String type, final String port, final String ruleset, final int at)
    {
        final Map<String, Object> spec = new java.util.LinkedHashMap<>();
        spec.put("type", type);
        spec.put("port", port);
        if (null != ruleset)
        {
            spec.put("ruleset", ruleset);
        }
        spec.put("@line", s.file + ":" + s.line(at));
        return spec;
    }

    /** {@code main_queue(queue.size=N)} sizes the daemon's ring; its other parameters do not apply to it. */
    private void mainQueue(final int at, final Map<String, Object> p)
    {
        final String size = str(p, "queue.size", null);
        if (null != size)
        {
            int n = -1;
            try
            {
                n = Integer.parseInt(size.trim());
            }
            catch (final NumberFormatException ex)
            {
                n = -1;
            }
            if (n <= 0)
            {
                throw s.error(at, "main_queue(queue.size=\"" + size + "\"): expected a positive number of messages");
            }
            config.mainQueueSize = n;
        }
        if (!p.isEmpty())
        {
            config.warnings.add(s.file + ":" + s.line(at) + ": main_queue() parameters " + p.keySet() +
                " accepted, have no effect in this engine (one in-memory ring, one rule worker)");
        }
    }

    private void global(final Map<String, Object> p)
    {
        final String host = str(p, "localhostname", null);
        if (null != host)
        {
            config.localHostname = host;
        }
        final String dns = str(p, "net.enabledns", null);
        if (null != dns)
        {
            config.enableDns = !"off".equalsIgnoreCase(dns);
        }
        final String esc = str(p, "parser.escapecontrolcharactersonreceive", null);
        if (null != esc)
        {
            config.parser.escapeControlCharacters("on".equalsIgnoreCase(esc));
        }
        final String tab = str(p, "parser.escapecontrolcharactertab", null);
        if (null != tab)
        {
            config.parser.escapeTab("on".equalsIgnoreCase(tab));
        }
        final String eight = str(p, "parser.escape8bitcharactersonreceive", null);
        if (null != eight)
        {
            config.parser.escape8Bit("on".equalsIgnoreCase(eight));
        }
        final String prefix = str(p, "parser.controlcharacterescapeprefix", null);
        if (null != prefix && !prefix.isEmpty())
        {
            config.parser.escapePrefix(prefix.charAt(0));
        }
        final String max = str(p, "maxmessagesize", null);
        if (null != max)
        {
            config.parser.maxMessageSize(size(max));
        }
        final String slash = str(p, "parser.permitslashinprogramname", null);
        if (null != slash)
        {
            config.parser.permitSlashInProgramName("on".equalsIgnoreCase(slash));
        }
        final Object work = p.get("workdirectory");
        if (null != work)
        {
            config.workDirectory = Paths.get(work.toString());
        }
    }

    private static int size(final String v)
    {
        final String t = v.trim().toLowerCase(Locale.ROOT);
        int mult = 1;
        String digits = t;
        if (t.endsWith("k"))
        {
            mult = 1024;
            digits = t.substring(0, t.length() - 1);
        }
        else if (t.endsWith("m"))
        {
            mult = 1024 * 1024;
            digits = t.substring(0, t.length() - 1);
        }
        return Integer.parseInt(digits) * mult;
    }

    private Stmt callIndirect()
    {
        final Expr target = new ExprParser(s, this::findTemplate, this::selectorMask, config.lookupTables::get).parse();
        s.expect(';', "to end 'call_indirect'");
        return new CallIndirect(target, config.rulesets);
    }

    private void include(final int at, final Map<String, Object> p)
    {
        final String file = str(p, "file", null);
        final String text = str(p, "text", null);
        final boolean optional = "optional".equalsIgnoreCase(str(p, "mode", "abort-if-missing"));
        if (null != text)
        {
            parseText(s.file + "(include text)", text);
            return;
        }
        if (null == file)
        {
            throw s.error(at, "include(): expected parameter 'file' or 'text'");
        }
        includeGlob(file, at, optional);
    }

    private void includeGlob(final String pattern, final int at, final boolean optional)
    {
        final Path path = Paths.get(pattern);
        final Path dir = null == path.getParent() ? Paths.get(".") : path.getParent();
        final String glob = path.getFileName().toString();
        final List<Path> matches = new ArrayList<>();
        if (Files.isDirectory(path))
        {
            includeGlob(pattern.endsWith("/") ? pattern + "*" : pattern + "/*", at, optional);
            return;
        }
        if (Files.isDirectory(dir))
        {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob))
            {
                for (final Path m : ds)
                {
                    if (Files.isRegularFile(m))
                    {
                        matches.add(m);
                    }
                }
            }
            catch (final IOException ex)
            {
                throw s.error(at, "include: cannot list '" + dir + "': " + ex.getMessage());
            }
        }
        if (matches.isEmpty() && !optional && !glob.contains("*") && !glob.contains("?"))
        {
            throw s.error(at, "include: file '" + pattern + "' not found");
        }
        matches.sort(null);
        for (final Path m : matches)
        {
            parseFile(m);
        }
    }

    // ---------------------------------------------------------------- legacy directives

    private void directive(final int at, final String name, final String args)
    {
        final String n = name.toLowerCase(Locale.ROOT);
        switch (n)
        {
            case "template":
                legacyTemplate(at, args);
                break;
            case "modload":
                loadModule(args.trim(), at);
                break;
            case "includeconfig":
                includeGlob(args.trim(), at, true);
                break;
            case "actionfiledefaulttemplate":
                namedTemplate(args.trim(), at);
                defaultFileTemplate = args.trim();
                break;
            case "localhostname":
                config.localHostname = args.trim();
                break;
            case "filecreatemode":
                fileDefaults.fileCreateMode = Integer.parseInt(args.trim(), 8);
                break;
            case "dircreatemode":
                fileDefaults.dirCreateMode = Integer.parseInt(args.trim(), 8);
                break;
            case "createdirs":
                fileDefaults.createDirs = "on".equalsIgnoreCase(args.trim());
                break;
            case "dynafilecachesize":
                fileDefaults.dynaFileCacheSize = Integer.parseInt(args.trim());
                break;
            case "escapecontrolcharactersonreceive":
                config.parser.escapeControlCharacters("on".equalsIgnoreCase(args.trim()));
                break;
            case "escape8bitcharactersonreceive":
                config.parser.escape8Bit("on".equalsIgnoreCase(args.trim()));
                break;
            case "escapecontrolcharactertab":
                config.parser.escapeTab("on".equalsIgnoreCase(args.trim()));
                break;
            case "controlcharacterescapeprefix":
                if (!args.trim().isEmpty())
                {
                    config.parser.escapePrefix(args.trim().charAt(0));
                }
                break;
            case "maxmessagesize":
                config.parser.maxMessageSize(size(args));
                break;
            case "ruleset":
                currentLegacyRuleset = config.rulesets.computeIfAbsent(args.trim(), k -> new Stmts.Block());
                break;
            case "inputtcpserverbindruleset":
                config.tcpRuleset = args.trim();
                legacyTcpRuleset = args.trim();
                break;
            case "inputudpserverbindruleset":
                legacyUdpRuleset = args.trim();
                break;
            case "inputtcpserverrun":
                if (!config.modules.contains("imtcp"))
                {
                    throw s.error(at, "$InputTCPServerRun: module imtcp not loaded, add $ModLoad imtcp");
                }
                config.inputs.add("imtcp{port=" + args.trim() + "}");
                config.inputSpecs.add(legacyInput("imtcp", args.trim(), legacyTcpRuleset, at));
                break;
            case "udpserverrun":
                config.inputs.add("imudp{port=" + args.trim() + "}");
                config.inputSpecs.add(legacyInput("imudp", args.trim(), legacyUdpRuleset, at));
                break;
            case "workdirectory":
                config.workDirectory = Paths.get(args.trim());
                break;
            case "actionqueuefilename":
            case "actionqueuesize":
            case "actionqueuetype":
            case "actionqueuedequeuebatchsize":
            case "actionqueuetimeoutshutdown":
            case "actionqueuesaveonshutdown":
            case "actionresumeretrycount":
            case "actionresumeinterval":
                // issue 8: legacy action queue settings apply to the next forwarding/pipe action.
                legacyActionQueue.put(n.startsWith("actionqueue") ? "queue." + n.substring(11) :
                    "action." + n.substring(6), args.trim());
                break;
            default:
                // rsyslog reports unknown directives and carries on; most are queue/ownership tuning.
                config.warnings.add(s.file + ":" + s.line(at) + ": directive $" + name + " accepted, has no effect here");
                break;
        }
    }

    private void legacyTemplate(final int at, final String args)
    {
        final int comma = args.indexOf(',');
        if (comma < 0)
        {
            throw s.error(at, "$template: expected 'name,\"format\"'");
        }
        final String name = args.substring(0, comma).trim();
        String rest = args.substring(comma + 1).trim();
        if (!rest.startsWith("\""))
        {
            throw s.error(at, "$template " + name + ": expected a quoted format string");
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
            throw s.error(at, "$template " + name + ": unterminated format string, expected closing '\"'");
        }
        rest = rest.substring(i + 1).trim().toLowerCase(Locale.ROOT);
        final int json = rest.contains("jsonf") ? Template.OPTION_JSONF : rest.contains("json") ?
            Template.OPTION_JSON : rest.contains("stdsql") ? Template.OPTION_STDSQL : rest.contains("sql") ?
            Template.OPTION_SQL : Template.OPTION_NONE;
        try
        {
            config.templates.put(name, new Template(name, TemplateParser.parse(body.toString(), true), json, null));
        }
        catch (final IllegalArgumentException ex)
        {
            throw s.error(at, "$template " + name + ": " + ex.getMessage());
        }
    }
}
