package io.duplex.conformance;

import java.util.Arrays;

/**
 * A deliberately plain DEFLATE decoder (RFC 1951 §3.2), written for the test and sharing nothing with the
 * codecs under test or zlib: it decodes a receiver's messages one after another, keeping their output as the
 * history later back-references may reach into (context takeover, RFC 7692 §7.1.1), and measures how far back
 * each message reaches, so a case can prove the sender kept to the window and the context rules it agreed to.
 */
final class DeflateHistory {

    private static final int[] LENGTH_BASE = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43,
        51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
    private static final int[] DIST_BASE = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385,
        513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
    private static final int[] CODE_LENGTH_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1,
        15};

    /**
     * What one message decoded to.
     *
     * @param output the message's bytes
     * @param maxDistance the farthest back-reference, 0 when none
     * @param maxReachIntoHistory how far the farthest reference reached before the message's first byte (0: none did)
     */
    record Message(byte[] output, int maxDistance, int maxReachIntoHistory) {
    }

    private byte[] out = new byte[1 << 16];
    private int size;
    private byte[] in;
    private int pos;
    private int bitBuf;
    private int bitCount;

    /** Decodes one message's blocks: its payload with the {@code 00 00 FF FF} tail re-appended (RFC 7692 §7.2.2). */
    Message decode(byte[] stream) {
        in = stream;
        pos = 0;
        bitBuf = 0;
        bitCount = 0;
        int start = size;
        int[] reach = new int[2];
        boolean last = false;
        while (!last && pos < in.length) {
            last = bits(1) == 1;
            switch (bits(2)) {
                case 0 -> stored();
                case 1 -> huffman(fixedLiterals(), fixedDistances(), start, reach);
                case 2 -> dynamic(start, reach);
                default -> throw new AssertionError("DEFLATE block type 3 is reserved");
            }
        }
        return new Message(Arrays.copyOfRange(out, start, size), reach[0], reach[1]);
    }

    private void stored() {
        bitBuf = 0;
        bitCount = 0;
        int len = byteAt(pos) | byteAt(pos + 1) << 8;
        if ((len ^ 0xFFFF) != (byteAt(pos + 2) | byteAt(pos + 3) << 8)) {
            throw new AssertionError("stored block LEN and NLEN disagree");
        }
        pos += 4;
        for (int i = 0; i < len; i++) {
            put((byte) byteAt(pos++));
        }
    }

    private void dynamic(int start, int[] reach) {
        int literals = bits(5) + 257;
        int distances = bits(5) + 1;
        int[] codeLengthLengths = new int[19];
        for (int i = 0, n = bits(4) + 4; i < n; i++) {
            codeLengthLengths[CODE_LENGTH_ORDER[i]] = bits(3);
        }
        Huffman codeLengths = new Huffman(codeLengthLengths);
        int[] lengths = new int[literals + distances];
        for (int i = 0; i < lengths.length; ) {
            int sym = codeLengths.decode(this);
            if (sym < 16) {
                lengths[i++] = sym;
                continue;
            }
            int value = sym == 16 ? lengths[i - 1] : 0;
            int repeat = sym == 16 ? 3 + bits(2) : sym == 17 ? 3 + bits(3) : 11 + bits(7);
            Arrays.fill(lengths, i, i + repeat, value);
            i += repeat;
        }
        huffman(new Huffman(Arrays.copyOf(lengths, literals)),
                new Huffman(Arrays.copyOfRange(lengths, literals, lengths.length)), start, reach);
    }

    private void huffman(Huffman literals, Huffman distances, int start, int[] reach) {
        for (int sym = literals.decode(this); sym != 256; sym = literals.decode(this)) {
            if (sym < 256) {
                put((byte) sym);
                continue;
            }
            int l = sym - 257;
            int length = LENGTH_BASE[l] + (l >= 8 && l < 28 ? bits((l - 4) / 4) : 0);
            int d = distances.decode(this);
            int distance = DIST_BASE[d] + (d >= 4 ? bits((d - 2) / 2) : 0);
            if (distance > size) {
                throw new AssertionError("back-reference of " + distance + " before all history (" + size + " bytes)");
            }
            reach[0] = Math.max(reach[0], distance);
            reach[1] = Math.max(reach[1], distance - (size - start));
            for (int k = 0; k < length; k++) {
                put(out[size - distance]);
            }
        }
    }

    private static Huffman fixedLiterals() {
        int[] lengths = new int[288];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
        }
        return new Huffman(lengths);
    }

    private static Huffman fixedDistances() {
        int[] lengths = new int[30];
        Arrays.fill(lengths, 5);
        return new Huffman(lengths);
    }

    private void put(byte b) {
        if (size == out.length) {
            out = Arrays.copyOf(out, size * 2);
        }
        out[size++] = b;
    }

    private int byteAt(int i) {
        if (i >= in.length) {
            throw new AssertionError("DEFLATE data ends inside a block");
        }
        return in[i] & 0xFF;
    }

    int bits(int n) {
        while (bitCount < n) {
            bitBuf |= byteAt(pos++) << bitCount;
            bitCount += 8;
        }
        int v = bitBuf & ((1 << n) - 1);
        bitBuf >>>= n;
        bitCount -= n;
        return v;
    }

    /** A canonical Huffman code (RFC 1951 §3.2.2), decoded a bit at a time, most significant code bit first. */
    private static final class Huffman {
        private final int[] count = new int[16];
        private final int[] symbols;

        Huffman(int[] lengths) {
            for (int len : lengths) {
                count[len]++;
            }
            count[0] = 0;
            int[] offset = new int[16];
            for (int len = 1; len < 16; len++) {
                offset[len] = offset[len - 1] + count[len - 1];
            }
            symbols = new int[lengths.length];
            for (int sym = 0; sym < lengths.length; sym++) {
                if (lengths[sym] != 0) {
                    symbols[offset[lengths[sym]]++] = sym;
                }
            }
        }

        int decode(DeflateHistory reader) {
            int code = 0;
            int first = 0;
            int index = 0;
            for (int len = 1; len < 16; len++) {
                code |= reader.bits(1);
                if (code - first < count[len]) {
                    return symbols[index + code - first];
                }
                index += count[len];
                first = (first + count[len]) << 1;
                code <<= 1;
            }
            throw new AssertionError("no Huffman code matches");
        }
    }
}
