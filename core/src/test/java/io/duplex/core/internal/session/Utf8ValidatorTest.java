package io.duplex.core.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hand-written vectors (RFC 3629 §4 table, RFC 6455 §8.1 fail-fast, Autobahn section 6 style); every
 * expected failure index below was worked out by hand from the RFC table.
 */
class Utf8ValidatorTest {

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    /** Feeds byte by byte, expecting success before {@code index} and failure exactly at it. */
    private static void assertFailsAt(int index, int... values) {
        byte[] input = bytes(values);
        Utf8Validator byByte = new Utf8Validator();
        for (int i = 0; i < input.length; i++) {
            boolean ok = byByte.validate(input, i, 1);
            assertEquals(i < index, ok, "result after byte " + i + " of " + Arrays.toString(values));
        }
        for (BufferShape shape : BufferShape.values()) {
            assertFalse(shape.feed(new Utf8Validator(), input, 0, input.length), shape.name());
            Utf8Validator prefix = new Utf8Validator();
            assertTrue(shape.feed(prefix, input, 0, index), shape + " prefix before the offending byte");
        }
    }

    private static void assertValid(int... values) {
        byte[] input = bytes(values);
        for (BufferShape shape : BufferShape.values()) {
            Utf8Validator whole = new Utf8Validator();
            assertTrue(shape.feed(whole, input, 0, input.length), shape.name());
            assertTrue(whole.isComplete(), shape.name());
            Utf8Validator byByte = new Utf8Validator();
            for (int i = 0; i < input.length; i++) {
                assertTrue(shape.feed(byByte, input, i, i + 1), shape + " byte " + i);
            }
            assertTrue(byByte.isComplete(), shape.name());
        }
    }

    @Test
    void kosmeIsValid() {
        assertValid(0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5);
    }

    @Test
    void kosmeFollowedBySurrogateFailsAtTheSecondByteOfTheSurrogate() {
        assertFailsAt(12, 0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5,
                0xED, 0xA0, 0x80, 0x65, 0x64, 0x69, 0x74, 0x65, 0x64);
    }

    @Test
    void boundaryCodePointsAreValid() {
        assertValid(0x00);
        assertValid(0x7F);
        assertValid(0xC2, 0x80);             // U+0080
        assertValid(0xDF, 0xBF);             // U+07FF
        assertValid(0xE0, 0xA0, 0x80);       // U+0800
        assertValid(0xED, 0x9F, 0xBF);       // U+D7FF, last before the surrogates
        assertValid(0xEE, 0x80, 0x80);       // U+E000, first after the surrogates
        assertValid(0xEF, 0xBF, 0xBF);       // U+FFFF
        assertValid(0xEF, 0xBF, 0xBE);       // U+FFFE: a noncharacter, still valid UTF-8
        assertValid(0xF0, 0x90, 0x80, 0x80); // U+10000
        assertValid(0xF4, 0x8F, 0xBF, 0xBF); // U+10FFFF
        assertValid();
    }

    @Test
    void beyondU10FFFFFailsAtTheSecondByte() {
        assertFailsAt(1, 0xF4, 0x90, 0x80, 0x80);
        assertFailsAt(0, 0xF5, 0x80, 0x80, 0x80);
        assertFailsAt(0, 0xF7, 0xBF, 0xBF, 0xBF);
        assertFailsAt(0, 0xF8, 0x88, 0x80, 0x80, 0x80);
        assertFailsAt(0, 0xFC, 0x84, 0x80, 0x80, 0x80, 0x80);
        assertFailsAt(0, 0xFE);
        assertFailsAt(0, 0xFF);
    }

    @Test
    void overlongsFailAsSoonAsTheyAreCertain() {
        assertFailsAt(0, 0xC0, 0xAF);
        assertFailsAt(0, 0xC1, 0xBF);
        assertFailsAt(0, 0xC0, 0x80);
        assertFailsAt(1, 0xE0, 0x80, 0xAF);
        assertFailsAt(1, 0xE0, 0x9F, 0xBF);
        assertFailsAt(1, 0xF0, 0x80, 0x80, 0xAF);
        assertFailsAt(1, 0xF0, 0x8F, 0xBF, 0xBF);
    }

    @Test
    void surrogatesFailAtTheSecondByte() {
        assertFailsAt(1, 0xED, 0xA0, 0x80);                     // U+D800
        assertFailsAt(1, 0xED, 0xAD, 0xBF);                     // U+DB7F
        assertFailsAt(1, 0xED, 0xB0, 0x80);                     // U+DC00
        assertFailsAt(1, 0xED, 0xBF, 0xBF);                     // U+DFFF
        assertFailsAt(1, 0xED, 0xA0, 0x80, 0xED, 0xB0, 0x80);   // a CESU-8 pair
    }

    @Test
    void strayAndMissingContinuationBytes() {
        assertFailsAt(0, 0x80);
        assertFailsAt(0, 0xBF);
        assertFailsAt(1, 0x61, 0x80, 0x62);
        assertFailsAt(2, 0xC2, 0x80, 0x80);
        assertFailsAt(1, 0xCE, 0x61);             // lead then ASCII
        assertFailsAt(2, 0xE1, 0x80, 0x61);
        assertFailsAt(3, 0xF1, 0x80, 0x80, 0xF1);
        assertFailsAt(1, 0xC2, 0xC2, 0x80);       // lead then lead
    }

    @Test
    void truncatedSequenceIsValidSoFarButIncomplete() {
        for (byte[] prefix : new byte[][] {bytes(0xCE), bytes(0xE1, 0xBD), bytes(0xF0, 0x9F, 0x98), bytes(0xED)}) {
            Utf8Validator v = new Utf8Validator();
            assertTrue(v.validate(prefix, 0, prefix.length));
            assertFalse(v.isComplete());
        }
    }

    @Test
    void pendingBytesCountsTheUnfinishedCodePointAtEverySplit() {
        byte[] text = bytes(0x61, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80, 0x62); // a é € 😀 b
        int[] pendingAfter = {0, 1, 0, 1, 2, 0, 1, 2, 3, 0, 0};
        for (BufferShape shape : BufferShape.values()) {
            Utf8Validator v = new Utf8Validator();
            assertEquals(0, v.pendingBytes());
            for (int i = 0; i < text.length; i++) {
                assertTrue(shape.feed(v, text, i, i + 1));
                assertEquals(pendingAfter[i], v.pendingBytes(), shape + " after byte " + i);
                assertEquals(pendingAfter[i] == 0, v.isComplete(), shape + " after byte " + i);
            }
        }
    }

    @Test
    void staysFailedUntilReset() {
        Utf8Validator v = new Utf8Validator();
        assertFalse(v.validate(bytes(0xC0), 0, 1));
        assertFalse(v.validate(bytes(0x61), 0, 1));
        assertFalse(v.validate(ByteBuffer.allocate(0)));
        assertFalse(v.isComplete());
        assertEquals(0, v.pendingBytes());
        v.reset();
        assertTrue(v.isComplete());
        assertTrue(v.validate(bytes(0x61), 0, 1));
        assertTrue(v.isComplete());
    }

    @Test
    void resetDropsAnUnfinishedCodePoint() {
        Utf8Validator v = new Utf8Validator();
        assertTrue(v.validate(bytes(0xE2, 0x82), 0, 2));
        v.reset();
        assertEquals(0, v.pendingBytes());
        assertFalse(v.validate(bytes(0xAC), 0, 1), "a continuation byte may not start the next message");
    }

    /** Plants one bad byte at every offset of an ASCII run, around the fast path's word edges. */
    @ParameterizedTest
    @EnumSource(BufferShape.class)
    void asciiFastPathStopsAtTheExactBadByte(BufferShape shape) {
        for (int length = 1; length <= 70; length++) {
            for (int bad = 0; bad < length; bad++) {
                byte[] input = new byte[length];
                Arrays.fill(input, (byte) 'x');
                input[bad] = (byte) 0x80;
                assertFalse(shape.feed(new Utf8Validator(), input, 0, length), "length " + length + " bad " + bad);
                Utf8Validator prefix = new Utf8Validator();
                assertTrue(shape.feed(prefix, input, 0, bad));
                assertTrue(prefix.isComplete());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(BufferShape.class)
    void longMixedTextSplitAnywhereIsValid(BufferShape shape) {
        byte[] text = "ASCII run of some length, then κόσμε, € and 😀 and more plain text to follow"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int cut = 0; cut <= text.length; cut++) {
            Utf8Validator v = new Utf8Validator();
            assertTrue(shape.feed(v, text, 0, cut));
            assertEquals(Utf8Reference.scan(text, cut).pending(), v.pendingBytes(), "cut " + cut);
            assertTrue(shape.feed(v, text, cut, text.length));
            assertTrue(v.isComplete());
        }
    }

    @Test
    void rejectsARangeOutsideTheArray() {
        Utf8Validator v = new Utf8Validator();
        assertThrows(IndexOutOfBoundsException.class, () -> v.validate(new byte[4], 2, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> v.validate(new byte[4], -1, 1));
    }
}
