package dev.hostplane.vswitch.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import dev.hostplane.vswitch.action.Actions;
import dev.hostplane.vswitch.flow.FlowField;
import dev.hostplane.vswitch.flow.FlowKey;
import dev.hostplane.vswitch.flow.Match;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The tuple-space classifier and the exact-match cache must agree with a brute-force scan. */
class ClassifierPropertyTest
{
    @Property(tries = 200)
    void shouldAgreeWithBruteForce(
        @ForAll final long seed, @ForAll @IntRange(min = 1, max = 60) final int ruleCount,
        @ForAll @IntRange(min = 0, max = 20) final int deletes)
    {
        final Random random = new Random(seed);
        final FlowTable table = new FlowTable();
        final List<FlowRule> reference = new ArrayList<>();
        final Set<Integer> priorities = new HashSet<>();
        for (int i = 0; i < ruleCount; i++)
        {
            int priority;
            do
            {
                priority = random.nextInt(1000);
            }
            while (!priorities.add(priority));
            final FlowRule rule = new FlowRule(randomMatch(random), priority, i, List.of(Actions.output(1 + i % 4)),
                0, 0, false, 0);
            if (table.add(rule) == null)
            {
                reference.add(rule);
            }
        }
        for (int i = 0; i < deletes && !reference.isEmpty(); i++)
        {
            final FlowRule victim = reference.remove(random.nextInt(reference.size()));
            assertThat(table.delete(victim.match(), victim.priority(), true, 0, 0, 0)).containsExactly(victim);
        }
        final Classifier classifier = table.classifier();
        final ExactMatchCache cache = new ExactMatchCache(64);
        final FlowKey key = new FlowKey();
        for (int p = 0; p < 300; p++)
        {
            randomKey(random, key);
            final FlowRule expected = bruteForce(reference, key);
            final FlowRule actual = classifier.lookup(key);
            assertThat(actual).as("key=%s", key).isSameAs(expected);
            final int hash = key.fullHash();
            final FlowRule cached = cache.lookup(key, hash, classifier.version());
            if (cached != null)
            {
                assertThat(cached).isSameAs(expected);
            }
            else if (actual != null)
            {
                cache.insert(key, hash, classifier.version(), actual);
            }
        }
        assertThat(classifier.ruleCount()).isEqualTo(reference.size());
    }

    @Test
    void shouldInvalidateCacheWhenTableChanges()
    {
        final FlowTable table = new FlowTable();
        final FlowRule low = new FlowRule(Match.builder().exact(FlowField.IN_PORT, 1).build(), 10, 0,
            List.of(Actions.output(2)), 0, 0, false, 0);
        table.add(low);
        final FlowKey key = new FlowKey().set(FlowField.IN_PORT, 1).set(FlowField.ETH_TYPE, 0x800);
        final ExactMatchCache cache = new ExactMatchCache(16);
        final int hash = key.fullHash();
        cache.insert(key, hash, table.classifier().version(), table.classifier().lookup(key));
        assertThat(cache.lookup(key, hash, table.classifier().version())).isSameAs(low);

        final FlowRule high = new FlowRule(Match.builder().exact(FlowField.ETH_TYPE, 0x800).build(), 20, 0,
            List.of(Actions.output(3)), 0, 0, false, 0);
        table.add(high);
        assertThat(cache.lookup(key, hash, table.classifier().version())).as("stale entry after add").isNull();
        assertThat(table.classifier().lookup(key)).isSameAs(high);
        table.delete(high.match(), 20, true, 0, 0, 0);
        assertThat(table.classifier().lookup(key)).isSameAs(low);
        assertThat(cache.hits()).isEqualTo(1);
    }

    @Test
    void shouldStopEarlyAndPreferHigherPriorityAcrossSubtables()
    {
        final FlowTable table = new FlowTable();
        table.add(new FlowRule(Match.ALL, 0, 0, List.of(Actions.controller(65535)), 0, 0, false, 0));
        table.add(new FlowRule(Match.builder().exact(FlowField.TP_DST, 80).build(), 50, 0,
            List.of(Actions.output(1)), 0, 0, false, 0));
        table.add(new FlowRule(Match.builder().ipv4Prefix(FlowField.IPV4_DST, 0x0A000000, 8).build(), 100, 0,
            List.of(Actions.output(2)), 0, 0, false, 0));
        final FlowKey key = new FlowKey().set(FlowField.IPV4_DST, 0x0A010203L).set(FlowField.TP_DST, 80);
        final StringBuilder trace = new StringBuilder();
        final FlowRule rule = table.classifier().lookupTraced(key, trace);
        assertThat(rule.priority()).isEqualTo(100);
        assertThat(trace).contains("early exit");
        assertThat(table.classifier().subtableCount()).isEqualTo(3);
    }

    @Test
    void shouldModifyAndDeleteNonStrictByCookieAndOutPort()
    {
        final FlowTable table = new FlowTable();
        final Match broad = Match.builder().exact(FlowField.ETH_TYPE, 0x800).build();
        final Match narrow = Match.builder().exact(FlowField.ETH_TYPE, 0x800).exact(FlowField.IP_PROTO, 6).build();
        table.add(new FlowRule(broad, 10, 0x1, List.of(Actions.output(1)), 0, 0, false, 0));
        table.add(new FlowRule(narrow, 20, 0x2, List.of(Actions.output(2)), 0, 0, false, 0));
        table.add(new FlowRule(Match.builder().exact(FlowField.ETH_TYPE, 0x806).build(), 30, 0x2,
            List.of(Actions.output(2)), 0, 0, false, 0));
        assertThat(table.modify(broad, 0, false, 0, 0, List.of(Actions.output(4)))).isEqualTo(2);
        assertThat(table.modify(broad, 10, true, 0, 0, List.of(Actions.output(5)))).isEqualTo(1);
        assertThat(table.delete(Match.ALL, 0, false, 0x2, -1L, 0)).hasSize(2);
        assertThat(table.rules()).hasSize(1);
        assertThat(table.rules().get(0).actions()).containsExactly(Actions.output(5));
        assertThat(table.delete(Match.ALL, 0, false, 0, 0, 3)).isEmpty();
        assertThat(table.delete(Match.ALL, 0, false, 0, 0, 5)).hasSize(1);
    }

    @Test
    void shouldExpireIdleAndHardTimeouts()
    {
        final FlowTable table = new FlowTable();
        final long t0 = 1_000_000_000L;
        final FlowRule idle = new FlowRule(Match.builder().exact(FlowField.IN_PORT, 1).build(), 1, 0,
            List.of(), 2, 0, true, t0);
        final FlowRule hard = new FlowRule(Match.builder().exact(FlowField.IN_PORT, 2).build(), 1, 0,
            List.of(), 0, 5, true, t0);
        table.addAll(List.of(idle, hard));
        idle.hit(100, t0 + 1_500_000_000L);
        final List<Integer> reasons = new ArrayList<>();
        assertThat(table.expire(t0 + 3_000_000_000L, reasons)).isEmpty();
        assertThat(table.expire(t0 + 3_600_000_000L, reasons)).containsExactly(idle);
        assertThat(reasons).containsExactly(FlowRule.REMOVED_IDLE_TIMEOUT);
        reasons.clear();
        hard.hit(1, t0 + 4_900_000_000L);
        assertThat(table.expire(t0 + 5_000_000_000L, reasons)).containsExactly(hard);
        assertThat(reasons).containsExactly(FlowRule.REMOVED_HARD_TIMEOUT);
        assertThat(idle.packetCount()).isEqualTo(1);
        assertThat(idle.byteCount()).isEqualTo(100);
    }

    private static Match randomMatch(final Random random)
    {
        final Match.Builder b = Match.builder();
        if (random.nextInt(3) == 0)
        {
            b.exact(FlowField.IN_PORT, 1 + random.nextInt(3));
        }
        if (random.nextInt(2) == 0)
        {
            b.exact(FlowField.ETH_TYPE, random.nextBoolean() ? 0x800 : 0x86DD);
        }
        if (random.nextInt(3) == 0)
        {
            b.exact(FlowField.IP_PROTO, random.nextBoolean() ? 6 : 17);
        }
        if (random.nextInt(2) == 0)
        {
            b.ipv4Prefix(FlowField.IPV4_DST, 0x0A000000 | random.nextInt(16), 24 + random.nextInt(9));
        }
        if (random.nextInt(3) == 0)
        {
            b.masked(FlowField.TP_DST, random.nextInt(8), random.nextBoolean() ? 0xFFFF : 0x6);
        }
        if (random.nextInt(4) == 0)
        {
            b.exact(FlowField.ETH_DST, random.nextInt(3));
        }
        return b.build();
    }

    private static void randomKey(final Random random, final FlowKey key)
    {
        key.clear();
        key.set(FlowField.IN_PORT, 1 + random.nextInt(3));
        key.set(FlowField.ETH_TYPE, random.nextBoolean() ? 0x800 : 0x86DD);
        key.set(FlowField.IP_PROTO, random.nextBoolean() ? 6 : 17);
        key.set(FlowField.IPV4_DST, 0x0A000000L | random.nextInt(16));
        key.set(FlowField.TP_DST, random.nextInt(8));
        key.set(FlowField.ETH_DST, random.nextInt(3));
        key.set(FlowField.ETH_SRC, random.nextInt(1000));
    }

    private static FlowRule bruteForce(final List<FlowRule> rules, final FlowKey key)
    {
        FlowRule best = null;
        for (final FlowRule r : rules)
        {
            if (r.match().matches(key) && (best == null || r.priority() > best.priority()))
            {
                best = r;
            }
        }
        return best;
    }
}
