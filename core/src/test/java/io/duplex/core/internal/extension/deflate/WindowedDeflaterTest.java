package io.duplex.core.internal.extension.deflate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Round trips of {@link WindowedDeflater} through {@link java.util.zip.Inflater} (raw) and the independent
 * {@link DeflateChecker}: RFC 1951 block formats, RFC 7692 §7.2.1 (sync flush, tail stripping),
 * §7.2.3.6 (empty message), §7.1.1 context takeover and no_context_takeover, §7.1.2 window bits.
 */
class WindowedDeflaterTest {

    private static final int MIB = 1 << 20;

    static Stream<Arguments> windowsAndLevels() {
        return PerMessage.everyWindowWithLevels(1, 6, 9);
    }

    @Test
    void emptyMessageIsTheSingleZeroByteOfRfc7692AfterStripping() {
        GrowableSink sink = new GrowableSink(false, 16);
        new WindowedDeflater(15, 6).compress(ByteBuffer.allocate(0), sink);
        // An empty stored block, BFINAL=0: 3 header bits padded to one 00 byte, then LEN 00 00, NLEN FF FF.
        assertArrayEquals(new byte[] {0, 0, 0, (byte) 0xFF, (byte) 0xFF}, sink.take());
    }

    @ParameterizedTest
    @MethodSource("windowsAndLevels")
    void smallAndEmptyMessagesRoundTrip(int bits, int level) {
        PerMessage pm = new PerMessage(bits, level, true);
        assertArrayEquals(new byte[] {0}, pm.send(new byte[0]));
        pm.roundTrip(new byte[0]);
        pm.roundTrip(new byte[] {42});
        pm.roundTrip(new byte[] {0, 0, 0});
        pm.roundTrip(new byte[0]);
        pm.roundTrip("Hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @ParameterizedTest
    @MethodSource("windowsAndLevels")
    void largeInputsRoundTripWithinTheWindow(int bits, int level) {
        byte[] text = Corpus.text(MIB / 4, bits);
        byte[] repetitive = Corpus.repetitive(MIB / 4);
        byte[] random = Corpus.random(64 * 1024, bits);
        PerMessage pm = new PerMessage(bits, level, false);
        DeflateChecker.Message t = pm.roundTrip(text);
        pm.roundTrip(repetitive);
        pm.roundTrip(random);
        assertTrue(t.references() > 0, "text must produce back-references");
        assertFalse(pm.checker().finalBlockSeen, "BFINAL is never set");
        assertTrue(pm.checker().allCodesComplete, "every Huffman code is complete");
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 15})
    void compressesTextAndRepetitiveData(int bits) {
        PerMessage pm = new PerMessage(bits, 6, false);
        pm.roundTrip(Corpus.text(MIB, 1));
        long text = pm.compressedBytes;
        pm.roundTrip(Corpus.repetitive(MIB));
        long repetitive = pm.compressedBytes - text;
        assertTrue(text < MIB * 45L / 100, "text ratio " + text);
        assertTrue(repetitive < MIB / 100, "repetitive " + repetitive);
        assertTrue(pm.checker().dynamicBlocks > 0);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 6, 9})
    void compressesAboutAsWellAsZlibWithTheSameWindow(int level) {
        // Long enough for the buffer to slide many times, which must not break the hash chains.
        byte[] text = Corpus.text(MIB / 2, 11);
        GrowableSink sink = new GrowableSink(false, MIB);
        new WindowedDeflater(15, level).compress(ByteBuffer.wrap(text), sink);
        int ours = sink.take().length;
        java.util.zip.Deflater zlib = new java.util.zip.Deflater(level, true);
        zlib.setInput(text);
        byte[] out = new byte[MIB];
        int theirs = zlib.deflate(out, 0, out.length, java.util.zip.Deflater.SYNC_FLUSH);
        zlib.end();
        assertTrue(ours < theirs * 102L / 100, "ours " + ours + " vs zlib " + theirs);
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 12, 15})
    void incompressibleDataIsStoredAndBarelyExpands(int bits) {
        int n = 300_000;
        PerMessage pm = new PerMessage(bits, 6, true);
        pm.roundTrip(Corpus.random(n, 7));
        // Stored blocks cost 5 bytes each; blocks hold at least 4096 symbols.
        assertTrue(pm.compressedBytes <= n + 5L * (n / 4096 + 2), "expanded to " + pm.compressedBytes);
        assertTrue(pm.checker().storedBlocks > 1);
    }

    @Test
    void tinyMessagesUseFixedHuffmanRatherThanADynamicHeader() {
        PerMessage pm = new PerMessage(15, 6, true);
        pm.roundTrip("abcdefghij".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(1, pm.checker().fixedBlocks);
        assertEquals(0, pm.checker().dynamicBlocks);
    }

    @ParameterizedTest
    @MethodSource("windowsAndLevels")
    void contextTakeoverReferencesEarlierMessagesWithOneInflater(int bits, int level) {
        byte[] text = Corpus.text(64 * 1024, 3);
        PerMessage with = new PerMessage(bits, level, true);
        PerMessage without = new PerMessage(bits, level, false);
        int maxReach = Integer.MIN_VALUE;
        for (int i = 0; i + 100 <= text.length && i < 20_000; i += 100) {
            byte[] message = java.util.Arrays.copyOfRange(text, i, i + 100);
            maxReach = Math.max(maxReach, with.roundTrip(message).maxReachIntoHistory());
            without.roundTrip(message); // asserts nothing reaches before the message
        }
        assertTrue(maxReach > 0, "with context takeover, messages reference earlier ones");
        // A 256-byte window holds only two or three earlier 100-byte messages, so the gain grows with it.
        long bound = bits >= 10 ? without.compressedBytes * 8 / 10 : without.compressedBytes;
        assertTrue(with.compressedBytes < bound, with.compressedBytes + " vs " + without.compressedBytes);
    }

    @Test
    void resetInTheMiddleOfAConnectionForgetsHistory() {
        PerMessage pm = new PerMessage(15, 6, true);
        byte[] message = Corpus.text(5000, 9);
        pm.roundTrip(message);
        assertTrue(pm.roundTrip(message).maxReachIntoHistory() > 0);
        // The receiver keeps its window; the sender alone promises not to use it.
        PerMessage forgetful = new PerMessage(15, 6, false);
        forgetful.roundTrip(message);
        assertTrue(forgetful.roundTrip(message).maxReachIntoHistory() <= 0);
    }

    @Test
    void readsDirectReadOnlyAndOffsetBuffersAndAdvancesThemToTheirLimit() {
        byte[] text = Corpus.text(200_000, 5);
        for (String kind : new String[] {"heap", "direct", "read-only"}) {
            for (boolean directSink : new boolean[] {false, true}) {
                ByteBuffer backing = kind.equals("direct") ? ByteBuffer.allocateDirect(text.length + 20)
                        : ByteBuffer.allocate(text.length + 20);
                backing.position(7);
                ByteBuffer src = backing.slice(); // non-zero arrayOffset for heap buffers
                src.position(3).put(text).flip().position(3);
                src.limit(3 + text.length);
                if (kind.equals("read-only")) {
                    src = src.asReadOnlyBuffer();
                }
                GrowableSink sink = new GrowableSink(directSink, 1);
                new WindowedDeflater(10, 4).compress(src, sink);
                assertEquals(src.limit(), src.position(), "source consumed");
                byte[] out = sink.take();
                assertArrayEquals(text, PerMessage.inflate(new java.util.zip.Inflater(true), out), kind);
                assertArrayEquals(text, DeflateChecker.decodeStream(out).output(), kind);
            }
        }
    }

    @Test
    void memoryScalesWithTheWindowAndIsReleased() {
        WindowedDeflater small = new WindowedDeflater(8, 6);
        WindowedDeflater large = new WindowedDeflater(15, 6);
        assertEquals(0, small.retainedBytes(), "nothing allocated before the first message");
        GrowableSink sink = new GrowableSink(false, 64);
        small.compress(ByteBuffer.wrap(Corpus.text(1000, 1)), sink);
        large.compress(ByteBuffer.wrap(Corpus.text(1000, 1)), sink);
        assertTrue(small.retainedBytes() * 5 < large.retainedBytes(),
                small.retainedBytes() + " vs " + large.retainedBytes());
        assertTrue(large.retainedBytes() > 3 * (1 << 15), "window, chains and hash heads at least");
        large.release();
        assertEquals(0, large.retainedBytes());
        sink.take();
        byte[] text = Corpus.text(50_000, 2);
        large.compress(ByteBuffer.wrap(text), sink);
        assertArrayEquals(text, DeflateChecker.decodeStream(sink.take()).output(), "usable after release");
    }

    @Test
    void rejectsOutOfRangeParameters() {
        assertThrows(IllegalArgumentException.class, () -> new WindowedDeflater(7, 6));
        assertThrows(IllegalArgumentException.class, () -> new WindowedDeflater(16, 6));
        assertThrows(IllegalArgumentException.class, () -> new WindowedDeflater(15, 0));
        assertThrows(IllegalArgumentException.class, () -> new WindowedDeflater(15, 10));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5})
    void aFailingSinkForgetsTheUnsentMessage(int failAtCall) {
        WindowedDeflater deflater = new WindowedDeflater(15, 6);
        byte[] text = Corpus.text(300_000, 4); // several blocks, so the failure can come mid-message
        GrowableSink growable = new GrowableSink(false, 64);
        int[] calls = {0};
        Sink failing = n -> {
            if (++calls[0] == failAtCall) {
                throw new IllegalStateException("out of memory budget");
            }
            return growable.ensure(n);
        };
        assertThrows(IllegalStateException.class, () -> deflater.compress(ByteBuffer.wrap(text), failing));
        growable.take();
        byte[] next = Corpus.text(1000, 5);
        deflater.compress(ByteBuffer.wrap(next), growable);
        DeflateChecker.Message m = DeflateChecker.decodeStream(growable.take());
        assertArrayEquals(next, m.output(), "nothing of the failed message leaks into the next, or is referenced");
    }
}
