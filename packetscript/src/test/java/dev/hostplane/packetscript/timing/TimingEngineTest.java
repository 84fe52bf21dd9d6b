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
        // Percentage rule off unless a test needs it, so the fixed tolerance is what we test.
        engine = new TimingEngine(clock, 4000, 0);
        engine.start();
    }

    private long at(final long scriptMicros)
    {
        return T0 + scriptMicros;
    }

    @Test
    void shouldAcceptAbsoluteTimeWithinToleranceAndRejectOutside()
    {
        assertThat(engine.check(new Timing.Absolute(100_000), at(103_999), "outbound packet").ok()).isTrue();
        final TimingResult late = engine.check(new Timing.Absolute(200_000), at(204_001), "outbound packet");
        assertThat(late.ok()).isFalse();
        assertThat(late.message()).isEqualTo(
            "timing error: expected outbound packet at 0.200000 sec but happened at 0.204001 sec; tolerance 0.004000 sec");
        final TimingResult early = engine.check(new Timing.Absolute(300_000), at(295_000), "inbound packet");
        assertThat(early.ok()).isFalse();
        assertThat(early.expectedMicros()).isEqualTo(300_000);
        assertThat(early.actualMicros()).isEqualTo(295_000);
    }

    @Test
    void shouldCountRelativeTimesFromThePreviousEventsScriptTime()
    {
        assertThat(engine.check(new Timing.Relative(100_000), at(102_000), "a").ok()).isTrue();
        // Previous script time is 0.1 (not the actual 0.102): +0.1 expects 0.2.
        final TimingResult second = engine.check(new Timing.Relative(100_000), at(200_500), "b");
        assertThat(second.ok()).isTrue();
        assertThat(second.expectedMicros()).isEqualTo(200_000);
        assertThat(second.baseMicros()).isEqualTo(100_000);
        final TimingResult third = engine.check(new Timing.Relative(0), at(210_000), "c");
        assertThat(third.ok()).isFalse();
        assertThat(third.message()).contains("expected c at 0.200000 sec but happened at 0.210000 sec");
    }

    @Test
    void shouldAcceptAnyTimeAndCountLaterRelativeTimesFromWhenItHappened()
    {
        final TimingResult any = engine.check(new Timing.AnyTime(), at(1_234_567), "outbound packet");
        assertThat(any.ok()).isTrue();
        assertThat(engine.deadlineMicros(new Timing.AnyTime())).isEqualTo(Long.MAX_VALUE);
        assertThat(engine.check(new Timing.Relative(10_000), at(1_244_567), "next").expectedMicros())
            .isEqualTo(1_244_567);
    }

    @Test
    void shouldCheckAbsoluteRanges()
    {
        assertThat(engine.check(new Timing.AbsoluteRange(750_000, 900_000), at(899_000), "outbound packet").ok())
            .isTrue();
        final TimingResult outside = engine.check(new Timing.AbsoluteRange(1_000_000, 1_100_000), at(1_200_000),
            "outbound packet");
        assertThat(outside.ok()).isFalse();
        assertThat(outside.message()).isEqualTo("timing error: expected outbound packet in time range " +
            "1.000000~1.100000 sec but happened at 1.200000 sec");
    }

    @Test
    void shouldCheckRelativeRangesAndShiftLaterEventsToTheActualTime()
    {
        engine.check(new Timing.Absolute(100_000), at(100_000), "a");
        final Timing range = new Timing.RelativeRange(300_000, 310_000);
        assertThat(engine.scheduledMicros(range)).isEqualTo(400_000);
        assertThat(engine.deadlineMicros(range)).isEqualTo(414_000);
        assertThat(engine.check(range, at(408_000), "retransmit").ok()).isTrue();
        assertThat(engine.check(new Timing.Relative(0), at(408_000), "ack").ok()).isTrue();
        final TimingResult early = engine.check(new Timing.RelativeRange(100_000, 105_000), at(500_000), "x");
        assertThat(early.ok()).isFalse();
        assertThat(early.message()).contains("in time range 0.508000~0.513000 sec but happened at 0.500000 sec");
    }

    @Test
    void shouldApplyThePercentageRuleToLongGaps()
    {
        final TimingEngine percent = new TimingEngine(clock, 4000, 12.5);
        percent.start();
        // Gap of 1 s: tolerance max(4 ms, 125 ms) = 125 ms.
        final TimingResult ok = percent.check(new Timing.Relative(1_000_000), clock.nowMicros() + 1_120_000, "rto");
        assertThat(ok.ok()).isTrue();
        assertThat(ok.toleranceMicros()).isEqualTo(125_000);
        // Gap of 0: the fixed tolerance applies.
        final TimingResult tight = percent.check(new Timing.Relative(0), clock.nowMicros() + 1_005_000, "next");
        assertThat(tight.toleranceMicros()).isEqualTo(4000);
        assertThat(tight.ok()).isFalse();
    }

    @Test
    void shouldCheckBlockingSystemCallReturnsRelativeToThePreviousEvent()
    {
        final Script script = PacketScript.parse("b.pkt",
            "0 listen(3, 1) = 0\n+0.2...0.3 read(4, ..., 10) = 10\n0.5...0.7 read(4, ..., 10) = 10\n");
        engine.check(script.events().get(0).timing(), at(0), "listen");
        final SyscallSpec read = (SyscallSpec)script.events().get(1).action();
        final TimingResult started = engine.check(script.events().get(1).timing(), at(201_000), "system call");
        assertThat(started.ok()).isTrue();
        final TimingResult returned = engine.checkReturn(started, read.endMicros(), true, at(302_000));
        assertThat(returned.ok()).isTrue();
        assertThat(returned.expectedMicros()).isEqualTo(300_000);
        final TimingResult lateReturn = engine.checkReturn(started, read.endMicros(), true, at(350_000));
        assertThat(lateReturn.ok()).isFalse();
        assertThat(lateReturn.message()).isEqualTo("timing error: expected system call return at 0.300000 sec " +
            "but happened at 0.350000 sec; tolerance 0.004000 sec");

        final TimingResult absStart = engine.check(script.events().get(2).timing(), at(500_000), "system call");
        assertThat(engine.checkReturn(absStart, 700_000L, false, at(700_000)).ok()).isTrue();
    }

    @Test
    void shouldFailANonBlockingCallThatBlocked()
    {
        final TimingResult started = engine.check(new Timing.Absolute(0), at(0), "system call");
        assertThat(engine.checkReturn(started, null, false, at(3000)).ok()).isTrue();
        final TimingResult blocked = engine.checkReturn(started, null, false, at(50_000));
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
        assertThat(fromScript.check(new Timing.Absolute(0), clock.nowMicros() + 9_000, "close").ok()).isTrue();
        final TimingEngine defaults = TimingEngine.forScript(PacketScript.parse("d.pkt", "0 close(3) = 0\n"), clock);
        defaults.start();
        assertThat(defaults.check(new Timing.Absolute(0), clock.nowMicros() + 9_000, "close").ok()).isFalse();
        assertThatThrownBy(() -> TimingEngine.forScript(
            PacketScript.parse("x.pkt", "--tolerance_usecs=abc\n0 close(3) = 0\n"), clock))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tolerance_usecs=abc");
    }

    @Test
    void shouldRefuseToCheckBeforeStart()
    {
        final TimingEngine notStarted = new TimingEngine(clock, 4000, 0);
        assertThatThrownBy(() -> notStarted.check(new Timing.Absolute(0), T0, "x"))
            .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new ManualClock(0).advance(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
