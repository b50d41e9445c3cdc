package io.duplex.core.handshake;

import io.duplex.core.HandshakeException;
import io.duplex.core.HttpHeaders;
import java.nio.charset.StandardCharsets;

/**
 * A complete header block split into its start line and header fields (RFC 9112 §2.1, §5), parsed in place
 * over the bytes: one pass, no regular expressions, one String per name and per value.
 *
 * @param bytes the block (from {@link HeaderBlockReader})
 * @param startLineEnd the index of the CR ending the start line
 * @param headers the header fields, names and values as ISO-8859-1
 */
public record HttpHead(byte[] bytes, int startLineEnd, HttpHeaders headers) {

    /**
     * Parses a block that ends in CR LF CR LF and whose every line end is CR LF.
     *
     * @throws HandshakeException 400 for a malformed field line (name not a token, white space before the
     *     colon, obs-fold, forbidden control character in a value), 431 for more than {@code maxFields} fields
     */
    public static HttpHead parse(byte[] b, int length, int maxFields) throws HandshakeException {
        int lineEnd = indexOfCr(b, 0);
        int startLineEnd = lineEnd;
        HttpHeaders.Builder headers = HttpHeaders.builder();
        int count = 0;
        int blockEnd = length - 2;
        for (int line = lineEnd + 2; line < blockEnd; line = lineEnd + 2) {
            lineEnd = indexOfCr(b, line);
            if (++count > maxFields) {
                throw new HandshakeException(431, "more than " + maxFields + " header fields");
            }
            field(b, line, lineEnd, headers);
        }
        return new HttpHead(b, startLineEnd, headers.build());
    }

    private static void field(byte[] b, int start, int end, HttpHeaders.Builder headers) throws HandshakeException {
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
        int v = colon + 1;
        int e = end;
        while (v < e && HttpGrammar.isWhitespace(b[v])) {
            v++;
        }
        while (e > v && HttpGrammar.isWhitespace(b[e - 1])) {
            e--;
        }
        for (int i = v; i < e; i++) {
            if (!HttpGrammar.isFieldValueChar(b[i] & 0xFF)) {
                throw new HandshakeException(400, "control character in a header value");
            }
        }
        headers.add(new String(b, start, colon - start, StandardCharsets.ISO_8859_1),
                new String(b, v, e - v, StandardCharsets.ISO_8859_1));
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
