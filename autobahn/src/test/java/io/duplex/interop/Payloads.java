package io.duplex.interop;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The messages every interop scenario exchanges, defined so that each peer program (Python, Node, the browser
 * page) can build the same bytes from a size alone and check what it received without being told the content.
 *
 * <p>Text of {@code n} UTF-8 bytes repeats the 10-byte unit {@code "aé€😀"} (one character of each UTF-8
 * length, the last a 4-byte one, a surrogate pair in Java and JavaScript) and pads the remainder with
 * {@code 'x'}. Binary of {@code n} bytes has byte {@code i} equal to {@code i % 251}, a prime period so no
 * power-of-two frame boundary lines up with it.
 */
final class Payloads {

    /** Message sizes in bytes: the frame length encodings' edges (RFC 6455 §5.2) and a 16 MiB message. */
    static final List<Integer> SIZES = List.of(0, 1, 125, 126, 65_535, 65_536, 16 << 20);

    private static final String UNIT = "aé€😀";
    private static final int UNIT_BYTES = 10;

    private Payloads() {
    }

    /** Text whose UTF-8 encoding is exactly {@code bytes} long. */
    static String text(int bytes) {
        StringBuilder sb = new StringBuilder(bytes);
        sb.append(UNIT.repeat(bytes / UNIT_BYTES));
        sb.append("x".repeat(bytes % UNIT_BYTES));
        return sb.toString();
    }

    /** Binary data of {@code bytes} bytes. */
    static byte[] binary(int bytes) {
        byte[] data = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            data[i] = (byte) (i % 251);
        }
        return data;
    }

    /** Whether {@code text} is {@link #text(int)} of its own UTF-8 length. */
    static boolean isText(String text) {
        return text.equals(text(utf8Length(text)));
    }

    /** Whether the remaining bytes of {@code data} are {@link #binary(int)} of their own length. */
    static boolean isBinary(ByteBuffer data) {
        for (int i = 0, p = data.position(); p < data.limit(); i++, p++) {
            if (data.get(p) != (byte) (i % 251)) {
                return false;
            }
        }
        return true;
    }

    static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
