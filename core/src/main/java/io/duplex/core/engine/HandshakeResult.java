package io.duplex.core.engine;

import io.duplex.core.Extension;
import io.duplex.core.HandshakeRequest;
import io.duplex.core.WebSocketHandler;
import java.util.List;
import java.util.Objects;

/**
 * What an opening handshake agreed (RFC 6455 §4.1, §4.2.2): the client's request, the subprotocol, the
 * extensions with their negotiated parameters, and the handler the session reports to. It is everything a
 * {@link Session} needs from the handshake, in one value, so none of it can be left out:
 *
 * <pre>{@code
 * Session session = Session.server(serverHandshake.result()).config(config).outbound(transport).build();
 * Session session = Session.client(clientHandshake.result(handler)).config(config).outbound(transport).build();
 * }</pre>
 *
 * <p>Obtained from {@link ServerHandshake#result()} once it is {@link ServerHandshake.State#ACCEPTED}, or
 * {@link ClientHandshake#result(WebSocketHandler)} once it is {@link ClientHandshake.State#OPENED}.
 */
public final class HandshakeResult {

    private final HandshakeRequest request;
    private final String subprotocol;
    private final String extensionsHeader;
    private final List<Extension> extensions;
    private final WebSocketHandler handler;

    HandshakeResult(HandshakeRequest request, String subprotocol, String extensionsHeader,
            List<Extension> extensions, WebSocketHandler handler) {
        this.request = Objects.requireNonNull(request, "request");
        this.subprotocol = Objects.requireNonNull(subprotocol, "subprotocol");
        this.extensionsHeader = Objects.requireNonNull(extensionsHeader, "extensionsHeader");
        this.extensions = List.copyOf(extensions);
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * The opening request: on a server the client's (its headers lack {@code Sec-WebSocket-Key}), on a client
     * the one it sent.
     */
    public HandshakeRequest request() {
        return request;
    }

    /** The subprotocol agreed, {@code ""} if none. */
    public String subprotocol() {
        return subprotocol;
    }

    /** The {@code Sec-WebSocket-Extensions} value agreed, {@code ""} if none. */
    public String extensionsHeader() {
        return extensionsHeader;
    }

    /** The extensions agreed, in the order of the response header, each holding its negotiated parameters. */
    public List<Extension> extensions() {
        return extensions;
    }

    /** The handler the session reports to: the server policy's choice, or the one the client passed. */
    public WebSocketHandler handler() {
        return handler;
    }

    @Override
    public String toString() {
        return "HandshakeResult[" + request.target() + (subprotocol.isEmpty() ? "" : ", subprotocol " + subprotocol)
                + (extensionsHeader.isEmpty() ? "" : ", extensions " + extensionsHeader) + "]";
    }
}
