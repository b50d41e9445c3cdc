package io.duplex.conformance;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The testee's application, as in the Autobahn testees: echoes every text and binary message as received,
 * and records how the connection ended so a test can check the testee's own view of it.
 */
final class EchoHandler implements WebSocketHandler {

    /** What {@link WebSocketHandler#onClose} reported. */
    record Closed(CloseStatus status, boolean clean) {
    }

    final CompletableFuture<WebSocket> opened = new CompletableFuture<>();
    final CompletableFuture<Closed> closed = new CompletableFuture<>();
    final AtomicInteger closeCalls = new AtomicInteger();

    @Override
    public void onOpen(WebSocket socket) {
        opened.complete(socket);
    }

    @Override
    public void onText(WebSocket socket, String text) {
        socket.sendText(text);
    }

    @Override
    public void onBinary(WebSocket socket, ByteBuffer data) {
        socket.sendBinary(data);
    }

    /** With {@code WebSocketConfig.streaming()} on: each part is echoed as it comes, as a part. */
    @Override
    public void onTextFragment(WebSocket socket, String fragment, boolean last) {
        socket.sendText(fragment, last);
    }

    @Override
    public void onBinaryFragment(WebSocket socket, ByteBuffer fragment, boolean last) {
        socket.sendBinary(fragment, last);
    }

    @Override
    public void onClose(WebSocket socket, CloseStatus status, boolean clean) {
        closeCalls.incrementAndGet();
        closed.complete(new Closed(status, clean));
    }
}
