package io.duplex.nio;

import io.duplex.nio.internal.loop.EventLoop;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The counts of one endpoint (a {@link WebSocketServer} or a {@link WebSocketClient}), always kept and read
 * from any thread: open connections, messages and bytes each way, handshakes by outcome, closes by code,
 * overflow and liveness closes. Counters only grow; {@link #openConnections()} is a gauge. The per-loop figures
 * (queue depth, lag, stalls) are the {@link EventLoopGroup}'s.
 *
 * <p>Messages and bytes are counted on each loop in fields of its own, with no call and no shared write per
 * message; a read sums the loops, so it is as fresh as the loops' last stores, never torn. Bytes are WebSocket
 * frame bytes after the opening handshake: after TLS decryption inbound, before TLS encryption outbound.
 * Messages are whole data messages (a message sent or received in parts counts once, at its last part);
 * control frames are not messages.
 */
public final class TransportMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(TransportMetrics.class);

    private volatile MetricsListener listener = MetricsListener.NONE;
    /** One set of counters per loop a connection of this endpoint ran on; found once per connection. */
    private final Map<EventLoop, LoopCounters> perLoop = new ConcurrentHashMap<>();
    private final LongAdder handshakesAccepted = new LongAdder();
    private final LongAdder handshakesRejected = new LongAdder();
    private final LongAdder handshakesFailed = new LongAdder();
    private final LongAdder overflowCloses = new LongAdder();
    private final LongAdder keepaliveCloses = new LongAdder();
    private final LongAdder idleCloses = new LongAdder();
    private final LongAdder idleReleases = new LongAdder();
    /** Codes are 1000 to 4999 at most (the core refuses others), so this stays small. */
    private final Map<Integer, LongAdder> closesByCode = new ConcurrentHashMap<>();

    TransportMetrics() {
    }

    /**
     * Sets the one listener told of this endpoint's rare events from now on, replacing the previous one
     * ({@link MetricsListener#NONE} to stop). A binder such as {@code duplex-micrometer}'s takes this place.
     * Any thread.
     */
    public void listener(MetricsListener listener) {
        Objects.requireNonNull(listener, "listener");
        this.listener = listener == MetricsListener.NONE ? listener : new Guarded(listener);
    }

    LoopCounters on(EventLoop loop) {
        return perLoop.computeIfAbsent(loop, l -> new LoopCounters());
    }

    private long sum(ToLongFunction<LoopCounters> f) {
        long n = 0;
        for (LoopCounters c : perLoop.values()) {
            n += f.applyAsLong(c);
        }
        return n;
    }

    /** Connections whose handshake succeeded and that have not closed yet. */
    public long openConnections() {
        return sum(LoopCounters::open);
    }

    /** Data messages received. */
    public long messagesIn() {
        return sum(LoopCounters::messagesIn);
    }

    /** Data messages sent (each broadcast or room message counts once per connection it was written to). */
    public long messagesOut() {
        return sum(LoopCounters::messagesOut);
    }

    /** WebSocket bytes received after the handshake. */
    public long bytesIn() {
        return sum(LoopCounters::bytesIn);
    }

    /** WebSocket bytes written after the handshake (given to the socket or queued for it). */
    public long bytesOut() {
        return sum(LoopCounters::bytesOut);
    }

    /** Opening handshakes that succeeded. */
    public long handshakesAccepted() {
        return handshakesAccepted.sum();
    }

    /** Opening handshakes a server refused with an HTTP error status (including 503 when full). */
    public long handshakesRejected() {
        return handshakesRejected.sum();
    }

    /** Opening handshakes that ended without an answer (timed out, peer gone, shed) or, for a client, were refused. */
    public long handshakesFailed() {
        return handshakesFailed.sum();
    }

    /** Connections failed because their outbound buffer passed the hard limit. */
    public long overflowCloses() {
        return overflowCloses.sum();
    }

    /** Connections failed because a keepalive Ping went unanswered. */
    public long keepaliveCloses() {
        return keepaliveCloses.sum();
    }

    /** Connections failed by the idle timeout. */
    public long idleCloses() {
        return idleCloses.sum();
    }

    /**
     * Times an open connection gave back memory it holds between messages after having none for a while: with
     * permessage-deflate and context takeover, its zlib codecs went back to the pool, keeping only the
     * histories (see {@code PerMessageDeflate.Builder.idleRelease}). A connection counts again each time it
     * woke up and went idle again.
     */
    public long idleReleases() {
        return idleReleases.sum();
    }

    /** Closes of open connections so far, by the close code the handler was given, in code order. A snapshot. */
    public Map<Integer, Long> closesByCode() {
        Map<Integer, Long> m = new TreeMap<>();
        closesByCode.forEach((code, n) -> m.put(code, n.sum()));
        return m;
    }

    /** Closes with {@code code} so far. */
    public long closes(int code) {
        LongAdder n = closesByCode.get(code);
        return n == null ? 0 : n.sum();
    }

    // ---- the rare events, counted here and passed to the listener (loop threads) -------------------------

    void handshakeAccepted() {
        handshakesAccepted.increment();
        listener.handshakeAccepted();
    }

    void handshakeRejected(int status) {
        handshakesRejected.increment();
        listener.handshakeRejected(status);
    }

    void handshakeFailed() {
        handshakesFailed.increment();
        listener.handshakeFailed();
    }

    void closed(int code, boolean clean) {
        closesByCode.computeIfAbsent(code, c -> new LongAdder()).increment();
        listener.closed(code, clean);
    }

    void outboundOverflow(int code) {
        overflowCloses.increment();
        listener.outboundOverflow(code);
    }

    void idleRelease() {
        idleReleases.increment();
    }

        void livenessTimeout(boolean idle) {
        (idle ? idleCloses : keepaliveCloses).increment();
        listener.livenessTimeout(idle);
    }

    /** Logs what the application's listener throws: it must not fail the connection whose event it was told of. */
    private static final class Guarded implements MetricsListener {
        private final MetricsListener l;

        Guarded(MetricsListener l) {
            this.l = l;
        }

        private static void failed(RuntimeException e) {
            LOG.warn("metrics listener failed", e);
        }

        @Override
        public void handshakeAccepted() {
            try {
                l.handshakeAccepted();
            } catch (RuntimeException e) {
                failed(e);
            }
        }

        @Override
        public void handshakeRejected(int status) {
            try {
                l.handshakeRejected(status);
            } catch (RuntimeException e) {
                failed(e);
            }
        }

        @Override
        public void handshakeFailed() {
            try {
                l.handshakeFailed();
            } catch (RuntimeException e) {
                failed(e);
            }
        }

        @Override
        public void closed(int code, boolean clean) {
            try {
                l.closed(code, clean);
            } catch (RuntimeException e) {
                failed(e);
            }
        }

        @Override
        public void outboundOverflow(int code) {
            try {
                l.outboundOverflow(code);
            } catch (RuntimeException e) {
                failed(e);
            }
        }

        @Override
        public void livenessTimeout(boolean idle) {
            try {
                l.livenessTimeout(idle);
            } catch (RuntimeException e) {
                failed(e);
            }
        }
    }
}
