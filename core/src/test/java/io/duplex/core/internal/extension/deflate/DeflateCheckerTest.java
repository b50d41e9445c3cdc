package io.duplex.core.internal.extension.deflate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The test-side {@link DeflateChecker} is itself checked, so the window proof rests on a decoder known to
 * be right: it decodes what java.util.zip.Deflater (zlib) produces with every block type (RFC 1951 §3.2.4
 * stored, §3.2.6 fixed, §3.2.7 dynamic), hand-assembled RFC bytes, and rejects bad streams.
 */
class DeflateCheckerTest {

    private static byte[] zlib(byte[] input, int level, int strategy) {
        Deflater deflater = new Deflater(level, true);
        deflater.setStrategy(strategy);
        deflater.setInput(input);
        byte[] out = new byte[input.length * 2 + 1024];
        int n = 0;
        // A changed strategy is applied by the first call, which may return before consuming any input.
        do {
            n += deflater.deflate(out, n, out.length - n, Deflater.SYNC_FLUSH);
        } while (!deflater.needsInput());
        n += deflater.deflate(out, n, out.length - n, Deflater.SYNC_FLUSH);
        deflater.end();
        return Arrays.copyOf(out, n);
    }

    @ParameterizedTest
    @CsvSource({"0,0", "1,0", "6,0", "9,0", "6,1", "6,2"}) // level, strategy (default, filtered, huffman only)
    void decodesWhatZlibProduces(int level, int strategy) {
        for (byte[] input : new byte[][] {
                new byte[0], {7}, Corpus.text(200_000, 1), Corpus.random(70_000, 2), Corpus.repetitive(100_000)}) {
            DeflateChecker checker = new DeflateChecker();
            DeflateChecker.Message m = checker.decodeMessage(zlib(input, level, strategy));
            assertArrayEquals(input, m.output());
            assertTrue(m.maxDistance() <= 32768);
            assertTrue(checker.allCodesComplete);
        }
    }

    @Test
    void recordsTheDistancesZlibUses() {
        byte[] input = "abc".repeat(300).getBytes(StandardCharsets.US_ASCII);
        DeflateChecker.Message m = DeflateChecker.decodeStream(zlib(input, 6, Deflater.DEFAULT_STRATEGY));
        assertArrayEquals(input, m.output());
        assertEquals(3, m.maxDistance(), "the only repeat is three bytes back");
        assertTrue(m.references() > 0);
        byte[] noMatches = zlib(input, 6, Deflater.HUFFMAN_ONLY);
        assertEquals(0, DeflateChecker.decodeStream(noMatches).references());
    }

    @Test
    void keepsHistoryAcrossMessagesAndMeasuresTheReachIntoIt() {
        Deflater deflater = new Deflater(6, true);
        byte[] first = Corpus.text(3000, 4);
        DeflateChecker checker = new DeflateChecker();
        byte[] out = new byte[10_000];
        deflater.setInput(first);
        int n = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
        assertTrue(checker.decodeMessage(Arrays.copyOf(out, n)).maxReachIntoHistory() <= 0);
        deflater.setInput(first);
        n = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
        DeflateChecker.Message second = checker.decodeMessage(Arrays.copyOf(out, n));
        assertArrayEquals(first, second.output());
        assertTrue(second.maxReachIntoHistory() > 0, "zlib refers back into the first message");
    }

    @Test
    void decodesHandAssembledBlocks() {
        // Stored, BFINAL=1: header byte 01, LEN 0003, NLEN FFFC, "abc".
        DeflateChecker checker = new DeflateChecker();
        DeflateChecker.Message stored = checker.decodeMessage(new byte[] {1, 3, 0, (byte) 0xFC, (byte) 0xFF, 'a', 'b', 'c'});
        assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), stored.output());
        assertTrue(checker.finalBlockSeen);
        // Fixed block, BFINAL=0: 'a' (0x61 -> 8-bit code 0x91), then length 3 (symbol 257, 7-bit code 0000001)
        // distance 1 (5-bit code 00000), then end of block (7-bit 0000000). Bits, first bit first:
        // BFINAL 1 | BTYPE=01, least significant bit first: 1 0 | 10010001 | 0000001 | 00000 | 0000000
        byte[] fixed = pack("1" + "10" + "10010001" + "0000001" + "00000" + "0000000");
        fixed[0] &= ~1; // BFINAL=0
        DeflateChecker.Message m = DeflateChecker.decodeStream(fixed);
        assertArrayEquals("aaaa".getBytes(StandardCharsets.US_ASCII), m.output());
        assertEquals(1, m.maxDistance());
    }

    @Test
    void rejectsReferencesBeforeTheStartAndBrokenStoredLengths() {
        // Fixed block: length 3 at distance 1 with no output yet.
        byte[] tooFar = pack("0" + "10" + "0000001" + "00000" + "0000000");
        assertThrows(IllegalStateException.class, () -> DeflateChecker.decodeStream(tooFar));
        assertThrows(IllegalStateException.class,
                () -> DeflateChecker.decodeStream(new byte[] {0, 3, 0, 0, 0, 'a', 'b', 'c'}));
        assertThrows(IllegalStateException.class, () -> DeflateChecker.decodeStream(new byte[] {0, 3, 0}));
        assertThrows(IllegalStateException.class, () -> DeflateChecker.decodeStream(new byte[] {6}));
    }

    /**
     * Packs a string of bits in stream order into bytes, least significant bit first (RFC 1951 §3.1.1).
     * Huffman codes are written most significant bit first in the string, as they are in the stream.
     */
    private static byte[] pack(String bits) {
        byte[] out = new byte[(bits.length() + 7) / 8];
        for (int i = 0; i < bits.length(); i++) {
            if (bits.charAt(i) == '1') {
                out[i / 8] |= (byte) (1 << (i % 8));
            }
        }
        return out;
    }
}
