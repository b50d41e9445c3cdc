package io.duplex.nio.internal.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The timer wheel fires each timer at the first tick at or after its deadline: never early, at most one tick late. */
class TimerWheelTest {

    @Test
    void firesAtTheFirstTickAtOrAfterTheDeadline() {
        TimerWheel wheel = new TimerWheel(8, 100, 1_000);
        List<Long> fired = new ArrayList<>();
        long[] now = {1_000};
        TimerWheel.Timer t = wheel.newTimer(() -> fired.add(now[0]));
        wheel.schedule(t, 250, 1_000); // deadline 1250: tick boundary 1300
        for (now[0] = 1_000; now[0] <= 1_400; now[0] += 10) {
            wheel.advance(now[0]);
        }
        assertEquals(List.of(1_300L), fired);
        assertFalse(t.isArmed());
    }

    @Test
    void cancelledTimerNeverFires() {
        TimerWheel wheel = new TimerWheel(4, 10, 0);
        int[] count = {0};
        TimerWheel.Timer t = wheel.newTimer(() -> count[0]++);
        wheel.schedule(t, 5, 0);
        t.cancel();
        assertEquals(0, wheel.armedCount());
        wheel.advance(1_000);
        assertEquals(0, count[0]);
    }

    @Test
    void rescheduleFromItsOwnTaskLandsInTheFuture() {
        TimerWheel wheel = new TimerWheel(4, 10, 0);
        List<Long> fired = new ArrayList<>();
        long[] now = {0};
        TimerWheel.Timer[] holder = new TimerWheel.Timer[1];
        holder[0] = wheel.newTimer(() -> {
            fired.add(now[0]);
            if (fired.size() < 3) {
                wheel.schedule(holder[0], 40, now[0]); // exactly one wheel turn: must not fire in this visit
            }
        });
        wheel.schedule(holder[0], 10, 0);
        for (now[0] = 0; now[0] <= 200; now[0]++) {
            wheel.advance(now[0]);
        }
        assertEquals(List.of(10L, 50L, 90L), fired);
    }

    @Test
    void emptyWheelAsksForAnUnboundedSelect() {
        TimerWheel wheel = new TimerWheel(4, 10, 0);
        assertEquals(0, wheel.millisUntilNextTick(5));
        TimerWheel.Timer t = wheel.newTimer(() -> { });
        wheel.schedule(t, 25, 5);
        long wait = wheel.millisUntilNextTick(5);
        assertTrue(wait >= 1 && wait <= 10, "wait " + wait);
    }

    /** Any set of delays, with time advancing in arbitrary steps, fires each timer once in [deadline, deadline + tick + step). */
    @Property(tries = 200)
    void neverEarlyAndAtMostOneTickLate(@ForAll @Size(min = 1, max = 40) List<@LongRange(min = 0, max = 5_000) Long> delays,
            @ForAll @IntRange(min = 1, max = 97) int step, @ForAll @LongRange(min = 0, max = 1_000) long start) {
        long tick = 10;
        TimerWheel wheel = new TimerWheel(16, tick, start);
        long[] now = {start};
        long[] firedAt = new long[delays.size()];
        int[] fires = new int[delays.size()];
        for (int i = 0; i < delays.size(); i++) {
            int idx = i;
            TimerWheel.Timer t = wheel.newTimer(() -> {
                firedAt[idx] = now[0];
                fires[idx]++;
            });
            wheel.schedule(t, delays.get(i), start);
        }
        while (now[0] <= start + 5_000 + 3 * tick + step) {
            now[0] += step;
            wheel.advance(now[0]);
        }
        for (int i = 0; i < delays.size(); i++) {
            long deadline = start + delays.get(i);
            assertEquals(1, fires[i], "timer " + i + " fired once");
            assertTrue(firedAt[i] >= deadline, "early: " + firedAt[i] + " < " + deadline);
            assertTrue(firedAt[i] < deadline + tick + step, "late: " + firedAt[i] + " for " + deadline);
        }
        assertEquals(0, wheel.armedCount());
    }
}
