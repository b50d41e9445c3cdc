package io.duplex.core.internal.session;

/**
 * A deliberately plain reading of the RFC 3629 §4 table, independent of {@link Utf8Validator}'s automaton:
 * each row names the lead bytes, the sequence length and the range its second byte must fall in.
 */
final class Utf8Reference {

    /** One row of the RFC 3629 §4 syntax. */
    private record Row(int leadFrom, int leadTo, int length, int secondFrom, int secondTo) {
    }

    private static final Row[] ROWS = {
        new Row(0x00, 0x7F, 1, 0, 0),
        new Row(0xC2, 0xDF, 2, 0x80, 0xBF),
        new Row(0xE0, 0xE0, 3, 0xA0, 0xBF),
        new Row(0xE1, 0xEC, 3, 0x80, 0xBF),
        new Row(0xED, 0xED, 3, 0x80, 0x9F),
        new Row(0xEE, 0xEF, 3, 0x80, 0xBF),
        new Row(0xF0, 0xF0, 4, 0x90, 0xBF),
        new Row(0xF1, 0xF3, 4, 0x80, 0xBF),
        new Row(0xF4, 0xF4, 4, 0x80, 0x8F),
    };

    /**
     * What a scan of a byte sequence found.
     *
     * @param firstBad index of the first byte after which no continuation can be valid UTF-8, or -1
     * @param pending when {@code firstBad} is -1, how many trailing bytes start an unfinished code point
     */
    record Verdict(int firstBad, int pending) {
        boolean valid() {
            return firstBad < 0 && pending == 0;
        }
    }

    private Utf8Reference() {
    }

    static Verdict scan(byte[] bytes, int length) {
        int i = 0;
        while (i < length) {
            Row row = rowFor(bytes[i] & 0xFF);
            if (row == null) {
                return new Verdict(i, 0);
            }
            for (int k = 1; k < row.length(); k++) {
                if (i + k >= length) {
                    return new Verdict(-1, k);
                }
                int b = bytes[i + k] & 0xFF;
                int from = k == 1 ? row.secondFrom() : 0x80;
                int to = k == 1 ? row.secondTo() : 0xBF;
                if (b < from || b > to) {
                    return new Verdict(i + k, 0);
                }
            }
            i += row.length();
        }
        return new Verdict(-1, 0);
    }

    static Verdict scan(byte[] bytes) {
        return scan(bytes, bytes.length);
    }

    private static Row rowFor(int lead) {
        for (Row row : ROWS) {
            if (lead >= row.leadFrom() && lead <= row.leadTo()) {
                return row;
            }
        }
        return null;
    }
}
