package io.duplex.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Exponential backoff with full jitter, as a pure function of the attempt and a seeded random source. */
class BackoffTest {

    private static final Backoff B = Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1));

    @Test
    void ceilingsGrowGeometricallyUpToTheCap() {
        long[] expected = {100, 200, 400, 800, 1000, 1000}; // 100·2^(n-1), capped at 1000
        for (int n = 1; n <= expected.length; n++) {
            assertEquals(expected[n - 1], B.ceilingMillis(n), "attempt " + n);
        }
        assertEquals(1000, B.ceilingMillis(1_000_000), "a long outage neither overflows nor wraps");
        Backoff slow = Backoff.exponential(Duration.ofMillis(10), 1.5, Duration.ofMinutes(1));
        assertEquals(10, slow.ceilingMillis(1));
        assertEquals(15, slow.ceilingMillis(2));
        assertEquals(22, slow.ceilingMillis(3)); // 22.5
        assertEquals(33, slow.ceilingMillis(4)); // 33.75
        assertEquals(100, Backoff.exponential(Duration.ofMillis(100), 1.0, Duration.ofSeconds(1)).ceilingMillis(50));
    }

    @Test
    void fullJitterSpreadsDelaysUniformlyOverTheWholeRange() {
        Random seeded = new Random(1234);
        int samples = 20_000;
        long sum = 0;
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < samples; i++) {
            long d = B.delayMillis(3, seeded); // ceiling 400
            sum += d;
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        // Uniform on [0, 400]: mean 200, standard error about 0.8 — not "equal jitter" (mean 300), not fixed.
        assertEquals(200.0, (double) sum / samples, 5.0);
        assertTrue(min <= 2, "reaches down to zero: " + min);
        assertTrue(max >= 398 && max <= 400, "reaches up to the ceiling and never past it: " + max);
    }

    @Test
    void theSameSeedGivesTheSameDelays() {
        Random a = new Random(99);
        Random b = new Random(99);
        for (int n = 1; n <= 10; n++) {
            assertEquals(B.delayMillis(n, a), B.delayMillis(n, b));
        }
    }

    @Property(tries = 200)
    void delaysStayWithinTheCeilingAndCeilingsNeverShrink(@ForAll @IntRange(min = 1, max = 80) int attempt,
            @ForAll @LongRange(min = 1, max = 5000) long initial, @ForAll @IntRange(min = 100, max = 400) int percent,
            @ForAll long seed) {
        Backoff b = Backoff.exponential(Duration.ofMillis(initial), percent / 100.0, Duration.ofMillis(initial * 20));
        long delay = b.delayMillis(attempt, new Random(seed));
        assertTrue(delay >= 0 && delay <= b.ceilingMillis(attempt));
        assertTrue(b.ceilingMillis(attempt) <= b.ceilingMillis(attempt + 1));
        assertTrue(b.ceilingMillis(attempt) <= initial * 20);
    }

    @Test
    void maxAttemptsBoundsTheRetries() {
        Backoff three = B.withMaxAttempts(3);
        assertTrue(three.allows(1) && three.allows(3));
        assertFalse(three.allows(4));
        assertTrue(B.allows(Integer.MAX_VALUE), "unlimited by default");
        assertEquals(0, Backoff.defaults().maxAttempts());
        assertEquals(Duration.ofSeconds(1), Backoff.defaults().initialDelay());
        assertEquals(Duration.ofSeconds(30), Backoff.defaults().maxDelay());
        assertEquals(2.0, Backoff.defaults().multiplier());
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Backoff.exponential(Duration.ZERO, 2, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> Backoff.exponential(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(2)));
        assertThrows(IllegalArgumentException.class,
                () -> Backoff.exponential(Duration.ofSeconds(1), Double.NaN, Duration.ofSeconds(2)));
        assertThrows(IllegalArgumentException.class,
                () -> Backoff.exponential(Duration.ofSeconds(2), 2, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> B.withMaxAttempts(-1));
        assertThrows(IllegalArgumentException.class, () -> B.ceilingMillis(0));
    }
}
