package io.duplex.core.internal.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.core.BufferProvider;
import io.duplex.core.MaskKeySource;
import io.duplex.core.Transport;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Text frames (RFC 6455 §5.6: text payloads are UTF-8) as {@link FrameWriter} writes them, for text short
 * enough to be encoded in one pass and longer, masked (§5.3) and not, checked against the JDK's strict UTF-8
 * encoder: the same bytes, or, for text with an unpaired surrogate, a refusal with nothing written.
 */
class FrameWriterTextProperties {

    /** Everything written, header and payload, in order. */
    private static final class Wire implements Transport {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void write(ByteBuffer header, ByteBuffer payload, CompletableFuture<Void> done) {
            for (ByteBuffer b : new ByteBuffer[] {header, payload}) {
                byte[] a = new byte[b.remaining()];
                b.get(a);
                bytes.writeBytes(a);
            }
        }

        @Override
        public void closeTransport() {
        }
    }

    @Property(tries = 300)
    void textFramesCarryTheStrictUtf8Encoding(@ForAll("texts") String text, @ForAll boolean mask,
            @ForAll boolean pooled) {
        Wire wire = new Wire();
        // Pooled chunks are larger than asked; allocated ones exactly the size asked for: both must do.
        FrameWriter writer = new FrameWriter(wire, mask ? MaskKeySource.secure() : null,
                pooled ? BufferProvider.pooled() : BufferProvider.allocating(), 0);
        byte[] expected;
        try {
            expected = strictUtf8(text);
        } catch (CharacterCodingException e) {
            assertThrows(IllegalArgumentException.class, () -> writer.writeText(1, true, text, 0, text.length(), null));
            assertEquals(0, wire.bytes.size(), "nothing written for text that cannot be encoded");
            return;
        }
        writer.writeText(1, true, text, 0, text.length(), null);
        assertArrayEquals(expected, payloadOfOneFrame(wire.bytes.toByteArray(), mask));
    }

    @Example
    void surrogatesInEveryWrongOrderAreRefused() {
        for (String bad : new String[] {"\uDD1E", "\uD834", "\uDD1E\uDD1E", "\uDD1E\uD834", "\uD834\uD834",
                "a\uD834", "\uDD1Ea", "x\uD834\uDD1E\uDD1E"}) {
            for (boolean mask : new boolean[] {false, true}) {
                textFramesCarryTheStrictUtf8Encoding(bad, mask, false);
                textFramesCarryTheStrictUtf8Encoding(bad, mask, true);
                assertThrows(CharacterCodingException.class, () -> strictUtf8(bad), "the oracle refuses it too");
            }
        }
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<Character> chars = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.chars().range('\u0000', '\u007f')),
                Tuple.of(2, Arbitraries.chars().range('\u0080', '\u07ff')),
                Tuple.of(2, Arbitraries.chars().range('\u0800', '\uffff')), // includes lone surrogates
                Tuple.of(2, Arbitraries.of("\uD834\uDD1E".charAt(0))));
        // Lone halves too, so reversed and doubled surrogates (low then low, low then high) come up often.
        Arbitrary<String> pairs = Arbitraries.of("\uD834\uDD1E", "\uD83D\uDE00", "€", "a", "\uDD1E", "\uD834");
        Arbitrary<String> mostlyValid = pairs.list().ofMaxSize(40).map(l -> String.join("", l));
        // Sizes around the one-pass limit, where the writer changes strategy.
        Arbitrary<String> aroundLimit = Arbitraries.integers()
                .between(FrameWriter.ONE_PASS_CHARS - 3, FrameWriter.ONE_PASS_CHARS + 3)
                .flatMap(n -> Arbitraries.of("a", "é", "€", "\uD834\uDD1E").map(s -> s.repeat(n / s.length() + 1).substring(0, n)));
        return Arbitraries.oneOf(chars.list().ofMaxSize(200).map(l -> {
            StringBuilder b = new StringBuilder();
            l.forEach(b::append);
            return b.toString();
        }), mostlyValid, aroundLimit);
    }

    private static byte[] strictUtf8(String text) throws CharacterCodingException {
        CharsetEncoder enc = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer b = enc.encode(CharBuffer.wrap(text));
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    /** Parses one FIN text frame by hand (RFC 6455 §5.2) and returns its unmasked payload. */
    private static byte[] payloadOfOneFrame(byte[] w, boolean masked) {
        assertEquals(0x81, w[0] & 0xFF, "FIN + text opcode");
        assertEquals(masked, (w[1] & 0x80) != 0);
        int len7 = w[1] & 0x7F;
        int p = 2;
        long len = len7;
        if (len7 == 126) {
            len = (w[2] & 0xFF) << 8 | (w[3] & 0xFF);
            p = 4;
        } else if (len7 == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) {
                len = len << 8 | (w[2 + i] & 0xFF);
            }
            p = 10;
        }
        byte[] key = new byte[4];
        if (masked) {
            System.arraycopy(w, p, key, 0, 4);
            p += 4;
        }
        assertTrue(len == w.length - p, "exactly one frame written");
        byte[] payload = new byte[(int) len];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (w[p + i] ^ key[i & 3]);
        }
        return payload;
    }
}
