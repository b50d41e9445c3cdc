package io.duplex.nio;

/**
 * One handler callback waiting in a {@link CallbackQueue}: which method, its argument (payloads already
 * copied, as the loop's buffers are reused once its callback returns), and what it counts against the
 * connection's backlog bound. Linked to the next one, so a queue needs no array of its own.
 */
final class Callback {

    /** Which {@link io.duplex.core.WebSocketHandler} method to call. */
    enum Kind { OPEN, TEXT, BINARY, TEXT_FRAGMENT, BINARY_FRAGMENT, PING, PONG, WRITABILITY, ERROR, CLOSE }

    final Kind kind;
    /** The String, ByteBuffer, Throwable or CloseStatus argument, or null. */
    final Object value;
    /** {@code last}, {@code writable} or {@code clean}, by kind. */
    final boolean flag;
    /** Payload bytes (a text's chars) counted against the backlog bound. */
    final long size;
    Callback next;

    Callback(Kind kind, Object value, boolean flag, long size) {
        this.kind = kind;
        this.value = value;
        this.flag = flag;
        this.size = size;
    }
}
