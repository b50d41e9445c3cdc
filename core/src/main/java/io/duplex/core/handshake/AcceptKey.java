package io.duplex.core.handshake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** The {@code Sec-WebSocket-Key} / {@code Sec-WebSocket-Accept} pair of RFC 6455 §4.2.2 and §1.3. */
public final class AcceptKey {

    private static final byte[] GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11".getBytes(StandardCharsets.US_ASCII);

    private AcceptKey() {
    }

    /** base64(SHA-1(key + GUID)): the accept value the server answers for {@code key}. */
    public static String accept(String key) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-1", e);
        }
        sha1.update(key.getBytes(StandardCharsets.ISO_8859_1));
        return Base64.getEncoder().encodeToString(sha1.digest(GUID));
    }

    /**
     * Whether {@code key} is the canonical base64 of exactly 16 bytes (RFC 6455 §4.1 item 7): 24 characters
     * ending in {@code ==}, and no stray bits in the last character (checked by re-encoding).
     */
    public static boolean isValidKey(String key) {
        if (key.length() != 24 || !key.endsWith("==")) {
            return false;
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(key);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return raw.length == 16 && Base64.getEncoder().encodeToString(raw).equals(key);
    }
}
