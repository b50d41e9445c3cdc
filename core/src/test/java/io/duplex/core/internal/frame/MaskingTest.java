package io.duplex.core.internal.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * RFC 6455 §5.3 masking: byte {@code i} of the payload is XORed with key byte {@code i mod 4}, checked
 * against a byte-by-byte reference written from that sentence, on every buffer shape, at every payload
 * offset (because a payload may be split anywhere), in place and copying, from read-only sources, and on
 * payloads long enough that the word-at-a-time loop does almost all the work.
 */
class MaskingTest {

    /** The RFC's definition, one byte at a time: key byte 0 is the most significant byte of {@code key}. */
    static byte[] reference(byte[] data, int key, long offset) {
        byte[] out = new byte[data.length];
        for (int i = 0; i < data.length; i++) {
            int j = (int) ((offset + i) % 4);
            out[i] = (byte) (data[i] ^ (key >>> (24 - 8 * j)));
        }
        return out;
    }

    @Property(tries = 400)
    void inPlaceMatchesTheReference(@ForAll @Size(max = 200) byte[] data, @ForAll int key,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE - 1000) long offset, @ForAll BufferKind kind,
            @ForAll @IntRange(max = 9) int lead) {
        ByteBuffer buf = kind.holding(data, lead);
        Masking.mask(buf, key, offset);
        assertEquals(lead, buf.position(), "position unchanged");
        assertEquals(lead + data.length, buf.limit());
        assertArrayEquals(reference(data, key, offset), BufferKind.remaining(buf));
    }

    @Property(tries = 300)
    void maskingTwiceIsTheIdentity(@ForAll @Size(max = 200) byte[] data, @ForAll int key,
            @ForAll @LongRange(min = 0, max = 1 << 20) long offset, @ForAll BufferKind kind,
            @ForAll @IntRange(max = 9) int lead) {
        ByteBuffer buf = kind.holding(data, lead);
        Masking.mask(buf, key, offset);
        Masking.mask(buf, key, offset);
        assertArrayEquals(data, BufferKind.remaining(buf));
    }

    @Property(tries = 300)
    void maskingInPiecesEqualsMaskingWhole(@ForAll @Size(max = 120) byte[] data, @ForAll int key,
            @ForAll @LongRange(min = 0, max = 1 << 20) long offset, @ForAll @IntRange(max = 120) int cut,
            @ForAll BufferKind kind) {
        int split = Math.min(cut, data.length);
        ByteBuffer buf = kind.holding(data, 0);
        buf.limit(split);
        Masking.mask(buf, key, offset);
        buf.limit(data.length).position(split);
        Masking.mask(buf, key, offset + split);
        buf.position(0);
        assertArrayEquals(reference(data, key, offset), BufferKind.remaining(buf));
    }

    @Property(tries = 400)
    void copyingMatchesTheReferenceAndLeavesTheSourceAlone(@ForAll @Size(max = 200) byte[] data, @ForAll int key,
            @ForAll @LongRange(min = 0, max = 1 << 20) long offset, @ForAll BufferKind srcKind,
            @ForAll BufferKind dstKind, @ForAll @IntRange(max = 9) int srcLead, @ForAll @IntRange(max = 9) int dstLead) {
        ByteBuffer src = srcKind.holding(data, srcLead);
        ByteBuffer dst = dstKind.empty(data.length + 3, dstLead);
        Masking.mask(src, dst, key, offset);
        assertEquals(srcLead + data.length, src.position(), "source advanced");
        assertEquals(dstLead + data.length, dst.position(), "destination advanced");
        dst.flip().position(dstLead);
        assertArrayEquals(reference(data, key, offset), BufferKind.remaining(dst));
        src.position(srcLead);
        assertArrayEquals(data, BufferKind.remaining(src), "source not modified");
    }

    /**
     * Every key rotation, at every alignment of the first byte, for every length around the 8-byte step,
     * in every buffer shape: the cases a word-at-a-time loop gets wrong at its edges.
     */
    @Test
    void everyRotationAlignmentAndTailLengthMatchesTheReference() {
        Random random = new Random(6455);
        for (int length = 0; length <= 40; length++) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            int key = random.nextInt() | 0x01010101; // no zero key byte, so an overrun shows past the limit
            for (long offset = 0; offset < 8; offset++) {
                byte[] expected = reference(data, key, offset);
                for (int lead = 0; lead <= 8; lead++) {
                    for (BufferKind kind : BufferKind.values()) {
                        ByteBuffer buf = kind.holding(data, lead);
                        Masking.mask(buf, key, offset);
                        String where = kind + " length " + length + " offset " + offset + " lead " + lead;
                        assertArrayEquals(expected, BufferKind.remaining(buf), where);
                        assertEquals(lead, buf.position(), where);
                        assertEquals((byte) 0, buf.duplicate().clear().get(lead + length), "no write past the limit, " + where);
                        for (BufferKind dstKind : BufferKind.values()) {
                            ByteBuffer src = kind.holding(data, lead);
                            ByteBuffer dst = dstKind.empty(length + 8, 8 - lead);
                            Masking.mask(src, dst, key, offset);
                            dst.flip().position(8 - lead);
                            assertArrayEquals(expected, BufferKind.remaining(dst), where + " into " + dstKind);
                        }
                    }
                }
            }
        }
    }

    @Property(tries = 30)
    void longPayloadsMatchTheReference(@ForAll @IntRange(min = 1000, max = 70_000) int length, @ForAll long seed,
            @ForAll int key, @ForAll @LongRange(min = 0, max = 1 << 30) long offset, @ForAll BufferKind kind,
            @ForAll BufferKind dstKind, @ForAll @IntRange(max = 15) int lead) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        byte[] expected = reference(data, key, offset);
        ByteBuffer buf = kind.holding(data, lead);
        Masking.mask(buf, key, offset);
        assertArrayEquals(expected, BufferKind.remaining(buf), "in place");
        ByteBuffer dst = dstKind.empty(length, lead);
        Masking.mask(kind.holding(data, lead), dst, key, offset);
        dst.flip().position(lead);
        assertArrayEquals(expected, BufferKind.remaining(dst), "copying");
    }

    /** A read-only source is fine to mask from (a user may hand one to send), and stays untouched. */
    @Property(tries = 200)
    void copyingFromReadOnlySourceMatchesTheReference(@ForAll @Size(max = 100) byte[] data, @ForAll int key,
            @ForAll @LongRange(min = 0, max = 1 << 20) long offset, @ForAll BufferKind srcKind,
            @ForAll BufferKind dstKind, @ForAll @IntRange(max = 9) int lead) {
        ByteBuffer src = srcKind.holding(data, lead).asReadOnlyBuffer();
        ByteBuffer dst = dstKind.empty(data.length, 0);
        Masking.mask(src, dst, key, offset);
        assertEquals(lead + data.length, src.position());
        dst.flip();
        assertArrayEquals(reference(data, key, offset), BufferKind.remaining(dst));
        src.position(lead);
        assertArrayEquals(data, BufferKind.remaining(src));
    }

    @Test
    void maskingReadOnlyBuffersInPlaceIsRefused() {
        for (BufferKind kind : BufferKind.values()) {
            for (int length : new int[] {1, 7, 8, 9, 100}) {
                byte[] data = new byte[length];
                new Random(length).nextBytes(data);
                ByteBuffer original = kind.holding(data, 3);
                ByteBuffer readOnly = original.asReadOnlyBuffer();
                assertThrows(ReadOnlyBufferException.class, () -> Masking.mask(readOnly, 0x11223344, 1),
                        kind + " length " + length);
                assertArrayEquals(data, BufferKind.remaining(original), "nothing written, " + kind);
                ByteBuffer src = kind.holding(data, 0);
                assertThrows(ReadOnlyBufferException.class,
                        () -> Masking.mask(src, ByteBuffer.allocate(length).asReadOnlyBuffer(), 0x11223344, 1));
                assertEquals(0, src.position(), "source not consumed on failure");
            }
            // An empty range writes nothing, so there is nothing to refuse.
            Masking.mask(kind.holding(new byte[0], 2).asReadOnlyBuffer(), 0x11223344, 0);
        }
    }

    @Test
    void copyIntoTooSmallDestinationFailsBeforeWriting() {
        ByteBuffer src = ByteBuffer.wrap(new byte[] {1, 2, 3});
        ByteBuffer dst = ByteBuffer.allocate(2);
        assertThrows(BufferOverflowException.class,
                () -> Masking.mask(src, dst, 0x11223344, 0));
        assertEquals(0, src.position());
        assertArrayEquals(new byte[2], dst.array());
    }

    @Test
    void referenceAgreesWithTheRfcExample() {
        // §5.7: "Hello" masked with 37 fa 21 3d is 7f 9f 4d 51 58.
        byte[] masked = reference("Hello".getBytes(StandardCharsets.US_ASCII), 0x37fa213d, 0);
        assertArrayEquals(TestFrames.bytes(0x7f, 0x9f, 0x4d, 0x51, 0x58), masked);
        assertNotEquals(0, masked[0]);
    }
}
