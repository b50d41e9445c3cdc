package io.duplex.core.internal.extension.deflate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.PriorityQueue;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * Length-limited canonical Huffman codes (RFC 1951 §3.2.2, §3.2.7: at most 15 bits, 7 for the code length
 * code): complete (zlib's inflater rejects incomplete codes), within the limit, and as short as an
 * unlimited Huffman code whenever the limit does not bind.
 */
class HuffmanCodeTest {

    /** The cost of an optimal unlimited Huffman code: the sum of all merge weights. */
    private static long optimalCost(int[] frequency) {
        PriorityQueue<Long> queue = new PriorityQueue<>();
        for (int f : frequency) {
            if (f > 0) {
                queue.add((long) f);
            }
        }
        if (queue.size() < 2) {
            return queue.isEmpty() ? 0 : queue.peek(); // one used symbol still costs one bit per use
        }
        long cost = 0;
        while (queue.size() > 1) {
            long merged = queue.poll() + queue.poll();
            cost += merged;
            queue.add(merged);
        }
        return cost;
    }

    private static void assertValid(HuffmanCode code, int[] frequency, int maxLength) {
        long kraft = 0;
        int longest = 0;
        int coded = 0;
        for (int s = 0; s < frequency.length; s++) {
            int length = code.lengths[s];
            assertTrue(length <= maxLength, "length " + length + " over the limit");
            if (frequency[s] > 0) {
                assertTrue(length > 0, "a used symbol has a code");
            }
            if (length > 0) {
                kraft += 1L << (maxLength - length);
                coded++;
            }
            longest = Math.max(longest, length);
        }
        assertEquals(1L << maxLength, kraft, "the code is complete");
        assertTrue(coded >= 2);
        assertPrefixFree(code, frequency.length);
        long cost = code.cost(frequency, frequency.length);
        long optimal = optimalCost(frequency);
        assertTrue(cost >= optimal);
        if (longest < maxLength) {
            assertEquals(optimal, cost, "unconstrained codes are optimal");
        }
    }

    /** Distinct codes, none a prefix of another (checked on the bit-reversed form as emitted). */
    private static void assertPrefixFree(HuffmanCode code, int n) {
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                int la = code.lengths[a];
                int lb = code.lengths[b];
                if (a != b && la > 0 && lb > 0 && la <= lb) {
                    int mask = (1 << la) - 1;
                    assertTrue((code.codes[b] & mask) != code.codes[a], "code " + a + " is a prefix of " + b);
                }
            }
        }
    }

    @Test
    void fibonacciFrequenciesAreLimitedToFifteenBits() {
        // Fibonacci weights give an unlimited Huffman tree as deep as the alphabet is large.
        int[] frequency = new int[DeflateAlphabet.LITERAL_LENGTH_SYMBOLS];
        int a = 1;
        int b = 1;
        for (int s = 0; s < 30; s++) {
            frequency[s] = a;
            int next = a + b;
            a = b;
            b = next;
        }
        HuffmanCode code = new HuffmanCode(frequency.length, 15);
        code.build(frequency, frequency.length);
        assertValid(code, frequency, 15);
        assertEquals(15, code.lengths[0], "the rarest symbols sit at the limit");
    }

    @Test
    void codeLengthCodeIsLimitedToSevenBits() {
        int[] frequency = {1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584, 4181};
        HuffmanCode code = new HuffmanCode(frequency.length, 7);
        code.build(frequency, frequency.length);
        assertValid(code, frequency, 7);
    }

    @Test
    void zeroOrOneUsedSymbolStillGivesACompleteCode() {
        HuffmanCode code = new HuffmanCode(30, 15);
        code.build(new int[30], 30);
        assertValid(code, new int[30], 15);
        int[] one = new int[30];
        one[17] = 9;
        code.build(one, 30);
        assertValid(code, one, 15);
        assertEquals(1, code.lengths[17]);
    }

    @Property(tries = 300)
    void randomFrequenciesGiveValidCodes(@ForAll @Size(min = 2, max = 286) int[] raw,
                                         @ForAll @IntRange(min = 7, max = 15) int maxLength) {
        int n = Math.min(raw.length, maxLength == 7 ? 19 : 286);
        int[] frequency = new int[n];
        for (int i = 0; i < n; i++) {
            // Mostly small, some zero, some huge: a skewed spread forces the limit to bind sometimes.
            int r = raw[i];
            frequency[i] = (r & 3) == 0 ? 0 : (r & 4) == 0 ? (r >>> 3 & 15) + 1 : (r >>> 8 & 0xFFFF) + 1;
        }
        HuffmanCode code = new HuffmanCode(n, maxLength);
        code.build(frequency, n);
        assertValid(code, frequency, maxLength);
    }
}
