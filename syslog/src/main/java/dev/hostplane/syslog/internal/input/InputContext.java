package dev.hostplane.syslog.internal.input;

import java.util.List;

import io.netty.channel.EventLoopGroup;

import dev.hostplane.syslog.internal.engine.Action;
import dev.hostplane.syslog.internal.queue.MainQueue;
import dev.hostplane.syslog.internal.tls.TlsDefaults;

/**
 * What the daemon hands an {@link InputModule} when it starts one input: the shared event loops,
 * the main queue as this input sees it (tagged with its ruleset), the sender-name cache, the global
 * message size limit, and the outputs (imrelp answers only once they hold a message safely).
 */
public final class InputContext
{
    /** Shared event loops. */
    public final EventLoopGroup group;
    /** The main queue bound to the input's ruleset. */
    public final MainQueue queue;
    /** fromhost cache. */
    public final Senders senders;
    /** {@code global(maxMessageSize=)}. */
    public final int maxMessage;
    /** The engine's actions. */
    public final List<Action> actions;
    /** Who may send ({@code $AllowedSender} of the input's protocol). */
    public final SenderAcl acl;
    /** The config's netstream driver defaults (TLS). */
    public final TlsDefaults tls;

    /**
     * A context.
     *
     * @param group      event loops.
     * @param queue      main queue bound to the input's ruleset.
     * @param senders    fromhost cache.
     * @param maxMessage maximum message size.
     * @param actions    the engine's actions.
     * @param acl        allowed senders.
     * @param tls        netstream driver defaults.
     */
    public InputContext(final EventLoopGroup group, final MainQueue queue, final Senders senders, final int maxMessage,
        final List<Action> actions, final SenderAcl acl, final TlsDefaults tls)
    {
        this.tls = tls;
        this.acl = acl;
        this.group = group;
        this.queue = queue;
        this.senders = senders;
        this.maxMessage = maxMessage;
        this.actions = actions;
    }
}
