package dev.hostplane.benchmarks.vswitch;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import dev.hostplane.vswitch.action.Actions;
import dev.hostplane.vswitch.classifier.Classifier;
import dev.hostplane.vswitch.classifier.ExactMatchCache;
import dev.hostplane.vswitch.classifier.FlowRule;
import dev.hostplane.vswitch.classifier.FlowTable;
import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.flow.FlowKey;
import dev.hostplane.vswitch.flow.Match;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * vswitch classifier lookups (VS-D3): tuple-space search over {@code rules} rules spread over
 * {@code masks} distinct masks (one subtable each), against the exact-match cache hit path. Keys are
 * precomputed (4,096 of them, each hitting some rule), so the numbers are pure lookup cost.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar ClassifierBenchmark -f 1 -wi 2 -w 1s -i 3 -r 1s}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ClassifierBenchmark
{
    private static final int KEYS = 4096;
    private static final FlowField[] FIELDS = {
        FlowField.IN_PORT, FlowField.ETH_TYPE, FlowField.IP_PROTO, FlowField.TP_DST, FlowField.TP_SRC,
        FlowField.ETH_DST, FlowField.VLAN_VID, FlowField.IP_DSCP};

    @Param({"1", "100", "10000"})
    int rules;

    @Param({"1", "4", "16"})
    int masks;

    private Classifier classifier;
    private ExactMatchCache cache;
    private FlowKey[] keys;
    private int[] hashes;
    private int next;

    /** Builds the table and keys. */
    @Setup(Level.Trial)
    public void setUp()
    {
        final Random random = new Random(42);
        final FlowTable table = new FlowTable();
        final List<FlowRule> list = new ArrayList<>();
        final List<FlowKey> hitKeys = new ArrayList<>();
        for (int i = 0; i < rules; i++)
        {
            // Mask m matches IPv4 destination /(16+m) plus the fields chosen by the bits of (m % 16).
            final int m = i % masks;
            final Match.Builder b = Match.builder().exact(FlowField.ETH_TYPE, 0x800);
            final FlowKey key = new FlowKey();
            key.set(FlowField.ETH_TYPE, 0x800).set(FlowField.IN_PORT, 1 + random.nextInt(4))
                .set(FlowField.IP_PROTO, 6).set(FlowField.TP_DST, random.nextInt(65536))
                .set(FlowField.TP_SRC, random.nextInt(65536)).set(FlowField.ETH_DST, random.nextLong() & 0xFFFF_FFFF_FFFFL)
                .set(FlowField.IPV4_DST, 0x0A000000L | i).set(FlowField.IPV4_SRC, random.nextInt() & 0xFFFF_FFFFL);
            b.ipv4Prefix(FlowField.IPV4_DST, 0x0A000000 | i, 32 - (m % 8));
            for (int f = 0; f < 4; f++)
            {
                if ((m >> f & 1) != 0)
                {
                    final FlowField field = FIELDS[2 + f];
                    b.exact(field, key.get(field));
                }
            }
            list.add(new FlowRule(b.build(), 1 + random.nextInt(60000), i, List.of(Actions.output(2)), 0, 0, false, 0));
            hitKeys.add(key);
        }
        table.addAll(list);
        classifier = table.classifier();
        keys = new FlowKey[KEYS];
        hashes = new int[KEYS];
        cache = new ExactMatchCache(8192);
        for (int i = 0; i < KEYS; i++)
        {
            keys[i] = new FlowKey().copyFrom(hitKeys.get(random.nextInt(hitKeys.size())));
            hashes[i] = keys[i].fullHash();
            final FlowRule rule = classifier.lookup(keys[i]);
            if (rule == null)
            {
                throw new IllegalStateException("benchmark key misses: rules=" + rules + " masks=" + masks);
            }
            cache.insert(keys[i], hashes[i], classifier.version(), rule);
        }
    }

    /**
     * Tuple-space classifier lookup.
     *
     * @return the rule.
     */
    @Benchmark
    public FlowRule classifierLookup()
    {
        final int i = next++ & (KEYS - 1);
        return classifier.lookup(keys[i]);
    }

    /**
     * Exact-match cache hit, including computing the key's hash as the data plane does.
     *
     * @return the rule.
     */
    @Benchmark
    public FlowRule emcHit()
    {
        final int i = next++ & (KEYS - 1);
        final FlowKey key = keys[i];
        return cache.lookup(key, key.fullHash(), classifier.version());
    }
}
