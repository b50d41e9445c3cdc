package io.duplex.nio;

import java.io.IOException;

/** A send was refused because the connection's outbound buffer is at its hard limit. */
public final class OutboundOverflowException extends IOException {

    private static final long serialVersionUID = 1L;

    /** @param message the buffered amount and the limit */
    public OutboundOverflowException(String message) {
        super(message);
    }
}
