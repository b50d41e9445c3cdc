package io.duplex.core.engine;

import java.io.ByteArrayOutputStream;

/**
 * A hand-built DEFLATE stream (RFC 1951 §3.2.7) of the highest ratio the format allows: one dynamic block whose
 * literal/length code gives length 258 a 1-bit code and whose distance code gives distance 1 a 1-bit code,
 * both the bit 0. After a short header and one literal zero, every all-zero byte of input expands to 4 × 258
 * zero bytes, so a payload of about 1 MB inflates past 1 GB, and the test can produce it lazily as zeros.
 */
final class DeflateBomb {

    private DeflateBomb() {
    }

    /** The block header and the first literal; append any number of 0x00 bytes. */
    static byte[] header() {
        Bits b = new Bits();
        b.write(0, 1); // BFINAL 0
        b.write(2, 2); // BTYPE 10: dynamic Huffman codes
        b.write(29, 5); // HLIT: 286 literal/length codes
        b.write(1, 5); // HDIST: 2 distance codes
        b.write(14, 4); // HCLEN: 18 code length codes
        // Code length code lengths in the order 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1: 18 -> 1, 2 -> 2, 1 -> 2.
        int[] order = {0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2};
        for (int len : order) {
            b.write(len, 3);
        }
        // Canonical codes: 18 = 0, 1 = 10, 2 = 11. Lengths: lit 0 -> 2, 1..255 -> 0, 256 -> 2, 257..284 -> 0,
        // 285 -> 1, then distances 0 -> 1, 1 -> 1.
        b.huffman(0b11, 2);
        b.huffman(0, 1);
        b.write(138 - 11, 7);
        b.huffman(0, 1);
        b.write(117 - 11, 7);
        b.huffman(0b11, 2);
        b.huffman(0, 1);
        b.write(28 - 11, 7);
        b.huffman(0b10, 2);
        b.huffman(0b10, 2);
        b.huffman(0b10, 2);
        // Literal/length codes: 285 = 0, 0 = 10, 256 = 11; distance codes 0 = 0, 1 = 1. One literal zero first.
        b.huffman(0b10, 2);
        return b.bytes();
    }

    /** An LSB-first bit writer (RFC 1951 §3.1.1). */
    private static final class Bits {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int acc;
        private int count;

        void write(int value, int n) {
            for (int i = 0; i < n; i++) {
                bit((value >>> i) & 1);
            }
        }

        /** Huffman codes go most significant bit first. */
        void huffman(int code, int n) {
            for (int i = n - 1; i >= 0; i--) {
                bit((code >>> i) & 1);
            }
        }

        private void bit(int bit) {
            acc |= bit << count;
            if (++count == 8) {
                out.write(acc);
                acc = 0;
                count = 0;
            }
        }

        /** The bits so far; a partial last byte is padded with zeros, which the stream's own zeros continue. */
        byte[] bytes() {
            if (count > 0) {
                out.write(acc);
                acc = 0;
                count = 0;
            }
            return out.toByteArray();
        }
    }
}
