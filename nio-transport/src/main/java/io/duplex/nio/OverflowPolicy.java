package io.duplex.nio;

import io.duplex.core.CloseStatus;

/**
 * What happens when a send would push a connection's outbound buffer past its hard limit
 * ({@link WebSocketServer.Builder#maxBufferedBytes}): the peer reads slower than the application sends.
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
