package io.duplex.core;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * One open WebSocket connection, as seen by the application: the side that sends.
 *
 * <p>Each send returns a future that completes when the frame's bytes have been handed to the transport's
 * socket, or completes exceptionally with the reason they never will be (the connection closed, the
 * outbound buffer limit was hit, the argument was invalid). Whether sends may be called from any thread
 * depends on the transport: {@code duplex-nio} allows it and keeps each message's frames together; the
 * core's own {@link io.duplex.core.engine.Session Session} is single-threaded.
 *
 * <p>A buffer passed to a send method is consumed: its position ends at its limit. Its bytes must not be
 * changed until the returned future completes (a transport may write them later from another thread). A
 * send made from within a handler callback on the connection's own thread is done with a buffer of the
 * caller's own when it returns, so the caller may reuse it at once. Echoing a buffer a callback received is
 * safe too: that buffer is the connection's, and read-only for the handler (see {@link WebSocketHandler}).
 *
 * <p>{@link #offerText} and {@link #offerBinary} send a whole message without a future, for a sender that
 * would ignore it anyway (an echo, a fan-out): they answer at once whether the message was accepted, and a
 * failure found later reaches the {@link WebSocketHandler} instead.
 */
public interface WebSocket {

    /** Sends a whole text message. */
    CompletableFuture<Void> sendText(CharSequence text);

    /**
     * Sends one part of a text message: the first call starts the message, the call with {@code last} true
     * ends it. No other data message may be sent until it ends; control frames may.
     */
    CompletableFuture<Void> sendText(CharSequence fragment, boolean last);

    /** Sends a whole binary message: the bytes between {@code data}'s position and limit. */
    CompletableFuture<Void> sendBinary(ByteBuffer data);

    /** Sends one part of a binary message; see {@link #sendText(CharSequence, boolean)}. */
    CompletableFuture<Void> sendBinary(ByteBuffer fragment, boolean last);

    /**
     * Sends a whole text message like {@link #sendText(CharSequence)}, with the same framing and extensions,
     * but creates no future. The core {@link io.duplex.core.engine.Session Session}, and {@code duplex-nio} on
     * the connection's own thread, then allocate nothing for the send in steady state when no extension encodes the message.
     *
     * <p>Returns {@code false}, having sent nothing and thrown nothing, where {@code sendText} would have
     * failed its future at once: the WebSocket is not open yet, is closing or closed, a message is being sent
     * in parts, or the transport refuses it at once (in {@code duplex-nio}, the outbound buffer limit with
     * the {@code FAIL_SEND} policy; the closing policies also fail the connection). {@code true} means the
     * message was accepted: a failure found later (a write error, the connection closing before the bytes go
     * out) is reported as for a send whose future nobody watches, through {@link WebSocketHandler#onError} and
     * {@link WebSocketHandler#onClose} when the connection ends because of it. A transport that hands a send
     * from another thread to the connection's thread may answer {@code true} for a message it then drops
     * because the connection closed in between; see the transport's documentation.
     *
     * @return whether the message was accepted for sending
     * @throws IllegalArgumentException if {@code text} holds an unpaired surrogate, so it has no UTF-8 form
     *     ({@code sendText} fails its future with the same exception); nothing is sent. Checked only once the
     *     message would otherwise be accepted: on a closed WebSocket the answer is {@code false}.
     * @throws NullPointerException if {@code text} is null
     */
    boolean offerText(CharSequence text);

    /**
     * Sends a whole binary message like {@link #sendBinary(ByteBuffer)}: the bytes between {@code data}'s
     * position and limit, consumed and lent as for {@code sendBinary}. Creates no future; returns {@code false},
     * having sent nothing and left {@code data} as it was, in the cases {@link #offerText} lists, and reports
     * later failures the same way.
     *
     * @return whether the message was accepted for sending
     * @throws NullPointerException if {@code data} is null
     */
    boolean offerBinary(ByteBuffer data);

    /** Sends a Ping with up to 125 bytes of payload. The peer's Pong arrives at {@link WebSocketHandler#onPong}. */
    CompletableFuture<Void> sendPing(ByteBuffer payload);

    /** Sends an unsolicited Pong with up to 125 bytes of payload (a heartbeat that expects no answer). */
    CompletableFuture<Void> sendPong(ByteBuffer payload);

    /**
     * Starts the close handshake with {@code code} and {@code reason}. The future completes when our Close
     * frame is written; {@link WebSocketHandler#onClose} reports the end of the connection.
     *
     * @throws IllegalArgumentException if the code may not be sent or the reason is too long
     *     ({@link CloseStatus#of})
     */
    CompletableFuture<Void> close(int code, String reason);

    /** Starts the close handshake with 1000 (normal closure) and no reason. */
    default CompletableFuture<Void> close() {
        return close(CloseStatus.NORMAL_CLOSURE, "");
    }

    /** Drops the connection at once without a close handshake; {@code onClose} reports 1006. */
    void abort();

    /** Whether data may still be sent: the handshake completed and no Close frame has been sent. */
    boolean isOpen();

    /** Bytes accepted by send calls but not yet written to the socket. */
    long bufferedAmount();

    /**
     * Blocks the calling thread until the connection may take more sends without its outbound buffer growing
     * past the transport's high watermark: at once when {@link #bufferedAmount()} is at or below it, else
     * once the buffer has drained to the low watermark (the points at which
     * {@link WebSocketHandler#onWritabilityChanged} reports). For code that may block, a handler on a virtual
     * thread for instance, sending a stream of messages: send, then await, and the buffer stays within a
     * message or two of the high watermark instead of reaching the hard limit and its overflow policy. To wait
     * for one message to be written, wait on the future its send returned ({@code sendText(text).get(5, SECONDS)}).
     *
     * <p>The default throws {@link UnsupportedOperationException}: the core
     * {@link io.duplex.core.engine.Session Session} buffers nothing and owns no thread to wait on. {@code duplex-nio} implements it; there it must not be called on the
     * connection's event loop (a callback run on the loop), which it would block: that throws
     * {@link IllegalStateException}.
     *
     * @param timeout how long to wait at most
     * @return true when writable; false if the timeout expired first or the connection is no longer open
     * @throws InterruptedException if the thread was interrupted while waiting
     */
    default boolean awaitWritable(java.time.Duration timeout) throws InterruptedException {
        throw new UnsupportedOperationException("this WebSocket's transport does not buffer sends: " + getClass().getName());
    }

    /** Stops reading from the peer until {@link #resumeReading()}; the peer's sends then back up in TCP. */
    void pauseReading();

    /** Resumes reading after {@link #pauseReading()}. */
    void resumeReading();

    /** The negotiated subprotocol, or the empty string when none was. */
    String subprotocol();

    /** The negotiated {@code Sec-WebSocket-Extensions} value, or the empty string when none was. */
    String extensions();

    /**
     * The request of the opening handshake (path, query, headers).
     *
     * <p>On a server its headers lack {@code Sec-WebSocket-Key}: the handshake consumed the key, a single-use
     * nonce good only for computing {@code Sec-WebSocket-Accept} (RFC 6455 §4.2.1, §4.2.2), and every idle
     * connection would otherwise keep its ~45 bytes. See {@link HandshakeRequest#headers()}.
     */
    HandshakeRequest handshakeRequest();

    /** The peer's address, or {@code null} when the transport has none. */
    InetSocketAddress remoteAddress();

    /** The object attached to this connection by {@link #attach}, or {@code null}. */
    <T> T attachment();

    /** Attaches an application object to this connection. */
    void attach(Object attachment);

    /**
     * This connection's id: on a server, unique among the connections that server accepted since it was
     * built (never reused), and stable for the connection's life, also in {@code onClose}. Zero when the
     * transport assigns none (the default, and client connections).
     */
    default long id() {
        return 0;
    }
}
