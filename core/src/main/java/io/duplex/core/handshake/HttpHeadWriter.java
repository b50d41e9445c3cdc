package io.duplex.core.handshake;

import io.duplex.core.HttpHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes HTTP/1.1 heads (start line, fields, empty line) for both roles. Values arrive validated by
 * {@link HttpHeaders.Builder}, so nothing written here can inject a line.
 */
public final class HttpHeadWriter {

    private final StringBuilder head = new StringBuilder(256);

    /** Starts a head with the given start line (without CR LF). */
    public HttpHeadWriter(String startLine) {
        head.append(startLine).append("\r\n");
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
        return new HttpHeadWriter("HTTP/1.1 " + status + " " + reason);
    }

    /** Appends one field. */
    public HttpHeadWriter field(String name, String value) {
        head.append(name).append(": ").append(value).append("\r\n");
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
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(h.length + body.length);
        out.put(h).put(body).flip();
        return out;
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
