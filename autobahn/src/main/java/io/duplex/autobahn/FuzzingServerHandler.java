package io.duplex.autobahn;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * One client connection to the suite's fuzzing server: echoes (for {@code /runCase}) or only listens (for
 * {@code /getCaseCount}, whose answer is a text message), and tells when the server has closed it.
 */
final class FuzzingServerHandler implements WebSocketHandler {

    private final boolean echo;
    private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
    private volatile String firstText;

    private FuzzingServerHandler(boolean echo) {
        this.echo = echo;
    }

    /** A handler that sends every message back. */
    static FuzzingServerHandler echoing() {
        return new FuzzingServerHandler(true);
    }

    /** A handler that keeps the first text message and sends nothing. */
    static FuzzingServerHandler listening() {
        return new FuzzingServerHandler(false);
    }

    /** Completes with the close status when the connection has ended, whoever ended it. */
    CompletableFuture<CloseStatus> closed() {
        return closed;
    }

    /** The first text message received, or {@code null}. */
    String firstText() {
        return firstText;
    }

    @Override
    public void onText(WebSocket socket, String text) {
        if (echo) {
            socket.sendText(text);
        } else if (firstText == null) {
            firstText = text;
        }
    }

    @Override
    public void onBinary(WebSocket socket, ByteBuffer data) {
        if (echo) {
            socket.sendBinary(data);
        }
    }

    @Override
    public void onClose(WebSocket socket, CloseStatus status, boolean clean) {
        closed.complete(status);
    }
}
