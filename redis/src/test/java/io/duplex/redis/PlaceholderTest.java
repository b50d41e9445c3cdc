package io.duplex.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The sequence-number placeholder of {@link RedisRoomEngine#placeholder}: no Redis needed. */
class PlaceholderTest {

    @Test
    void aPlaceholderNeverOverlapsItselfWhateverTheRandomDigits() {
        for (int d = 0; d <= 9; d++) {
            int digit = d;
            assertBorderFree(RedisRoomEngine.placeholder(new RandomGenerator() {
                @Override
                public long nextLong() {
                    return digit;
                }

                @Override
                public int nextInt(int bound) {
                    return digit % bound;
                }
            }));
        }
        for (int i = 0; i < 1_000; i++) {
            assertBorderFree(RedisRoomEngine.placeholder(RandomGenerator.getDefault()));
        }
    }

    /** 18 digits, none of its proper prefixes also a suffix: two occurrences cannot overlap. */
    private static void assertBorderFree(long placeholder) {
        String p = Long.toString(placeholder);
        assertEquals(18, p.length(), p);
        for (int n = 1; n < p.length(); n++) {
            assertNotEquals(p.substring(0, n), p.substring(p.length() - n), "overlaps itself by " + n + ": " + p);
        }
    }
}
