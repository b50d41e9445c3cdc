package io.duplex.nio;

import io.duplex.core.CloseStatus;

/**
 * What happens when a send would push a connection's outbound buffer past its hard limit
 * ({@link WebSocketServer.Builder#maxBufferedBytes}): the peer reads slower than the application sends.
 *
 * <p>The closing policies discard the queued frames that have not started to reach the socket, send a Close
 * frame with their code after what is left (at most the rest of one frame already partly written), and close
 * TCP once it is flushed or when the close timeout expires.
 */
public enum OverflowPolicy {

    /** The send's future fails with {@link OutboundOverflowException}; the connection stays open. */
    FAIL_SEND(0),

    /** The connection is failed with 1008 (policy violation). */
    CLOSE_POLICY_VIOLATION(CloseStatus.POLICY_VIOLATION),

    /** The connection is failed with 1013 (try again later). The default. */
    CLOSE_TRY_AGAIN_LATER(CloseStatus.TRY_AGAIN_LATER);

    private final int closeCode;

    OverflowPolicy(int closeCode) {
        this.closeCode = closeCode;
    }

    /** The close code the connection is failed with, or 0 when the policy keeps it open. */
    public int closeCode() {
        return closeCode;
    }
}
