package io.duplex.core.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * RFC 3629 §4 / RFC 6455 §8.1: the validator agrees with the JDK's strict decoder on whole messages, and with
 * an independent reading of the RFC table on where exactly a bad sequence becomes certain, however the input
 * is split and whatever buffer carries it.
 */
class Utf8ValidatorPropertiesTest {

    /** Byte sequences a sloppy validator tends to accept. */
    private static final int[][] NASTY = {
        {0xED, 0xA0, 0x80}, {0xED, 0xAD, 0xBF}, {0xED, 0xB0, 0x80}, {0xED, 0xBF, 0xBF}, // CESU-8 surrogates
        {0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80},
        {0xC0, 0x80}, {0xC0, 0xAF}, {0xC1, 0xBF}, {0xE0, 0x80, 0xAF}, {0xE0, 0x9F, 0xBF}, // overlongs
        {0xF0, 0x80, 0x80, 0xAF}, {0xF0, 0x8F, 0xBF, 0xBF},
        {0xF4, 0x90, 0x80, 0x80}, {0xF4, 0xBF, 0xBF, 0xBF}, {0xF5, 0x80, 0x80, 0x80}, {0xFF}, {0xFE}, // > U+10FFFF
        {0x80}, {0xBF}, {0x80, 0x80}, // lone continuations
        {0xE1}, {0xF1, 0x80}, {0xF4, 0x8F, 0xBF}, // truncated leads
        {0xF4, 0x8F, 0xBF, 0xBF}, {0xED, 0x9F, 0xBF}, {0xEE, 0x80, 0x80}, {0xE0, 0xA0, 0x80}, // valid edges
    };

    private enum Mutation { NONE, REPLACE, TRUNCATE, INSERT, INSERT_NASTY }

    @Property(tries = 400)
    void randomBytesAgreeWithJdk(@ForAll @Size(max = 64) byte[] input,
            @ForAll @Size(max = 6) List<@IntRange(max = 1000) Integer> cuts, @ForAll BufferShape shape) {
        checkAgainstOracles(input, cuts, shape);
    }

    @Property(tries = 1500)
    void adversarialInputsAgreeWithJdk(@ForAll("adversarial") byte[] input,
            @ForAll @Size(max = 6) List<@IntRange(max = 1000) Integer> cuts, @ForAll BufferShape shape) {
        checkAgainstOracles(input, cuts, shape);
    }

    /** Long ASCII runs between other code points, so the word-at-a-time skip meets every edge case. */
    @Property(tries = 400)
    void longAsciiRunsAgreeWithJdk(@ForAll("withAsciiRuns") byte[] input,
            @ForAll @Size(max = 6) List<@IntRange(max = 5000) Integer> cuts, @ForAll BufferShape shape) {
        checkAgainstOracles(input, cuts, shape);
    }

    /** Fed one byte at a time, the validator fails exactly at the first byte the RFC table rules out. */
    @Property(tries = 1000)
    void failsAtExactlyTheFirstOffendingByte(@ForAll("adversarial") byte[] input) {
        Utf8Reference.Verdict expected = Utf8Reference.scan(input);
        Utf8Validator v = new Utf8Validator();
        for (int i = 0; i < input.length; i++) {
            boolean ok = v.validate(input, i, 1);
            boolean failed = expected.firstBad() >= 0 && i >= expected.firstBad();
            assertEquals(!failed, ok, "byte " + i);
            if (!failed) {
                assertEquals(Utf8Reference.scan(input, i + 1).pending(), v.pendingBytes(), "pending after " + i);
            }
        }
    }

    private static void checkAgainstOracles(byte[] input, List<Integer> cutSeeds, BufferShape shape) {
        Utf8Reference.Verdict reference = Utf8Reference.scan(input);
        boolean jdk = jdkAccepts(input);
        assertEquals(jdk, reference.valid(), "the reference disagrees with the JDK, so the test is broken");

        TreeSet<Integer> cuts = new TreeSet<>();
        for (int seed : cutSeeds) {
            cuts.add(seed % (input.length + 1));
        }
        cuts.add(input.length);
        Utf8Validator v = new Utf8Validator();
        int from = 0;
        for (int to : cuts) {
            boolean ok = shape.feed(v, input, from, to);
            boolean failedByNow = reference.firstBad() >= 0 && reference.firstBad() < to;
            assertEquals(!failedByNow, ok, "chunk [" + from + ", " + to + ")");
            if (ok) {
                assertEquals(Utf8Reference.scan(input, to).pending(), v.pendingBytes(), "pending at " + to);
            }
            from = to;
        }
        assertEquals(jdk, v.isComplete(), "whole message");
    }

    private static boolean jdkAccepts(byte[] input) {
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            strict.decode(ByteBuffer.wrap(input));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Provide
    Arbitrary<byte[]> adversarial() {
        Arbitrary<byte[]> valid = codePoints().list().ofMaxSize(24).map(Utf8ValidatorPropertiesTest::encode);
        return Combinators.combine(valid, Arbitraries.of(Mutation.class), Arbitraries.integers().between(0, 1000),
                Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, NASTY.length - 1))
                .as(Utf8ValidatorPropertiesTest::mutate);
    }

    @Provide
    Arbitrary<byte[]> withAsciiRuns() {
        Arbitrary<String> run = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(70);
        Arbitrary<String> codePoint = codePoints().map(Character::toString);
        Arbitrary<byte[]> valid = Combinators.combine(run, codePoint).as(String::concat).list().ofMaxSize(20)
                .map(parts -> String.join("", parts).getBytes(StandardCharsets.UTF_8));
        return Combinators.combine(valid, Arbitraries.of(Mutation.class), Arbitraries.integers().between(0, 5000),
                Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, NASTY.length - 1))
                .as(Utf8ValidatorPropertiesTest::mutate);
    }

    /** Code points of every encoded length, surrogates excluded, ASCII often enough to make long runs. */
    private static Arbitrary<Integer> codePoints() {
        return Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.integers().between(0x00, 0x7F)),
                Tuple.of(2, Arbitraries.integers().between(0x80, 0x7FF)),
                Tuple.of(1, Arbitraries.integers().between(0x800, 0xD7FF)),
                Tuple.of(1, Arbitraries.integers().between(0xE000, 0xFFFF)),
                Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10FFFF)));
    }

    private static byte[] encode(List<Integer> codePoints) {
        StringBuilder text = new StringBuilder();
        codePoints.forEach(text::appendCodePoint);
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] mutate(byte[] valid, Mutation mutation, int where, int value, int nasty) {
        int at = where % (valid.length + 1);
        switch (mutation) {
            case REPLACE:
                if (valid.length == 0) {
                    return new byte[] {(byte) value};
                }
                byte[] replaced = valid.clone();
                replaced[where % valid.length] = (byte) value;
                return replaced;
            case TRUNCATE:
                return java.util.Arrays.copyOf(valid, at);
            case INSERT:
                return insert(valid, at, new int[] {value});
            case INSERT_NASTY:
                return insert(valid, at, NASTY[nasty]);
            default:
                return valid;
        }
    }

    private static byte[] insert(byte[] into, int at, int[] values) {
        byte[] out = new byte[into.length + values.length];
        System.arraycopy(into, 0, out, 0, at);
        for (int i = 0; i < values.length; i++) {
            out[at + i] = (byte) values[i];
        }
        System.arraycopy(into, at, out, at + values.length, into.length - at);
        return out;
    }
}
