package io.duplex.nio;

import io.duplex.core.CloseStatus;
import io.duplex.core.HandshakeException;
import io.duplex.core.HandshakeRequest;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * A WebSocket that opens a new connection when its connection is lost, with exponential backoff and full
 * jitter ({@link Backoff}), until {@link #close} is called:
 *
 * <pre>{@code
 * ReconnectingWebSocket ws = ReconnectingWebSocket.builder(client, uri, handler)
 *         .backoff(Backoff.exponential(Duration.ofMillis(500), 2, Duration.ofSeconds(30)))
 *         .connect();
 * }</pre>
 *
 * <p><b>Callbacks.</b> The handler hears every connection in turn: {@code onOpen} after each (re)connect —
 * the place to re-subscribe — and {@code onClose} once for each connection that opened. The {@code socket}
 * passed to the handler is always this object, so replies and {@link #attach attachments} outlive a
 * reconnect. All connections, callbacks and retry timers run on one event loop of the client, and retries
 * are armed on that loop's timer wheel, so no thread sleeps and no callback re-enters another.
 *
 * <p><b>When it reconnects.</b> After a connection closes with a code that {@link Builder#reconnectOn}
 * accepts (default {@link #reconnectsByDefault}: 1001, 1005, 1006, 1011, 1012, 1013, 1014), and after a
 * failed connect that {@link Builder#retryOn} accepts (default {@link #retriesByDefault}: all but a refusal
 * with a 4xx status other than 408 and 429, and an invalid URI). Never after {@link #close} or
 * {@link #abort}. A close code it does not reconnect on, a failure it does not retry, or
 * {@link Backoff#maxAttempts()} failed retries in a row end it: {@link #terminated()} completes.
 *
 * <p><b>Sending.</b> Sends go to the current connection. While there is none (between connections, or
 * stopped) a send's future fails at once with {@link NotConnectedException}, unless the socket has an
 * {@linkplain Builder#outbox outbox}: then whole messages sent between connections wait in it, bounded by
 * count and bytes, and go out in order on the next connection right after its {@code onOpen} (where a client
 * re-subscribes; sends made there go first). Their futures complete when they reach that connection's socket:
 * delivery is at most once, as a connection that drops may lose what it had taken. Pings, pongs and messages
 * sent in parts never wait: a message sent in parts must end on the connection it started on. Thread-safe.
 */
public final class ReconnectingWebSocket implements WebSocket {

    private final Reconnector reconnector;
    /** Null unless the builder asked for one. */
    final Outbox outbox;
    /** The open connection, or null between connections. Written on the loop thread. */
    volatile WebSocket current;
    volatile boolean readingPaused;
    private volatile Object attachment;

    private ReconnectingWebSocket(Builder b) {
        this.outbox = b.outboxMessages == 0 ? null
                : new Outbox(b.outboxMessages, b.outboxBytes, b.outboxPolicy, this::describeState);
        this.reconnector = new Reconnector(this, b);
    }

    private String describeState() {
        return reconnector.describe();
    }

    /**
     * A builder for a socket that {@code client} keeps connected to {@code uri}.
     *
     * @param handler hears every connection; its {@code socket} argument is the reconnecting socket
     * @throws IllegalArgumentException if {@code client} has a
     *     {@linkplain TransportBuilder#handlerExecutor handler executor}: a reconnecting socket keeps its state
     *     on the loop and does not run its handler on an executor yet
     */
    public static Builder builder(WebSocketClient client, URI uri, WebSocketHandler handler) {
        return new Builder(client, uri, handler);
    }

    /**
     * The default close codes to reconnect on: those that say the server or the path to it is down for now —
     * 1001 going away, 1005 no status, 1006 abnormal closure (the connection dropped), 1011 internal error,
     * 1012 service restart, 1013 try again later, 1014 bad gateway. Not 1000 (the server is done with us),
     * not the codes of a protocol or policy breach (1002, 1003, 1007–1010), which a new connection would
     * repeat, not 1015, and not application codes 3000–4999.
     */
    public static boolean reconnectsByDefault(int closeCode) {
        return switch (closeCode) {
            case CloseStatus.GOING_AWAY, CloseStatus.NO_STATUS_RECEIVED, CloseStatus.ABNORMAL_CLOSURE,
                    CloseStatus.INTERNAL_ERROR, CloseStatus.SERVICE_RESTART, CloseStatus.TRY_AGAIN_LATER,
                    CloseStatus.BAD_GATEWAY -> true;
            default -> false;
        };
    }

    /**
     * The default connect failures to retry: all (I/O errors, timeouts, TLS failures, 5xx answers) except
     * an {@link IllegalArgumentException} (an unusable URI) and a {@link HandshakeException} or
     * {@link ProxyConnectException} with a 4xx status other than 408 and 429, which say the request itself
     * is refused (401, 403, 404, 407 ...).
     */
    public static boolean retriesByDefault(Throwable failure) {
        if (failure instanceof IllegalArgumentException) {
            return false;
        }
        int status = failure instanceof HandshakeException h ? h.status()
                : failure instanceof ProxyConnectException p ? p.status() : 0;
        return status < 400 || status > 499 || status == 408 || status == 429;
    }

    /**
     * Completes when reconnecting has stopped for good: normally after {@link #close}, {@link #abort} or a
     * close code that is not reconnected on; exceptionally with the last failure when retries ran out or a
     * failure is not retried. Callbacks run on the event loop.
     */
    public CompletableFuture<Void> terminated() {
        return reconnector.terminated().copy();
    }

    private WebSocket live() {
        return current;
    }

    private CompletableFuture<Void> notConnected() {
        return CompletableFuture.failedFuture(new NotConnectedException(reconnector.describe()));
    }

    @Override
    public CompletableFuture<Void> sendText(CharSequence text) {
        Objects.requireNonNull(text, "text");
        if (outbox != null) {
            return outbox.sendText(text);
        }
        WebSocket c = live();
        return c == null ? notConnected() : c.sendText(text);
    }

    @Override
    public CompletableFuture<Void> sendText(CharSequence fragment, boolean last) {
        WebSocket c = live();
        return c == null ? notConnected() : c.sendText(fragment, last);
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        if (outbox != null) {
            return outbox.sendBinary(data);
        }
        WebSocket c = live();
        return c == null ? notConnected() : c.sendBinary(data);
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer fragment, boolean last) {
        WebSocket c = live();
        return c == null ? notConnected() : c.sendBinary(fragment, last);
    }

    /**
     * Offers to the current connection; while there is none, to the outbox if there is one, else
     * {@code false}, as a send would fail at once.
     */
    @Override
    public boolean offerText(CharSequence text) {
        Objects.requireNonNull(text, "text");
        if (outbox != null) {
            return outbox.offerText(text);
        }
        WebSocket c = live();
        return c != null && c.offerText(text);
    }

    /**
     * Offers to the current connection; while there is none, to the outbox if there is one, else
     * {@code false}, as a send would fail at once.
     */
    @Override
    public boolean offerBinary(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        if (outbox != null) {
            return outbox.offerBinary(data);
        }
        WebSocket c = live();
        return c != null && c.offerBinary(data);
    }

    @Override
    public CompletableFuture<Void> sendPing(ByteBuffer payload) {
        WebSocket c = live();
        return c == null ? notConnected() : c.sendPing(payload);
    }

    @Override
    public CompletableFuture<Void> sendPong(ByteBuffer payload) {
        WebSocket c = live();
        return c == null ? notConnected() : c.sendPong(payload);
    }

    /**
     * Stops reconnecting (a scheduled retry is cancelled, a connect under way is closed once it opens) and
     * closes the current connection with {@code code} and {@code reason}. Safe from any thread and from
     * callbacks.
     *
     * @return completes when the last connection has closed and nothing more will happen ({@link #terminated()},
     *     but never exceptionally)
     * @throws IllegalArgumentException if the code may not be sent or the reason is too long
     */
    @Override
    public CompletableFuture<Void> close(int code, String reason) {
        CloseStatus.of(code, reason);
        reconnector.stop(code, reason, false);
        return reconnector.terminated().handle((v, e) -> null);
    }

    /** Stops reconnecting and drops the current connection without a close handshake. */
    @Override
    public void abort() {
        reconnector.stop(CloseStatus.NORMAL_CLOSURE, "", true);
    }

    @Override
    public boolean isOpen() {
        WebSocket c = live();
        return c != null && c.isOpen();
    }

    @Override
    public long bufferedAmount() {
        WebSocket c = live();
        return c == null ? 0 : c.bufferedAmount();
    }

    /** Waits on the current connection; {@code false} at once while there is none. */
    @Override
    public boolean awaitWritable(java.time.Duration timeout) throws InterruptedException {
        WebSocket c = live();
        return c != null && c.awaitWritable(timeout);
    }

    /** Pauses reading on the current connection and on every later one until {@link #resumeReading()}. */
    @Override
    public void pauseReading() {
        readingPaused = true;
        WebSocket c = live();
        if (c != null) {
            c.pauseReading();
        }
    }

    @Override
    public void resumeReading() {
        readingPaused = false;
        WebSocket c = live();
        if (c != null) {
            c.resumeReading();
        }
    }

    /** The current connection's subprotocol; empty between connections. */
    @Override
    public String subprotocol() {
        WebSocket c = live();
        return c == null ? "" : c.subprotocol();
    }

    /** The current connection's extensions; empty between connections. */
    @Override
    public String extensions() {
        WebSocket c = live();
        return c == null ? "" : c.extensions();
    }

    /** The current connection's handshake request; {@code null} between connections. */
    @Override
    public HandshakeRequest handshakeRequest() {
        WebSocket c = live();
        return c == null ? null : c.handshakeRequest();
    }

    /** The current connection's peer; {@code null} between connections. */
    @Override
    public InetSocketAddress remoteAddress() {
        WebSocket c = live();
        return c == null ? null : c.remoteAddress();
    }

    /** The attachment of the reconnecting socket itself: it survives reconnects. */
    @Override
    @SuppressWarnings("unchecked")
    public <T> T attachment() {
        return (T) attachment;
    }

    @Override
    public void attach(Object attachment) {
        this.attachment = attachment;
    }

    @Override
    public String toString() {
        return "ReconnectingWebSocket{" + reconnector.describe() + "}";
    }

    /** Builds and starts a {@link ReconnectingWebSocket}. Not thread-safe. */
    public static final class Builder {
        final WebSocketClient client;
        final URI uri;
        final WebSocketHandler handler;
        ConnectOptions options = ConnectOptions.defaults();
        Backoff backoff = Backoff.defaults();
        IntPredicate reconnectOn = ReconnectingWebSocket::reconnectsByDefault;
        Predicate<Throwable> retryOn = ReconnectingWebSocket::retriesByDefault;
        ReconnectListener listener = new ReconnectListener() { };
        RandomGenerator random;
        int outboxMessages;
        long outboxBytes;
        OutboxPolicy outboxPolicy = OutboxPolicy.REJECT_NEW;

        private Builder(WebSocketClient client, URI uri, WebSocketHandler handler) {
            this.client = Objects.requireNonNull(client, "client");
            if (client.hasHandlerExecutor()) {
                throw new IllegalArgumentException("a ReconnectingWebSocket needs a client without a handlerExecutor:"
                        + " its reconnect state lives on the event loop");
            }
            this.uri = Objects.requireNonNull(uri, "uri");
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        /** The options of every connect. Default {@link ConnectOptions#defaults()}. */
        public Builder options(ConnectOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** When to retry. Default {@link Backoff#defaults()}: 1 s initial, ×2, 30 s cap, unlimited attempts. */
        public Builder backoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /** The close codes after which to reconnect. Default {@link ReconnectingWebSocket#reconnectsByDefault}. */
        public Builder reconnectOn(IntPredicate closeCodes) {
            this.reconnectOn = Objects.requireNonNull(closeCodes, "closeCodes");
            return this;
        }

        /** The connect failures to retry. Default {@link ReconnectingWebSocket#retriesByDefault}. */
        public Builder retryOn(Predicate<Throwable> failures) {
            this.retryOn = Objects.requireNonNull(failures, "failures");
            return this;
        }

        /** Hears retries and reconnects. Default none. */
        public Builder listener(ReconnectListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Keeps whole messages sent while there is no connection, up to {@code maxMessages} and
         * {@code maxBytes} (UTF-8 bytes of text, bytes of binary), and sends them in order on the next
         * connection after its {@code onOpen}. What does not fit is handled by {@code whenFull}. What waits
         * when reconnecting stops for good fails with {@link NotConnectedException}. Default: no outbox, so a
         * send between connections fails at once.
         *
         * @throws IllegalArgumentException if a bound is not positive
         */
        public Builder outbox(int maxMessages, long maxBytes, OutboxPolicy whenFull) {
            if (maxMessages <= 0 || maxBytes <= 0) {
                throw new IllegalArgumentException(
                        "outbox bounds must be positive: " + maxMessages + " messages, " + maxBytes + " bytes");
            }
            this.outboxMessages = maxMessages;
            this.outboxBytes = maxBytes;
            this.outboxPolicy = Objects.requireNonNull(whenFull, "whenFull");
            return this;
        }

        /** For tests: the jitter's source. Default {@link ThreadLocalRandom} of the loop thread. */
        Builder random(RandomGenerator random) {
            this.random = random;
            return this;
        }

        /** Builds the socket and starts its first connect; returns at once. */
        public ReconnectingWebSocket connect() {
            ReconnectingWebSocket ws = new ReconnectingWebSocket(this);
            ws.reconnector.start();
            return ws;
        }
    }
}
