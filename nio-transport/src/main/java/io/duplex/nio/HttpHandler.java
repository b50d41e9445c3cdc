package io.duplex.nio;

import io.duplex.core.HandshakeRequest;

/**
 * Answers plain HTTP requests (those without {@code Upgrade: websocket}) on a {@link WebSocketServer}, for
 * example to serve the page that opens the WebSocket. Runs on an event loop thread: do not block. The
 * connection is closed after the response. Without one, such requests get 426 Upgrade Required.
 */
@FunctionalInterface
public interface HttpHandler {

    /** The response to {@code request}. An exception thrown here becomes a 500 response. */
    HttpResponse handle(HandshakeRequest request);
}
