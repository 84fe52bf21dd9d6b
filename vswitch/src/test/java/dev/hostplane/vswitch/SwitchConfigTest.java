package dev.hostplane.vswitch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import dev.hostplane.vswitch.action.Actions;
import dev.hostplane.vswitch.flow.Match;
import dev.hostplane.vswitch.port.EndpointPort;
import dev.hostplane.vswitch.testing.Collector;
import dev.hostplane.vswitch.testing.Frames;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class SwitchConfigTest
{
    @Test
    void shouldRejectBadValuesNamingThem()
    {
        assertThatThrownBy(() -> SwitchConfig.builder().batchSize(33).build())
            .hasMessage("batchSize must be 1..32: batchSize=33");
        assertThatThrownBy(() -> IdleMode.fromAlias("spin"))
            .hasMessage("unknown idle mode (expected busy-spin, yield, backoff, sleep, blocking): spin");
        assertThatThrownBy(() -> SwitchConfig.builder().idleMode(null).build())
            .hasMessage("idleMode must not be null");
        for (final IdleMode mode : IdleMode.values())
        {
            assertThat(IdleMode.fromAlias(mode.alias())).isEqualTo(mode);
            assertThat(IdleMode.fromAlias(mode.name())).isEqualTo(mode);
        }
        assertThatThrownBy(() -> SwitchConfig.builder().emcEntries(1000).build())
            .hasMessage("emcEntries must be 0 or a power of 2: emcEntries=1000");
        assertThatThrownBy(() -> SwitchConfig.builder().workers(0).build()).hasMessage("workers must be 1..64: workers=0");
        assertThatThrownBy(() -> SwitchConfig.builder().ringCapacity(5000).build())
            .hasMessageContaining("ringCapacity=5000");
    }

    @Test
    void shouldSwitchWithEveryIdleStrategyAndWithoutCache()
    {
        for (final IdleMode idle : IdleMode.values())
        {
            try (VirtualSwitch sw = new VirtualSwitch(SwitchConfig.builder().idleMode(idle).emcEntries(0)
                .batchSize(1).build()))
            {
                final EndpointPort a = sw.addEndpointPort("a");
                final EndpointPort b = sw.addEndpointPort("b");
                sw.addFlow(Match.ALL, 0, List.of(Actions.output(b.number())));
                sw.start();
                final UnsafeBuffer frame = Frames.buffer(128);
                final int len = Frames.udp4(frame, 2, 1, -1, 1, 2, 3, 4, 10);
                for (int i = 0; i < 5; i++)
                {
                    a.send(frame, 0, len);
                }
                assertThat(new Collector().await(b, 5)).as("idle=%s", idle).hasSize(5);
                assertThat(sw.stats().emcHits()).as("cache disabled").isZero();
                assertThatThrownBy(sw::doWork).isInstanceOf(IllegalStateException.class);
            }
        }
    }
}
