package dev.hostplane.packetscript.timing;

import dev.hostplane.packetscript.PacketScript;
import dev.hostplane.packetscript.Script;
import dev.hostplane.packetscript.model.SyscallSpec;
import dev.hostplane.packetscript.model.Timing;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimingEngineTest
{
    private static final long T0 = 5_000_000_000L;

    private ManualClock clock;
    private TimingEngine engine;

    @BeforeEach
    void setUp()
    {
        clock = new ManualClock(T0);
        // Percentage rule off unless a test needs it, so the fixed tolerance is what is tested.
        engine = new TimingEngine(clock, 4000, 0);
        engine.start();
    }

    private long at(final long scriptMicros)
    {
        return T0 + scriptMicros;
    }

    private TimingResult event(final Timing timing, final long beginAt, final long happenedAt, final String what)
    {
        clock.set(at(beginAt));
        final EventWindow window = engine.begin(timing, false);
        clock.set(Math.max(clock.nowMicros(), at(happenedAt)));
        return engine.check(window, at(happenedAt), what);
    }

    @Test
    void shouldAcceptAbsoluteTimeWithinToleranceAndRejectOutside()
    {
        assertThat(event(new Timing.Absolute(100_000), 0, 103_999, "outbound packet").ok()).isTrue();
        final TimingResult late = event(new Timing.Absolute(200_000), 103_999, 204_001, "outbound packet");
        assertThat(late.ok()).isFalse();
        assertThat(late.message()).isEqualTo(
            "timing error: expected outbound packet at 0.200000 sec but happened at 0.204001 sec; tolerance 0.004000 sec");
        final TimingResult early = event(new Timing.Absolute(300_000), 204_001, 295_000, "inbound packet");
        assertThat(early.ok()).isFalse();
        assertThat(early.expectedMicros()).isEqualTo(300_000);
        assertThat(early.actualMicros()).isEqualTo(295_000);
    }

    @Test
    void shouldCountRelativeTimesFromWhenTheEventIsReached()
    {
        // The previous event completed at 0.102 (2 ms late): +0.1 counts from there, as in packetdrill.
        assertThat(event(new Timing.Relative(100_000), 0, 102_000, "a").ok()).isTrue();
        final TimingResult second = event(new Timing.Relative(100_000), 102_000, 202_500, "b");
        assertThat(second.ok()).isTrue();
        assertThat(second.expectedMicros()).isEqualTo(202_000);
        final TimingResult third = event(new Timing.Relative(0), 202_500, 210_000, "outbound packet");
        assertThat(third.ok()).isFalse();
        assertThat(third.message()).isEqualTo("timing error: expected outbound packet at 0.202500 sec but happened " +
            "at 0.210000 sec; tolerance 0.004000 sec");
    }

    @Test
    void shouldAnchorConsecutiveInboundPacketsToTheScheduledTime()
    {
        clock.set(at(0));
        final EventWindow first = engine.begin(new Timing.Relative(100_000), true);
        assertThat(engine.check(first, at(100_000), "inbound packet").ok()).isTrue();
        // Reached 1.5 ms late (injection overhead); anchored, the next +0.1 is due at 0.2, not 0.2015.
        clock.set(at(101_500));
        final EventWindow second = engine.begin(new Timing.Relative(100_000), true);
        assertThat(second.startMicros()).isEqualTo(200_000);
        assertThat(second.offsetMicros()).isEqualTo(100_000);
    }

    @Test
    void shouldAcceptAnyTime()
    {
        final TimingResult any = event(new Timing.AnyTime(), 1000, 1_234_567, "outbound packet");
        assertThat(any.ok()).isTrue();
        clock.set(at(1_300_000));
        assertThat(engine.deadlineMicros(engine.begin(new Timing.AnyTime(), false))).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldCheckAbsoluteRanges()
    {
        assertThat(event(new Timing.AbsoluteRange(750_000, 900_000), 0, 899_000, "outbound packet").ok()).isTrue();
        final TimingResult outside = event(new Timing.AbsoluteRange(1_000_000, 1_100_000), 899_000, 1_200_000,
            "outbound packet");
        assertThat(outside.ok()).isFalse();
        assertThat(outside.message()).isEqualTo("timing error: expected outbound packet in time range " +
            "1.000000~1.100000 sec but happened at 1.200000 sec");
    }

    @Test
    void shouldCheckRelativeRanges()
    {
        clock.set(at(100_000));
        final EventWindow range = engine.begin(new Timing.RelativeRange(300_000, 310_000), false);
        assertThat(range.startMicros()).isEqualTo(400_000);
        assertThat(engine.deadlineMicros(range)).isEqualTo(414_000);
        assertThat(engine.check(range, at(408_000), "retransmit").ok()).isTrue();
        final TimingResult early = event(new Timing.RelativeRange(100_000, 105_000), 408_000, 500_000, "outbound packet");
        assertThat(early.ok()).isFalse();
        assertThat(early.message()).isEqualTo("timing error: expected outbound packet in relative time range " +
            "+0.100000~+0.105000 sec but happened at +0.092000 sec");
    }

    @Test
    void shouldApplyThePercentageRuleToLongGaps()
    {
        final TimingEngine percent = new TimingEngine(clock, 4000, 12.5);
        percent.start();
        // Gap of 1 s since the previous event: tolerance max(4 ms, 125 ms) = 125 ms.
        final EventWindow rto = percent.begin(new Timing.Relative(1_000_000), false);
        final TimingResult ok = percent.check(rto, clock.nowMicros() + 1_120_000, "outbound packet");
        assertThat(ok.ok()).isTrue();
        assertThat(ok.toleranceMicros()).isEqualTo(125_000);
        // Reached at 1.12 s: the gap to the previous event's time (1.0 s) is 120 ms, 12.5% of it is 15 ms.
        clock.advance(1_120_000);
        final EventWindow next = percent.begin(new Timing.Relative(0), false);
        final TimingResult late = percent.check(next, clock.nowMicros() + 20_000, "outbound packet");
        assertThat(late.toleranceMicros()).isEqualTo(15_000);
        assertThat(late.ok()).isFalse();
        // Gap of 0: the fixed tolerance applies.
        final EventWindow same = percent.begin(new Timing.Relative(0), false);
        assertThat(percent.check(same, clock.nowMicros() + 5_000, "outbound packet").toleranceMicros())
            .isEqualTo(4000);
    }

    @Test
    void shouldCheckBlockingSystemCallReturns()
    {
        final Script script = PacketScript.parse("b.pkt",
            "0 listen(3, 1) = 0\n+0.2...0.3 read(4, ..., 10) = 10\n0.5...0.7 read(4, ..., 10) = 10\n");
        event(script.events().get(0).timing(), 0, 0, "system call start");
        final SyscallSpec read = (SyscallSpec)script.events().get(1).action();
        clock.set(at(1_000));
        final EventWindow window = engine.begin(script.events().get(1).timing(), false);
        assertThat(window.startMicros()).isEqualTo(201_000);
        assertThat(engine.check(window, at(201_000), "system call start").ok()).isTrue();
        final TimingResult returned = engine.checkReturn(window, at(201_000), read.endMicros(), at(302_000));
        assertThat(returned.ok()).isTrue();
        assertThat(returned.expectedMicros()).isEqualTo(301_000);
        final TimingResult lateReturn = engine.checkReturn(window, at(201_000), read.endMicros(), at(350_000));
        assertThat(lateReturn.ok()).isFalse();
        assertThat(lateReturn.message()).isEqualTo("timing error: expected system call return at 0.301000 sec " +
            "but happened at 0.350000 sec; tolerance 0.004000 sec");

        clock.set(at(400_000));
        final EventWindow absolute = engine.begin(script.events().get(2).timing(), false);
        assertThat(engine.checkReturn(absolute, at(500_000), 700_000L, at(700_000)).ok()).isTrue();
    }

    @Test
    void shouldFailANonBlockingCallThatBlocked()
    {
        final EventWindow window = engine.begin(new Timing.Absolute(0), false);
        assertThat(engine.checkReturn(window, at(0), null, at(3000)).ok()).isTrue();
        final TimingResult blocked = engine.checkReturn(window, at(0), null, at(50_000));
        assertThat(blocked.ok()).isFalse();
        assertThat(blocked.message()).isEqualTo("timing error: expected non-blocking system call but it blocked " +
            "for 0.050000 sec; tolerance 0.004000 sec");
        assertThatThrownBy(blocked::orThrow).isInstanceOf(TimingException.class).hasMessage(blocked.message());
    }

    @Test
    void shouldReadToleranceFromTheScriptHeader()
    {
        final Script script = PacketScript.parse("t.pkt", "--tolerance_usecs=10000\n0 close(3) = 0\n");
        final TimingEngine fromScript = TimingEngine.forScript(script, clock);
        fromScript.start();
        final EventWindow w = fromScript.begin(new Timing.Absolute(0), false);
        assertThat(fromScript.check(w, clock.nowMicros() + 9_000, "command").ok()).isTrue();
        final TimingEngine defaults = TimingEngine.forScript(PacketScript.parse("d.pkt", "0 close(3) = 0\n"), clock);
        defaults.start();
        final EventWindow d = defaults.begin(new Timing.Absolute(0), false);
        assertThat(defaults.check(d, clock.nowMicros() + 9_000, "command").ok()).isFalse();
        assertThatThrownBy(() -> TimingEngine.forScript(
            PacketScript.parse("x.pkt", "--tolerance_usecs=abc\n0 close(3) = 0\n"), clock))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tolerance_usecs=abc");
    }

    @Test
    void shouldRefuseToCheckBeforeStart()
    {
        final TimingEngine notStarted = new TimingEngine(clock, 4000, 0);
        assertThatThrownBy(() -> notStarted.begin(new Timing.Absolute(0), false))
            .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new ManualClock(0).advance(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
