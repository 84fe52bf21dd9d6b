package dev.hostplane.vswitch.policy;

import static dev.hostplane.vswitch.policy.Policies.flood;
import static dev.hostplane.vswitch.policy.Policies.fwd;
import static dev.hostplane.vswitch.policy.Policies.if_;
import static dev.hostplane.vswitch.policy.Policies.match;
import static dev.hostplane.vswitch.policy.Policies.packets;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.hostplane.vswitch.flow.FlowField;

/**
 * MAC learning written as a dynamic policy, as in the Pyretic article: a {@code packets(1,
 * [eth_src, in_port])} query sees the first packet of each host on each port, and the policy
 * becomes "known destination: forward to its port, otherwise flood", plus the query. The query
 * refines itself, so after learning, a host's packets no longer reach the application.
 */
public final class MacLearner extends DynamicPolicy
{
    private final PacketsQuery query = packets(1, FlowField.ETH_SRC, FlowField.IN_PORT);
    private final Map<Long, Integer> table = new ConcurrentHashMap<>();

    /** A learner that knows no host yet (it floods). */
    public MacLearner()
    {
        super(flood());
        query.onPacket(this::learn);
        set(flood().plus(query));
    }

    /**
     * The learned table.
     *
     * @return MAC to port.
     */
    public Map<Long, Integer> table()
    {
        return Map.copyOf(table);
    }

    private void learn(final Packet p)
    {
        table.put(p.get(FlowField.ETH_SRC), p.inport());
        Policy forward = flood();
        for (final Map.Entry<Long, Integer> e : table.entrySet())
        {
            forward = if_(match(FlowField.ETH_DST, e.getKey()), fwd(e.getValue()), forward);
        }
        set(forward.plus(query));
    }
}
