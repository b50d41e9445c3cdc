package io.duplex.conformance;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An HTTP/1.1 head (start line and header fields) as the raw peer reads it: byte by byte up to the blank
 * line, so not one byte of the frames that may follow is consumed.
 *
 * @param startLine the request or status line
 * @param headers field values by lower-case name
 */
record HttpHead(String startLine, Map<String, String> headers) {

    private static final int MAX_HEAD = 16 << 10;

    static HttpHead read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0; // how much of CRLF CRLF has been seen
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("stream ended in the HTTP head: " + head);
            }
            if (head.size() >= MAX_HEAD) {
                throw new AssertionError("HTTP head longer than " + MAX_HEAD);
            }
            head.write(b);
            boolean expectCr = matched % 2 == 0;
            matched = b == (expectCr ? '\r' : '\n') ? matched + 1 : b == '\r' ? 1 : 0;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        return new HttpHead(lines[0], headers);
    }

    String header(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
    }
}
