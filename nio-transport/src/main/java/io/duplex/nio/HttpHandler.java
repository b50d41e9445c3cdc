package io.duplex.nio;

/**
 * Answers plain HTTP requests (those without {@code Upgrade: websocket}) on a {@link WebSocketServer}, for
 * example to serve the page that opens the WebSocket; {@link HttpRoutes} routes them by path and method.
 * Runs on an event loop thread: do not block. The connection is closed after the response.
 *
 * <p>The server answers for the handler where HTTP requires it: a {@code HEAD} request gets the headers of the
 * response to the same {@code GET} and no body; a request with a body has it read first (see
 * {@link WebSocketServer.Builder#maxHttpBodyBytes}). Without a handler, {@code GET} and {@code HEAD} get 426
 * Upgrade Required and other methods 405 Method Not Allowed.
 */
@FunctionalInterface
public interface HttpHandler {

    /**
     * The response to {@code request}, or {@code null} when this handler does not serve it: the server then
     * answers 404 Not Found to {@code GET} and {@code HEAD} and 405 Method Not Allowed (with
     * {@code Allow: GET, HEAD}) to other methods. An exception thrown here becomes a 500 response.
     */
    HttpResponse handle(HttpRequest request);
}
