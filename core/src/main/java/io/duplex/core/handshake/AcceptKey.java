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

    /**
     * One digest per thread: {@code MessageDigest.getInstance} looks the algorithm up in the providers and
     * allocates a fresh engine, which per handshake cost more than the hash itself. A digest is always reset
     * by {@code digest()}, so reuse is safe.
     */
    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-1", e);
        }
    });

    /** base64(SHA-1(key + GUID)): the accept value the server answers for {@code key}. */
    public static String accept(String key) {
        MessageDigest sha1 = SHA1.get();
        // The key is ASCII (base64); feed its chars as bytes rather than copy it into an array first.
        for (int i = 0; i < key.length(); i++) {
            sha1.update((byte) key.charAt(i));
        }
        return Base64.getEncoder().encodeToString(sha1.digest(GUID));
    }

    /**
     * Whether {@code key} is the canonical base64 of exactly 16 bytes (RFC 6455 §4.1 item 7): 24 characters,
     * 22 from the base64 alphabet and then {@code ==}. 16 bytes fill 128 of the 132 bits that 22 characters
     * carry, so the last of them must leave its low 4 bits zero (only {@code A}, {@code Q}, {@code g} and
     * {@code w} do), or the key is not canonical.
     */
    public static boolean isValidKey(String key) {
        if (key.length() != 24 || key.charAt(22) != '=' || key.charAt(23) != '=') {
            return false;
        }
        for (int i = 0; i < 22; i++) {
            int v = base64Value(key.charAt(i));
            if (v < 0 || i == 21 && (v & 0xF) != 0) {
                return false;
            }
        }
        return true;
    }

    /** The 6-bit value of a base64 character (RFC 4648 §4), or -1. */
    private static int base64Value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '+' ? 62 : c == '/' ? 63 : -1;
    }
}
