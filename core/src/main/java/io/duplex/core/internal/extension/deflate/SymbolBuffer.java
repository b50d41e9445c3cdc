package io.duplex.core.internal.extension.deflate;

import java.util.Arrays;

/**
 * The literals and matches of the block being built, with their symbol frequencies. A match is stored as
 * {@code distance << 8 | (length - 3)}, so any entry below 256 is a literal byte.
 */
final class SymbolBuffer {

    final int[] symbols;
    final int[] literalLengthFrequency = new int[DeflateAlphabet.LITERAL_LENGTH_SYMBOLS];
    final int[] distanceFrequency = new int[DeflateAlphabet.DISTANCE_SYMBOLS];
    int count;
    /** Uncompressed bytes the symbols stand for, needed to fall back to a stored block. */
    int rawBytes;

    SymbolBuffer(int capacity) {
        this.symbols = new int[capacity];
    }

    long retainedBytes() {
        return 4L * (symbols.length + literalLengthFrequency.length + distanceFrequency.length);
    }

    /** Returns true when the buffer is full and the block must be written. */
    boolean literal(int value) {
        symbols[count++] = value;
        literalLengthFrequency[value]++;
        rawBytes++;
        return count == symbols.length;
    }

    /** Returns true when the buffer is full and the block must be written. */
    boolean match(int length, int distance) {
        symbols[count++] = distance << 8 | (length - DeflateAlphabet.MIN_MATCH);
        literalLengthFrequency[DeflateAlphabet.FIRST_LENGTH_SYMBOL + DeflateAlphabet.lengthCode(length)]++;
        distanceFrequency[DeflateAlphabet.distanceCode(distance)]++;
        rawBytes += length;
        return count == symbols.length;
    }

    void clear() {
        count = 0;
        rawBytes = 0;
        Arrays.fill(literalLengthFrequency, 0);
        Arrays.fill(distanceFrequency, 0);
    }
}
