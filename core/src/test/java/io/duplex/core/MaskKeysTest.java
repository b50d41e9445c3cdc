package io.duplex.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.ThreadCounters;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * RFC 6455 §5.3 and §10.3: masking keys must be unpredictable, fresh per frame, from a strong source. These
 * are sanity checks, not a randomness test suite: a constant, a counter, a shared fixed seed or two sources
 * replaying the same stream would each fail one of them. Both kinds of source are checked: the one an event
 * loop shares ({@link MaskKeySource#secure()}) and the small one a session makes for itself.
 */
class MaskKeysTest {

    private static final int N = 10_000;

    private static final Supplier<MaskKeySource> LOOP = MaskKeySource::secure;
    private static final Supplier<MaskKeySource> SESSION = () -> MaskKeySource.of(new SecureRandom());

    @Test
    void tenThousandKeysAreAlmostAllDistinct() {
        for (Supplier<MaskKeySource> kind : Arrays.asList(LOOP, SESSION)) {
            MaskKeySource source = kind.get();
            Set<Integer> keys = new HashSet<>();
            for (int i = 0; i < N; i++) {
                keys.add(source.nextKey());
            }
            // Expected collisions among 10^4 draws from 2^32 values: about 0.01.
            assertTrue(keys.size() >= N - 3, keys.size() + " distinct of " + N);
        }
    }

    @Test
    void everyKeyBitIsSetAboutHalfTheTime() {
        for (Supplier<MaskKeySource> kind : Arrays.asList(LOOP, SESSION)) {
            MaskKeySource source = kind.get();
            int[] ones = new int[32];
            for (int i = 0; i < N; i++) {
                int key = source.nextKey();
                for (int b = 0; b < 32; b++) {
                    ones[b] += (key >>> b) & 1;
                }
            }
            for (int b = 0; b < 32; b++) {
                // Standard deviation 50: 400 is eight of them, so only a biased bit fails.
                assertTrue(Math.abs(ones[b] - N / 2) < 400, "bit " + b + " set " + ones[b] + " times of " + N);
            }
        }
    }

    @Test
    void freshSourcesAreSeededIndependently() {
        for (Supplier<MaskKeySource> kind : Arrays.asList(LOOP, SESSION)) {
            int[] a = draw(kind.get(), 64);
            int[] b = draw(kind.get(), 64);
            assertFalse(Arrays.equals(a, b), "two new sources produced the same keys");
            int same = 0;
            for (int i = 0; i < a.length; i++) {
                same += a[i] == b[i] ? 1 : 0;
            }
            assertTrue(same <= 1, same + " equal keys at the same index");
        }
    }

    @Test
    void aSessionSourceRefillsFromItsGeneratorAfterItsBlock() {
        MaskKeySource source = MaskKeySource.of(new SecureRandom());
        int[] keys = draw(source, MaskKeyPool.SESSION_BLOCK_BYTES / 4 * 3);
        assertEquals(keys.length, Arrays.stream(keys).distinct().count(), "keys repeat across refills");
    }

    @Test
    void aBlockMustHoldWholeKeys() {
        assertThrows(IllegalArgumentException.class, () -> new MaskKeyPool(new SecureRandom(), 6));
        assertThrows(IllegalArgumentException.class, () -> new MaskKeyPool(new SecureRandom(), 0));
    }

    @Test
    void drawingKeysAllocatesAlmostNothing() {
        MaskKeySource pool = MaskKeySource.secure();
        int sink = 0;
        for (int i = 0; i < 3_000_000; i++) { // lets the JIT compile the refill path
            sink ^= pool.nextKey();
        }
        long before = ThreadCounters.allocatedBytes();
        for (int i = 0; i < 1_024_000; i++) {
            sink ^= pool.nextKey();
        }
        long perKey = (ThreadCounters.allocatedBytes() - before) / 1_024_000;
        // About 0.25 byte per key once compiled (the DRBG's own refill garbage); any object made per call
        // would cost at least 16.
        assertTrue(perKey < 8, perKey + " bytes per key (sink " + sink + ")");
    }

    private static int[] draw(MaskKeySource source, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = source.nextKey();
        }
        return out;
    }
}
