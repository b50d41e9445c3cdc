package io.duplex.core.internal.handshake;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The {@code Sec-WebSocket-Key} / {@code Sec-WebSocket-Accept} pair of RFC 6455 §4.2.2 and §1.3. */
public final class AcceptKey {

    private static final byte[] GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11".getBytes(StandardCharsets.US_ASCII);

    private AcceptKey() {
    }

    /**
     * A digest for one call: kept nowhere, so no thread holds one between handshakes. The provider lookup
     * and the fresh engine are a small part of a handshake's cost.
     */
    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-1", e);
        }
    }

    /** The length of an accept value: base64 of the 20 bytes of a SHA-1 digest. */
    public static final int LENGTH = 28;

    /** The base64 alphabet (RFC 4648 §4), indexed by 6-bit value. */
    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);

    /** base64(SHA-1(key + GUID)): the accept value the server answers for {@code key}. */
    public static String accept(String key) {
        MessageDigest sha1 = sha1();
        // The key is ASCII (base64); feed its chars as bytes rather than copy it into an array first.
        for (int i = 0; i < key.length(); i++) {
            sha1.update((byte) key.charAt(i));
        }
        byte[] out = new byte[LENGTH];
        digestAndEncode(sha1, out, 0);
        return new String(out, StandardCharsets.US_ASCII);
    }

    /**
     * Writes the accept value for the key {@code key[from, to)} as {@link #LENGTH} ASCII bytes to
     * {@code out[at]}, allocating nothing: a server answers every connection with one.
     */
    public static void accept(byte[] key, int from, int to, byte[] out, int at) {
        MessageDigest sha1 = sha1();
        sha1.update(key, from, to - from);
        digestAndEncode(sha1, out, at);
    }

    /**
     * Finishes {@code sha1} over the GUID and writes base64 of the digest to {@code out[at, at + 28)}. The
     * digest lands in the last 20 of those bytes and is encoded forward in place: each 3-byte group is read
     * before its 4 characters are written, and the characters never catch up with the unread bytes.
     */
    private static void digestAndEncode(MessageDigest sha1, byte[] out, int at) {
        sha1.update(GUID);
        int digestAt = at + LENGTH - 20;
        try {
            sha1.digest(out, digestAt, 20);
        } catch (DigestException e) {
            throw new IllegalStateException("a SHA-1 digest is 20 bytes", e);
        }
        int w = at;
        for (int r = digestAt; r < digestAt + 18; r += 3) {
            int group = (out[r] & 0xFF) << 16 | (out[r + 1] & 0xFF) << 8 | out[r + 2] & 0xFF;
            out[w++] = ALPHABET[group >>> 18];
            out[w++] = ALPHABET[group >>> 12 & 0x3F];
            out[w++] = ALPHABET[group >>> 6 & 0x3F];
            out[w++] = ALPHABET[group & 0x3F];
        }
        // 20 = 6 * 3 + 2: the last two bytes make three characters and one pad.
        int last = (out[digestAt + 18] & 0xFF) << 8 | out[digestAt + 19] & 0xFF;
        out[w++] = ALPHABET[last >>> 10];
        out[w++] = ALPHABET[last >>> 4 & 0x3F];
        out[w++] = ALPHABET[last << 2 & 0x3F];
        out[w] = '=';
    }

    /**
     * Whether the ISO-8859-1 bytes {@code b[from, to)} are the canonical base64 of exactly 16 bytes (RFC 6455
     * §4.1 item 7), allocating nothing: 24 characters, 22 from the base64 alphabet and then {@code ==}. 16
     * bytes fill 128 of the 132 bits that 22 characters carry, so the last of them must leave its low 4 bits
     * zero (only {@code A}, {@code Q}, {@code g} and {@code w} do), or the key is not canonical.
     */
    public static boolean isValidKey(byte[] b, int from, int to) {
        if (to - from != 24 || b[from + 22] != '=' || b[from + 23] != '=') {
            return false;
        }
        for (int i = 0; i < 22; i++) {
            int v = base64Value(b[from + i] & 0xFF);
            if (v < 0 || i == 21 && (v & 0xF) != 0) {
                return false;
            }
        }
        return true;
    }

    /** The 6-bit value of a base64 character (RFC 4648 §4), or -1. */
    private static int base64Value(int c) {
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
