package io.duplex.nio;

/**
 * Hears of an endpoint's rare events as they happen: handshakes, closes, overflows and liveness timeouts, on
 * the connection's event loop thread. Set it with {@link TransportMetrics#listener}; every method has a no-op
 * default and the default listener does nothing.
 *
 * <p>Per-message and per-byte counts are not pushed here: the transport counts them itself, per loop and
 * without a call per message, and {@link TransportMetrics} reads them. Implementations must be quick and must
 * not block, like any handler: they run on the event loop.
 */
public interface MetricsListener {

    /** A listener that does nothing: the default. */
    MetricsListener NONE = new MetricsListener() { };

    /** An opening handshake succeeded (server: 101 sent; client: 101 received and checked). */
    default void handshakeAccepted() {
    }

    /** A server answered an upgrade request with HTTP {@code status} instead of 101 (400, 403, 404, 503, ...). */
    default void handshakeRejected(int status) {
    }

    /**
     * An opening handshake ended with no answer: it timed out, the peer left, it was shed under load, or (client)
     * the server's answer was refused.
     */
    default void handshakeFailed() {
    }

    /** An open connection closed with {@code code}; {@code clean} when both Close frames were exchanged. */
    default void closed(int code, boolean clean) {
    }

    /** A connection's outbound buffer passed its hard limit: it fails with {@code code} (the policy's). */
    default void outboundOverflow(int code) {
    }

    /** A connection failed with 1001 for silence: {@code idle} for the idle timeout, else an unanswered keepalive Ping. */
    default void livenessTimeout(boolean idle) {
    }
}
