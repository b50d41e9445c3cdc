package io.duplex.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The HTTP request of an opening handshake (RFC 6455 §4.1), as received by a server or sent by a client.
 * Immutable.
 *
 * <p>A server keeps one per connection for {@link WebSocket#handshakeRequest()}, so it is kept small: the
 * headers are one array decoded on demand (see {@link HttpHeaders}) and the method {@code GET} is shared.
 */
public final class HandshakeRequest {

    private static final String GET = "GET";

    private final String method;
    private final String target;
    private final HttpHeaders headers;

    private HandshakeRequest(String method, String target, HttpHeaders headers) {
        this.method = method;
        this.target = target;
        this.headers = headers;
    }

    /** A request with the given method, request-target (for example {@code /chat?room=1}) and headers. */
    public static HandshakeRequest of(String method, String target, HttpHeaders headers) {
        Objects.requireNonNull(method, "method");
        // Every valid handshake is a GET: share the constant rather than keep the parser's copy.
        return new HandshakeRequest(method.equals(GET) ? GET : method, Objects.requireNonNull(target, "target"),
                Objects.requireNonNull(headers, "headers"));
    }

    /** The method, {@code GET} for every valid handshake. */
    public String method() {
        return method;
    }

    /** The request-target as sent: path and query. */
    public String target() {
        return target;
    }

    /** The path part of the request-target, without the query. */
    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** The query part of the request-target without the {@code ?}, or the empty string. */
    public String query() {
        int q = target.indexOf('?');
        return q < 0 ? "" : target.substring(q + 1);
    }

    /** The header fields. */
    public HttpHeaders headers() {
        return headers;
    }

    /** The {@code Host} header, or {@code null}. */
    public String host() {
        return headers.first("Host");
    }

    /** The {@code Origin} header, or {@code null} (non-browser clients usually send none). */
    public String origin() {
        return headers.first("Origin");
    }

    /** The subprotocols the client offered in {@code Sec-WebSocket-Protocol}, in its order of preference. */
    public List<String> subprotocols() {
        List<String> out = new ArrayList<>();
        for (String v : headers.all("Sec-WebSocket-Protocol")) {
            for (String p : v.split(",")) {
                String t = p.trim();
                if (!t.isEmpty()) {
                    out.add(t);
                }
            }
        }
        return Collections.unmodifiableList(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HandshakeRequest other && other.method.equals(method) && other.target.equals(target)
                && other.headers.equals(headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, target, headers);
    }

    @Override
    public String toString() {
        return method + " " + target;
    }
}
