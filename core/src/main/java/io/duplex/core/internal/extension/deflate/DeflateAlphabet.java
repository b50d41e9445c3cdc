package io.duplex.core.internal.extension.deflate;

/**
 * The symbol alphabets of RFC 1951 §3.2.5 (length and distance codes with their extra bits), the code
 * length alphabet order of §3.2.7 and the fixed Huffman code lengths of §3.2.6.
 */
final class DeflateAlphabet {

    static final int MIN_MATCH = 3;
    static final int MAX_MATCH = 258;
    static final int END_OF_BLOCK = 256;
    static final int FIRST_LENGTH_SYMBOL = 257;
    /** Symbols 286 and 287 never occur in compressed data, so codes stop at 285. */
    static final int LITERAL_LENGTH_SYMBOLS = 286;
    static final int DISTANCE_SYMBOLS = 30;
    static final int CODE_LENGTH_SYMBOLS = 19;
    static final int MAX_CODE_BITS = 15;
    static final int MAX_CODE_LENGTH_BITS = 7;
    /** The largest LEN of a stored block (§3.2.4). */
    static final int MAX_STORED = 65535;

    static final int[] LENGTH_BASE = {
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
        35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
    static final int[] LENGTH_EXTRA = {
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
        3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
    static final int[] DISTANCE_BASE = {
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
        257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
    static final int[] DISTANCE_EXTRA = {
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
        7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
    static final int[] CODE_LENGTH_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

    /** Index {@code length - 3} gives the length code minus 257. */
    private static final byte[] LENGTH_CODE = new byte[MAX_MATCH - MIN_MATCH + 1];

    static {
        // Ascending order lets code 285 (exactly 258) overwrite the top of code 284's range, as the RFC says.
        for (int code = 0; code < LENGTH_BASE.length; code++) {
            int first = LENGTH_BASE[code];
            int last = Math.min(MAX_MATCH, first + (1 << LENGTH_EXTRA[code]) - 1);
            for (int length = first; length <= last; length++) {
                LENGTH_CODE[length - MIN_MATCH] = (byte) code;
            }
        }
    }

    private DeflateAlphabet() {
    }

    /** The length code (0..28, add 257 for the symbol) of a match length 3..258. */
    static int lengthCode(int length) {
        return LENGTH_CODE[length - MIN_MATCH];
    }

    /** The distance code 0..29 of a distance 1..32768: two codes per power of two above 4. */
    static int distanceCode(int distance) {
        int d = distance - 1;
        if (d < 4) {
            return d;
        }
        int highBit = 31 - Integer.numberOfLeadingZeros(d);
        return (highBit << 1) + ((d >>> (highBit - 1)) & 1);
    }

    /** Fixed literal/length code lengths of §3.2.6 (symbols 0..287). */
    static byte[] fixedLiteralLengths() {
        byte[] lengths = new byte[288];
        for (int symbol = 0; symbol < 288; symbol++) {
            lengths[symbol] = (byte) (symbol < 144 ? 8 : symbol < 256 ? 9 : symbol < 280 ? 7 : 8);
        }
        return lengths;
    }

    /** Fixed distance code lengths of §3.2.6: all 5 bits (codes 30 and 31 never occur). */
    static byte[] fixedDistanceLengths() {
        byte[] lengths = new byte[32];
        java.util.Arrays.fill(lengths, (byte) 5);
        return lengths;
    }
}
