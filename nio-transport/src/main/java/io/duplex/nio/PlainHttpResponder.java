package io.duplex.nio;

import io.duplex.core.HttpHeaders;
import io.duplex.core.engine.ServerHandshake;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a server's plain HTTP requests (those without {@code Upgrade: websocket}) with the application's
 * {@link HttpHandler}, or with what a WebSocket endpoint answers without one, and closes the connection after
 * each response. Thread-safe: it holds only the handler.
 */
final class PlainHttpResponder {

    private static final Logger LOG = LoggerFactory.getLogger(PlainHttpResponder.class);

    /** Null when the server has none. */
    private final HttpHandler httpHandler;

    PlainHttpResponder(HttpHandler httpHandler) {
        this.httpHandler = httpHandler;
    }

    /**
     * The response to {@code request}, its body read: the HTTP handler's, else
     * 426 to {@code GET} and {@code HEAD} and 405 to other methods; a {@code HEAD} request gets the head of the
     * response alone.
     */
    ByteBuffer respond(HttpRequest request) {
        String method = request.method();
        boolean readOnly = method.equals("GET") || method.equals("HEAD");
        ByteBuffer response;
        if (httpHandler == null) {
            response = readOnly ? ServerHandshake.upgradeRequiredResponse() : methodNotAllowed();
        } else {
            HttpResponse r;
            try {
                r = httpHandler.handle(request);
            } catch (RuntimeException e) {
                LOG.warn("HTTP handler failed for {}", request, e);
                r = HttpResponse.text(500, "Internal Server Error", "internal error");
            }
            response = r != null ? closingResponse(r.status(), r.reason(), r.headers(), r.bodyUnsafe())
                    : readOnly ? closingResponse(404, "Not Found", HttpHeaders.empty(),
                            "Not found.\n".getBytes(StandardCharsets.US_ASCII))
                    : methodNotAllowed();
        }
        return method.equals("HEAD") ? headOnly(response) : response;
    }

    private static ByteBuffer methodNotAllowed() {
        return closingResponse(405, "Method Not Allowed", HttpHeaders.builder().add("Allow", "GET, HEAD").build(),
                "Method not allowed.\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code response} cut after its header block: what a HEAD request gets (RFC 9110 §9.3.2). */
    private static ByteBuffer headOnly(ByteBuffer response) {
        for (int i = response.position(); i + 3 < response.limit(); i++) {
            if (response.get(i) == '\r' && response.get(i + 1) == '\n' && response.get(i + 2) == '\r'
                    && response.get(i + 3) == '\n') {
                response.limit(i + 4);
                break;
            }
        }
        return response;
    }

    /** A response after which the server closes the connection, saying so ({@code Connection: close}). */
    static ByteBuffer closingResponse(int status, String reason, HttpHeaders headers, byte[] body) {
        HttpHeaders h = headers.contains("Connection") ? headers
                : HttpHeaders.builder().addAll(headers).add("Connection", "close").build();
        return ServerHandshake.httpResponse(status, reason, h, body);
    }
}
