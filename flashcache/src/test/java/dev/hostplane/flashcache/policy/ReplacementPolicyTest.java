package dev.hostplane.flashcache.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import dev.hostplane.flashcache.EvictionPolicy;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** One conformance suite for every policy: slots are a bijection with resident keys. */
class ReplacementPolicyTest
{
    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void shouldKeepSlotsUniqueAndWithinCapacityUnderRandomOps(final EvictionPolicy type)
    {
        final int capacity = 64;
        final ReplacementPolicy policy = type.create(capacity);
        final Map<Long, Integer> resident = new HashMap<>();
        final Random random = new Random(42);
        for (int i = 0; i < 200_000; i++)
        {
            final long key = (long)(Math.abs(random.nextGaussian()) * 100);
            final int op = random.nextInt(20);
            if (0 == op)
            {
                final int slot = policy.remove(key);
                assertThat(slot).isEqualTo(resident.getOrDefault(key, -1));
                resident.remove(key);
                continue;
            }
            final int slot = policy.get(key);
            if (slot >= 0)
            {
                assertThat(resident.get(key)).isEqualTo(slot);
                continue;
            }
            assertThat(resident).doesNotContainKey(key);
            final int admitted = policy.admit(key);
            final long evicted = policy.evictedKey();
            if (ReplacementPolicy.NO_KEY != evicted)
            {
                assertThat(resident.remove(evicted)).isEqualTo(admitted);
            }
            assertThat(admitted).isBetween(0, capacity - 1);
            assertThat(resident.containsValue(admitted)).isFalse();
            resident.put(key, admitted);
            assertThat(policy.size()).isEqualTo(resident.size()).isLessThanOrEqualTo(capacity);
        }
        final Set<Integer> slots = new HashSet<>(resident.values());
        assertThat(slots).hasSize(resident.size());
        for (final Map.Entry<Long, Integer> e : resident.entrySet())
        {
            assertThat(policy.peek(e.getKey())).isEqualTo(e.getValue());
        }
    }

    @Test
    void shouldEvictLeastRecentlyUsed()
    {
        final LruPolicy lru = new LruPolicy(2);
        lru.admit(1);
        lru.admit(2);
        lru.get(1);
        lru.admit(3);
        assertThat(lru.evictedKey()).isEqualTo(2);
    }

    @Test
    void shouldProtectFrequentKeysFromScanInArc()
    {
        final ArcPolicy arc = new ArcPolicy(10);
        for (long k = 0; k < 5; k++)
        {
            arc.admit(k);
            arc.get(k);
        }
        for (long k = 100; k < 1000; k++)
        {
            if (arc.get(k) < 0)
            {
                arc.admit(k);
            }
        }
        for (long k = 0; k < 5; k++)
        {
            assertThat(arc.peek(k)).as("key %d", k).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void shouldFilterOneHitWondersInS3Fifo()
    {
        final S3FifoPolicy s3 = new S3FifoPolicy(20);
        for (long k = 0; k < 10; k++)
        {
            s3.admit(k);
            s3.get(k);
            s3.get(k);
        }
        for (long k = 1000; k < 5000; k++)
        {
            if (s3.get(k) < 0)
            {
                s3.admit(k);
            }
        }
        for (long k = 0; k < 10; k++)
        {
            assertThat(s3.peek(k)).as("key %d", k).isGreaterThanOrEqualTo(0);
        }
    }

    @Property(tries = 200)
    void shouldBehaveLikeHashMap(@ForAll @IntRange(min = 1, max = 200) final int n, @ForAll final long seed)
    {
        final LongIntHashMap map = new LongIntHashMap(n);
        final Map<Long, Integer> model = new HashMap<>();
        final Random random = new Random(seed);
        for (int i = 0; i < 2000; i++)
        {
            final long key = random.nextInt(n * 2) * 0x10000L;
            if (random.nextBoolean() && (model.size() < n || model.containsKey(key)))
            {
                final int v = random.nextInt(1000);
                map.put(key, v);
                model.put(key, v);
            }
            else
            {
                assertThat(map.remove(key)).isEqualTo(model.getOrDefault(key, -1));
                model.remove(key);
            }
            assertThat(map.get(key)).isEqualTo(model.getOrDefault(key, -1));
            assertThat(map.size()).isEqualTo(model.size());
        }
        for (final Map.Entry<Long, Integer> e : model.entrySet())
        {
            assertThat(map.get(e.getKey())).isEqualTo(e.getValue());
        }
    }
}
