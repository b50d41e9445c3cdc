package io.duplex.core.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Test helpers: requests as text, buffers of several kinds, responses as text. */
public final class HandshakeBytes {

    /** The sample key of RFC 6455 §1.3 and the accept value the RFC gives for it. */
    static final String RFC_KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    static final String RFC_ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    static final String VALID = "GET /chat?room=1 HTTP/1.1\r\n"
            + "Host: server.example.com\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: " + RFC_KEY + "\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "\r\n";

    private HandshakeBytes() {
    }

    /** {@code VALID} with the header {@code name} removed. */
    static String without(String name) {
        return VALID.replaceFirst("(?m)^" + name + ":[^\r]*\r\n", "");
    }

    /** {@code VALID} with the header {@code name}'s line replaced by {@code line} (no CRLF). */
    static String replace(String name, String line) {
        return VALID.replaceFirst("(?m)^" + name + ":[^\r]*\r\n", line + "\r\n");
    }

    /** {@code VALID} with extra header lines (each without CRLF) before the empty line. */
    static String with(String... lines) {
        StringBuilder sb = new StringBuilder(VALID.substring(0, VALID.length() - 2));
        for (String l : lines) {
            sb.append(l).append("\r\n");
        }
        return sb.append("\r\n").toString();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    public static ByteBuffer heap(String s) {
        return ByteBuffer.wrap(bytes(s));
    }

    /** A direct buffer holding {@code s}. */
    static ByteBuffer direct(byte[] b) {
        ByteBuffer d = ByteBuffer.allocateDirect(b.length);
        d.put(b).flip();
        return d;
    }

    /** A heap buffer holding {@code b} at a non-zero array offset and non-zero position. */
    static ByteBuffer offset(byte[] b) {
        ByteBuffer big = ByteBuffer.allocate(b.length + 20);
        big.position(7);
        ByteBuffer slice = big.slice();
        slice.position(5);
        slice.put(b).flip().position(5);
        return slice;
    }

    public static String text(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return new String(out, StandardCharsets.ISO_8859_1);
    }
}
