package io.duplex.core.internal.extension.deflate;

import java.util.Arrays;

/**
 * An independent, deliberately simple DEFLATE decoder (RFC 1951 §3.2) for tests: it decodes stored, fixed
 * and dynamic blocks bit by bit, keeps the history of every message decoded so far (as a permessage-deflate
 * receiver with context takeover does) and records every back-reference distance, so tests can prove the
 * compressor never reaches beyond its window or into history it promised to forget. It shares no code or
 * tables with the compressor.
 */
final class DeflateChecker {

    private static final int[] LENGTH_BASE = {
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
        131, 163, 195, 227, 258};
    private static final int[] LENGTH_EXTRA = {
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
    private static final int[] DIST_BASE = {
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
        2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
    private static final int[] DIST_EXTRA = {
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
    private static final int[] ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

    /** What one message's stream decoded to. */
    record Message(byte[] output, int maxDistance, int maxReachIntoHistory, int references) {
    }

    private byte[] history = new byte[1024];
    private int size;
    int storedBlocks;
    int fixedBlocks;
    int dynamicBlocks;
    boolean finalBlockSeen;
    /** False once any Huffman code was incomplete (zlib's inflater rejects those). */
    boolean allCodesComplete = true;

    // bit reader over the current message
    private byte[] in;
    private int bytePos;
    private int bitBuf;
    private int bitCount;

    // per-message statistics
    private int messageStart;
    private int maxDistance;
    private int maxReach;
    private int references;

    /** Decodes a whole stream, with no earlier history. */
    static Message decodeStream(byte[] stream) {
        return new DeflateChecker().decodeMessage(stream);
    }

    /**
     * Decodes the blocks of one message (which must end on a block boundary, byte aligned, as a stream ending
     * in a sync flush does), keeping earlier messages' output as history.
     */
    Message decodeMessage(byte[] stream) {
        in = stream;
        bytePos = 0;
        bitBuf = 0;
        bitCount = 0;
        messageStart = size;
        maxDistance = 0;
        maxReach = Integer.MIN_VALUE;
        references = 0;
        while (bytePos < in.length) {
            if (finalBlockSeen) {
                throw new IllegalStateException("data after the final block");
            }
            decodeBlock();
        }
        return new Message(Arrays.copyOfRange(history, messageStart, size), maxDistance, maxReach, references);
    }

    byte[] allOutput() {
        return Arrays.copyOf(history, size);
    }

    private void decodeBlock() {
        finalBlockSeen = bits(1) == 1;
        int type = bits(2);
        switch (type) {
            case 0 -> stored();
            case 1 -> {
                fixedBlocks++;
                int[] lit = new int[288];
                for (int i = 0; i < 288; i++) {
                    lit[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
                }
                int[] dist = new int[30];
                Arrays.fill(dist, 5);
                // The fixed distance code is incomplete by design (codes 30 and 31 are never used).
                codes(new Code(lit, false), new Code(dist, false));
            }
            case 2 -> {
                dynamicBlocks++;
                dynamic();
            }
            default -> throw new IllegalStateException("reserved block type 3");
        }
    }

    private void stored() {
        storedBlocks++;
        bitBuf = 0;
        bitCount = 0; // skip to the byte boundary
        int len = byteAt(bytePos) | byteAt(bytePos + 1) << 8;
        int nlen = byteAt(bytePos + 2) | byteAt(bytePos + 3) << 8;
        if ((len ^ 0xFFFF) != nlen) {
            throw new IllegalStateException("stored block LEN/NLEN mismatch");
        }
        bytePos += 4;
        for (int i = 0; i < len; i++) {
            put((byte) byteAt(bytePos++));
        }
    }

    private void dynamic() {
        int hlit = bits(5) + 257;
        int hdist = bits(5) + 1;
        int hclen = bits(4) + 4;
        if (hlit > 286 || hdist > 30) {
            throw new IllegalStateException("too many codes");
        }
        int[] clLengths = new int[19];
        for (int i = 0; i < hclen; i++) {
            clLengths[ORDER[i]] = bits(3);
        }
        Code cl = new Code(clLengths, true);
        int[] lengths = new int[hlit + hdist];
        int i = 0;
        while (i < lengths.length) {
            int sym = cl.decode();
            if (sym < 16) {
                lengths[i++] = sym;
                continue;
            }
            int repeat;
            int value = 0;
            if (sym == 16) {
                if (i == 0) {
                    throw new IllegalStateException("repeat with no previous length");
                }
                value = lengths[i - 1];
                repeat = 3 + bits(2);
            } else if (sym == 17) {
                repeat = 3 + bits(3);
            } else {
                repeat = 11 + bits(7);
            }
            if (i + repeat > lengths.length) {
                throw new IllegalStateException("code length repeat overruns");
            }
            for (int k = 0; k < repeat; k++) {
                lengths[i++] = value;
            }
        }
        if (lengths[256] == 0) {
            throw new IllegalStateException("no end-of-block code");
        }
        codes(new Code(Arrays.copyOf(lengths, hlit), true),
                new Code(Arrays.copyOfRange(lengths, hlit, lengths.length), true));
    }

    private void codes(Code lit, Code dist) {
        for (;;) {
            int sym = lit.decode();
            if (sym < 256) {
                put((byte) sym);
            } else if (sym == 256) {
                return;
            } else {
                sym -= 257;
                if (sym >= 29) {
                    throw new IllegalStateException("invalid length symbol");
                }
                int length = LENGTH_BASE[sym] + bits(LENGTH_EXTRA[sym]);
                int dsym = dist.decode();
                if (dsym >= 30) {
                    throw new IllegalStateException("invalid distance symbol");
                }
                int distance = DIST_BASE[dsym] + bits(DIST_EXTRA[dsym]);
                if (distance > size) {
                    throw new IllegalStateException("distance " + distance + " before the start of the output");
                }
                references++;
                maxDistance = Math.max(maxDistance, distance);
                maxReach = Math.max(maxReach, distance - (size - messageStart));
                for (int k = 0; k < length; k++) {
                    put(history[size - distance]);
                }
            }
        }
    }

    private void put(byte b) {
        if (size == history.length) {
            history = Arrays.copyOf(history, size * 2);
        }
        history[size++] = b;
    }

    private int byteAt(int index) {
        if (index >= in.length) {
            throw new IllegalStateException("truncated stream");
        }
        return in[index] & 0xFF;
    }

    private int bits(int n) {
        while (bitCount < n) {
            bitBuf |= byteAt(bytePos++) << bitCount;
            bitCount += 8;
        }
        int value = bitBuf & ((1 << n) - 1);
        bitBuf >>>= n;
        bitCount -= n;
        return value;
    }

    /** A canonical Huffman code (§3.2.2) decoded one bit at a time, first bit = most significant code bit. */
    private final class Code {
        private final int[] countPerLength = new int[16];
        private final int[] firstCode = new int[16];
        private final int[] firstIndex = new int[16];
        private final int[] symbolsByCode;

        Code(int[] lengths, boolean mustBeComplete) {
            for (int length : lengths) {
                countPerLength[length]++;
            }
            countPerLength[0] = 0;
            long kraft = 0;
            for (int len = 1; len < 16; len++) {
                kraft += (long) countPerLength[len] << (15 - len);
            }
            if (kraft > 1L << 15) {
                throw new IllegalStateException("over-subscribed code");
            }
            if (mustBeComplete && kraft < 1L << 15) {
                allCodesComplete = false;
            }
            int code = 0;
            int index = 0;
            for (int len = 1; len < 16; len++) {
                code = (code + countPerLength[len - 1]) << 1;
                firstCode[len] = code;
                firstIndex[len] = index;
                index += countPerLength[len];
            }
            symbolsByCode = new int[index];
            int[] next = firstIndex.clone();
            for (int sym = 0; sym < lengths.length; sym++) {
                if (lengths[sym] != 0) {
                    symbolsByCode[next[lengths[sym]]++] = sym;
                }
            }
        }

        int decode() {
            int code = 0;
            for (int len = 1; len < 16; len++) {
                code = code << 1 | bits(1);
                int offset = code - firstCode[len];
                if (offset >= 0 && offset < countPerLength[len]) {
                    return symbolsByCode[firstIndex[len] + offset];
                }
            }
            throw new IllegalStateException("invalid Huffman code");
        }
    }
}
