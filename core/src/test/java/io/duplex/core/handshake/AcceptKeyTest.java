package io.duplex.core.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** RFC 6455 §1.3 and §4.2.2 item 5.4: the accept value; §4.1 item 7: the key is base64 of 16 bytes. */
class AcceptKeyTest {

    @Test
    void rfcSamplePair() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", AcceptKey.accept("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test
    void sampleKeyIsBase64OfTheSampleNonce() {
        // the RFC's sample key encodes the 16 ASCII bytes "the sample nonce"
        assertEquals("the sample nonce", new String(java.util.Base64.getDecoder().decode("dGhlIHNhbXBsZSBub25jZQ==")));
        assertTrue(AcceptKey.isValidKey("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test
    void keyShape() {
        assertFalse(AcceptKey.isValidKey(""));
        assertFalse(AcceptKey.isValidKey("dGhlIHNhbXBsZSBub25jZQ="));
        assertFalse(AcceptKey.isValidKey("dGhlIHNhbXBsZSBub25jZR=="));
        assertFalse(AcceptKey.isValidKey("dGhlIHNhbXBsZSBub25j\u00e9Q=="));
        assertFalse(AcceptKey.isValidKey("dGhlIHNhbXBsZSBub25jZ=Q="));
        assertTrue(AcceptKey.isValidKey("AAAAAAAAAAAAAAAAAAAAAA=="));
    }

    /** Base64's own decoder and encoder are the oracle: a key is valid iff it decodes to 16 bytes and re-encodes to itself. */
    @Property(tries = 2000)
    void agreesWithDecodeAndReencode(@ForAll("keyLike") String key) {
        boolean expected;
        try {
            byte[] raw = Base64.getDecoder().decode(key);
            expected = raw.length == 16 && Base64.getEncoder().encodeToString(raw).equals(key);
        } catch (IllegalArgumentException e) {
            expected = false;
        }
        assertEquals(expected, AcceptKey.isValidKey(key), key);
    }

    @Property(tries = 500)
    void everySixteenByteNonceEncodesToAValidKey(@ForAll byte[] nonce) {
        byte[] sixteen = java.util.Arrays.copyOf(nonce, 16);
        assertTrue(AcceptKey.isValidKey(Base64.getEncoder().encodeToString(sixteen)));
    }

    /** Mostly 24 chars from the base64 alphabet, '=' and a few others, so every branch is reached. */
    @Provide
    Arbitrary<String> keyLike() {
        Arbitrary<Character> chars = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(20, Arbitraries.chars().with("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")),
                net.jqwik.api.Tuple.of(3, Arbitraries.just('=')),
                net.jqwik.api.Tuple.of(1, Arbitraries.chars().with("-_ .\u00e9")));
        Arbitrary<String> canonicalTail = Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
                .ofLength(21).flatMap(head -> Arbitraries.of('A', 'Q', 'g', 'w', 'B', 'R', 'h', 'x').map(c -> head + c + "=="));
        return Arbitraries.oneOf(canonicalTail,
                chars.list().ofMinSize(22).ofMaxSize(25).map(l -> l.stream().map(String::valueOf).reduce("", String::concat)));
    }
}
