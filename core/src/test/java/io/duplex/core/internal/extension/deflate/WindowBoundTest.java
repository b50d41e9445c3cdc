package io.duplex.core.internal.extension.deflate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The window proof for RFC 7692 §7.1.2.1/§7.1.2.2 ({@code server_max_window_bits},
 * {@code client_max_window_bits}): on inputs built to tempt matches just beyond the window, the independent
 * {@link DeflateChecker} finds no back-reference distance above 2^windowBits, while repeats that fit inside
 * the window are still found.
 */
class WindowBoundTest {

    static Stream<Arguments> windowsAndLevels() {
        return PerMessage.everyWindowWithLevels(1, 5, 9);
    }

    private static int compressedLength;

    private static DeflateChecker.Message compressAndCheck(int bits, int level, byte[] input) {
        GrowableSink sink = new GrowableSink(false, 1024);
        new WindowedDeflater(bits, level).compress(ByteBuffer.wrap(input), sink);
        byte[] stream = sink.take();
        compressedLength = stream.length;
        DeflateChecker.Message m = DeflateChecker.decodeStream(stream);
        assertArrayEquals(input, m.output(), "checker decodes the input");
        assertArrayEquals(input, PerMessage.inflate(new java.util.zip.Inflater(true), stream), "Inflater agrees");
        int window = 1 << bits;
        assertTrue(m.maxDistance() <= window, () -> "distance " + m.maxDistance() + " > window " + window);
        return m;
    }

    @ParameterizedTest
    @MethodSource("windowsAndLevels")
    void aRandomBlockRepeatedBeyondTheWindowIsNotMatched(int bits, int level) {
        byte[] block = Corpus.random(40 * 1024, bits * 31L + level);
        byte[] twice = GrowableSink.concat(block, block);
        DeflateChecker.Message m = compressAndCheck(bits, level, twice);
        // The only long repeats sit 40 KiB back, beyond every window, so almost nothing compresses.
        assertTrue(compressedLength > twice.length * 99L / 100, "the 40 KiB repeat must not be matched");
        assertTrue(m.references() < 100, "only chance three-byte matches");
    }

    @ParameterizedTest
    @MethodSource("windowsAndLevels")
    void repeatsAtTheWindowEdgeStayInside(int bits, int level) {
        int window = 1 << bits;
        // Periods straddling the window size: just inside, exactly at, and just beyond.
        for (int period : new int[] {window - 300, window - 1, window, window + 1, window + 300}) {
            if (period < 16) {
                continue;
            }
            byte[] unit = Corpus.random(period, period);
            byte[] input = new byte[period * 4 + 123];
            for (int i = 0; i < input.length; i++) {
                input[i] = unit[i % period];
            }
            DeflateChecker.Message m = compressAndCheck(bits, level, input);
            if (period <= window - 300) {
                // Greedy levels skip inserting long matches, so a repeat may be found a period further back.
                assertTrue(m.references() > 0 && m.maxDistance() >= period,
                        "a repeat inside the window is found");
                assertTrue(m.output().length > 2L * compressedLength, "and compresses the input");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("windowsAndLevels")
    void messagesWithTakeoverNeverReachBeyondTheWindowAcrossMessages(int bits, int level) {
        PerMessage pm = new PerMessage(bits, level, true);
        byte[] block = Corpus.random(3 * (1 << bits) / 2, bits);
        for (int i = 0; i < 4; i++) {
            pm.roundTrip(block); // asserts the distance bound for each message
        }
    }
}
