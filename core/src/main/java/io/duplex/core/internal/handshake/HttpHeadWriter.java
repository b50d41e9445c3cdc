package io.duplex.core.internal.handshake;

import io.duplex.core.HttpHeaders;
import io.duplex.core.internal.http.HttpGrammar;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Writes HTTP/1.1 heads (start line, fields, empty line) for both roles. Values arrive validated by
 * {@link HttpHeaders.Builder}, so nothing written here can inject a line.
 */
public final class HttpHeadWriter {

    private static final String CRLF = "\r\n";
    private static final int DEFAULT_CAPACITY = 256;

    /**
     * The head as ISO-8859-1 bytes, written directly (no StringBuilder, String and encoding copies in turn) and
     * handed out wrapped, so a handshake's response costs one array.
     */
    private byte[] head;
    private int length;

    /** Starts a head with the given start line (without CR LF). */
    public HttpHeadWriter(String startLine) {
        this(DEFAULT_CAPACITY);
        append(startLine).append(CRLF);
    }

    private HttpHeadWriter(int capacity) {
        head = new byte[capacity];
    }

    /** A response head: {@code HTTP/1.1 status reason}. */
    public static HttpHeadWriter response(int status, String reason) {
        return response(status, reason, DEFAULT_CAPACITY);
    }

    /**
     * {@link #response(int, String)} into an array of {@code capacity} bytes, which grows if need be: a
     * caller that knows the length of the response (head and body) gets it in an array of exactly that size,
     * with no slack for the garbage collector to copy or free.
     */
    public static HttpHeadWriter response(int status, String reason, int capacity) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status out of range: " + status);
        }
        for (int i = 0; i < reason.length(); i++) {
            if (!HttpGrammar.isFieldValueChar(reason.charAt(i))) {
                throw new IllegalArgumentException("reason phrase holds a forbidden character");
            }
        }
        HttpHeadWriter w = new HttpHeadWriter(capacity).append("HTTP/1.1 ");
        w.head[w.length++] = (byte) ('0' + status / 100);
        w.head[w.length++] = (byte) ('0' + status / 10 % 10);
        w.head[w.length++] = (byte) ('0' + status % 10);
        return w.append(" ").append(reason).append(CRLF);
    }

    /** Appends one field. */
    public HttpHeadWriter field(String name, String value) {
        return append(name).append(": ").append(value).append(CRLF);
    }

    /**
     * Appends the {@code Sec-WebSocket-Accept} field answering the key {@code key[from, to)}, its value
     * computed straight into the head (RFC 6455 §4.2.2 item 5.4).
     */
    public HttpHeadWriter acceptField(byte[] key, int from, int to) {
        append("Sec-WebSocket-Accept: ");
        room(AcceptKey.LENGTH);
        AcceptKey.accept(key, from, to, head, length);
        length += AcceptKey.LENGTH;
        return append(CRLF);
    }

    /** The length of the field line {@link #field} writes. */
    public static int fieldLength(String name, String value) {
        return name.length() + value.length() + 4;
    }

    /** The length of {@link #fields} of {@code headers}: {@link #fieldLength} of each. */
    public static int fieldsLength(HttpHeaders headers) {
        int n = 0;
        for (int i = 0; i < headers.size(); i++) {
            n += fieldLength(headers.name(i), headers.value(i));
        }
        return n;
    }

    /** The length of the status line {@link #response} writes. */
    public static int statusLineLength(String reason) {
        return "HTTP/1.1 200 ".length() + reason.length() + 2;
    }

    /** The length of the empty line that ends a head. */
    public static int endLength() {
        return CRLF.length();
    }

    /** The length of the line {@link #acceptField} writes. */
    public static int acceptFieldLength() {
        return fieldLength("Sec-WebSocket-Accept", "") + AcceptKey.LENGTH;
    }

    private void room(int n) {
        if (length + n > head.length) {
            head = Arrays.copyOf(head, Math.max(2 * head.length, length + n));
        }
    }

    private HttpHeadWriter append(String s) {
        int n = s.length();
        room(n);
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
        int n = end(body);
        return ByteBuffer.wrap(head, 0, n);
    }

    /**
     * Ends the head and returns it, followed by {@code body}, as an array of exactly its length: the array
     * written to, when it was sized right, else a copy.
     */
    public byte[] finishArray(byte[] body) {
        int n = end(body);
        return n == head.length ? head : Arrays.copyOf(head, n);
    }

    /** Appends the empty line and {@code body}; returns the length of the whole. */
    private int end(byte[] body) {
        append(CRLF);
        if (body.length > head.length - length) {
            head = Arrays.copyOf(head, length + body.length);
        }
        System.arraycopy(body, 0, head, length, body.length);
        return length + body.length;
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
