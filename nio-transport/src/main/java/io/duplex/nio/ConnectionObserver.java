package io.duplex.nio;

import io.duplex.core.CloseStatus;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.nio.internal.jfr.Events;
import java.nio.ByteBuffer;

/**
 * Stands between the open sessions of one loop and the application's handler they share, to count what only
 * the handler hears of (whole messages received, the close code), to stamp each connection's last message
 * received (for its idle release) and to record the connections' JFR events.
 * Each connection keeps its own byte counts and opening time for its closed event, so one observer serves
 * every connection of the loop with the same handler ({@link LoopCounters#observer}): it holds nothing per
 * connection. Loop thread only.
 */
final class ConnectionObserver implements WebSocketHandler {

    private final WebSocketHandler handler;
    private final LoopCounters counters;
    private final TransportMetrics metrics;

    /** The handler this one counts for and passes every event to (the application's, or its executor's). */
    WebSocketHandler observed() {
        return handler;
    }

    ConnectionObserver(WebSocketHandler handler, LoopCounters counters, TransportMetrics metrics) {
        this.handler = handler;
        this.counters = counters;
        this.metrics = metrics;
    }

    void bytesIn(long n) {
        counters.bytesIn(n);
    }

    void bytesOut(long n) {
        counters.bytesOut(n);
    }

    void messageOut() {
        counters.messageOut();
    }

    private static Connection conn(WebSocket socket) {
        return ((NioWebSocket) socket).connection();
    }

    private static String role(Connection conn) {
        return conn instanceof ServerConnection ? "server" : "client";
    }

    @Override
    public void onOpen(WebSocket socket) {
        Connection conn = conn(socket);
        conn.sessionOpened();
        counters.opened();
        Events.connectionOpened(conn.remoteAddress(), role(conn));
        handler.onOpen(socket);
    }

    @Override
    public void onText(WebSocket socket, String text) {
        counters.messageIn();
        conn(socket).messageMoved();
        handler.onText(socket, text);
    }

    @Override
    public void onBinary(WebSocket socket, ByteBuffer data) {
        counters.messageIn();
        conn(socket).messageMoved();
        handler.onBinary(socket, data);
    }

    @Override
    public void onTextFragment(WebSocket socket, String fragment, boolean last) {
        conn(socket).messageMoved();
        if (last) {
            counters.messageIn();
        }
        handler.onTextFragment(socket, fragment, last);
    }

    @Override
    public void onBinaryFragment(WebSocket socket, ByteBuffer fragment, boolean last) {
        conn(socket).messageMoved();
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
        Connection conn = conn(socket);
        if (conn.sessionWasOpened()) {
            counters.closed();
        }
        Events.connectionClosed(conn.remoteAddress(), role(conn), status.code(), status.reason(), clean,
                conn.openNanos(), conn.bytesIn(), conn.bytesOut());
        metrics.closed(status.code(), clean);
        handler.onClose(socket, status, clean);
    }
}
