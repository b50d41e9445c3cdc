package io.duplex.core;

import java.nio.ByteBuffer;

/**
 * Receives the events of one WebSocket connection. Every method has a no-op default, so a handler overrides
 * only what it needs.
 *
 * <p>A transport calls a connection's handler from one thread at a time (with {@code duplex-nio}: the
 * connection's event loop, or its handler executor when one is set), so a handler needs no locks for its
 * own connection's state. Handlers called on an event loop must not block: a blocked callback stalls every
 * connection on that thread.
 *
 * <p>Buffers passed to callbacks are the connection's memory, lent to the handler until the callback returns:
 * read them, send them (an echo), slice them, but do not change their bytes, and copy what must outlive the
 * call. Because nobody changes them, an echo of a large binary message can reach the socket without a copy.
 *
 * <p>{@link #onClose} is called exactly once per opened connection, whatever ended it; no other callback
 * follows it.
 */
public interface WebSocketHandler {

    /** The opening handshake completed; the connection may send. */
    default void onOpen(WebSocket socket) {
    }

    /** A whole text message arrived, already validated as UTF-8. */
    default void onText(WebSocket socket, String text) {
    }

    /** A whole binary message arrived. {@code data} is lent for this call and read-only, as every received buffer. */
    default void onBinary(WebSocket socket, ByteBuffer data) {
    }

    /**
     * A part of a text message arrived (only when {@link WebSocketConfig#streaming()} is on). Each part is
     * valid UTF-8 on its own: a code point split across frames is delivered whole with the later part.
     *
     * @param last whether this part ends the message
     */
    default void onTextFragment(WebSocket socket, String fragment, boolean last) {
    }

    /**
     * A part of a binary message arrived (only when {@link WebSocketConfig#streaming()} is on).
     * {@code fragment} is valid only during this call.
     *
     * @param last whether this part ends the message
     */
    default void onBinaryFragment(WebSocket socket, ByteBuffer fragment, boolean last) {
    }

    /** A Ping arrived. The session has already answered it with a Pong; {@code payload} is valid only during this call. */
    default void onPing(WebSocket socket, ByteBuffer payload) {
    }

    /** A Pong arrived (solicited or not). {@code payload} is valid only during this call. */
    default void onPong(WebSocket socket, ByteBuffer payload) {
    }

    /**
     * Transport buffering crossed a watermark: {@code writable} turns false above the high watermark and true
     * again below the low one. Only transports that buffer report this.
     */
    default void onWritabilityChanged(WebSocket socket, boolean writable) {
    }

    /**
     * Something went wrong on this connection: a protocol violation by the peer, an I/O error, a timeout, or
     * an exception thrown by this handler. {@link #onClose} follows.
     */
    default void onError(WebSocket socket, Throwable error) {
    }

    /**
     * The connection is closed. Called exactly once.
     *
     * @param status the code and reason of the peer's Close frame when one arrived
     *     ({@link CloseStatus#NO_STATUS_RECEIVED} when it carried no code); the code we failed the
     *     connection with when the peer broke the protocol or a limit, timeout or policy ended it; or
     *     {@link CloseStatus#ABNORMAL_CLOSURE} when the connection died without a Close frame from the peer
     * @param clean whether a close handshake completed (Close frames were exchanged both ways)
     */
    default void onClose(WebSocket socket, CloseStatus status, boolean clean) {
    }
}
