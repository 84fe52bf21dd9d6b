package dev.hostplane.vswitch.policy;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.hostplane.vswitch.action.Action;
import dev.hostplane.vswitch.classifier.GroupTable;
import dev.hostplane.vswitch.internal.LibraryThreads;
import dev.hostplane.vswitch.openflow.internal.ActionCodec;
import dev.hostplane.vswitch.openflow.internal.MatchCodec;
import dev.hostplane.vswitch.openflow.internal.OfFrameDecoder;
import dev.hostplane.vswitch.openflow.internal.OfMessageEncoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.ImmediateEventExecutor;
import org.projectfloodlight.openflow.protocol.OFBarrierReply;
import org.projectfloodlight.openflow.protocol.OFBucket;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFeaturesReply;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.OFFlowRemoved;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsReply;
import org.projectfloodlight.openflow.protocol.OFGroupType;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMessageReader;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortDescStatsReply;
import org.projectfloodlight.openflow.protocol.OFPortStatus;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Policy} as an OpenFlow 1.3 controller: switches (ours, OVS, any OpenFlow 1.3
 * switch) connect to it, and it installs the compiled policy into each of them, lowered for that
 * switch. With a {@link Topology} the switches together are one "big switch" whose ports are the
 * topology's virtual ports (Pyretic's virtualization): the policy is applied where a packet enters
 * and the packet crosses the links VLAN-tagged with its virtual output port. Without one, every
 * switch runs the policy on its own ports.
 *
 * <p>Packets of policy parts the switches cannot decide (Java predicates, TTL matches) come to the
 * controller, which runs the interpreter on them and sends the results out of the switch that owns
 * each output port; packets for queries go to the queries' callbacks. When a dynamic part changes,
 * or a switch's ports change, the controller reinstalls the affected switches without losing a
 * packet: the new flows go in beside the old ones, in the other half of the priorities and with the
 * other generation bit in their cookies, highest priority first; then, behind a barrier, one delete
 * by cookie removes the old generation. While the new flows arrive a packet meets either the whole
 * old policy or a new flow that the finished new table would also pick.
 *
 * <p>Counting queries read the switches' counters over OpenFlow: every interval the controller asks
 * each switch for the statistics of the policy's flows (a flow-stats MULTIPART request filtered by
 * the policy's cookie) and adds, per group, the counts of the flows that count it to what reached
 * the controller itself. Counting flows are installed with SEND_FLOW_REM, so when a reinstall
 * deletes one, its final counts arrive in the FLOW_REMOVED message and stay in the totals. A
 * reinstall waits until the switch's counters show the packets the switch sent up (switches like
 * Open vSwitch book counts late, to whichever flow matches then, which would count those packets
 * twice).
 *
 * <p>Counts survive a switch's lost connection: while a switch this controller programmed is away,
 * the reports keep its flows' last reading (totals never go backwards), and when it connects again
 * the controller's first delete of the old flows brings their final counts back in FLOW_REMOVED
 * (including what the switch counted while it was away); each such flow then enters the totals
 * once, as the larger of its last reading and its final count (a switch that restarted and lost
 * its flows keeps its last reading). Packets that a punt flow sent to an absent controller are not
 * counted, and neither are flows a controller of another process installed.
 *
 * <p>Threads: the controller owns one Netty I/O thread ({@code hostplane-vswitch-policy-controller-0}) and one
 * timer thread for counting queries ({@code hostplane-vswitch-policy-controller-counts-0}), both daemon, until
 * {@link #close()}, which must be called.
 */
public final class PolicyController implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(PolicyController.class);
    private static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);
    private static final int LOCAL_PORT_LIMIT = 0xFFFFFF00;
    /** How long a reading waits for a switch's counters before it reports without them. */
    private static final long COUNT_REPLY_TIMEOUT_MILLIS = 5_000;
    /** How long a reinstall waits for a switch to book the packets it sent up (see {@code Connection.install}). */
    private static final long BOOKING_TIMEOUT_MILLIS = 3_000;
    /** How often a waiting reinstall asks the switch again. */
    private static final long BOOKING_POLL_MILLIS = 25;

    private final PolicyEngine engine;
    private final Topology topology;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
        LibraryThreads.factory("policy-controller"), NioIoHandler.newFactory());
    private final Map<Long, Connection> switches = new ConcurrentHashMap<>();
    /** Every switch connection, programmed or not, so that close() can end them all. */
    private final ChannelGroup connections = new DefaultChannelGroup("policy-controller-switches",
        ImmediateEventExecutor.INSTANCE);
    private final MatchCodec matches = new MatchCodec(OF13);
    private Channel server;
    private volatile boolean closed;
    /** The counter reading in progress (event loop only), or null. */
    private CountRound round;
    /** Queries whose interval came while a reading was in progress: they get the next one. */
    private final Set<CountQuery> nextRound = new LinkedHashSet<>();
    private long nextXid = 0x1000;
    /**
     * Per datapath id of a switch this controller programmed and whose connection was lost: the last
     * reading of each counting flow (event loop only), until its next connection takes them over.
     */
    private final Map<Long, Map<Long, HeldFlow>> held = new HashMap<>();

    /** A counting flow's last reading, kept while its switch is away. */
    private record HeldFlow(Rule rule, long packets, long bytes)
    {
    }

    private PolicyController(final Policy policy, final Topology topology)
    {
        this.topology = topology;
        this.engine = new PolicyEngine(policy, () -> recompile(false),
            LibraryThreads.name("policy-controller-counts", 0));
        engine.reporter(q -> group.execute(() -> countRequested(q)));
    }

    /**
     * Starts a controller listening for switches.
     *
     * @param policy the policy.
     * @param topology the big switch, or null to run the policy on each switch's own ports.
     * @param listen address to listen on (port 0 picks one; see {@link #address()}).
     * @return the running controller.
     * @throws InterruptedException when interrupted while binding.
     */
    public static PolicyController start(final Policy policy, final Topology topology, final InetSocketAddress listen)
        throws InterruptedException
    {
        return start(policy, topology, (SocketAddress)listen);
    }

    /**
     * Starts a controller listening for switches on a TCP address or a Unix domain socket. A Unix
     * socket is how a switch in another network namespace reaches a controller that listens only
     * locally: Open vSwitch connects to it with {@code set-controller BRIDGE unix:PATH}.
     *
     * @param policy the policy.
     * @param topology the big switch, or null to run the policy on each switch's own ports.
     * @param listen an {@link InetSocketAddress} (port 0 picks one) or a {@link UnixDomainSocketAddress}
     *               (the socket file must not exist yet).
     * @return the running controller.
     * @throws InterruptedException when interrupted while binding.
     */
    public static PolicyController start(final Policy policy, final Topology topology, final SocketAddress listen)
        throws InterruptedException
    {
        final PolicyController c = new PolicyController(policy, topology);
        c.engine.compile();
        final boolean unix = listen instanceof UnixDomainSocketAddress;
        c.server = new ServerBootstrap().group(c.group)
            .channel(unix ? NioServerDomainSocketChannel.class : NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<Channel>()
            {
                @Override
                protected void initChannel(final Channel ch)
                {
                    c.connections.add(ch);
                    ch.pipeline().addLast(new OfFrameDecoder(), OfMessageEncoder.INSTANCE, c.new Connection());
                }
            }).bind(listen).sync().channel();
        return c;
    }

    /**
     * The address switches connect to.
     *
     * @return address.
     */
    public InetSocketAddress address()
    {
        if (!(server.localAddress() instanceof InetSocketAddress))
        {
            throw new IllegalStateException("listening on " + server.localAddress() + ", not TCP: see localAddress()");
        }
        return (InetSocketAddress)server.localAddress();
    }

    /**
     * The address switches connect to, TCP or Unix domain socket.
     *
     * @return address.
     */
    public SocketAddress localAddress()
    {
        return server.localAddress();
    }

    /**
     * The datapath ids of the switches connected and programmed.
     *
     * @return ids.
     */
    public Set<Long> switches()
    {
        final Set<Long> out = new TreeSet<>();
        switches.forEach((id, c) ->
        {
            if (c.installs > 0)
            {
                out.add(id);
            }
        });
        return out;
    }

    /**
     * Explains what the policy does with a packet (interpreter and compiled rule).
     *
     * @param packet the packet, in_port being a virtual port.
     * @return text.
     */
    public String trace(final Packet packet)
    {
        return engine.trace(packet, virtualPorts(), List.of());
    }

    /** Recompiles the policy and reinstalls every switch, even one whose flows would stay the same. */
    public void recompile()
    {
        recompile(true);
    }

    /** When a dynamic part changes: only switches whose flows change are reinstalled. */
    private void recompile(final boolean always)
    {
        if (closed)
        {
            return;
        }
        engine.compile();
        group.execute(() -> switches.values().forEach(c -> c.install(always)));
    }

    /** One reading of every switch's policy flow counters, for the counting queries waiting on it. */
    private static final class CountRound
    {
        final long xid;
        final Set<CountQuery> queries;
        final Set<Connection> asked = new HashSet<>();
        final Set<Connection> waiting = new HashSet<>();
        /** The switches whose whole answer came (their counters are in {@code Connection.reading}). */
        final Set<Connection> complete = new HashSet<>();
        /** Removed flows of switches that already answered: retired after the report, or they would count twice. */
        final List<Removal> removedAfterReply = new ArrayList<>();

        CountRound(final long xid, final Set<CountQuery> queries)
        {
            this.xid = xid;
            this.queries = queries;
        }
    }

    private void countRequested(final CountQuery q)
    {
        if (closed)
        {
            return;
        }
        if (round != null)
        {
            nextRound.add(q);
            return;
        }
        startRound(new LinkedHashSet<>(Set.of(q)));
    }

    /** A FLOW_REMOVED whose counts wait for the end of a reading. */
    private record Removal(Connection from, long cookie, long packets, long bytes)
    {
    }

    private void startRound(final Set<CountQuery> queries)
    {
        final CountRound r = new CountRound(nextXid++, queries);
        round = r;
        for (final Connection c : switches.values())
        {
            if (c.installs > 0 && c.ctx.channel().isActive())
            {
                r.asked.add(c);
                r.waiting.add(c);
                c.reading = new HashMap<>();
                c.ctx.writeAndFlush(flowStatsRequest(r.xid, Lowering.COOKIE, Lowering.COOKIE_MASK));
            }
        }
        if (r.waiting.isEmpty())
        {
            finishRound(r);
            return;
        }
        group.schedule(() ->
        {
            if (round == r)
            {
                LOG.warn("switches {} did not report flow counters within {} ms; counting queries reported without them",
                    r.waiting.stream().map(c -> Long.toHexString(c.dpid)).toList(), COUNT_REPLY_TIMEOUT_MILLIS);
                finishRound(r);
            }
        }, COUNT_REPLY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void switchAnswered(final CountRound r, final Connection c)
    {
        if (round == r && r.waiting.remove(c) && r.waiting.isEmpty())
        {
            finishRound(r);
        }
    }

    private void finishRound(final CountRound r)
    {
        round = null;
        // A switch that went away during the reading is reported by its last reading (held).
        final List<Connection> answered = r.complete.stream()
            .filter(c -> c.ctx.channel().isActive() && switches.get(c.dpid) == c).toList();
        for (final Connection c : answered)
        {
            c.lastReading = c.reading;
        }
        for (final CountQuery q : r.queries)
        {
            final Map<List<Long>, long[]> live = new HashMap<>();
            // A switch that did not answer in time is reported by its previous reading.
            for (final Connection c : switches.values())
            {
                c.lastReading.forEach((cookie, n) -> engine.addCounts(q, cookie, n[0], n[1], live));
            }
            for (final Map<Long, HeldFlow> flows : held.values())
            {
                flows.values().forEach(f -> engine.addCounts(q, f.rule(), f.packets(), f.bytes(), live));
            }
            engine.publish(q, live);
        }
        for (final Removal c : r.removedAfterReply)
        {
            engine.retire(c.cookie(), c.packets(), c.bytes());
            c.from().lastReading.remove(c.cookie());
        }
        if (!nextRound.isEmpty() && !closed)
        {
            final Set<CountQuery> queries = new LinkedHashSet<>(nextRound);
            nextRound.clear();
            startRound(queries);
        }
    }

    private static OFMessage flowStatsRequest(final long xid, final long cookie, final long cookieMask)
    {
        return OF13.buildFlowStatsRequest().setXid(xid).setTableId(TableId.ALL).setOutPort(OFPort.ANY)
            .setOutGroup(OFGroup.ANY).setCookie(U64.of(cookie)).setCookieMask(U64.of(cookieMask))
            .setMatch(OF13.buildMatch().build()).build();
    }

    private int[] virtualPorts()
    {
        if (topology != null)
        {
            return topology.virtualPorts();
        }
        final Set<Integer> all = new TreeSet<>();
        switches.values().forEach(c -> all.addAll(c.ports));
        return all.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public void close()
    {
        // Idempotent, as AutoCloseable users expect: a second close would hand work to an event loop
        // that has already terminated.
        if (closed)
        {
            return;
        }
        closed = true;
        engine.close();
        if (server != null)
        {
            final SocketAddress bound = server.localAddress();
            server.close().syncUninterruptibly();
            if (bound instanceof UnixDomainSocketAddress)
            {
                // Closing a Unix socket leaves its file; a later bind to the same path would fail.
                try
                {
                    java.nio.file.Files.deleteIfExists(((UnixDomainSocketAddress)bound).getPath());
                }
                catch (final java.io.IOException ex)
                {
                    LOG.warn("cannot delete the controller's socket file: {}", ex.toString());
                }
            }
        }
        // Close the switches' connections before the event loop goes: shutting a loop down does not
        // reliably close the sockets it served, and a switch that never sees its controller go never
        // looks for the next one.
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One switch's connection: handshake, ports, flows, packet-ins. Runs on the event loop. */
    private final class Connection extends SimpleChannelInboundHandler<ByteBuf>
    {
        private final OFMessageReader<OFMessage> reader = OFFactories.getGenericReader();
        private final Map<List<List<Action>>, Integer> groupIds = new HashMap<>();
        private final Set<Integer> ports = new TreeSet<>();
        private ChannelHandlerContext ctx;
        private long dpid = -1;
        private SwitchView view;
        /** What the last install put into the switch (to skip reinstalls that change nothing). */
        private Lowering.Result installed;
        private final Set<Integer> installedGroups = new HashSet<>();
        private int nextGroup = 1;
        private int installs;
        private boolean secondGeneration;
        /** Whether FLOW_REMOVED messages are of this connection's flows (after the first install's barrier). */
        private boolean ownsRemovals;
        /** Final counts of flows an earlier connection left, per cookie, until the first barrier reply. */
        private final Map<Long, long[]> earlierRemovals = new HashMap<>();
        /** The reading in progress: {packets, bytes} per cookie. */
        private Map<Long, long[]> reading = new HashMap<>();
        /** The last reading reported, less flows removed since: what is held if the connection is lost. */
        private Map<Long, long[]> lastReading = new HashMap<>();
        private boolean countsHeld;
        /** Packet-ins per cookie of the installed generation's flows (counting policies only). */
        private final Map<Long, Long> packetIns = new HashMap<>();
        /** A reinstall is waiting until the switch's counters show the packets it sent up. */
        private boolean awaitingBooking;
        /** The install waiting for booking was asked for by {@link PolicyController#recompile()}. */
        private boolean installAlways;
        private long bookingDeadline;
        private long bookingXid = -1;
        /** The packet-ins per cookie when the last booking request went out: what its reply must show. */
        private Map<Long, Long> bookingRequired = Map.of();
        private final Map<Long, Long> bookingSeen = new HashMap<>();
        private boolean bookingTimeoutLogged;
        /** The generation bit of the flows the last reinstall replaced, once the switch confirmed it; else -1. */
        private long replacedGeneration = -1;
        private long replacedPending = -1;
        private long replacedAtBarrier = -1;

        @Override
        public void channelActive(final ChannelHandlerContext ctx)
        {
            LOG.debug("switch connection from {}", ctx.channel().remoteAddress());
            this.ctx = ctx;
            ctx.write(OF13.buildHello().setXid(1).build());
            ctx.writeAndFlush(OF13.buildFeaturesRequest().setXid(2).build());
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            if (dpid != -1)
            {
                holdCounts();
                switches.remove(dpid, this);
                LOG.info("switch {} disconnected", Long.toHexString(dpid));
            }
            if (round != null)
            {
                switchAnswered(round, this);
            }
        }

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final ByteBuf frame) throws Exception
        {
            final OFMessage m = reader.readFrom(frame);
            if (m == null)
            {
                return;
            }
            if (m instanceof OFEchoRequest)
            {
                ctx.writeAndFlush(OF13.buildEchoReply().setXid(m.getXid()).setData(((OFEchoRequest)m).getData())
                    .build());
            }
            else if (m instanceof OFFeaturesReply)
            {
                dpid = ((OFFeaturesReply)m).getDatapathId().getLong();
                final Connection old = switches.put(dpid, this);
                if (old != null && old != this)
                {
                    // Before this connection's first delete can report the old flows' final counts.
                    old.holdCounts();
                    old.ctx.close();
                }
                ctx.writeAndFlush(OF13.buildPortDescStatsRequest().setXid(3).build());
            }
            else if (m instanceof OFPortDescStatsReply)
            {
                for (final OFPortDesc p : ((OFPortDescStatsReply)m).getEntries())
                {
                    addPort(p);
                }
                install(false);
            }
            else if (m instanceof OFPortStatus)
            {
                final OFPortStatus s = (OFPortStatus)m;
                switch (s.getReason())
                {
                    case DELETE:
                        ports.remove(s.getDesc().getPortNo().getPortNumber());
                        break;
                    default:
                        addPort(s.getDesc());
                        break;
                }
                if (installs > 0)
                {
                    // Without a topology the port set is the policy's: every switch's flood changes.
                    if (topology == null)
                    {
                        switches.values().forEach(c -> c.install(false));
                    }
                    else
                    {
                        install(false);
                    }
                }
            }
            else if (m instanceof OFPacketIn)
            {
                packetIn((OFPacketIn)m);
            }
            else if (m instanceof OFFlowStatsReply)
            {
                flowStats((OFFlowStatsReply)m);
            }
            else if (m instanceof OFFlowRemoved)
            {
                flowRemoved((OFFlowRemoved)m);
            }
            else if (m instanceof OFBarrierReply)
            {
                if (!ownsRemovals && installs > 0)
                {
                    ownsRemovals = true;
                    takeOverHeldCounts();
                }
                if (m.getXid() == replacedAtBarrier)
                {
                    replacedGeneration = replacedPending;
                }
            }
            else if (m instanceof OFErrorMsg)
            {
                LOG.warn("switch {} refused a message: {}", Long.toHexString(dpid), m);
            }
        }

        private void flowStats(final OFFlowStatsReply m)
        {
            if (m.getXid() == bookingXid)
            {
                for (final OFFlowStatsEntry e : m.getEntries())
                {
                    bookingSeen.merge(e.getCookie().getValue(), e.getPacketCount().getValue(), Long::sum);
                }
                if (!m.getFlags().contains(OFStatsReplyFlags.REPLY_MORE))
                {
                    bookingAnswered();
                }
                return;
            }
            final CountRound r = round;
            if (r == null || m.getXid() != r.xid || !r.waiting.contains(this))
            {
                return;
            }
            for (final OFFlowStatsEntry e : m.getEntries())
            {
                LOG.trace("switch {} round {}: flow stats {}", Long.toHexString(dpid), r.xid, e);
                final long[] n = reading.computeIfAbsent(e.getCookie().getValue(), k -> new long[2]);
                n[0] += e.getPacketCount().getValue();
                n[1] += e.getByteCount().getValue();
            }
            if (!m.getFlags().contains(OFStatsReplyFlags.REPLY_MORE))
            {
                r.complete.add(this);
                switchAnswered(r, this);
            }
        }

        private void flowRemoved(final OFFlowRemoved m)
        {
            LOG.trace("switch {}: {} (owns removals {})", Long.toHexString(dpid), m, ownsRemovals);
            final long cookie = m.getCookie().getValue();
            final long packets = m.getPacketCount().getValue();
            final long bytes = m.getByteCount().getValue();
            if (!ownsRemovals)
            {
                // Before the first install's barrier reply: flows an earlier connection left, which
                // count only if this controller programmed them (see takeOverHeldCounts).
                if (held.containsKey(dpid))
                {
                    final long[] n = earlierRemovals.computeIfAbsent(cookie, k -> new long[2]);
                    n[0] += packets;
                    n[1] += bytes;
                }
                return;
            }
            // A switch answers and reports removals in order: a flow removed after its answer was in it.
            if (round != null && round.complete.contains(this))
            {
                round.removedAfterReply.add(new Removal(this, cookie, packets, bytes));
            }
            else
            {
                engine.retire(cookie, packets, bytes);
                lastReading.remove(cookie);
            }
        }

        /**
         * This connection is lost (or replaced): its switch's counting flows stay in the reports by
         * their last reading until the switch's next connection takes them over.
         */
        private void holdCounts()
        {
            if (countsHeld || installs == 0 || !engine.counting())
            {
                return;
            }
            countsHeld = true;
            if (round != null)
            {
                // Removals the last reading still shows go into the totals now, not at the end of the round.
                for (final Iterator<Removal> it = round.removedAfterReply.iterator(); it.hasNext();)
                {
                    final Removal c = it.next();
                    if (c.from() == this)
                    {
                        it.remove();
                        engine.retire(c.cookie(), c.packets(), c.bytes());
                        lastReading.remove(c.cookie());
                    }
                }
            }
            final Map<Long, HeldFlow> flows = held.computeIfAbsent(dpid, k -> new HashMap<>());
            lastReading.forEach((cookie, n) ->
            {
                final Rule rule = engine.countingRule(cookie);
                if (rule != null)
                {
                    flows.merge(cookie, new HeldFlow(rule, n[0], n[1]), (a, b) ->
                        new HeldFlow(a.rule(), Math.max(a.packets(), b.packets()), Math.max(a.bytes(), b.bytes())));
                }
            });
            lastReading = new HashMap<>();
            LOG.debug("switch {}: holding the last reading of {} counting flows", Long.toHexString(dpid),
                flows.size());
        }

        /**
         * At this connection's first barrier reply: the flows an earlier connection of this switch left
         * were deleted, and their final counts came in FLOW_REMOVED before it. Each goes into the
         * totals once, as the larger of its last reading and its final count; one without a final
         * count (the switch lost it) keeps its last reading.
         */
        private void takeOverHeldCounts()
        {
            final Map<Long, HeldFlow> flows = held.remove(dpid);
            if (flows == null)
            {
                return;
            }
            final Set<Long> cookies = new HashSet<>(flows.keySet());
            cookies.addAll(earlierRemovals.keySet());
            for (final long cookie : cookies)
            {
                final HeldFlow h = flows.get(cookie);
                final long[] removed = earlierRemovals.getOrDefault(cookie, new long[2]);
                final Rule rule = h != null ? h.rule() : engine.countingRule(cookie);
                engine.retire(rule, Math.max(h == null ? 0 : h.packets(), removed[0]),
                    Math.max(h == null ? 0 : h.bytes(), removed[1]));
            }
            LOG.debug("switch {}: took over {} held counting flows, {} final counts", Long.toHexString(dpid),
                flows.size(), earlierRemovals.size());
            earlierRemovals.clear();
        }

        private void addPort(final OFPortDesc p)
        {
            final int n = p.getPortNo().getPortNumber();
            if (Integer.compareUnsigned(n, LOCAL_PORT_LIMIT) < 0)
            {
                ports.add(n);
            }
        }

        private SwitchView view()
        {
            return topology == null ? SwitchView.standalone(dpid, ports) : topology.view(dpid, ports);
        }

        /**
         * Reinstalls the policy, once the switch has booked the packets it sent up. A switch may
         * update flow counters after the fact: Open vSwitch credits the packets of a datapath flow
         * in bulk, to the rules the flow translates to at that time. A packet sent to the
         * controller, counted there, and credited only after the reinstall would land on the new
         * flow of its group, counted a second time. So a reinstall first reads the installed flows'
         * counters until each flow shows at least the packet-ins it produced and no packet came up
         * meanwhile (at once on a switch that counts as it forwards; within about half a second on
         * Open vSwitch), for at most {@link #BOOKING_TIMEOUT_MILLIS}: a packet in flight to the
         * controller at that moment can still be counted twice, and so can a stream of first packets
         * that never pauses long enough (logged once per connection).
         */
        void install(final boolean always)
        {
            if (dpid == -1 || ctx == null || !ctx.channel().isActive())
            {
                return;
            }
            if (!always && installs > 0 && lower(view()).equals(installed))
            {
                // Two queries learning the same group, or a change that leaves this switch's flows as they are.
                return;
            }
            installAlways |= always;
            if (installs == 0 || packetIns.isEmpty())
            {
                installNow();
                return;
            }
            if (!awaitingBooking)
            {
                awaitingBooking = true;
                bookingDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOOKING_TIMEOUT_MILLIS);
                askBooking();
            }
        }

        private void askBooking()
        {
            bookingXid = nextXid++;
            bookingRequired = new HashMap<>(packetIns);
            bookingSeen.clear();
            ctx.writeAndFlush(flowStatsRequest(bookingXid, Lowering.COOKIE | generationBit(),
                Lowering.COOKIE_MASK | Lowering.GENERATION));
        }

        private void bookingAnswered()
        {
            bookingXid = -1;
            LOG.trace("switch {}: packet-ins {}, flow counters {}", Long.toHexString(dpid), bookingRequired, bookingSeen);
            // A packet sent up after the request may not be booked yet: ask again.
            boolean booked = packetIns.equals(bookingRequired);
            for (final Map.Entry<Long, Long> e : bookingRequired.entrySet())
            {
                booked &= bookingSeen.getOrDefault(e.getKey(), 0L) >= e.getValue();
            }
            if (booked || System.nanoTime() - bookingDeadline > 0)
            {
                if (!booked && !bookingTimeoutLogged)
                {
                    bookingTimeoutLogged = true;
                    LOG.warn("switch {} did not show the packets it sent to the controller in its flow counters "
                        + "within {} ms (wanted {} per cookie, saw {}); reinstalling anyway, counts may include "
                        + "such packets twice", Long.toHexString(dpid), BOOKING_TIMEOUT_MILLIS, bookingRequired,
                        bookingSeen);
                }
                awaitingBooking = false;
                installNow();
                return;
            }
            ctx.channel().eventLoop().schedule(() ->
            {
                if (awaitingBooking && ctx.channel().isActive())
                {
                    askBooking();
                }
            }, BOOKING_POLL_MILLIS, TimeUnit.MILLISECONDS);
        }

        private long generationBit()
        {
            return secondGeneration ? Lowering.GENERATION : 0;
        }

        private Lowering.Result lower(final SwitchView v)
        {
            return Lowering.lower(engine.rules(), v, true, new Lowering.Ids()
            {
                @Override
                public int ruleId(final Rule rule)
                {
                    return engine.ruleId(rule);
                }

                @Override
                public int groupId(final List<List<Action>> buckets)
                {
                    return groupIds.computeIfAbsent(buckets, b -> nextGroup++);
                }
            });
        }

        private void installNow()
        {
            if (!ctx.channel().isActive())
            {
                return;
            }
            final SwitchView v = view();
            final Lowering.Result r = lower(v);
            final boolean always = installAlways;
            installAlways = false;
            if (!always && installs > 0 && r.equals(installed))
            {
                return;
            }
            view = v;
            installed = r;
            // The flows these packet-ins came from are deleted below, with the counts they showed.
            packetIns.clear();
            final GroupTable groups = new GroupTable();
            r.groups().forEach((id, b) -> groups.put(new GroupTable.Group(id, GroupTable.Type.ALL, b)));
            final ActionCodec actions = new ActionCodec(OF13, matches, groups);
            final boolean next = installs > 0 && !secondGeneration;
            if (installs == 0)
            {
                // A fresh connection: clear what an earlier connection of this switch may have left.
                ctx.write(flowDelete(Lowering.COOKIE, Lowering.COOKIE_MASK));
                ctx.write(OF13.buildGroupDelete().setGroup(OFGroup.ALL).setGroupType(OFGroupType.ALL).build());
                installedGroups.clear();
            }
            // A group id always stands for the same buckets (groupIds), so groups the old flows call
            // stay as they are and only new ones are added.
            for (final Map.Entry<Integer, List<List<Action>>> g : r.groups().entrySet())
            {
                if (!installedGroups.add(g.getKey()))
                {
                    continue;
                }
                final List<OFBucket> buckets = new ArrayList<>();
                for (final List<Action> b : g.getValue())
                {
                    buckets.add(OF13.buildBucket().setActions(actions.toActions(b, null)).setWatchGroup(OFGroup.ANY)
                        .setWatchPort(OFPort.ANY).build());
                }
                ctx.write(OF13.buildGroupAdd().setGroup(OFGroup.of(g.getKey())).setGroupType(OFGroupType.ALL)
                    .setBuckets(buckets).build());
            }
            // Highest priority first: until the flow a packet will hit in the new table is in, no new
            // flow matches it (one that did would win in the new table too), so the old flows decide.
            final long newBit = next ? Lowering.GENERATION : 0;
            final int band = next ? Lowering.MAX_LEVELS : 0;
            for (final Lowering.Flow f : r.flows())
            {
                ctx.write(OF13.buildFlowAdd().setTableId(TableId.of(0)).setPriority(f.priority() + band)
                    .setCookie(U64.of(f.cookie() | newBit)).setMatch(matches.fromMatch(f.match()))
                    .setInstructions(actions.toInstructions(f.actions(), f.match())).setBufferId(OFBufferId.NO_BUFFER)
                    .setFlags(f.counted() ? Set.of(OFFlowModFlags.SEND_FLOW_REM) : Set.of()).build());
            }
            if (installs > 0)
            {
                // The barrier keeps the switch from deleting the old generation before the new one is in.
                ctx.write(OF13.buildBarrierRequest().setXid(5).build());
                ctx.write(flowDelete(Lowering.COOKIE | (secondGeneration ? Lowering.GENERATION : 0),
                    Lowering.COOKIE_MASK | Lowering.GENERATION));
                for (final Iterator<Integer> it = installedGroups.iterator(); it.hasNext();)
                {
                    final int id = it.next();
                    if (!r.groups().containsKey(id))
                    {
                        it.remove();
                        ctx.write(OF13.buildGroupDelete().setGroup(OFGroup.of(id)).setGroupType(OFGroupType.ALL)
                            .build());
                    }
                }
            }
            replacedAtBarrier = nextXid++;
            replacedPending = installs > 0 ? generationBit() : -1;
            // Until the switch has answered this barrier, packets from the replaced flows still come up
            // as the switch decided them before the change.
            replacedGeneration = -1;
            ctx.writeAndFlush(OF13.buildBarrierRequest().setXid(replacedAtBarrier).build());
            secondGeneration = next;
            installs++;
            LOG.debug("switch {}: {} flows, {} groups, install {}", Long.toHexString(dpid), r.flows().size(),
                r.groups().size(), installs);
        }

        private OFMessage flowDelete(final long cookie, final long cookieMask)
        {
            return OF13.buildFlowDelete().setTableId(TableId.ALL).setCookie(U64.of(cookie))
                .setCookieMask(U64.of(cookieMask)).setOutPort(OFPort.ANY).setOutGroup(OFGroup.ANY).build();
        }

        private void packetIn(final OFPacketIn m)
        {
            LOG.trace("switch {}: packet-in cookie {} reason {} table {}", Long.toHexString(dpid),
                Long.toHexString(m.getCookie().getValue()), m.getReason(), m.getTableId());
            if (view == null)
            {
                return;
            }
            final int physicalIn = m.getMatch().get(MatchField.IN_PORT).getPortNumber();
            final Integer virtualIn = view.physicalToEdge.get(physicalIn);
            if (virtualIn == null)
            {
                return;
            }
            final long cookie = m.getCookie().getValue();
            if (engine.counting() && (cookie & Lowering.GENERATION) == generationBit())
            {
                packetIns.merge(cookie, 1L, Long::sum);
            }
            // A replaced flow's packet-in after the switch confirmed the change is counted too: on a
            // switch that counts as it forwards (ours) it was decided, and counted, by the old flow.
            LOG.trace("switch {}: packet-in cookie {}", Long.toHexString(dpid), Long.toHexString(cookie));
            final byte[] frame = m.getData();
            final List<PolicyEngine.Emission> out = engine.packetIn(cookie, frame, virtualIn, m.getTotalLen(),
                virtualPorts());
            for (final PolicyEngine.Emission e : out)
            {
                if (e.port() == virtualIn)
                {
                    send(this, physicalIn, OFPort.IN_PORT, e.frame());
                    continue;
                }
                final long[] at = topology == null ? new long[] {dpid, e.port()} : topology.locate(e.port());
                final Connection target = at == null ? null : switches.get(at[0]);
                if (target != null)
                {
                    target.send(target, -1, OFPort.of((int)at[1]), e.frame());
                }
            }
        }

        private void send(final Connection on, final int inPort, final OFPort out, final byte[] frame)
        {
            final List<OFAction> acts = List.of(OF13.actions().output(out, 0xFFFF));
            on.ctx.channel().eventLoop().execute(() -> on.ctx.writeAndFlush(OF13.buildPacketOut()
                .setBufferId(OFBufferId.NO_BUFFER).setInPort(inPort < 0 ? OFPort.CONTROLLER : OFPort.of(inPort))
                .setActions(acts).setData(frame).build()));
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            LOG.warn("switch {}: {}", Long.toHexString(dpid), cause.toString());
            ctx.close();
        }
    }
}
