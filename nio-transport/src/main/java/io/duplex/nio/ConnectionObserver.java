package io.duplex.nio;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.nio.internal.jfr.Events;
import java.nio.ByteBuffer;

/**
 * Stands between an open connection's session and the application's handler to count what only the handler
 * hears of (whole messages received, the close code) and to record the connection's JFR events; keeps the
 * connection's own byte counts and opening time for its closed event. Made when the session opens; loop
 * thread only.
 */
final class ConnectionObserver implements WebSocketHandler {

    private final WebSocketHandler handler;
    private final Connection conn;
    private final LoopCounters counters;
    private final long openedNanos;
    private long bytesIn;
    private long bytesOut;
    /** Whether {@link #onOpen} ran, so the open count is only taken back from a connection that added to it. */
    private boolean opened;

    /** The handler this one counts for and passes every event to (the application's, or its executor's). */
    WebSocketHandler observed() {
        return handler;
    }

    ConnectionObserver(WebSocketHandler handler, Connection conn, LoopCounters counters) {
        this.handler = handler;
        this.conn = conn;
        this.counters = counters;
        this.openedNanos = System.nanoTime();
    }

    void bytesIn(long n) {
        bytesIn += n;
        counters.bytesIn(n);
    }

    void bytesOut(long n) {
        bytesOut += n;
        counters.bytesOut(n);
    }

    void messageOut() {
        counters.messageOut();
    }

    private String role() {
        return conn instanceof ServerConnection ? "server" : "client";
    }

    @Override
    public void onOpen(WebSocket socket) {
        opened = true;
        counters.opened();
        Events.connectionOpened(conn.remoteAddress(), role());
        handler.onOpen(socket);
    }

    @Override
    public void onText(WebSocket socket, String text) {
        counters.messageIn();
        handler.onText(socket, text);
    }

    @Override
    public void onBinary(WebSocket socket, ByteBuffer data) {
        counters.messageIn();
        handler.onBinary(socket, data);
    }

    @Override
    public void onTextFragment(WebSocket socket, String fragment, boolean last) {
        if (last) {
            counters.messageIn();
        }
        handler.onTextFragment(socket, fragment, last);
    }

    @Override
    public void onBinaryFragment(WebSocket socket, ByteBuffer fragment, boolean last) {
        if (last) {
            counters.messageIn();
        }
        handler.onBinaryFragment(socket, fragment, last);
    }

    @Override
    public void onPing(WebSocket socket, ByteBuffer payload) {
        handler.onPing(socket, payload);
    }

    @Override
    public void onPong(WebSocket socket, ByteBuffer payload) {
        handler.onPong(socket, payload);
    }

    @Override
    public void onWritabilityChanged(WebSocket socket, boolean writable) {
        handler.onWritabilityChanged(socket, writable);
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
        handler.onError(socket, error);
    }

    @Override
    public void onClose(WebSocket socket, CloseStatus status, boolean clean) {
        if (opened) {
            counters.closed();
        }
        Events.connectionClosed(conn.remoteAddress(), role(), status.code(), status.reason(), clean,
                System.nanoTime() - openedNanos, bytesIn, bytesOut);
        conn.settings.metrics.closed(status.code(), clean);
        handler.onClose(socket, status, clean);
    }
}
