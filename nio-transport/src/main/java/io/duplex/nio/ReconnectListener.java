package io.duplex.nio;

import io.duplex.core.WebSocket;
import java.time.Duration;

/**
 * Hears what a {@link ReconnectingWebSocket} does between connections. Every method has a no-op default
 * and runs on the reconnecting socket's event loop thread, so it must not block; it may call the socket
 * (a {@code close()} from here stops the scheduled retry).
 */
public interface ReconnectListener {

    /**
     * A retry is scheduled.
     *
     * @param attempt the retry's number in this outage, from 1
     * @param delay how long until it starts (already jittered)
     * @param cause why: the failed connect's error, or {@code null} after an open connection closed (its
     *     status went to the handler's {@code onClose})
     */
    default void onRetryScheduled(int attempt, Duration delay, Throwable cause) {
    }

    /**
     * A connection opened again after an open one was lost, right after the handler's {@code onOpen}: the
     * place to re-subscribe, if {@code onOpen} does not already. Not called for the first open, even if it
     * took retries.
     *
     * @param socket the reconnecting socket
     * @param attempts the retries this outage took, at least 1
     */
    default void onReconnected(WebSocket socket, int attempts) {
    }
}
