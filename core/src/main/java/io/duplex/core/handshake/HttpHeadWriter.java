package io.duplex.core.handshake;

import io.duplex.core.HttpHeaders;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Writes HTTP/1.1 heads (start line, fields, empty line) for both roles. Values arrive validated by
 * {@link HttpHeaders.Builder}, so nothing written here can inject a line.
 */
public final class HttpHeadWriter {

    private static final String CRLF = "\r\n";

    /**
     * The head as ISO-8859-1 bytes, written directly (no StringBuilder, String and encoding copies in turn) and
     * handed out wrapped, so a handshake's response costs one array.
     */
    private byte[] head = new byte[256];
    private int length;

    /** Starts a head with the given start line (without CR LF). */
    public HttpHeadWriter(String startLine) {
        append(startLine).append(CRLF);
    }

    private HttpHeadWriter() {
    }

    /** A response head: {@code HTTP/1.1 status reason}. */
    public static HttpHeadWriter response(int status, String reason) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status out of range: " + status);
        }
        for (int i = 0; i < reason.length(); i++) {
            if (!HttpGrammar.isFieldValueChar(reason.charAt(i))) {
                throw new IllegalArgumentException("reason phrase holds a forbidden character");
            }
        }
        HttpHeadWriter w = new HttpHeadWriter().append("HTTP/1.1 ");
        w.head[w.length++] = (byte) ('0' + status / 100);
        w.head[w.length++] = (byte) ('0' + status / 10 % 10);
        w.head[w.length++] = (byte) ('0' + status % 10);
        return w.append(" ").append(reason).append(CRLF);
    }

    /** Appends one field. */
    public HttpHeadWriter field(String name, String value) {
        return append(name).append(": ").append(value).append(CRLF);
    }

    private HttpHeadWriter append(String s) {
        int n = s.length();
        if (length + n > head.length) {
            head = Arrays.copyOf(head, Math.max(2 * head.length, length + n));
        }
        // Values were checked to hold no char above 0xFF, so each char is its ISO-8859-1 byte.
        for (int i = 0; i < n; i++) {
            head[length++] = (byte) s.charAt(i);
        }
        return this;
    }

    /** Appends every field of {@code headers}. */
    public HttpHeadWriter fields(HttpHeaders headers) {
        for (int i = 0; i < headers.size(); i++) {
            field(headers.name(i), headers.value(i));
        }
        return this;
    }

    /** Ends the head and returns it, followed by {@code body}, as bytes ready to write. */
    public ByteBuffer finish(byte[] body) {
        append(CRLF);
        if (body.length > head.length - length) {
            head = Arrays.copyOf(head, length + body.length);
        }
        System.arraycopy(body, 0, head, length, body.length);
        return ByteBuffer.wrap(head, 0, length + body.length);
    }

    /** The standard reason phrase of the statuses a handshake answers, or a generic one. */
    public static String reason(int status) {
        return switch (status) {
            case 101 -> "Switching Protocols";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 426 -> "Upgrade Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> status < 400 ? "Redirect" : status < 500 ? "Client Error" : "Server Error";
        };
    }
}
