package io.duplex.nio;

import io.duplex.core.WebSocketConfig;
import java.util.concurrent.Executor;

/** The per-connection options of an endpoint, frozen from its builder. Immutable. */
final class ConnectionSettings {

    final WebSocketConfig config;
    final long maxBufferedBytes;
    final OverflowPolicy overflowPolicy;
    final long highWatermark;
    final long lowWatermark;
    final long handshakeTimeoutMillis;
    final long idleTimeoutMillis;
    final long pingIntervalMillis;
    final long pongTimeoutMillis;
    final long closeTimeoutMillis;
    final long closeDrainLimit;
    /** Where handler callbacks run; null: on the loop. */
    final Executor handlerExecutor;
    final int maxHandlerBacklogMessages;
    final long maxHandlerBacklogBytes;
    /** The endpoint's counts, shared by its connections. */
    final TransportMetrics metrics;

    ConnectionSettings(TransportBuilder<?> b) {
        this.config = b.config;
        this.maxBufferedBytes = b.maxBufferedBytes;
        this.overflowPolicy = b.overflowPolicy;
        this.highWatermark = b.highWatermark;
        this.lowWatermark = b.lowWatermark;
        this.handshakeTimeoutMillis = b.handshakeTimeout.toMillis();
        this.idleTimeoutMillis = b.idleTimeout.toMillis();
        this.pingIntervalMillis = b.pingInterval.toMillis();
        this.pongTimeoutMillis = b.pongTimeout.toMillis();
        this.closeTimeoutMillis = b.closeTimeout.toMillis();
        this.closeDrainLimit = b.closeDrainLimit;
        this.handlerExecutor = b.handlerExecutor;
        this.maxHandlerBacklogMessages = b.maxHandlerBacklogMessages;
        this.maxHandlerBacklogBytes = b.maxHandlerBacklogBytes;
        this.metrics = new TransportMetrics();
    }
}
