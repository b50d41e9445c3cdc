package io.duplex.core.engine;

import io.duplex.core.CloseStatus;
import io.duplex.core.Transport;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.internal.session.ClosePayload;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Session}'s protocol state and its closing handshake, step by step as RFC 6455 §7 gives them. The
 * session extends this class, so the state machine costs a connection no object of its own; what a step does
 * to the wire (the Close frame), to the receive pipeline and to the extensions is the session's, through the
 * abstract methods.
 *
 * <pre>
 *   CONNECTING ──open()──► OPEN ──close() / a protocol error──► CLOSING ──the peer's Close──► CLOSED
 *                            └──the peer's Close: answered at once (§5.5.1)────────────────────┘
 *   any state ──TCP ended, the close timeout, abort()──► CLOSED (1006)
 * </pre>
 */
abstract class CloseHandshake {

    private Session.State state = Session.State.CONNECTING;
    /** Whether the transport was asked to close TCP, or told us it did: it is asked once. */
    private boolean transportClosing;
    /** Completes when our Close frame is written; made with it. */
    private CompletableFuture<Void> closeFuture;

    /** The handler the session reports to. */
    public abstract WebSocketHandler handler();

    /** The {@link WebSocket} the handler is given. */
    abstract WebSocket facade();

    /** The transport the session writes to. */
    abstract Transport transport();

    /** Writes a Close frame with {@code payload}; {@code done} completes when it is written. */
    abstract void writeClose(ByteBuffer payload, CompletableFuture<Void> done);

    /** Stops the receive pipeline: nothing is decoded from now on. */
    abstract void stopDecoding();

    /** Releases what the negotiated extensions hold; a failure is reported to {@code onError}. */
    abstract void releaseExtensions();

    /** The protocol state. */
    public final Session.State state() {
        return state;
    }

    /** Whether data may be sent and received: {@link Session.State#OPEN}. */
    public final boolean isOpen() {
        return state == Session.State.OPEN;
    }

    /** Whether we sent a Close and wait for the peer's ({@link Session.State#CLOSING}). */
    public final boolean isClosing() {
        return state == Session.State.CLOSING;
    }

    /** Whether {@link WebSocketHandler#onClose} has been reported ({@link Session.State#CLOSED}). */
    public final boolean isClosed() {
        return state == Session.State.CLOSED;
    }

    /** Reports {@link WebSocketHandler#onOpen}. Call once, after the handshake response was written or read. */
    public final void open() {
        if (state != Session.State.CONNECTING) {
            throw new IllegalStateException("open() was already called: the session is " + state);
        }
        // §4.1, §4.2.2: the WebSocket Connection is established.
        state = Session.State.OPEN;
        HandlerCalls.open(this);
    }

    /**
     * Starts the closing handshake with {@code code} and {@code reason} (§7.1.2); the returned future completes
     * when our Close is written. Before {@link #open()} it fails; once closing or closed it returns the first
     * Close's future.
     */
    public final CompletableFuture<Void> close(int code, String reason) {
        CloseStatus status = CloseStatus.of(code, reason);
        switch (state) {
            case CONNECTING:
                return CompletableFuture.failedFuture(new IllegalStateException("the WebSocket is not open"));
            case OPEN:
                // §7.1.2: start the closing handshake; the peer answers with its own Close (§7.1.3).
                sendClose(status);
                return closeFuture;
            default:
                return closeFuture != null ? closeFuture : CompletableFuture.completedFuture(null);
        }
    }

    /** The peer's Close arrived, already validated (§5.5.1, §7.1.3). */
    final void closeReceived(CloseStatus status) {
        // §5.5.1: nothing the peer sends after its Close is read.
        stopDecoding();
        if (state == Session.State.OPEN) {
            // §5.5.1: answer a Close with a Close, echoing its status code.
            sendClose(status);
        }
        // §7.1.1: having both sent and received a Close, the server closes TCP first; the client waits for it,
        // up to the transport's close timeout.
        if (!isClient()) {
            closeTransport();
        }
        // §7.1.4: the WebSocket Connection is Closed, cleanly: both Close frames were exchanged.
        report(status, true);
    }

    /** Whether this is the client's end, which waits for the server to close TCP (§7.1.1). */
    abstract boolean isClient();

    /**
     * The TCP connection ended: the peer closed it, it was reset, or an I/O error ({@code cause}, may be
     * {@code null}) occurred. Reports {@link WebSocketHandler#onClose} if not yet reported: clean when the
     * close handshake had completed, 1006 otherwise.
     */
    public final void transportClosed(Throwable cause) {
        transportClosing = true;
        if (state == Session.State.CLOSED) {
            return;
        }
        if (cause != null) {
            HandlerCalls.error(this, cause);
        }
        // §7.1.5: closed without a Close frame received, the close code is 1006.
        report(CloseStatus.ABNORMAL, false);
    }

    /** The close timeout armed at {@link Transport#closeStarted()} expired: the session gives up waiting. */
    public final void closeTimeoutExpired() {
        abort();
    }

    /** Closes TCP at once, without a closing handshake; {@code onClose} reports 1006 (§7.1.5). */
    public final void abort() {
        closeTransport();
        if (state != Session.State.CLOSED) {
            report(CloseStatus.ABNORMAL, false);
        }
    }

    /**
     * Fails the connection for a reason found outside the protocol stream (idle timeout, missing pong,
     * outbound buffer overflow): reports {@code onError} when {@code cause} is given, sends a Close with
     * {@code code} if none was sent, closes the transport, and reports {@code onClose} with that code.
     */
    public final void fail(int code, String reason, Throwable cause) {
        failConnection(code, reason, cause);
    }

    /** Fail the WebSocket Connection (§7.1.7): tell the peer why if we still may, then close TCP. */
    final void failConnection(int code, String reason, Throwable cause) {
        if (state == Session.State.CLOSED) {
            return;
        }
        if (cause != null) {
            HandlerCalls.error(this, cause);
        }
        CloseStatus status = CloseStatus.received(code, ClosePayload.fitReason(reason));
        if (state == Session.State.OPEN && CloseStatus.isSendable(code)) {
            sendClose(CloseStatus.of(code, status.reason()));
        }
        stopDecoding();
        closeTransport();
        report(status, false);
    }

    /** §7.1.2: send our Close; from now on no data frame goes out (§5.5.1), and the transport arms its timer. */
    private void sendClose(CloseStatus status) {
        ByteBuffer payload = ByteBuffer.allocate(125);
        if (status.code() != CloseStatus.NO_STATUS_RECEIVED) {
            ClosePayload.write(status, payload);
        }
        payload.flip();
        state = Session.State.CLOSING;
        closeFuture = new CompletableFuture<>();
        writeClose(payload, closeFuture);
        transport().closeStarted();
    }

    /** §7.1.1: Close the WebSocket Connection, asking the transport once. */
    private void closeTransport() {
        if (!transportClosing) {
            transportClosing = true;
            transport().closeTransport();
        }
    }

    /** The connection is closed (§7.1.4): release what it holds and tell the handler, once. */
    private void report(CloseStatus status, boolean clean) {
        state = Session.State.CLOSED;
        releaseExtensions();
        HandlerCalls.closed(this, status, clean);
    }
}
