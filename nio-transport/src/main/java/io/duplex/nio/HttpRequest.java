package io.duplex.nio;

import io.duplex.core.HandshakeRequest;
import io.duplex.core.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A plain HTTP request (one without {@code Upgrade: websocket}) received by a {@link WebSocketServer}: its
 * method, target, header fields, query parameters, cookies and body. The body is read before the
 * {@link HttpHandler} runs, within {@link WebSocketServer.Builder#maxHttpBodyBytes}. Immutable.
 */
public final class HttpRequest {

    private final HandshakeRequest head;
    private final byte[] body;

    HttpRequest(HandshakeRequest head, byte[] body) {
        this.head = head;
        this.body = body;
    }

    /** The method, as sent ({@code GET}, {@code HEAD}, {@code POST} ...). */
    public String method() {
        return head.method();
    }

    /** The request-target as sent: path and query. */
    public String target() {
        return head.target();
    }

    /** The path of the request-target, without the query. */
    public String path() {
        return head.path();
    }

    /** The query of the request-target without the {@code ?}, or the empty string. */
    public String query() {
        return head.query();
    }

    /** The query's parameters, form-decoded, each with all its values in order. */
    public Map<String, List<String>> queryParameters() {
        return head.queryParameters();
    }

    /** The first value of the query parameter {@code name}, form-decoded, or {@code null}. */
    public String queryParameter(String name) {
        return head.queryParameter(name);
    }

    /** The header fields. */
    public HttpHeaders headers() {
        return head.headers();
    }

    /** The first value of the header field {@code name} (case-insensitive), or {@code null}. */
    public String header(String name) {
        return head.headers().first(name);
    }

    /** The cookies of the request's {@code Cookie} fields, by name. */
    public Map<String, String> cookies() {
        return head.cookies();
    }

    /** The value of the cookie {@code name}, or {@code null}. */
    public String cookie(String name) {
        return head.cookie(name);
    }

    /** A copy of the body: empty when the request has none. */
    public byte[] body() {
        return body.clone();
    }

    /** The body decoded as UTF-8 (malformed bytes become U+FFFD). */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return method() + " " + target() + (body.length == 0 ? "" : " (" + body.length + " bytes)");
    }
}
