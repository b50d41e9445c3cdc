package io.duplex.core.internal.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
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
        assertTrue(isValidKey("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test
    void keyShape() {
        assertFalse(isValidKey(""));
        assertFalse(isValidKey("dGhlIHNhbXBsZSBub25jZQ="));
        assertFalse(isValidKey("dGhlIHNhbXBsZSBub25jZR=="));
        assertFalse(isValidKey("dGhlIHNhbXBsZSBub25j\u00e9Q=="));
        assertFalse(isValidKey("dGhlIHNhbXBsZSBub25jZ=Q="));
        assertTrue(isValidKey("AAAAAAAAAAAAAAAAAAAAAA=="));
    }

    /** Base64's own decoder and encoder are the oracle: a key is valid iff it decodes to 16 bytes and re-encodes to itself. */
    @Property(tries = 2000)
    void agreesWithDecodeAndReencode(@ForAll("keyLike") String key) {
        assertEquals(oracleValid(key), isValidKey(key), key);
    }

    private static boolean oracleValid(String key) {
        try {
            byte[] raw = Base64.getDecoder().decode(key);
            return raw.length == 16 && Base64.getEncoder().encodeToString(raw).equals(key);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The key as a server reads it: its ISO-8859-1 bytes, checked in place. */
    private static boolean isValidKey(String key) {
        byte[] b = key.getBytes(StandardCharsets.ISO_8859_1);
        return AcceptKey.isValidKey(b, 0, b.length);
    }

    @Property(tries = 500)
    void everySixteenByteNonceEncodesToAValidKey(@ForAll byte[] nonce) {
        byte[] sixteen = java.util.Arrays.copyOf(nonce, 16);
        assertTrue(isValidKey(Base64.getEncoder().encodeToString(sixteen)));
    }

    /**
     * RFC 6455 §4.2.2 item 5.4 with the JDK as the oracle: base64 (RFC 4648 §4) of SHA-1 over the key and
     * the GUID, written in place at any offset of any array, and nothing around it touched.
     */
    @Property(tries = 300)
    void acceptWrittenInPlaceMatchesBase64OfSha1(@ForAll byte[] nonce, @ForAll @IntRange(max = 40) int keyAt,
            @ForAll @IntRange(max = 40) int outAt, @ForAll byte junk) throws Exception {
        String key = Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(nonce, 16));
        byte[] in = new byte[keyAt + key.length() + 7];
        java.util.Arrays.fill(in, junk);
        System.arraycopy(key.getBytes(StandardCharsets.US_ASCII), 0, in, keyAt, key.length());
        byte[] out = new byte[outAt + AcceptKey.LENGTH + 5];
        java.util.Arrays.fill(out, junk);

        AcceptKey.accept(in, keyAt, keyAt + key.length(), out, outAt);

        String expected = oracle(key);
        assertEquals(expected, new String(out, outAt, AcceptKey.LENGTH, StandardCharsets.US_ASCII));
        assertEquals(expected, AcceptKey.accept(key));
        for (int i = 0; i < out.length; i++) {
            if (i < outAt || i >= outAt + AcceptKey.LENGTH) {
                assertEquals(junk, out[i], "byte " + i + " outside the value changed");
            }
        }
    }

    /** Any ASCII string, valid key or not, hashes as its bytes: the String and array forms agree with the oracle. */
    @Property(tries = 300)
    void acceptOfAnyAsciiKeyMatchesTheOracle(@ForAll @net.jqwik.api.constraints.CharRange(from = ' ', to = '~')
            @net.jqwik.api.constraints.StringLength(max = 60) String key) throws Exception {
        byte[] in = key.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[AcceptKey.LENGTH];
        AcceptKey.accept(in, 0, in.length, out, 0);
        assertEquals(oracle(key), new String(out, StandardCharsets.US_ASCII));
        assertEquals(oracle(key), AcceptKey.accept(key));
    }

    /** {@link AcceptKey#isValidKey(byte[], int, int)} at any offset agrees with Base64's decoder and encoder. */
    @Property(tries = 1000)
    void keyValidityInPlaceAgreesWithBase64AtAnyOffset(@ForAll("keyLike") String key, @ForAll @IntRange(max = 9) int at) {
        byte[] b = new byte[at + key.length() + 3];
        byte[] latin1 = key.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(latin1, 0, b, at, latin1.length);
        assertEquals(oracleValid(key), AcceptKey.isValidKey(b, at, at + latin1.length), key);
    }

    private static String oracle(String key) throws Exception {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        byte[] digest = sha1.digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
        return Base64.getEncoder().encodeToString(digest);
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
