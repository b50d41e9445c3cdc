package io.duplex.nio;

import io.duplex.core.WebSocketConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
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
    Executor handlerExecutor;
    int maxHandlerBacklogMessages = 32;
    long maxHandlerBacklogBytes = 256L << 10;
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
     * Runs every connection's handler callbacks on {@code executor} instead of its event loop, so a handler
     * may block (call a database, wait on a lock) without stalling the loop's other connections. Default:
     * none, callbacks run on the loop and must not block.
     *
     * <p>Each connection's callbacks still run in order and one at a time, never two at once, though not
     * always on the same thread; what one callback did is visible to the next. {@code onClose} comes after
     * every callback queued before it. On JDK 21 and later pass
     * {@code Executors.newVirtualThreadPerTaskExecutor()}: a blocked virtual thread costs a few hundred
     * bytes rather than a platform thread. A fixed pool works too; a connection yields its thread to the
     * others after a few callbacks. The executor is the caller's: shut it down after the endpoint stopped,
     * as a connection whose task it refuses fails with 1011 and gets its remaining callbacks on the loop.
     *
     * <p>Costs: binary, ping and pong payloads are copied, since the loop reuses their buffers as soon as it
     * has queued the callback (texts are immutable strings and are not); and each callback is handed from the
     * loop to the executor. Callbacks that fall behind pause reading from their peer: see
     * {@link #handlerBacklog}. An exception thrown by a callback on the executor is treated as on the loop:
     * {@code onError}, then the connection fails with 1011 and {@code onClose} follows; callbacks queued
     * after the one that threw are dropped.
     */
    public B handlerExecutor(Executor executor) {
        this.handlerExecutor = Objects.requireNonNull(executor, "executor");
        return self();
    }

    /**
     * The inbound backpressure of {@link #handlerExecutor}: when more than {@code maxMessages} callbacks, or
     * more than {@code maxBytes} bytes of their payloads (a text counts its chars), wait for a connection's
     * handler, the transport stops reading from that peer, whose sends then back up in TCP; it reads again
     * once the backlog is down to half of both. Reading stops between reads, so a backlog can exceed the
     * bound by what one read delivered (at most the loop's read buffer of frames, or one message completed by
     * it). Keepalive counts only bytes read: a peer paused for longer than the ping interval plus the pong
     * timeout fails with 1001. Default 32 callbacks and 256 KiB.
     */
    public B handlerBacklog(int maxMessages, long maxBytes) {
        if (maxMessages < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("handlerBacklog bounds must be positive: " + maxMessages + ", "
                    + maxBytes);
        }
        this.maxHandlerBacklogMessages = maxMessages;
        this.maxHandlerBacklogBytes = maxBytes;
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
