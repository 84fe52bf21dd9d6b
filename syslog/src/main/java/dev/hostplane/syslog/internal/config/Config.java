package dev.hostplane.syslog.internal.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.hostplane.syslog.internal.engine.Action;
import dev.hostplane.syslog.internal.engine.Stmts;
import dev.hostplane.syslog.internal.input.SenderAcl;
import dev.hostplane.syslog.internal.message.MessageParser;
import dev.hostplane.syslog.internal.template.Template;

/**
 * The result of loading a configuration: rulesets, templates, actions, inputs and global settings.
 */
public final class Config
{
    /** Name of the default ruleset. */
    public static final String DEFAULT_RULESET = "RSYSLOG_DefaultRuleset";

    /** Rulesets by name. */
    public final Map<String, Stmts.Block> rulesets = new LinkedHashMap<>();
    /** Templates by name (built-ins included). */
    public final Map<String, Template> templates = new LinkedHashMap<>();
    /** Every action instance (for flush/close). */
    public final List<Action> actions = new ArrayList<>();
    /** Declared inputs, as text, for check output. */
    public final List<String> inputs = new ArrayList<>();
    /** {@code $AllowedSender TCP, ...}. */
    public final SenderAcl tcpAcl = new SenderAcl("TCP");
    /** {@code $AllowedSender UDP, ...}. */
    public final SenderAcl udpAcl = new SenderAcl("UDP");
    /** Declared inputs with their checked parameters, for the daemon. */
    public final List<InputSpec> inputSpecs = new ArrayList<>();
    /** {@code main_queue(queue.size=)} in messages, or 0 for the daemon's default. */
    public int mainQueueSize;
    /** {@code global(workDirectory=)} or null (queue spool files go there). */
    public java.nio.file.Path workDirectory;
    /** {@code global(defaultNetstreamDriver*=)}: TLS defaults of listeners and forwarding actions. */
    public final dev.hostplane.syslog.internal.tls.TlsDefaults tls = new dev.hostplane.syslog.internal.tls.TlsDefaults();
    /** Loaded modules. */
    public final List<String> modules = new ArrayList<>();
    /** Warnings (deprecated syntax, ignored directives). */
    public final List<String> warnings = new ArrayList<>();
    /** Message parser settings. */
    public final MessageParser parser = new MessageParser();
    /** Named parsers ({@code parser()} objects). */
    public final Map<String, MessageParser> parsers = new LinkedHashMap<>();
    /** Parser chains bound to rulesets ({@code ruleset(parser=)}). */
    public final Map<String, MessageParser> rulesetParsers = new LinkedHashMap<>();
    /** Lookup tables by name. */
    public final Map<String, Map<String, Object>> lookupTables = new LinkedHashMap<>();
    /** {@code global(localHostname=)} or null. */
    public String localHostname;
    /** {@code global(net.enableDNS=)}. */
    public boolean enableDns = true;
    /** Ruleset the imtcp input is bound to. */
    public String tcpRuleset = DEFAULT_RULESET;

    /**
     * The parser for messages entering the imtcp ruleset.
     *
     * @return parser.
     */
    public MessageParser tcpParser()
    {
        final MessageParser p = rulesetParsers.get(tcpRuleset);
        return null == p ? parser : p;
    }

    /**
     * The ruleset messages from imtcp go to.
     *
     * @return block.
     */
    public Stmts.Block tcpRuleset()
    {
        final Stmts.Block b = rulesets.get(tcpRuleset);
        return null == b ? rulesets.get(DEFAULT_RULESET) : b;
    }
}
