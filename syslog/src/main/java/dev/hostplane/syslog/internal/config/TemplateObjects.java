package dev.hostplane.syslog.internal.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.hostplane.syslog.internal.message.VarPath;
import dev.hostplane.syslog.internal.template.PropertySpec;
import dev.hostplane.syslog.internal.template.RegexTranslator;
import dev.hostplane.syslog.internal.template.Template;
import dev.hostplane.syslog.internal.template.TemplateParser;

/**
 * {@code template()} objects of type string, list and subtree, with the {@code property()} and
 * {@code constant()} items of list templates.
 */
final class TemplateObjects
{
    private final ConfigParser c;

    TemplateObjects(final ConfigParser c)
    {
        this.c = c;
    }

    void templateObject(final int at, final Map<String, Object> p)
    {
        final String name = ConfigObjects.str(p, "name", null);
        if (null == name)
        {
            throw c.s.error(at, "c.template(): missing required parameter 'name'");
        }
        final String type = ConfigObjects.str(p, "type", "string").toLowerCase(Locale.ROOT);
        int json = Template.OPTION_NONE;
        if (ConfigObjects.bool(p, "option.json", false))
        {
            json = Template.OPTION_JSON;
        }
        if (ConfigObjects.bool(p, "option.jsonf", false))
        {
            json = Template.OPTION_JSONF;
        }
        if (ConfigObjects.bool(p, "option.sql", false))
        {
            json = Template.OPTION_SQL;
        }
        if (ConfigObjects.bool(p, "option.stdsql", false))
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
                    final String text = ConfigObjects.str(p, "string", null);
                    if (null == text)
                    {
                        throw c.s.error(at, "c.template(type=\"string\"): missing parameter 'string'");
                    }
                    t = new Template(name, TemplateParser.parse(text, false), json, null);
                    break;
                }
                case "subtree":
                {
                    final String sub = ConfigObjects.str(p, "subtree", null);
                    final VarPath path = null == sub ? null : VarPath.parse(sub);
                    if (null == path)
                    {
                        throw c.s.error(at, "c.template(type=\"subtree\"): expected subtree=\"$!...\"");
                    }
                    t = new Template(name, new ArrayList<>(), Template.OPTION_NONE, path);
                    break;
                }
                case "list":
                    t = new Template(name, listItems(), json, null);
                    break;
                default:
                    throw c.s.error(at, "c.template(): unsupported type '" + type + "': expected string, list or subtree");
            }
        }
        catch (final IllegalArgumentException ex)
        {
            throw c.s.error(at, "template '" + name + "': " + ex.getMessage());
        }
        c.config.templates.put(name, t);
    }

    List<Object> listItems()
    {
        c.s.expect('{', "to start the list template's items");
        final List<Object> items = new ArrayList<>();
        while (true)
        {
            if (c.s.skipToClose('}'))
            {
                return items;
            }
            final int at = c.s.pos;
            final String kind = c.s.word().toLowerCase(Locale.ROOT);
            if (!"constant".equals(kind) && !"property".equals(kind))
            {
                throw c.s.error(at, "expected property(...) or constant(...) in a list template, found '" + kind + "'");
            }
            final Map<String, Object> p = c.objects.validated(kind, at,
                "constant".equals(kind) ? ObjectParams.CONSTANT : ObjectParams.PROPERTY);
            if ("constant".equals(kind))
            {
                final String v = ConfigObjects.str(p, "value", null);
                if (null == v)
                {
                    throw c.s.error(at, "constant(): missing parameter 'value'");
                }
                items.add(v.getBytes(StandardCharsets.ISO_8859_1));
            }
            else if ("property".equals(kind))
            {
                items.add(listProperty(at, p));
            }
            else
            {
                throw c.s.error(at, "expected property(...) or constant(...) in a list template, found '" + kind + "'");
            }
        }
    }

    PropertySpec listProperty(final int at, final Map<String, Object> p)
    {
        final String name = ConfigObjects.str(p, "name", null);
        if (null == name)
        {
            throw c.s.error(at, "property(): missing parameter 'name'");
        }
        final PropertySpec spec = TemplateParser.property(name);
        spec.outName = ConfigObjects.str(p, "outname", null);
        final String df = ConfigObjects.str(p, "dateformat", ConfigObjects.str(p, "date.format", null));
        if (null != df)
        {
            spec.dateFormat = TemplateParser.dateFormat(df);
        }
        final String from = ConfigObjects.str(p, "position.from", null);
        final String to = ConfigObjects.str(p, "position.to", null);
        if (null != from)
        {
            spec.fromPos = Integer.parseInt(from);
        }
        if (null != to)
        {
            spec.toPos = Integer.parseInt(to);
        }
        spec.posEndRelative = ConfigObjects.bool(p, "position.relativetoend", false);
        final String fieldNr = ConfigObjects.str(p, "field.number", null);
        if (null != fieldNr)
        {
            spec.fieldNumber = Integer.parseInt(fieldNr);
            spec.fieldDelimiter = Integer.parseInt(ConfigObjects.str(p, "field.delimiter", "9"));
        }
        final String re = ConfigObjects.str(p, "regex.expression", null);
        if (null != re)
        {
            spec.regex = RegexTranslator.compile(re, "ERE".equalsIgnoreCase(ConfigObjects.str(p, "regex.type", "BRE")), false);
            spec.regexSubmatch = Integer.parseInt(ConfigObjects.str(p, "regex.submatch", "0"));
            spec.regexMatchNumber = Integer.parseInt(ConfigObjects.str(p, "regex.match", "0"));
            spec.regexNoMatch = TemplateParser.noMatch(ConfigObjects.str(p, "regex.nomatchmode", "DFLT"));
        }
        final String cc = ConfigObjects.str(p, "caseconversion", "").toLowerCase(Locale.ROOT);
        spec.caseConversion = "lower".equals(cc) ? PropertySpec.CASE_LOWER : "upper".equals(cc) ?
            PropertySpec.CASE_UPPER : PropertySpec.CASE_NONE;
        final String ctl = ConfigObjects.str(p, "controlcharacters", "").toLowerCase(Locale.ROOT);
        spec.controlCharacters = "escape".equals(ctl) ? PropertySpec.CC_ESCAPE : "drop".equals(ctl) ?
            PropertySpec.CC_DROP : "space".equals(ctl) ? PropertySpec.CC_SPACE : PropertySpec.CC_KEEP;
        final String sp = ConfigObjects.str(p, "securepath", "").toLowerCase(Locale.ROOT);
        spec.securePath = "drop".equals(sp) ? 1 : "replace".equals(sp) ? 2 : 0;
        final String fmt = ConfigObjects.str(p, "format", "").toLowerCase(Locale.ROOT);
        spec.format = "csv".equals(fmt) ? PropertySpec.FORMAT_CSV : "json".equals(fmt) ? PropertySpec.FORMAT_JSON :
            "jsonf".equals(fmt) || "jsonfr".equals(fmt) ? PropertySpec.FORMAT_JSONF : "jsonr".equals(fmt) ?
            PropertySpec.FORMAT_JSONR : PropertySpec.FORMAT_NONE;
        final String dt = ConfigObjects.str(p, "datatype", "string").toLowerCase(Locale.ROOT);
        spec.dataType = "number".equals(dt) ? PropertySpec.TYPE_NUMBER : "auto".equals(dt) ? PropertySpec.TYPE_AUTO :
            "bool".equals(dt) ? PropertySpec.TYPE_BOOL : PropertySpec.TYPE_STRING;
        final String oe = ConfigObjects.str(p, "onempty", "keep").toLowerCase(Locale.ROOT);
        spec.onEmpty = "skip".equals(oe) ? PropertySpec.EMPTY_SKIP : "null".equals(oe) ? PropertySpec.EMPTY_NULL :
            PropertySpec.EMPTY_KEEP;
        spec.dropLastLf = ConfigObjects.bool(p, "droplastlf", false);
        spec.spIfNo1stSp = ConfigObjects.bool(p, "spifno1stsp", false);
        // ConfigObjects.str() consumes the parameter (so unknown ones can be reported), so read date.inUTC once.
        final String inUtc = ConfigObjects.str(p, "date.inutc", "off");
        spec.dateUtc = "utc".equalsIgnoreCase(inUtc) || "on".equalsIgnoreCase(inUtc) || "yes".equalsIgnoreCase(inUtc) ||
            "1".equals(inUtc) || "true".equalsIgnoreCase(inUtc);
        final String fw = ConfigObjects.str(p, "fixedwidth", null);
        if (null != fw && ("on".equalsIgnoreCase(fw)) && spec.toPos > 0)
        {
            spec.fixedWidth = spec.toPos - Math.max(1, spec.fromPos) + 1;
        }
        return spec;
    }}
