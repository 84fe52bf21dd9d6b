package dev.hostplane.syslog.internal.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.hostplane.syslog.internal.engine.Action;
import dev.hostplane.syslog.internal.engine.Stmt;
import dev.hostplane.syslog.internal.engine.Stmts;
import dev.hostplane.syslog.internal.input.InputModule;
import dev.hostplane.syslog.internal.input.SenderAcl;
import dev.hostplane.syslog.internal.message.MessageParser;
import dev.hostplane.syslog.internal.module.ActionParams;
import dev.hostplane.syslog.internal.module.ModuleRegistry;
import dev.hostplane.syslog.internal.module.OutputModule;
import dev.hostplane.syslog.internal.module.ParamSet;
import dev.hostplane.syslog.internal.module.Params;

/**
 * The {@code name(param="value" ...)} objects: {@code action}, {@code input} and {@code module},
 * whose parameters the modules declare (see {@link ModuleRegistry}), and {@code global},
 * {@code main_queue}, {@code ruleset}, {@code parser}, {@code lookup_table}, {@code include} and
 * {@code template}, declared in {@link ObjectParams}. Every object's parameters are checked before
 * it takes effect: an unknown name, a malformed or out-of-range value stops the load at that
 * parameter's file:line:column, as rsyslogd refuses such configs.
 */
final class ConfigObjects
{
    private final ConfigParser c;

    ConfigObjects(final ConfigParser c)
    {
        this.c = c;
    }

    /** Reads {@code ( name=value ... )}: strings, bare words and arrays, each with its position. */
    Params params(final String object, final int objectAt)
    {
        c.s.expect('(', "after " + object);
        final Params params = new Params(object + "()", c.position(objectAt));
        while (true)
        {
            if (c.s.skipToClose(')'))
            {
                return params;
            }
            final int at = c.s.pos;
            final String key = c.s.word();
            if (key.isEmpty())
            {
                throw c.s.error("in " + object + "(): expected a parameter name or ')', found " + c.s.describe());
            }
            c.s.expect('=', "after parameter '" + key + "'");
            c.s.skip(true);
            final Object value;
            if (c.s.peek() == '"' || c.s.peek() == '\'')
            {
                value = c.s.string();
            }
            else if (c.s.peek() == '[')
            {
                c.s.pos++;
                final List<String> list = new ArrayList<>();
                while (true)
                {
                    if (c.s.skipToClose(']'))
                    {
                        break;
                    }
                    if (c.s.peek() != '"' && c.s.peek() != '\'')
                    {
                        throw c.s.error("expected a quoted string in the array of '" + key + "'");
                    }
                    list.add(c.s.string());
                    c.s.skip(true);
                    if (c.s.peek() == ',')
                    {
                        c.s.pos++;
                    }
                }
                value = list;
            }
            else
            {
                final String w = c.s.word();
                if (w.isEmpty())
                {
                    throw c.s.error("parameter '" + key + "': expected a quoted value, found " + c.s.describe());
                }
                value = w;
            }
            if (!params.add(key, value, c.position(at)))
            {
                throw c.s.error(at, "parameter '" + key + "' given twice in " + object + "()");
            }
        }
    }

    /**
     * Reads an object's parameters and checks them against {@code schema}.
     *
     * @return the given values as written, by lower-case name.
     */
    Map<String, Object> validated(final String object, final int at, final ParamSet schema)
    {
        return params(object, at).validate(schema, c.config.warnings).rawMap();
    }

    static String str(final Map<String, Object> p, final String key, final String dflt)
    {
        final Object v = p.remove(key);
        return null == v ? dflt : v.toString();
    }

    /** An on/off value the object's {@link ParamSet} has already checked. */
    static boolean bool(final Map<String, Object> p, final String key, final boolean dflt)
    {
        final String v = str(p, key, null);
        return null == v ? dflt : "on".equalsIgnoreCase(v);
    }

    Stmt object(final int at, final String kind)
    {
        switch (kind)
        {
            case "action":
                return action(params(kind, at));
            case "template":
                c.templates.templateObject(at, validated(kind, at, ObjectParams.TEMPLATE));
                return null;
            case "ruleset":
                ruleset(at, validated(kind, at, ObjectParams.RULESET));
                return null;
            case "module":
                module(params(kind, at));
                return null;
            case "input":
                input(params(kind, at));
                return null;
            case "global":
                global(validated(kind, at, ObjectParams.GLOBAL));
                return null;
            case "parser":
                parserObject(at, validated(kind, at, ObjectParams.PARSER));
                return null;
            case "lookup_table":
                lookupTable(at, validated(kind, at, ObjectParams.LOOKUP_TABLE));
                return null;
            case "main_queue":
                mainQueue(params(kind, at).validate(ObjectParams.MAIN_QUEUE, c.config.warnings));
                return null;
            case "timezone":
            case "dyn_stats":
            case "percentile_stats":
            case "ratelimit":
                validated(kind, at, ObjectParams.accepted(kind));
                c.config.warnings.add(c.s.file + ":" + c.s.line(at) + ": " + kind + "() accepted, has no effect in this engine");
                return null;
            case "include":
                include(at, validated(kind, at, ObjectParams.INCLUDE));
                return null;
            default:
                throw c.s.error(at, "unknown object '" + kind + "()': expected action, template, ruleset, module, " +
                    "input, global, main_queue, parser or include");
        }
    }

    /** {@code action(type=...)}: the module named by {@code type} checks and builds it. */
    private Stmt action(final Params p)
    {
        final Object type = p.given("type");
        if (null == type)
        {
            throw p.error("missing required parameter 'type'");
        }
        final String name = ModuleRegistry.normalise(type.toString());
        final OutputModule module = ModuleRegistry.output(name);
        if (null == module)
        {
            throw p.error("type", "action type '" + type + "' is not supported by this engine: expected one of " +
                outputNames());
        }
        if (module.needsLoad() && !c.config.modules.contains(name))
        {
            throw p.error("type", "action type '" + name + "' used but module not loaded: add module(load=\"" + name +
                "\")");
        }
        p.describeAs("action(type=\"" + type + "\")").validate(module.params().plus(ActionParams.ACTION),
            c.config.warnings);
        if (!p.bool("config.enabled"))
        {
            return new Stmts.Block();
        }
        return c.register(module.create(p, c.outputContext));
    }

    private static String outputNames()
    {
        final List<String> names = new ArrayList<>();
        for (final String n : ModuleRegistry.names())
        {
            if (null != ModuleRegistry.output(n))
            {
                names.add(n);
            }
        }
        return names.toString();
    }

    /**
     * Builds a legacy action through its module, as if written as {@code action()}.
     *
     * @param module the module.
     * @param p      parameters made from the legacy text ({@code $ActionQueue*} included).
     * @return the statement.
     */
    Stmt legacyAction(final OutputModule module, final Params p)
    {
        p.validate(module.params().plus(ActionParams.ACTION), c.config.warnings);
        final Action a = module.create(p, c.outputContext);
        return c.register(a);
    }

    void requireModule(final String name, final int at)
    {
        if (!c.config.modules.contains(name))
        {
            throw c.s.error(at, "action type '" + name + "' used but module not loaded: add module(load=\"" + name +
                "\")");
        }
    }

    /** {@code module(load=...)}: loads it and checks its module-level parameters. */
    private void module(final Params p)
    {
        final Object load = p.given("load");
        if (null == load)
        {
            throw p.error("missing required parameter 'load'");
        }
        final String name = ModuleRegistry.normalise(load.toString());
        final ParamSet declared = ModuleRegistry.moduleParams(name);
        if (null == declared)
        {
            throw p.error("load", "module '" + load + "' is not available in this engine");
        }
        p.describeAs("module(load=\"" + load + "\")")
            .validate(declared.plus(ObjectParams.MODULE_LOAD), c.config.warnings);
        addModule(name);
        c.moduleParams.put(name, p);
        if ("omfile".equals(name))
        {
            if (p.isSet("template"))
            {
                c.defaultFileTemplate = p.string("template");
            }
            if (p.isSet("filecreatemode"))
            {
                c.fileDefaults.fileCreateMode = p.integer("filecreatemode");
            }
            if (p.isSet("dircreatemode"))
            {
                c.fileDefaults.dirCreateMode = p.integer("dircreatemode");
            }
        }
    }

    /** {@code $ModLoad name}. */
    void loadModule(final String name, final int at)
    {
        final String n = ModuleRegistry.normalise(name);
        if (null == ModuleRegistry.moduleParams(n))
        {
            throw c.s.error(at, "module '" + name + "' is not available in this engine");
        }
        addModule(n);
    }

    private void addModule(final String n)
    {
        if (!c.config.modules.contains(n))
        {
            c.config.modules.add(n);
        }
    }

    /** {@code input(type=...)}: checked against the input module's declaration, started by the daemon. */
    private void input(final Params p)
    {
        final Object type = p.given("type");
        if (null == type)
        {
            throw p.error("missing required parameter 'type'");
        }
        final String t = ModuleRegistry.normalise(type.toString());
        final InputModule module = ModuleRegistry.input(t);
        if (null == module)
        {
            throw p.error("type", null == ModuleRegistry.moduleParams(t) ? "unknown input type '" + type + "'" :
                "input type '" + type + "' is not run by this engine (it reads the local kernel, journal or files)");
        }
        if (!c.config.modules.contains(t))
        {
            throw p.error("type", "module not loaded, add module(load=\"" + type + "\")");
        }
        p.describeAs("input(type=\"" + type + "\")").validate(module.params().plus(ObjectParams.INPUT_COMMON),
            c.config.warnings);
        addInput(module, p);
    }

    /** Records a checked input for the daemon, with its module's settings. */
    void addInput(final InputModule module, final Params p)
    {
        Params moduleLevel = c.moduleParams.get(module.name());
        if (null == moduleLevel)
        {
            moduleLevel = new Params("module(load=\"" + module.name() + "\")", p.where())
                .validate(module.moduleParams(), c.config.warnings);
            c.moduleParams.put(module.name(), moduleLevel);
        }
        final String name = module.name();
        final SenderAcl acl = "imudp".equals(name) ? c.config.udpAcl : "imtcp".equals(name) || "imptcp".equals(name) ?
            c.config.tcpAcl : new SenderAcl(name);
        c.config.inputSpecs.add(new InputSpec(module, p, moduleLevel, acl, c.config.tls));
        c.config.inputs.add(module.name() + p);
        if ("imtcp".equals(module.name()) && p.isSet("ruleset") && Config.DEFAULT_RULESET.equals(c.config.tcpRuleset))
        {
            // replay and explain feed what imtcp would receive: the first imtcp input's ruleset.
            c.config.tcpRuleset = p.string("ruleset");
        }
    }

    void parserObject(final int at, final Map<String, Object> p)
    {
        final String name = str(p, "name", null);
        final String type = str(p, "type", null);
        if (null == name || null == type)
        {
            throw c.s.error(at, "parser(): expected parameters 'name' and 'type'");
        }
        if (!"pmrfc3164".equalsIgnoreCase(type))
        {
            throw c.s.error(at, "parser(type=\"" + type + "\") is not supported: expected pmrfc3164");
        }
        final MessageParser mp = c.config.parser.copy();
        mp.forceTagEndingByColon(bool(p, "force.tagendingbycolon", false));
        mp.removeMsgFirstSpace(bool(p, "remove.msgfirstspace", false));
        mp.permitInHostname(bool(p, "permit.squarebracketsinhostname", false),
            bool(p, "permit.slashesinhostname", false), bool(p, "permit.atsignsinhostname", false));
        c.config.parsers.put(name, mp);
    }

    void lookupTable(final int at, final Map<String, Object> p)
    {
        final String name = str(p, "name", null);
        final String file = str(p, "file", null);
        if (null == name || null == file)
        {
            throw c.s.error(at, "lookup_table(): expected parameters 'name' and 'file'");
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
            throw c.s.error(at, "lookup_table(): cannot read file '" + file + "': " + ex.getMessage());
        }
        if (!(table instanceof Map))
        {
            throw c.s.error(at, "lookup_table(): file '" + file + "' is not a JSON object");
        }
        @SuppressWarnings("unchecked")
        final Map<String, Object> t = (Map<String, Object>)table;
        c.config.lookupTables.put(name, t);
    }

    void bindParser(final String ruleset, final Object spec, final int at)
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
                chosen = c.config.parser.copy();
            }
            else
            {
                chosen = c.config.parsers.get(n);
                if (null == chosen)
                {
                    throw c.s.error(at, "ruleset '" + ruleset + "': unknown parser '" + n + "'");
                }
                chosen = chosen.copy();
            }
        }
        if (null == chosen)
        {
            chosen = c.config.parser.copy();
        }
        chosen.rfc5424(with5424);
        c.config.rulesetParsers.put(ruleset, chosen);
    }

    void ruleset(final int at, final Map<String, Object> p)
    {
        final String name = str(p, "name", null);
        if (null == name)
        {
            throw c.s.error(at, "ruleset(): missing required parameter 'name'");
        }
        final Object parserSpec = p.remove("parser");
        if (null != parserSpec)
        {
            bindParser(name, parserSpec, at);
        }
        for (final String k : p.keySet())
        {
            if (k.startsWith("queue."))
            {
                c.config.warnings.add(c.s.file + ":" + c.s.line(at) + ": ruleset(" + k + "=) accepted, has no effect " +
                    "here (rulesets share the main queue)");
            }
        }
        final Stmts.Block block = c.config.rulesets.computeIfAbsent(name, k -> new Stmts.Block());
        c.s.expect('{', "to start the body of ruleset '" + name + "'");
        final Stmts.Block savedLast = c.lastFilterBody;
        c.parseStatements(block, false);
        c.s.expect('}', "to close ruleset '" + name + "'");
        c.lastFilterBody = savedLast;
    }

    /** {@code main_queue(queue.size=N)} sizes the daemon's ring; its other parameters do not apply to it. */
    private void mainQueue(final Params p)
    {
        final List<String> others = new ArrayList<>();
        for (final String name : p.rawMap().keySet())
        {
            if ("queue.size".equals(name))
            {
                c.config.mainQueueSize = p.integer("queue.size");
            }
            else
            {
                others.add(name);
            }
        }
        if (!others.isEmpty())
        {
            c.config.warnings.add(p.where() + ": main_queue() parameters " + others +
                " accepted, have no effect in this engine (one in-memory ring, one rule worker)");
        }
    }

    void global(final Map<String, Object> p)
    {
        final String host = str(p, "localhostname", null);
        if (null != host)
        {
            c.config.localHostname = host;
        }
        final String dns = str(p, "net.enabledns", null);
        if (null != dns)
        {
            c.config.enableDns = !"off".equalsIgnoreCase(dns);
        }
        final String esc = str(p, "parser.escapecontrolcharactersonreceive", null);
        if (null != esc)
        {
            c.config.parser.escapeControlCharacters("on".equalsIgnoreCase(esc));
        }
        final String tab = str(p, "parser.escapecontrolcharactertab", null);
        if (null != tab)
        {
            c.config.parser.escapeTab("on".equalsIgnoreCase(tab));
        }
        final String eight = str(p, "parser.escape8bitcharactersonreceive", null);
        if (null != eight)
        {
            c.config.parser.escape8Bit("on".equalsIgnoreCase(eight));
        }
        final String prefix = str(p, "parser.controlcharacterescapeprefix", null);
        if (null != prefix && !prefix.isEmpty())
        {
            c.config.parser.escapePrefix(prefix.charAt(0));
        }
        final String max = str(p, "maxmessagesize", null);
        if (null != max)
        {
            c.config.parser.maxMessageSize(ConfigParser.size(max));
        }
        final String slash = str(p, "parser.permitslashinprogramname", null);
        if (null != slash)
        {
            c.config.parser.permitSlashInProgramName("on".equalsIgnoreCase(slash));
        }
        final String driver = str(p, "defaultnetstreamdriver", null);
        if (null != driver)
        {
            c.config.tls.driver = driver;
        }
        c.config.tls.caFile = str(p, "defaultnetstreamdrivercafile", c.config.tls.caFile);
        c.config.tls.certFile = str(p, "defaultnetstreamdrivercertfile", c.config.tls.certFile);
        c.config.tls.keyFile = str(p, "defaultnetstreamdriverkeyfile", c.config.tls.keyFile);
        final Object work = p.get("workdirectory");
        if (null != work)
        {
            c.config.workDirectory = Paths.get(work.toString());
        }
    }

    void include(final int at, final Map<String, Object> p)
    {
        final String file = str(p, "file", null);
        final String text = str(p, "text", null);
        final boolean optional = "optional".equalsIgnoreCase(str(p, "mode", "abort-if-missing"));
        if (null != text)
        {
            c.parseText(c.s.file + "(include text)", text);
            return;
        }
        if (null == file)
        {
            throw c.s.error(at, "include(): expected parameter 'file' or 'text'");
        }
        c.includeGlob(file, at, optional);
    }

}
