package io.duplex.nio;

import java.io.IOException;

/**
 * A send on a {@link ReconnectingWebSocket} found no open connection: it is between connections (waiting
 * to retry, or connecting) and has no outbox, or it is stopped (then also the fate of a message that waited
 * in its outbox). The caller decides whether to send again once {@code onOpen} reports a new connection.
 */
public class NotConnectedException extends IOException {

    private static final long serialVersionUID = 1L;

    /** @param message the reconnecting socket's state */
    public NotConnectedException(String message) {
        super(message);
    }
}
