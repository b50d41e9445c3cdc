package io.duplex.core.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
