package io.duplex.core;

import io.duplex.core.internal.http.HttpGrammar;
import io.duplex.core.internal.http.ReservedHeaders;
import java.util.Objects;

/**
 * What a server does with a valid upgrade request: accept it with a handler (and optionally a subprotocol and
 * extra response headers), or reject it with an HTTP response. Returned by the decider of a
 * {@link HandshakePolicy}. Immutable.
 */
public final class UpgradeDecision {

    private final WebSocketHandler handler;
    private final String subprotocol;
    private final HttpHeaders headers;
    private final int status;
    private final String body;

    private UpgradeDecision(WebSocketHandler handler, String subprotocol, HttpHeaders headers, int status,
            String body) {
        this.handler = handler;
        this.subprotocol = subprotocol;
        this.headers = headers;
        this.status = status;
        this.body = body;
    }

    /** Accepts the upgrade; {@code handler} receives the connection's events. */
    public static UpgradeDecision accept(WebSocketHandler handler) {
        return new UpgradeDecision(Objects.requireNonNull(handler, "handler"), null, HttpHeaders.empty(), 101, "");
    }

    /**
     * Rejects the upgrade with an HTTP response, for example 401 with {@code WWW-Authenticate}, 404 for an
     * unknown path or a 3xx redirect with {@code Location}. {@code Content-Length} and
     * {@code Connection: close} are added.
     *
     * @param headers extra response headers; {@code null} for none
     * @param body the response body, sent as UTF-8; {@code null} for none
     * @throws IllegalArgumentException if {@code status} is not 300–599, or {@code headers} holds
     *     {@code Connection}, {@code Content-Length} or {@code Transfer-Encoding}
     */
    public static UpgradeDecision reject(int status, HttpHeaders headers, String body) {
        if (status < 300 || status > 599) {
            throw new IllegalArgumentException("a rejection needs a 3xx, 4xx or 5xx status: " + status);
        }
        HttpHeaders h = headers == null ? HttpHeaders.empty() : headers;
        for (int i = 0; i < h.size(); i++) {
            ReservedHeaders.checkClosing(h.name(i));
        }
        return new UpgradeDecision(null, null, h, status, body == null ? "" : body);
    }

    /**
     * This acceptance with the subprotocol chosen by the application instead of the policy. It must be one the
     * client offered; otherwise the handshake fails with 500, as the server broke RFC 6455 §4.2.2.
     *
     * @throws IllegalStateException if this decision is a rejection
     * @throws IllegalArgumentException if {@code subprotocol} is not a token
     */
    public UpgradeDecision withSubprotocol(String subprotocol) {
        requireAccepted();
        if (!HttpGrammar.isToken(subprotocol)) {
            throw new IllegalArgumentException("subprotocol is not a token: " + subprotocol);
        }
        return new UpgradeDecision(handler, subprotocol, headers, status, body);
    }

    /**
     * This acceptance with an extra header in the 101 response (for example {@code Set-Cookie}).
     *
     * @throws IllegalStateException if this decision is a rejection
     * @throws IllegalArgumentException if the name is not a token, the value holds CR, LF or NUL, or the
     *     name is one the handshake writes ({@code Upgrade}, {@code Connection}, {@code Sec-WebSocket-*} ...)
     */
    public UpgradeDecision withHeader(String name, String value) {
        requireAccepted();
        ReservedHeaders.checkHandshake(name);
        return new UpgradeDecision(handler, subprotocol, HttpHeaders.builder().addAll(headers).add(name, value).build(),
                status, body);
    }

    private void requireAccepted() {
        if (handler == null) {
            throw new IllegalStateException("only an accepting decision takes a subprotocol or headers");
        }
    }

    /** Whether the upgrade is accepted. */
    public boolean accepted() {
        return handler != null;
    }

    /** The handler of an accepted upgrade, else {@code null}. */
    public WebSocketHandler handler() {
        return handler;
    }

    /** The subprotocol the application chose, or {@code null} to let the policy choose. */
    public String subprotocol() {
        return subprotocol;
    }

    /** Extra response headers: of the 101 when accepted, of the error response when rejected. */
    public HttpHeaders headers() {
        return headers;
    }

    /** 101 when accepted, else the rejection status. */
    public int status() {
        return status;
    }

    /** The rejection body, empty when accepted. */
    public String body() {
        return body;
    }
}
