package io.duplex.core;

import io.duplex.core.internal.handshake.RequestLine;
import io.duplex.core.internal.http.CookieHeader;
import io.duplex.core.internal.http.QueryParameters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The HTTP request of an opening handshake (RFC 6455 §4.1), as received by a server or sent by a client.
 * Immutable.
 *
 * <p>A server keeps one per connection for {@link WebSocket#handshakeRequest()}; the method {@code GET} and
 * the common names and values of a handshake's fields are shared between requests rather than kept by each.
 */
public final class HandshakeRequest {

    private static final String GET = "GET";
    private static final String SEC_WEBSOCKET_PROTOCOL = "Sec-WebSocket-Protocol";

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
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(headers, "headers");
        // Every valid handshake is a GET: share the constant rather than keep the caller's copy.
        return new HandshakeRequest(method.equals(GET) ? GET : method, target, headers);
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
        String target = target();
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** The query part of the request-target without the {@code ?}, or the empty string. */
    public String query() {
        String target = target();
        int q = target.indexOf('?');
        return q < 0 ? "" : target.substring(q + 1);
    }

    /**
     * The query's parameters, form-decoded ({@code +} is a space, {@code %XX} a UTF-8 byte), each with every
     * value it was given, in order; empty without a query. Unmodifiable; parsed on each call.
     */
    public Map<String, List<String>> queryParameters() {
        return QueryParameters.parse(query());
    }

    /** The first value of the query parameter {@code name}, form-decoded, or {@code null} when absent. */
    public String queryParameter(String name) {
        List<String> values = queryParameters().get(name);
        return values == null ? null : values.get(0);
    }

    /**
     * The cookies the request carries in its {@code Cookie} fields (RFC 6265 §5.4), by name; the first wins
     * when a name repeats. Unmodifiable; parsed on each call.
     */
    public Map<String, String> cookies() {
        return CookieHeader.parse(headers().all("Cookie"));
    }

    /** The value of the cookie {@code name}, or {@code null} when the request does not carry it. */
    public String cookie(String name) {
        return cookies().get(name);
    }

    /**
     * The header fields.
     *
     * <p>A request a server received lacks its {@code Sec-WebSocket-Key} field: the key is a single-use
     * nonce whose only use is the {@code Sec-WebSocket-Accept} answer (RFC 6455 §4.2.1, §4.2.2), so the
     * handshake consumes it (validating it first, as always) and every idle connection is spared the ~45
     * bytes of keeping it. A request a client sends keeps every field.
     */
    public HttpHeaders headers() {
        return headers;
    }

    /** The {@code Host} header, or {@code null}. */
    public String host() {
        return headers().first("Host");
    }

    /** The {@code Origin} header, or {@code null} (non-browser clients usually send none). */
    public String origin() {
        return headers().first("Origin");
    }

    /** The subprotocols the client offered in {@code Sec-WebSocket-Protocol}, in its order of preference. */
    public List<String> subprotocols() {
        return subprotocols(headers());
    }

    private static List<String> subprotocols(HttpHeaders headers) {
        if (!headers.contains(SEC_WEBSOCKET_PROTOCOL)) {
            // The common case, which a server meets once per connection: nothing to allocate.
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String v : headers.all(SEC_WEBSOCKET_PROTOCOL)) {
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
        return method + " " + target();
    }
}
