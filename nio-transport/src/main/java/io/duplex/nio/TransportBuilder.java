package io.duplex.nio;

import io.duplex.core.WebSocketConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * The options {@link WebSocketServer.Builder} and {@link WebSocketClient.Builder} share: event loops,
 * protocol limits, outbound backpressure and timeouts. Defaults are listed on each method.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class TransportBuilder<B extends TransportBuilder<B>> {

    EventLoopGroup group;
    int loopCount = Runtime.getRuntime().availableProcessors();
    ThreadFactory threadFactory;
    WebSocketConfig config = WebSocketConfig.defaults();
    long maxBufferedBytes = 16L << 20;
    OverflowPolicy overflowPolicy = OverflowPolicy.CLOSE_TRY_AGAIN_LATER;
    long highWatermark = 1L << 20;
    long lowWatermark = 512L << 10;
    Duration handshakeTimeout = Duration.ofSeconds(10);
    Duration idleTimeout = Duration.ZERO;
    Duration pingInterval = Duration.ZERO;
    Duration pongTimeout = Duration.ofSeconds(20);
    Duration closeTimeout = Duration.ofSeconds(5);
    long closeDrainLimit = 16L << 20;
    Duration slowHandlerThreshold;

    TransportBuilder() {
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** Runs on an existing group of loops (shared, not closed with this endpoint). Default: a group of its own. */
    public B loops(EventLoopGroup group) {
        this.group = Objects.requireNonNull(group, "group");
        return self();
    }

    /** The number of loops of the endpoint's own group. Default: available processors. */
    public B loops(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("loops must be positive: " + count);
        }
        this.loopCount = count;
        return self();
    }

    /**
     * Makes the threads of the endpoint's own loops (not used with {@link #loops(EventLoopGroup)}), for
     * their names, priority, or to make them non-daemon so that they alone keep the JVM running. Default:
     * daemon threads named {@code duplex-<group>-loop-<index>}, so a forgotten endpoint never keeps the JVM
     * from exiting; wait for a server with {@link WebSocketServer#awaitTermination()}.
     */
    public B threadFactory(ThreadFactory threadFactory) {
        this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
        return self();
    }

    /** Protocol limits and options. Default {@link WebSocketConfig#defaults()}. */
    public B config(WebSocketConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        return self();
    }

    /**
     * The hard limit on a connection's outbound buffer, in bytes; 0 turns it off. Default 16 MiB. A send
     * is always accepted when nothing is buffered, whatever its size.
     */
    public B maxBufferedBytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("maxBufferedBytes must not be negative: " + bytes);
        }
        this.maxBufferedBytes = bytes;
        return self();
    }

    /** What a send over the hard limit does. Default {@link OverflowPolicy#CLOSE_TRY_AGAIN_LATER}. */
    public B overflowPolicy(OverflowPolicy policy) {
        this.overflowPolicy = Objects.requireNonNull(policy, "policy");
        return self();
    }

    /**
     * The watermarks of {@link io.duplex.core.WebSocketHandler#onWritabilityChanged}: not writable above
     * {@code high} buffered bytes, writable again at or below {@code low}. Default 1 MiB and 512 KiB.
     */
    public B writeBufferWatermarks(long high, long low) {
        if (low < 0 || high < low) {
            throw new IllegalArgumentException("need 0 <= low <= high: " + low + ", " + high);
        }
        this.highWatermark = high;
        this.lowWatermark = low;
        return self();
    }

    /** How long an opening handshake may take. Default 10 s. */
    public B handshakeTimeout(Duration timeout) {
        this.handshakeTimeout = positive(timeout, "handshakeTimeout");
        return self();
    }

    /**
     * Fails a connection with 1001 after this long without reading or writing a byte; zero turns it off.
     * Default off.
     */
    public B idleTimeout(Duration timeout) {
        this.idleTimeout = notNegative(timeout, "idleTimeout");
        return self();
    }

    /**
     * Sends a Ping after this long without receiving anything; zero turns keepalive off. Any received byte
     * counts as a sign of life. Default 30 s for a server, which so finds a peer that vanished without closing
     * (half-open TCP: a phone that lost its network) within this plus {@link #pongTimeout}; off for a client,
     * which the server it talks to pings.
     */
    public B pingInterval(Duration interval) {
        this.pingInterval = notNegative(interval, "pingInterval");
        return self();
    }

    /**
     * How long after a keepalive Ping the peer has to send something before the connection fails with 1001.
     * Default 20 s: the Pong queues behind what the peer still has to receive from us, so a slow link needs time.
     */
    public B pongTimeout(Duration timeout) {
        this.pongTimeout = positive(timeout, "pongTimeout");
        return self();
    }

    /**
     * How long to wait for the close handshake to finish before dropping TCP. Default 5 s. It also bounds the
     * lingering close: how long a closing connection waits for its queued bytes and its Close to be written
     * and for the peer to close its side (see {@link #closeDrainLimit}).
     */
    public B closeTimeout(Duration timeout) {
        this.closeTimeout = positive(timeout, "closeTimeout");
        return self();
    }

    /**
     * How many bytes the peer may still send, read and discarded, while the connection closes: closing TCP
     * with unread input would reset it and lose the Close frame on its way to the peer, so a closing connection
     * keeps reading until the peer closes its side. Past this many it stops reading, and the close timeout ends
     * the connection. Memory does not grow with it: discarded bytes go through the loop's shared buffer.
     * Default 16 MiB.
     */
    public B closeDrainLimit(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("closeDrainLimit must not be negative: " + bytes);
        }
        this.closeDrainLimit = bytes;
        return self();
    }

    /**
     * How long a callback may hold an event loop of the endpoint's own group before it is reported: a WARN log,
     * a JFR {@code io.duplex.SlowHandler} event and {@link EventLoopGroup#slowHandlerCount()}; zero turns the
     * check off. Default 100 ms. For a group passed to {@link #loops(EventLoopGroup)}, set it on the group.
     */
    public B slowHandlerThreshold(Duration threshold) {
        this.slowHandlerThreshold = notNegative(threshold, "slowHandlerThreshold");
        return self();
    }

    ConnectionSettings settings() {
        return new ConnectionSettings(this);
    }

    EventLoopGroup groupOrCreate() {
        if (group != null) {
            return group;
        }
        EventLoopGroup g = threadFactory != null ? EventLoopGroup.create(loopCount, threadFactory)
                : EventLoopGroup.create(loopCount);
        if (slowHandlerThreshold != null) {
            g.slowHandlerThreshold(slowHandlerThreshold);
        }
        return g;
    }

    static Duration positive(Duration d, String name) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
        return d;
    }

    static Duration notNegative(Duration d, String name) {
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + d);
        }
        return d;
    }
}
