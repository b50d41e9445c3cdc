package io.duplex.core.internal.handshake;

import io.duplex.core.HandshakeException;
import io.duplex.core.HttpHeaders;
import io.duplex.core.internal.http.HttpGrammar;
import java.nio.charset.StandardCharsets;

/**
 * A complete header block split into its start line and header fields (RFC 9112 §2.1, §5), parsed in place
 * over the bytes with no regular expressions; names and values that handshakes commonly carry become shared
 * strings rather than new ones.
 *
 * @param bytes the block (from {@link HeaderBlockReader})
 * @param startLineEnd the index of the CR ending the start line
 * @param headers the header fields, names and values as ISO-8859-1, without the omitted ones
 * @param omittedCount how many fields were left out of {@code headers} (see {@link #parse(byte[], int, int, String)})
 * @param omittedValueStart where the value of the first omitted field starts in {@code bytes}, or -1
 * @param omittedValueEnd where that value ends, or -1
 */
public record HttpHead(byte[] bytes, int startLineEnd, HttpHeaders headers, int omittedCount,
        int omittedValueStart, int omittedValueEnd) {

    /**
     * Parses a block that ends in CR LF CR LF and whose every line end is CR LF.
     *
     * @throws HandshakeException 400 for a malformed field line (name not a token, white space before the
     *     colon, obs-fold, forbidden control character in a value), 431 for more than {@code maxFields} fields
     */
    public static HttpHead parse(byte[] b, int length, int maxFields) throws HandshakeException {
        return parse(b, length, maxFields, null);
    }

    /**
     * {@link #parse(byte[], int, int)}, but the fields named {@code omitted} (none when {@code null}) are
     * checked and counted yet left out of {@link #headers()}. A server keeps its request's fields without the
     * {@code Sec-WebSocket-Key}, a single-use nonce of no use once answered.
     */
    public static HttpHead parse(byte[] b, int length, int maxFields, String omitted) throws HandshakeException {
        int startLineEnd = indexOfCr(b, 0);
        int blockEnd = length - 2;
        // Check every line first, so that a malformed block makes no strings.
        int kept = 0;
        int count = 0;
        int omittedCount = 0;
        int omittedStart = -1;
        int omittedEnd = -1;
        for (int line = startLineEnd + 2, lineEnd; line < blockEnd; line = lineEnd + 2) {
            lineEnd = indexOfCr(b, line);
            if (++count > maxFields) {
                throw new HandshakeException(431, "more than " + maxFields + " header fields");
            }
            checkField(b, line, lineEnd);
            if (isNamed(b, line, lineEnd, omitted)) {
                if (omittedCount++ == 0) {
                    omittedStart = valueStart(b, line + omitted.length(), lineEnd);
                    omittedEnd = valueEnd(b, omittedStart, lineEnd);
                }
            } else {
                kept++;
            }
        }
        if (kept == 0) {
            return new HttpHead(b, startLineEnd, HttpHeaders.empty(), omittedCount, omittedStart, omittedEnd);
        }
        HttpHeaders.Builder fields = HttpHeaders.builder();
        for (int line = startLineEnd + 2, lineEnd; line < blockEnd; line = lineEnd + 2) {
            lineEnd = indexOfCr(b, line);
            if (!isNamed(b, line, lineEnd, omitted)) {
                int colon = line;
                while (b[colon] != ':') {
                    colon++;
                }
                int v = valueStart(b, colon, lineEnd);
                fields.add(CommonStrings.of(b, line, colon), CommonStrings.of(b, v, valueEnd(b, v, lineEnd)));
            }
        }
        return new HttpHead(b, startLineEnd, fields.build(), omittedCount, omittedStart, omittedEnd);
    }

    /**
     * Whether the checked field line {@code b[start, end)} is named {@code name} (a token), compared ignoring
     * case: names are tokens, which are ASCII, so ASCII case folding is all there is.
     */
    private static boolean isNamed(byte[] b, int start, int end, String name) {
        if (name == null || start + name.length() >= end || b[start + name.length()] != ':') {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (asciiLower(b[start + i]) != asciiLower(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static int asciiLower(int c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }

    /** Checks the field line {@code b[start, end)}: a token, a colon, and a value of allowed characters. */
    private static void checkField(byte[] b, int start, int end) throws HandshakeException {
        if (HttpGrammar.isWhitespace(b[start])) {
            throw new HandshakeException(400, "obsolete line folding");
        }
        int colon = start;
        while (colon < end && HttpGrammar.isTchar(b[colon] & 0xFF)) {
            colon++;
        }
        if (colon == end || b[colon] != ':') {
            throw new HandshakeException(400, colon < end && HttpGrammar.isWhitespace(b[colon])
                    ? "white space in or before the colon of a header name" : "malformed header field line");
        }
        if (colon == start) {
            throw new HandshakeException(400, "empty header name");
        }
        int v = valueStart(b, colon, end);
        int e = valueEnd(b, v, end);
        for (int i = v; i < e; i++) {
            if (!HttpGrammar.isFieldValueChar(b[i] & 0xFF)) {
                throw new HandshakeException(400, "control character in a header value");
            }
        }
    }

    /** The start of the value after {@code colon}, past optional white space. */
    private static int valueStart(byte[] b, int colon, int end) {
        int v = colon + 1;
        while (v < end && HttpGrammar.isWhitespace(b[v])) {
            v++;
        }
        return v;
    }

    /** The end of the value starting at {@code v}, before trailing optional white space. */
    private static int valueEnd(byte[] b, int v, int end) {
        int e = end;
        while (e > v && HttpGrammar.isWhitespace(b[e - 1])) {
            e--;
        }
        return e;
    }

    /** The CR of the CR LF ending the line at {@code from}; the block reader guarantees one exists. */
    private static int indexOfCr(byte[] b, int from) {
        int i = from;
        while (b[i] != '\r') {
            i++;
        }
        return i;
    }

    /** The start line as ISO-8859-1 text, without its CR LF. */
    public String startLine() {
        return new String(bytes, 0, startLineEnd, StandardCharsets.ISO_8859_1);
    }
}
