package io.duplex.nio;

import io.duplex.core.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** A plain HTTP response produced by an {@link HttpHandler}. Immutable. */
public final class HttpResponse {

    private final int status;
    private final String reason;
    private final HttpHeaders headers;
    private final byte[] body;

    private HttpResponse(int status, String reason, HttpHeaders headers, byte[] body) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("HTTP status out of range: " + status);
        }
        this.status = status;
        this.reason = Objects.requireNonNull(reason, "reason");
        this.headers = Objects.requireNonNull(headers, "headers");
        this.body = body.clone();
    }

    /**
     * A response with any status, reason phrase, headers and body. {@code Content-Length} and
     * {@code Connection: close} are added when written.
     */
    public static HttpResponse of(int status, String reason, HttpHeaders headers, byte[] body) {
        return new HttpResponse(status, reason, headers, Objects.requireNonNull(body, "body"));
    }

    /** A 200 response with an HTML page. */
    public static HttpResponse html(String page) {
        return withContentType(200, "OK", "text/html; charset=utf-8", page);
    }

    /** A response with a plain-text body. */
    public static HttpResponse text(int status, String reason, String body) {
        return withContentType(status, reason, "text/plain; charset=utf-8", body);
    }

    private static HttpResponse withContentType(int status, String reason, String type, String body) {
        return new HttpResponse(status, reason, HttpHeaders.builder().add("Content-Type", type).build(),
                body.getBytes(StandardCharsets.UTF_8));
    }

    /** The status code. */
    public int status() {
        return status;
    }

    /** The reason phrase. */
    public String reason() {
        return reason;
    }

    /** The header fields. */
    public HttpHeaders headers() {
        return headers;
    }

    /** A copy of the body. */
    public byte[] body() {
        return body.clone();
    }

    byte[] bodyUnsafe() {
        return body;
    }
}
