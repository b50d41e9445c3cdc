package io.duplex.core.internal.extension.deflate;

import static io.duplex.core.internal.extension.deflate.DeflateAlphabet.CODE_LENGTH_ORDER;
import static io.duplex.core.internal.extension.deflate.DeflateAlphabet.CODE_LENGTH_SYMBOLS;
import static io.duplex.core.internal.extension.deflate.DeflateAlphabet.DISTANCE_BASE;
import static io.duplex.core.internal.extension.deflate.DeflateAlphabet.DISTANCE_EXTRA;
import static io.duplex.core.internal.extension.deflate.DeflateAlphabet.DISTANCE_SYMBOLS;
import static io.duplex.core.internal.extension.deflate.DeflateAlphabet.END_OF_BLOCK;
import static io.duplex.core.internal.extension.deflate.DeflateAlphabet.FIRST_LENGTH_SYMBOL;
import static io.duplex.core.internal.extension.deflate.DeflateAlphabet.LENGTH_EXTRA;
import static io.duplex.core.internal.extension.deflate.DeflateAlphabet.LENGTH_BASE;
import static io.duplex.core.internal.extension.deflate.DeflateAlphabet.LITERAL_LENGTH_SYMBOLS;
import static io.duplex.core.internal.extension.deflate.DeflateAlphabet.MAX_STORED;
import static io.duplex.core.internal.extension.deflate.DeflateAlphabet.MIN_MATCH;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Writes one block of symbols as whichever of the three block types of RFC 1951 §3.2.3 is smallest:
 * stored (§3.2.4, so incompressible data grows by only 5 bytes per 64 KiB), fixed Huffman (§3.2.6) or
 * dynamic Huffman (§3.2.7). BFINAL is never set: a permessage-deflate stream never ends.
 */
final class BlockWriter {

    private static final int STORED = 0;
    private static final int FIXED = 1;
    private static final int DYNAMIC = 2;
    private static final int REPEAT_PREVIOUS = 16;
    private static final int REPEAT_ZERO_SHORT = 17;
    private static final int REPEAT_ZERO_LONG = 18;

    private static final HuffmanCode FIXED_LITERAL_LENGTH =
            HuffmanCode.ofLengths(DeflateAlphabet.fixedLiteralLengths(), 9);
    private static final HuffmanCode FIXED_DISTANCE =
            HuffmanCode.ofLengths(DeflateAlphabet.fixedDistanceLengths(), 5);

    private final BitWriter out = new BitWriter();
    private final HuffmanCode literalLength =
            new HuffmanCode(LITERAL_LENGTH_SYMBOLS, DeflateAlphabet.MAX_CODE_BITS);
    private final HuffmanCode distance = new HuffmanCode(DISTANCE_SYMBOLS, DeflateAlphabet.MAX_CODE_BITS);
    private final HuffmanCode codeLength =
            new HuffmanCode(CODE_LENGTH_SYMBOLS, DeflateAlphabet.MAX_CODE_LENGTH_BITS);
    private final byte[] allLengths = new byte[LITERAL_LENGTH_SYMBOLS + DISTANCE_SYMBOLS];
    /** Run-length coded code lengths (§3.2.7): symbol | extra bits value << 8. */
    private final int[] lengthTokens = new int[LITERAL_LENGTH_SYMBOLS + DISTANCE_SYMBOLS];
    private final int[] codeLengthFrequency = new int[CODE_LENGTH_SYMBOLS];
    private int tokenCount;

    long retainedBytes() {
        return out.retainedBytes() + literalLength.retainedBytes() + distance.retainedBytes()
                + codeLength.retainedBytes() + allLengths.length + 4L * lengthTokens.length;
    }

    void begin(Sink sink) {
        out.begin(sink);
    }

    /**
     * Writes the buffered symbols as one block; {@code raw} holds the bytes they stand for from absolute
     * index {@code rawIndex}, for the stored fallback. The buffer is cleared afterwards.
     */
    void writeBlock(SymbolBuffer block, ByteBuffer raw, int rawIndex) {
        int[] litFreq = block.literalLengthFrequency;
        int[] distFreq = block.distanceFrequency;
        litFreq[END_OF_BLOCK] = 1;
        literalLength.build(litFreq, LITERAL_LENGTH_SYMBOLS);
        distance.build(distFreq, DISTANCE_SYMBOLS);
        int hlit = trimmedCount(literalLength.lengths, LITERAL_LENGTH_SYMBOLS, FIRST_LENGTH_SYMBOL);
        int hdist = trimmedCount(distance.lengths, DISTANCE_SYMBOLS, 1);
        tokenizeLengths(hlit, hdist);
        codeLength.build(codeLengthFrequency, CODE_LENGTH_SYMBOLS);
        int hclen = CODE_LENGTH_SYMBOLS;
        while (hclen > 4 && codeLength.lengths[CODE_LENGTH_ORDER[hclen - 1]] == 0) {
            hclen--;
        }

        long extraBits = extraBits(litFreq, distFreq);
        long dynamicBits = 3 + 5 + 5 + 4 + 3L * hclen + tokenBits()
                + literalLength.cost(litFreq, LITERAL_LENGTH_SYMBOLS) + distance.cost(distFreq, DISTANCE_SYMBOLS)
                + extraBits;
        long fixedBits = 3 + FIXED_LITERAL_LENGTH.cost(litFreq, LITERAL_LENGTH_SYMBOLS)
                + FIXED_DISTANCE.cost(distFreq, DISTANCE_SYMBOLS) + extraBits;
        int storedBlocks = Math.max(1, (block.rawBytes + MAX_STORED - 1) / MAX_STORED);
        // Header, worst-case padding and LEN/NLEN per stored block.
        long storedBits = storedBlocks * (3L + 7 + 32) + 8L * block.rawBytes;

        int type = dynamicBits < fixedBits ? DYNAMIC : FIXED;
        if (storedBits <= Math.min(dynamicBits, fixedBits)) {
            type = STORED;
        }
        if (type == STORED) {
            writeStored(raw, rawIndex, block.rawBytes);
        } else if (type == FIXED) {
            out.write(FIXED << 1, 3);
            writeSymbols(block, FIXED_LITERAL_LENGTH, FIXED_DISTANCE);
        } else {
            out.write(DYNAMIC << 1, 3);
            writeDynamicHeader(hlit, hdist, hclen);
            writeSymbols(block, literalLength, distance);
        }
        block.clear();
    }

    /**
     * Ends the message with an empty stored block (a sync flush: bytes 00 00 FF FF once aligned), which the
     * permessage-deflate sender strips (RFC 7692 §7.2.1), and hands every byte to the sink.
     */
    void writeSyncFlush() {
        writeStored(null, 0, 0);
        out.end();
    }

    private void writeStored(ByteBuffer raw, int index, int length) {
        do {
            int chunk = Math.min(length, MAX_STORED);
            out.write(STORED << 1, 3);
            out.alignToByte();
            out.write(chunk, 16);
            out.write(~chunk & 0xFFFF, 16);
            if (chunk > 0) {
                out.writeAlignedBytes(raw, index, chunk);
            }
            index += chunk;
            length -= chunk;
        } while (length > 0);
    }

    private void writeSymbols(SymbolBuffer block, HuffmanCode lit, HuffmanCode dist) {
        int[] symbols = block.symbols;
        int[] litCodes = lit.codes;
        byte[] litLengths = lit.lengths;
        int[] distCodes = dist.codes;
        byte[] distLengths = dist.lengths;
        BitWriter bits = out;
        for (int i = 0, n = block.count; i < n; i++) {
            int symbol = symbols[i];
            if (symbol < 256) {
                bits.write(litCodes[symbol], litLengths[symbol]);
                continue;
            }
            int length = (symbol & 0xFF) + MIN_MATCH;
            int lc = DeflateAlphabet.lengthCode(length);
            int ls = FIRST_LENGTH_SYMBOL + lc;
            int litBits = litLengths[ls];
            bits.write(litCodes[ls] | (length - LENGTH_BASE[lc]) << litBits, litBits + LENGTH_EXTRA[lc]);
            int distanceValue = symbol >>> 8;
            int dc = DeflateAlphabet.distanceCode(distanceValue);
            int distBits = distLengths[dc];
            bits.write(distCodes[dc] | (distanceValue - DISTANCE_BASE[dc]) << distBits, distBits + DISTANCE_EXTRA[dc]);
        }
        bits.write(litCodes[END_OF_BLOCK], litLengths[END_OF_BLOCK]);
    }

    private void writeDynamicHeader(int hlit, int hdist, int hclen) {
        out.write(hlit - FIRST_LENGTH_SYMBOL, 5);
        out.write(hdist - 1, 5);
        out.write(hclen - 4, 4);
        for (int k = 0; k < hclen; k++) {
            out.write(codeLength.lengths[CODE_LENGTH_ORDER[k]], 3);
        }
        int[] codes = codeLength.codes;
        byte[] lengths = codeLength.lengths;
        for (int i = 0; i < tokenCount; i++) {
            int token = lengthTokens[i];
            int symbol = token & 0xFF;
            out.write(codes[symbol] | (token >>> 8) << lengths[symbol], lengths[symbol] + repeatExtraBits(symbol));
        }
    }

    private static int repeatExtraBits(int symbol) {
        return symbol == REPEAT_PREVIOUS ? 2 : symbol == REPEAT_ZERO_SHORT ? 3 : symbol == REPEAT_ZERO_LONG ? 7 : 0;
    }

    private long tokenBits() {
        long bits = 0;
        for (int i = 0; i < tokenCount; i++) {
            int symbol = lengthTokens[i] & 0xFF;
            bits += codeLength.lengths[symbol] + repeatExtraBits(symbol);
        }
        return bits;
    }

    private static long extraBits(int[] litFreq, int[] distFreq) {
        long bits = 0;
        for (int c = 0; c < LENGTH_EXTRA.length; c++) {
            bits += (long) litFreq[FIRST_LENGTH_SYMBOL + c] * LENGTH_EXTRA[c];
        }
        for (int c = 0; c < DISTANCE_EXTRA.length; c++) {
            bits += (long) distFreq[c] * DISTANCE_EXTRA[c];
        }
        return bits;
    }

    private static int trimmedCount(byte[] lengths, int n, int minimum) {
        while (n > minimum && lengths[n - 1] == 0) {
            n--;
        }
        return n;
    }

    /**
     * Run-length codes the literal/length and distance code lengths as one sequence (§3.2.7 allows runs to
     * cross from one set into the other): 16 repeats the previous length 3-6 times, 17 and 18 code 3-10
     * and 11-138 zeros.
     */
    private void tokenizeLengths(int hlit, int hdist) {
        System.arraycopy(literalLength.lengths, 0, allLengths, 0, hlit);
        System.arraycopy(distance.lengths, 0, allLengths, hlit, hdist);
        Arrays.fill(codeLengthFrequency, 0);
        tokenCount = 0;
        int total = hlit + hdist;
        int i = 0;
        while (i < total) {
            int length = allLengths[i];
            int run = 1;
            while (i + run < total && allLengths[i + run] == length) {
                run++;
            }
            i += run;
            if (length == 0) {
                while (run >= 11) {
                    int r = Math.min(run, 138);
                    token(REPEAT_ZERO_LONG, r - 11);
                    run -= r;
                }
                if (run >= 3) {
                    token(REPEAT_ZERO_SHORT, run - 3);
                    run = 0;
                }
            } else {
                token(length, 0);
                run--;
                while (run >= 3) {
                    int r = Math.min(run, 6);
                    token(REPEAT_PREVIOUS, r - 3);
                    run -= r;
                }
            }
            for (; run > 0; run--) {
                token(length, 0);
            }
        }
    }

    private void token(int symbol, int extra) {
        lengthTokens[tokenCount++] = symbol | extra << 8;
        codeLengthFrequency[symbol]++;
    }
}
