package io.duplex.conformance;

import java.util.Random;

/** Message contents for the cases: deterministic, so a failing case repeats exactly. */
final class Payloads {

    private Payloads() {
    }

    /** Text with 1-, 2- and 3-byte code points, cut to exactly {@code bytes} bytes of UTF-8 on a code point boundary. */
    static String text(int bytes) {
        String unit = "Hello µ κόσμε ☃ ";
        StringBuilder sb = new StringBuilder(bytes);
        int length = 0;
        while (true) {
            for (int i = 0; i < unit.length(); i++) {
                char c = unit.charAt(i);
                int n = c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
                if (length + n > bytes) {
                    return sb.append("*".repeat(bytes - length)).toString();
                }
                sb.append(c);
                length += n;
            }
        }
    }

    /** {@code size} pseudo-random bytes, the same for the same size. */
    static byte[] random(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }
}
