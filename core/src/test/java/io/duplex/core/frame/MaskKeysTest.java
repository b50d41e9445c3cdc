package io.duplex.core.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.ThreadCounters;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * RFC 6455 §5.3 and §10.3: masking keys must be unpredictable, fresh per frame, from a strong source. These
 * are sanity checks, not a randomness test suite: a constant, a counter, a shared fixed seed or a per-thread
 * copy of the same stream would each fail one of them.
 */
class MaskKeysTest {

    private static final int N = 10_000;

    @Test
    void tenThousandKeysAreAlmostAllDistinct() {
        Set<Integer> keys = new HashSet<>();
        for (int i = 0; i < N; i++) {
            keys.add(MaskKeys.next());
        }
        // Expected collisions among 10^4 draws from 2^32 values: about 0.01.
        assertTrue(keys.size() >= N - 3, keys.size() + " distinct of " + N);
    }

    @Test
    void everyKeyBitIsSetAboutHalfTheTime() {
        int[] ones = new int[32];
        for (int i = 0; i < N; i++) {
            int key = MaskKeys.next();
            for (int b = 0; b < 32; b++) {
                ones[b] += (key >>> b) & 1;
            }
        }
        for (int b = 0; b < 32; b++) {
            // Standard deviation 50: 400 is eight of them, so only a biased bit fails.
            assertTrue(Math.abs(ones[b] - N / 2) < 400, "bit " + b + " set " + ones[b] + " times of " + N);
        }
    }

    @Test
    void threadsDrawDifferentKeys() throws Exception {
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            Set<Integer> all = new HashSet<>();
            Set<Integer> firstKeys = new HashSet<>();
            Future<?>[] runs = new Future<?>[threads];
            int[][] drawn = new int[threads][N / threads];
            for (int t = 0; t < threads; t++) {
                int[] mine = drawn[t];
                runs[t] = pool.submit(() -> {
                    for (int i = 0; i < mine.length; i++) {
                        mine[i] = MaskKeys.next();
                    }
                });
            }
            for (int t = 0; t < threads; t++) {
                runs[t].get();
                firstKeys.add(drawn[t][0]);
                for (int key : drawn[t]) {
                    all.add(key);
                }
            }
            assertEquals(threads, firstKeys.size(), "each thread's pool starts somewhere else");
            assertTrue(all.size() >= N - 3, all.size() + " distinct of " + N + " across threads");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void freshPoolsAreSeededIndependently() {
        int[] a = draw(new MaskKeyPool(), 64);
        int[] b = draw(new MaskKeyPool(), 64);
        assertFalse(Arrays.equals(a, b), "two new pools produced the same keys");
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            same += a[i] == b[i] ? 1 : 0;
        }
        assertTrue(same <= 1, same + " equal keys at the same index");
    }

    @Test
    void drawingKeysAllocatesAlmostNothing() {
        MaskKeyPool pool = new MaskKeyPool();
        int sink = 0;
        for (int i = 0; i < 3_000_000; i++) { // lets the JIT compile the refill path
            sink ^= pool.next();
        }
        long before = ThreadCounters.allocatedBytes();
        for (int i = 0; i < 1_024_000; i++) {
            sink ^= pool.next();
        }
        long perKey = (ThreadCounters.allocatedBytes() - before) / 1_024_000;
        // About 0.25 byte per key once compiled (the DRBG's own refill garbage); any object made per call
        // would cost at least 16.
        assertTrue(perKey < 8, perKey + " bytes per key (sink " + sink + ")");
    }

    private static int[] draw(MaskKeyPool pool, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = pool.next();
        }
        return out;
    }
}
