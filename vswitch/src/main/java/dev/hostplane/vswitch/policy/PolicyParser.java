package dev.hostplane.vswitch.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.hostplane.vswitch.action.Action;
import dev.hostplane.vswitch.action.Actions;
import dev.hostplane.vswitch.control.FlowParseException;
import dev.hostplane.vswitch.control.FlowSpec;
import dev.hostplane.vswitch.control.OfctlParser;

/**
 * Reads a policy written as text, for {@code hostplane switch --policy FILE}. The syntax is the
 * Java API's, Pyretic's operators included, with ovs-ofctl's spelling inside {@code match} and
 * {@code modify}:
 *
 * <pre>
 * # a firewall before routing
 * ~match(tcp,tp_dst=22) >> (
 *     match(ip,nw_dst=10.0.0.1) >> fwd(1) +
 *     match(ip,nw_dst=10.0.0.2) >> fwd(2) +
 *     match(arp) >> flood())
 * </pre>
 *
 * <p>Terms: {@code match(OFCTL-MATCH)}, {@code modify(OFCTL-ACTIONS)} (set-field actions only, e.g.
 * {@code mod_nw_dst:10.0.0.9} or {@code set_field:10.0.0.9->ip_dst}), {@code fwd(PORT)},
 * {@code flood()}, {@code drop()}, {@code identity()}, {@code if_(PREDICATE, POLICY, POLICY)} and
 * {@code mac_learning()} (the dynamic MAC-learning policy). Operators, loosest first: {@code +}
 * (parallel), {@code >>} (sequential), {@code |}, {@code &} and prefix {@code ~} (on predicates
 * only). {@code #} starts a comment. Errors name the file, line and column.
 */
public final class PolicyParser
{
    private final String text;
    private final String source;
    private int pos;

    private PolicyParser(final String text, final String source)
    {
        this.text = text;
        this.source = source;
    }

    /**
     * Parses a policy file (UTF-8).
     *
     * @param file the file.
     * @return the policy.
     * @throws IOException when the file cannot be read.
     * @throws FlowParseException on a syntax error, naming file:line:column.
     */
    public static Policy parseFile(final Path file) throws IOException
    {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * Parses a policy.
     *
     * @param text the policy text.
     * @param source name for errors.
     * @return the policy.
     * @throws FlowParseException on a syntax error, naming source:line:column.
     */
    public static Policy parse(final String text, final String source)
    {
        final PolicyParser p = new PolicyParser(text, source);
        final Policy policy = p.parallel();
        p.skipSpace();
        if (p.pos < text.length())
        {
            throw p.error(p.pos, "unexpected '" + text.charAt(p.pos) + "' after a complete policy");
        }
        return policy;
    }

    private Policy parallel()
    {
        Policy left = sequential();
        while (take("+"))
        {
            left = left.plus(sequential());
        }
        return left;
    }

    private Policy sequential()
    {
        Policy left = or();
        while (take(">>"))
        {
            left = left.then(or());
        }
        return left;
    }

    private Policy or()
    {
        Policy left = and();
        while (peek("|"))
        {
            final int at = pos;
            take("|");
            left = predicate(left, at, "|").or(predicate(and(), at, "|"));
        }
        return left;
    }

    private Policy and()
    {
        Policy left = not();
        while (peek("&"))
        {
            final int at = pos;
            take("&");
            left = predicate(left, at, "&").and(predicate(not(), at, "&"));
        }
        return left;
    }

    private Policy not()
    {
        skipSpace();
        final int at = pos;
        if (take("~"))
        {
            return predicate(not(), at, "~").not();
        }
        return atom();
    }

    private Predicate predicate(final Policy p, final int at, final String op)
    {
        if (!(p instanceof Predicate))
        {
            throw error(at, "'" + op + "' needs predicates (match, identity, drop and their combinations), not " + p);
        }
        return (Predicate)p;
    }

    private Policy atom()
    {
        skipSpace();
        final int start = pos;
        if (take("("))
        {
            final Policy p = parallel();
            expect(")");
            return p;
        }
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_'))
        {
            pos++;
        }
        final String name = text.substring(start, pos);
        if (name.isEmpty())
        {
            throw error(start, pos < text.length() ? "expected a policy, found '" + text.charAt(pos) + "'" :
                "expected a policy, found the end of the text");
        }
        expect("(");
        switch (name)
        {
            case "match":
                return match(raw());
            case "modify":
                return modify(raw());
            case "fwd":
                return fwd(raw());
            case "flood":
                return noArgs(Policies.flood());
            case "drop":
                return noArgs(Policies.drop());
            case "identity":
                return noArgs(Policies.identity());
            case "mac_learning":
                return noArgs(new MacLearner());
            case "if_":
            {
                final int at = pos;
                final Policy condition = parallel();
                expect(",");
                final Policy then = parallel();
                expect(",");
                final Policy otherwise = parallel();
                expect(")");
                return Policies.if_(predicate(condition, at, "if_"), then, otherwise);
            }
            default:
                throw error(start, "unknown policy '" + name + "' (match, modify, fwd, flood, drop, identity, if_, " +
                    "mac_learning)");
        }
    }

    private Policy noArgs(final Policy p)
    {
        expect(")");
        return p;
    }

    /** The text up to the closing parenthesis (ovs-ofctl syntax has none inside), consumed with it. */
    private int rawStart;

    private String raw()
    {
        rawStart = pos;
        final int close = text.indexOf(')', pos);
        final int newline = text.indexOf('\n', pos);
        if (close < 0 || newline >= 0 && newline < close)
        {
            throw error(pos, "missing ')' on this line");
        }
        pos = close + 1;
        return text.substring(rawStart, close);
    }

    private Policy match(final String body)
    {
        try
        {
            return Policies.match(new OfctlParser().parseSelection(body.trim()).match());
        }
        catch (final FlowParseException ex)
        {
            throw error(rawStart + Math.max(0, ex.column() - 1) + leading(body), strip(ex));
        }
    }

    private Policy modify(final String body)
    {
        final FlowSpec spec;
        try
        {
            spec = new OfctlParser().parseFlow("actions=" + body.trim());
        }
        catch (final FlowParseException ex)
        {
            throw error(rawStart + Math.max(0, ex.column() - 1 - "actions=".length()) + leading(body), strip(ex));
        }
        Policy p = Policies.identity();
        if (spec.actions().isEmpty())
        {
            throw error(rawStart, "modify() needs at least one set-field action");
        }
        for (final Action a : spec.actions())
        {
            if (!(a instanceof Actions.SetField))
            {
                throw error(rawStart, "modify() takes set-field actions only (mod_dl_dst:..., set_field:V->F), not " +
                    a + "; forwarding is fwd()/flood()");
            }
            final Actions.SetField s = (Actions.SetField)a;
            p = p.then(Policies.modify(s.field(), s.value()));
        }
        return p;
    }

    private Policy fwd(final String body)
    {
        final String n = body.trim();
        try
        {
            final int port = Integer.parseInt(n);
            if (port < 1 || port > 0xFF00)
            {
                throw error(rawStart + leading(body), "port must be 1..65280: " + n);
            }
            return Policies.fwd(port);
        }
        catch (final NumberFormatException ex)
        {
            throw error(rawStart + leading(body), "fwd() needs a port number, not '" + n + "'");
        }
    }

    private static int leading(final String s)
    {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i)))
        {
            i++;
        }
        return i;
    }

    private static String strip(final FlowParseException ex)
    {
        final String m = ex.getMessage();
        final int at = m.indexOf(": ");
        return at >= 0 && m.startsWith(ex.source()) ? m.substring(at + 2) : m;
    }

    private void skipSpace()
    {
        while (pos < text.length())
        {
            final char c = text.charAt(pos);
            if (c == '#')
            {
                while (pos < text.length() && text.charAt(pos) != '\n')
                {
                    pos++;
                }
            }
            else if (Character.isWhitespace(c))
            {
                pos++;
            }
            else
            {
                return;
            }
        }
    }

    private boolean peek(final String token)
    {
        skipSpace();
        return text.startsWith(token, pos) && !(token.equals(">") && text.startsWith(">>", pos));
    }

    private boolean take(final String token)
    {
        if (peek(token))
        {
            pos += token.length();
            return true;
        }
        return false;
    }

    private void expect(final String token)
    {
        if (!take(token))
        {
            throw error(pos, pos < text.length() ? "expected '" + token + "', found '" + text.charAt(pos) + "'" :
                "expected '" + token + "', found the end of the text");
        }
    }

    private FlowParseException error(final int at, final String message)
    {
        int line = 1;
        int column = 1;
        for (int i = 0; i < Math.min(at, text.length()); i++)
        {
            if (text.charAt(i) == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
        }
        return new FlowParseException(source, line, column, message);
    }
}
