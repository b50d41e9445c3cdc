package io.duplex.conformance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** The test's own computation of {@code Sec-WebSocket-Accept} (RFC 6455 §4.2.2 step 5.4). */
final class SecWebSocketAccept {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private SecWebSocketAccept() {
    }

    static String of(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-1", e);
        }
    }
}
