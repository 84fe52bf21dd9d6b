package dev.hostplane.vswitch.openflow.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ReconnectBackoffTest
{
    private static final long S = TimeUnit.SECONDS.toNanos(1);

    @Test
    void shouldDoubleFromTheInitialWaitUpToTheMaximumWhileAttemptsFail()
    {
        final ReconnectBackoff b = new ReconnectBackoff(S, 8 * S);
        assertThat(b.currentNanos()).as("the first attempt is immediate").isZero();
        final List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 6; i++)
        {
            waits.add(b.failed() / S);
        }
        assertThat(waits).containsExactly(1L, 2L, 4L, 8L, 8L, 8L);
    }

    @Test
    void shouldStartOverAfterAConnectionThatOutlivedItsWait()
    {
        long now = 0;
        final ReconnectBackoff b = new ReconnectBackoff(S, 8 * S);
        b.failed();
        b.failed();
        b.failed();
        assertThat(b.failed()).isEqualTo(8 * S);
        now += 8 * S;
        b.connected(now);
        now += 9 * S;
        assertThat(b.dropped(now)).as("a good connection resets the back-off").isEqualTo(S);
        assertThat(b.failed()).as("and failures grow from the start again").isEqualTo(2 * S);
    }

    @Test
    void shouldKeepGrowingWhenConnectionsDropSoonerThanTheirWait()
    {
        // A controller that accepts and closes at once: every drop counts as a failure.
        long now = 0;
        final ReconnectBackoff b = new ReconnectBackoff(S, 8 * S);
        final List<Long> waits = new ArrayList<>();
        b.failed();
        for (int i = 0; i < 5; i++)
        {
            b.connected(now);
            now += S / 2;
            final long wait = b.dropped(now);
            waits.add(wait / (S / 2));
            now += wait;
        }
        assertThat(waits).as("in half seconds").containsExactly(4L, 8L, 16L, 16L, 16L);
    }

    @Test
    void shouldWaitTheInitialTimeWhenTheFirstConnectionDrops()
    {
        // The first connection was made with no wait before it, so any drop of it starts at the initial wait.
        final ReconnectBackoff b = new ReconnectBackoff(50_000_000L, 400_000_000L);
        b.connected(0);
        assertThat(b.dropped(1)).isEqualTo(50_000_000L);
        assertThat(b.failed()).isEqualTo(100_000_000L);
        assertThat(b.failed()).isEqualTo(200_000_000L);
        assertThat(b.failed()).isEqualTo(400_000_000L);
        assertThat(b.failed()).isEqualTo(400_000_000L);
    }

    @Test
    void shouldRefuseAnInitialWaitAboveTheMaximumOrNotPositive()
    {
        assertThatThrownBy(() -> new ReconnectBackoff(2 * S, S)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("0 < initial <= max");
        assertThatThrownBy(() -> new ReconnectBackoff(0, S)).isInstanceOf(IllegalArgumentException.class);
    }
}
