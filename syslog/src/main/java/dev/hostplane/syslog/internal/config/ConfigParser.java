package dev.hostplane.syslog.internal.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.hostplane.syslog.SyslogConfigException;
import dev.hostplane.syslog.internal.engine.Action;
import dev.hostplane.syslog.internal.engine.Filter;
import dev.hostplane.syslog.internal.engine.Filters;
import dev.hostplane.syslog.internal.engine.Stmt;
import dev.hostplane.syslog.internal.engine.Stmts;
import dev.hostplane.syslog.internal.module.ActionParams;
import dev.hostplane.syslog.internal.module.OutputContext;
import dev.hostplane.syslog.internal.module.Params;
import dev.hostplane.syslog.internal.module.SourcePosition;
import dev.hostplane.syslog.internal.output.FileOptions;
import dev.hostplane.syslog.internal.queue.QueueOptions;
import dev.hostplane.syslog.internal.template.BuiltinTemplates;
import dev.hostplane.syslog.internal.template.Template;

/**
 * Loads an rsyslog configuration — legacy selectors and {@code $Directives} mixed freely with
 * RainerScript — into a {@link Config} whose rulesets are already optimised rule graphs. Every
 * error is a {@link SyslogConfigException} naming file:line:column and what was expected.
 * <p>
 * This class drives the load (files, includes, the statement dispatch, the final optimisation) and
 * holds the state the syntaxes share; {@link LegacySyntax} reads selectors, property filters, legacy
 * actions and {@code $Directives}, {@link RainerScriptSyntax} the script statements, {@link ConfigObjects}
 * the {@code name(param=...)} objects, whose parameters the modules declare
 * ({@link dev.hostplane.syslog.internal.module.ModuleRegistry}), and {@link TemplateObjects} templates.
 */
public final class ConfigParser
{
    final Config config = new Config();
    final List<Stmts.Call> calls = new ArrayList<>();
    final FileOptions fileDefaults = new FileOptions();
    /** {@code $ActionQueue*} / {@code $ActionResume*} settings for the next legacy action. */
    Params legacyActionQueue;
    /** Validated {@code module(load=)} parameters by module name. */
    final Map<String, Params> moduleParams = new HashMap<>();
    String defaultFileTemplate = BuiltinTemplates.FILE_FORMAT;
    Stmts.Block currentLegacyRuleset;
    /** {@code $InputTCPServerBindRuleset} / {@code $InputUDPServerBindRuleset}: the next legacy input's ruleset. */
    String legacyTcpRuleset;
    String legacyUdpRuleset;
    Stmts.Block lastFilterBody;
    Scanner s;
    int depth;
    final LegacySyntax legacy = new LegacySyntax(this);
    final RainerScriptSyntax script = new RainerScriptSyntax(this);
    final ConfigObjects objects = new ConfigObjects(this);
    final TemplateObjects templates = new TemplateObjects(this);
    final OutputContext outputContext = new Outputs();

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

    /**
     * The position of a scanner offset in the file being read.
     *
     * @param at offset.
     * @return position.
     */
    SourcePosition position(final int at)
    {
        return new SourcePosition(s.file, s.line(at), s.column(at));
    }

    Config finish()
    {
        config.tcpAcl.resolveNames(config.enableDns);
        config.udpAcl.resolveNames(config.enableDns);
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

    static void seal(final Stmt stmt)
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
    static Stmt fold(final Stmt stmt)
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

    void parseFile(final Path file)
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

    void parseText(final String name, final String text)
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
    void parseStatements(final Stmts.Block into, final boolean topLevel)
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

    Stmt parseStatement(final boolean topLevel)
    {
        final char c = s.peek();
        final int start = s.pos;
        if (c == '$' && s.atLineStart() && Character.isLetter(s.peek(1)))
        {
            s.pos++;
            legacy.directive(start, s.word(), s.restOfLine());
            return null;
        }
        if (c == ':')
        {
            return legacy.propertyFilter();
        }
        if (c == '&')
        {
            s.pos++;
            if (null == lastFilterBody)
            {
                throw s.error(start, "'&' without a preceding filter to continue");
            }
            lastFilterBody.body.add(script.actionList());
            return null;
        }
        if (c == '{')
        {
            return script.block();
        }
        if (c == '/' || c == '?' || c == '~' || c == '@' || c == '|' || c == '^' || (c == '-' && s.peek(1) == '/'))
        {
            return legacy.legacyAction(start, s.restOfLine());
        }
        final String word = s.word();
        final String kw = word.toLowerCase(Locale.ROOT);
        s.skip(false);
        final boolean paren = s.peek() == '(';
        switch (kw)
        {
            case "if":
                return script.parseIf();
            case "set":
                return script.set();
            case "unset":
                return script.unset();
            case "stop":
                return new Stmts.Stop();
            case "continue":
                // RainerScript's explicit no-op statement: an empty block does nothing and costs nothing.
                return new Stmts.Block();
            case "call":
                return script.call();
            case "foreach":
                return script.foreach();
            case "reset":
                return script.set();
            case "call_indirect":
                return script.callIndirect();
            default:
                break;
        }
        if (paren)
        {
            return objects.object(start, kw);
        }
        if (kw.equals("ruleset") || kw.equals("template") || kw.equals("module") || kw.equals("input") ||
            kw.equals("action") || kw.equals("global"))
        {
            throw s.error("expected '(' after '" + word + "'");
        }
        s.pos = start;
        final String selector = legacy.selectorToken();
        if (selector.isEmpty() || !selector.contains("."))
        {
            throw s.error(start, "unexpected " + (selector.isEmpty() ? s.describe() : "'" + selector + "'") +
                ": expected a selector (facility.priority), a property filter ':prop, op, \"value\"', " +
                "a $Directive or a RainerScript statement");
        }
        final Filter filter = legacy.priFilter(selector, start);
        return legacy.legacyFilter(filter);
    }

    Stmt register(final Action action)
    {
        config.actions.add(action);
        return new Stmts.Act(action);
    }

    Template template(final String name, final int at)
    {
        return namedTemplate(null == name || name.isEmpty() ? defaultFileTemplate : name, at);
    }

    Template namedTemplate(final String name, final int at)
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
        return legacy.decodeSelector(selector, s.pos);
    }

    void includeGlob(final String pattern, final int at, final boolean optional)
    {
        final Path path = Paths.get(pattern);
        final Path dir = null == path.getParent() ? Paths.get(".") : path.getParent();
        final List<Path> matches = new ArrayList<>();
        if (Files.isDirectory(path))
        {
            includeGlob(pattern.endsWith("/") ? pattern + "*" : pattern + "/*", at, optional);
            return;
        }
        // A root ("/") has no file name; it is a directory and was handled above, unless it cannot be read.
        final String glob = null == path.getFileName() ? "*" : path.getFileName().toString();
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

    static int size(final String v)
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

    /** What modules see of the config while they build their actions. */
    private final class Outputs implements OutputContext
    {
        @Override
        public Template template(final Params params, final String fallback)
        {
            final String name = params.isSet("template") ? params.string("template") : fallback;
            final Template t = findTemplate(null == name ? defaultFileTemplate : name);
            if (null == t)
            {
                throw params.error("template", "unknown template '" + name + "': define it before use");
            }
            return t;
        }

        @Override
        public Template namedTemplate(final Params params, final String param)
        {
            final String name = params.string(param);
            final Template t = findTemplate(name);
            if (null == t)
            {
                throw params.error(param, "unknown template '" + name + "': define it before use");
            }
            return t;
        }

        @Override
        public FileOptions fileDefaults()
        {
            return fileDefaults.copy();
        }

        @Override
        public QueueOptions queue(final Params params)
        {
            return ActionParams.queueOptions(params, config.workDirectory);
        }

        @Override
        public Path workDirectory()
        {
            return config.workDirectory;
        }

        @Override
        public Params moduleParams(final String module)
        {
            return ConfigParser.this.moduleParams.get(module);
        }

        @Override
        public dev.hostplane.syslog.internal.tls.TlsDefaults tlsDefaults()
        {
            return config.tls;
        }
    }
}
