package dev.hostplane.vswitch.policy;

import static dev.hostplane.vswitch.policy.Policies.identity;
import static dev.hostplane.vswitch.policy.Policies.if_;
import static dev.hostplane.vswitch.policy.Policies.match;
import static dev.hostplane.vswitch.policy.Policies.modify;
import static dev.hostplane.vswitch.policy.Policies.packets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.hostplane.vswitch.flow.FlowField;

/**
 * The Pyretic article's round-robin server load balancer as a dynamic policy: clients talk to one
 * public address; the first packet of each new client reaches a {@code packets(1, [ipv4_src])}
 * query, which assigns the next server in turn; from then on that client's packets have their
 * destination rewritten to its server, and the server's answers their source rewritten back to the
 * public address. Compose it with routing: {@code new RoundRobinLoadBalancer(...).then(route)}.
 */
public final class RoundRobinLoadBalancer extends DynamicPolicy
{
    /** IPv4 only: ARP's addresses share the IPv4 address fields of the flow key. */
    private static final Predicate IPV4 = match(FlowField.ETH_TYPE, 0x0800);

    private final long publicIp;
    private final List<Long> servers;
    private final PacketsQuery query = packets(1, FlowField.IPV4_SRC);
    private final Map<Long, Long> assigned = new LinkedHashMap<>();
    private int next;

    /**
     * Creates the balancer.
     *
     * @param publicIp the address clients use.
     * @param servers the servers' addresses, in turn order.
     */
    public RoundRobinLoadBalancer(final long publicIp, final List<Long> servers)
    {
        super(identity());
        if (servers.isEmpty())
        {
            throw new IllegalArgumentException("a load balancer needs servers");
        }
        this.publicIp = publicIp;
        this.servers = List.copyOf(servers);
        query.onPacket(this::newClient);
        rebuild();
    }

    /**
     * Which server each client got.
     *
     * @return client address to server address.
     */
    public synchronized Map<Long, Long> assignments()
    {
        return Map.copyOf(assigned);
    }

    private synchronized void newClient(final Packet p)
    {
        final long client = p.get(FlowField.IPV4_SRC);
        if (!assigned.containsKey(client) && !servers.contains(client))
        {
            assigned.put(client, servers.get(next++ % servers.size()));
            rebuild();
        }
    }

    private synchronized void rebuild()
    {
        Policy rewrite = identity();
        for (final Map.Entry<Long, Long> e : assigned.entrySet())
        {
            final long client = e.getKey();
            final long server = e.getValue();
            rewrite = if_(IPV4.and(match(FlowField.IPV4_SRC, client)).and(match(FlowField.IPV4_DST, publicIp)),
                modify(FlowField.IPV4_DST, server),
                if_(IPV4.and(match(FlowField.IPV4_SRC, server)).and(match(FlowField.IPV4_DST, client)),
                    modify(FlowField.IPV4_SRC, publicIp), rewrite));
        }
        set(IPV4.and(match(FlowField.IPV4_DST, publicIp)).then(query).plus(rewrite));
    }
}
