package io.duplex.nio;

import io.duplex.core.ExtensionFactory;
import io.duplex.core.HandshakePolicy;
import io.duplex.core.HandshakeRequest;
import io.duplex.core.UpgradeDecision;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.nio.internal.loop.EventLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebSocket server on java.nio event loops. Build one with {@link #builder()}, then {@link #start()} it:
 *
 * <pre>{@code
 * WebSocketServer server = WebSocketServer.builder()
 *         .port(8080)
 *         .handler(new WebSocketHandler() {
 *             public void onText(WebSocket ws, String text) { ws.sendText(text); }
 *         })
 *         .build()
 *         .start();
 * }</pre>
 *
 * <p>Handler callbacks run on the connection's event loop thread and must not block.
 */
public final class WebSocketServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketServer.class);

    final ConnectionSettings settings;
    final HandshakePolicy policy;
    private final PlainHttpResponder plainHttp;
    private final SSLContext tls;
    private final String host;
    private final int requestedPort;
    private final int backlog;
    private final PendingHandshakes pending;
    /** The handshake deadline of connections accepted while many are pending. */
    private final long handshakeMillisUnderLoad;
    /** The largest plain request body read for the HTTP handler. */
    final int maxHttpBodyBytes;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final ConnectionCounts counts;
    private final AtomicLong internalErrors = new AtomicLong();
    private final ConnectionRegistry registry = new ConnectionRegistry();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Termination terminated = new Termination();
    private volatile Acceptor acceptor;
    private volatile int port = -1;

    private WebSocketServer(Builder b) {
        this.settings = b.settings();
        this.policy = b.policy();
        this.plainHttp = new PlainHttpResponder(b.httpHandler);
        this.tls = b.tls;
        this.host = b.host;
        this.requestedPort = b.port;
        this.backlog = b.backlog;
        this.counts = new ConnectionCounts(b.maxConnections);
        this.pending = new PendingHandshakes(b.maxPendingHandshakes, b.maxPendingHandshakesPerAddress);
        this.handshakeMillisUnderLoad = Math.min(settings.handshakeTimeoutMillis, b.handshakeTimeoutUnderLoad.toMillis());
        this.maxHttpBodyBytes = b.maxHttpBodyBytes;
        this.ownsGroup = b.group == null;
        this.group = b.groupOrCreate();
    }

    /** A builder with the defaults listed on its methods. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the port and starts accepting.
     *
     * @return this server
     * @throws IOException if the address cannot be bound
     * @throws IllegalStateException if already started
     */
    public WebSocketServer start() throws IOException {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("already started");
        }
        ServerSocketChannel ssc = ServerSocketChannel.open();
        try {
            ssc.configureBlocking(false);
            ssc.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ssc.bind(host == null ? new InetSocketAddress(requestedPort) : new InetSocketAddress(host, requestedPort),
                    backlog);
            port = ((InetSocketAddress) ssc.getLocalAddress()).getPort();
            EventLoop loop = group.loop(0);
            Acceptor a = new Acceptor(ssc, this, loop);
            CompletableFuture<SelectionKey> registered = new CompletableFuture<>();
            loop.execute(() -> {
                try {
                    registered.complete(loop.register(ssc, SelectionKey.OP_ACCEPT, a));
                } catch (IOException e) {
                    registered.completeExceptionally(e);
                }
            });
            registered.get(10, TimeUnit.SECONDS);
            acceptor = a;
        } catch (IOException | RuntimeException e) {
            abandon(ssc);
            throw e;
        } catch (ExecutionException | TimeoutException e) {
            abandon(ssc);
            throw new IOException("could not register the server channel", e);
        } catch (InterruptedException e) {
            abandon(ssc);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting", e);
        }
        LOG.info("WebSocket server listening on port {}", port);
        return this;
    }

    /** A failed start: release the channel, and the loops if this server made them. */
    private void abandon(ServerSocketChannel ssc) throws IOException {
        try {
            ssc.close();
            if (ownsGroup) {
                group.close();
            }
        } finally {
            terminated.signal();
        }
    }

    /** The bound port (the ephemeral one when built with port 0); -1 before {@link #start()}. */
    public int port() {
        return port;
    }

    /** Open connections, handshaking ones included. */
    public int connectionCount() {
        return counts.open();
    }

    /** Connections admitted and still in their opening handshake. For tests. */
    int pendingHandshakeCount() {
        return pending.size();
    }

    /**
     * Connections failed because something was thrown while handling them (a handler's {@link Error}, an
     * {@link OutOfMemoryError}, a bug): each was closed with 1011 (internal error) and counted here, since
     * the server started. A rising count deserves a look at the log, which has the stack trace.
     */
    public long internalErrorCount() {
        return internalErrors.get();
    }

    /**
     * The open connections (those whose opening handshake succeeded), a weakly consistent view: iterating it
     * while connections open and close never fails, and sees each connection at most once. Cheap to get; any
     * thread.
     */
    public Collection<WebSocket> connections() {
        return registry.view();
    }

    /**
     * The open connection with this {@linkplain WebSocket#id() id}, or {@code null} when none is (never was,
     * or closed). Any thread.
     */
    public WebSocket connection(long id) {
        return registry.find(id);
    }

    /** The event loops this server runs on. */
    public EventLoopGroup loops() {
        return group;
    }

    /**
     * This endpoint's counts: open connections, messages and bytes each way, handshakes by outcome, closes by
     * code (see {@link TransportMetrics}); the loops' queue depth, lag and stalls are {@link #loops()}'. Any thread.
     */
    public TransportMetrics metrics() {
        return settings.metrics;
    }

    /**
     * Writes {@code message}, encoded once, to every open connection. Each connection's hard limit and
     * overflow policy still apply; on a connection in the middle of sending a message in parts, the
     * broadcast follows that message's last part.
     *
     * @return completes with the number of connections the message was written or queued to
     */
    public CompletableFuture<Integer> broadcast(PreparedMessage message) {
        Objects.requireNonNull(message, "message");
        CompletableFuture<Integer> result = new CompletableFuture<>();
        AtomicInteger loopsLeft = new AtomicInteger(group.size());
        AtomicInteger written = new AtomicInteger();
        for (int i = 0; i < group.size(); i++) {
            EventLoop loop = group.loop(i);
            Runnable task = () -> {
                ByteBuffer view = message.frameView();
                int[] n = new int[1];
                forEachOwn(loop, c -> {
                    if (c.facade.sendPrepared(view)) {
                        n[0]++;
                    }
                });
                written.addAndGet(n[0]);
                if (loopsLeft.decrementAndGet() == 0) {
                    result.complete(written.get());
                }
            };
            try {
                group.loop(i).execute(task);
            } catch (RejectedExecutionException e) {
                if (loopsLeft.decrementAndGet() == 0) {
                    result.complete(written.get());
                }
            }
        }
        return result;
    }

    /**
     * Stops gracefully: stops accepting, starts the close handshake with 1001 (going away) on every open
     * connection, waits for them to close until {@code timeout}, then drops the rest. Closes the event
     * loops if the server created them. Blocks until done.
     */
    public void stop(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (stopping.compareAndSet(false, true)) {
            Acceptor a = acceptor;
            if (a != null) {
                a.close();
            }
            forEachConnection(ServerConnection::goingAway);
        }
        if (!counts.awaitReleased(deadline)) {
            forEachConnection(ServerConnection::abortNow);
            counts.awaitReleased(System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
        }
        if (ownsGroup) {
            group.close();
        }
        terminated.signal();
    }

    /**
     * Waits until the server has stopped: until a {@link #stop(Duration)} or {@link #close()} (from a shutdown
     * hook, say, or another thread) has returned, or a {@link #start()} has failed. The loop threads are daemon
     * threads by default, so a {@code main} that only starts a server returns at once and the JVM exits: call
     * this at the end of {@code main} to keep serving.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    /**
     * {@link #awaitTermination()} for at most {@code timeout}.
     *
     * @return true if the server has stopped, false if the time ran out first
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout);
    }

    /** Whether the server has stopped ({@link #awaitTermination()} would return at once). */
    public boolean isTerminated() {
        return terminated.isDone();
    }

    /** {@link #stop(Duration)} with 5 seconds. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }

    private void forEachConnection(java.util.function.Consumer<ServerConnection> action) {
        for (int i = 0; i < group.size(); i++) {
            int index = i;
            try {
                EventLoop loop = group.loop(i);
                loop.execute(() -> forEachOwn(loop, action));
            } catch (RejectedExecutionException e) {
                LOG.debug("loop {} already shut down", index);
            }
        }
    }

    /** Runs {@code action} for each connection of this server on {@code loop}. On that loop's thread. */
    private void forEachOwn(EventLoop loop, java.util.function.Consumer<ServerConnection> action) {
        loop.forEachHandler(h -> {
            if (h instanceof ServerConnection c && c.server == this) {
                action.accept(c);
            }
        });
    }

    // ---- called by Acceptor and ServerConnection ------------------------------------------------------

    /** On the acceptor's loop. */
    void accepted(SocketChannel ch) {
        if (stopping.get()) {
            closeQuietly(ch);
            return;
        }
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
            closeQuietly(ch);
            return;
        }
        boolean over = !counts.admit();
        int index = group.nextIndex();
        EventLoop loop = group.loop(index);
        if (loop.inEventLoop()) {
            // The acceptor's own loop: start at once, sparing a task and its queue node per connection.
            startConnection(loop, ch, over);
            return;
        }
        try {
            loop.execute(() -> startConnection(loop, ch, over));
        } catch (RejectedExecutionException e) {
            closeQuietly(ch);
            counts.released(over);
        }
    }

    /** On {@code loop}. */
    private void startConnection(EventLoop loop, SocketChannel ch, boolean over) {
        ServerConnection c;
        try {
            c = new ServerConnection(loop, ch, this, over);
            if (tls != null) {
                c.replaceWire(TlsWire.server(ch, tls)); // on the loop: the engine borrows the loop's buffers
            }
        } catch (RuntimeException e) {
            // A broken SSLContext, say. Nothing is registered yet: drop this socket and keep accepting the
            // rest of the batch, which runs in this same call on the acceptor's loop.
            LOG.warn("could not set up an accepted connection", e);
            closeQuietly(ch);
            counts.released(over);
            return;
        }
        // Too many handshakes in flight (a slow-loris attack, or a storm): make room rather than turn this
        // one away, which would let a few idle sockets lock every new client out.
        ServerConnection shed = pending.admit(c, PendingHandshakes.sourceOf(ch));
        long handshakeMillis = pending.underLoad() ? handshakeMillisUnderLoad : settings.handshakeTimeoutMillis;
        if (shed != null) {
            shed.onLoop(shed::shed);
        }
        c.start(handshakeMillis);
    }

    /** A connection failed for something thrown while handling it. Any loop thread. */
    void internalErrorSeen() {
        internalErrors.incrementAndGet();
    }

    long nextConnectionId() {
        return registry.nextId();
    }

    /** The handshake of {@code c} succeeded: list it. On its loop, before the handler hears of it. */
    void opened(ServerConnection c) {
        registry.add(c);
    }

    /** {@code c} closed: unlist it and tell the close hooks. On its loop, before the handler's onClose. */
    void closed(ServerConnection c) {
        registry.remove(c);
    }

    /** Whether {@code c} is open and listed. Any thread. */
    boolean isListed(ServerConnection c) {
        return registry.contains(c);
    }

    /** Runs {@code hook} for each listed connection that closes from now on (rooms leave it). */
    void onConnectionClosed(java.util.function.Consumer<ServerConnection> hook) {
        registry.onClosed(hook);
    }

    /** {@code c} finished (or abandoned) its opening handshake. Any loop. */
    void handshakeEnded(ServerConnection c) {
        pending.remove(c);
    }

    /** On the connection's loop, once per connection. */
    void released(boolean overCapacity) {
        counts.released(overCapacity);
    }

    /** The response to a plain HTTP request (one without {@code Upgrade: websocket}), its body read. */
    ByteBuffer plainHttpResponse(HttpRequest request) {
        return plainHttp.respond(request);
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            LOG.debug("close failed", e);
        }
    }

    /** Builds a {@link WebSocketServer}. Not thread-safe. */
    public static final class Builder extends TransportBuilder<Builder> {
        private String host;
        private int port;
        private int backlog = 1024;
        private WebSocketHandler handler;
        private final Map<String, WebSocketHandler> routes = new LinkedHashMap<>();
        private Function<HandshakeRequest, UpgradeDecision> decider;
        private List<String> subprotocols = List.of();
        private Predicate<String> originPolicy = origin -> true;
        private List<ExtensionFactory> extensions = List.of();
        private int maxConnections = Integer.MAX_VALUE;
        private int maxPendingHandshakes = 1024;
        private int maxPendingHandshakesPerAddress = 256;
        private Duration handshakeTimeoutUnderLoad = Duration.ofSeconds(3);
        private HttpHandler httpHandler;
        private int maxHttpBodyBytes = 64 * 1024;
        private SSLContext tls;

        private Builder() {
            // Servers hold connections for peers that may vanish without a FIN: keepalive on by default.
            pingInterval = Duration.ofSeconds(30);
        }

        /** The address to bind. Default: every interface. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port to bind; 0 picks a free one ({@link WebSocketServer#port()} tells which). Default 0. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** The listen backlog. Default 1024. */
        public Builder backlog(int backlog) {
            this.backlog = backlog;
            return this;
        }

        /**
         * The handler of every connection, whatever its path. One way to choose handlers per server: this,
         * {@link #route} or {@link #decider}.
         */
        public Builder handler(WebSocketHandler handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * The handler of connections to {@code path} (exact match, without the query); unknown paths get 404.
         * Routes exclude {@link #handler} and {@link #decider}.
         *
         * @throws IllegalArgumentException if {@code path} already has a route
         */
        public Builder route(String path, WebSocketHandler handler) {
            Objects.requireNonNull(handler, "handler");
            if (routes.putIfAbsent(Objects.requireNonNull(path, "path"), handler) != null) {
                throw new IllegalArgumentException("the path " + path + " already has a route");
            }
            return this;
        }

        /**
         * Decides each upgrade request (authentication, per-request handlers): accept with a handler or
         * reject with an HTTP status. A decider excludes {@link #handler} and {@link #route}: it chooses the
         * handler itself.
         */
        public Builder decider(Function<HandshakeRequest, UpgradeDecision> decider) {
            this.decider = Objects.requireNonNull(decider, "decider");
            return this;
        }

        /**
         * The subprotocols the server speaks, most preferred first: the server answers with the first of these
         * that the client offered, whatever the client's order. Default none.
         */
        public Builder subprotocols(List<String> subprotocols) {
            this.subprotocols = List.copyOf(subprotocols);
            return this;
        }

        /** Which {@code Origin} headers to accept (others get 403). Default: any. */
        public Builder originPolicy(Predicate<String> originPolicy) {
            this.originPolicy = Objects.requireNonNull(originPolicy, "originPolicy");
            return this;
        }

        /** The extensions the server may negotiate. Default none. */
        public Builder extensions(List<ExtensionFactory> extensions) {
            this.extensions = List.copyOf(extensions);
            return this;
        }

        /** The most open connections; more are answered 503. Default unlimited. */
        public Builder maxConnections(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxConnections must be positive: " + max);
            }
            this.maxConnections = max;
            return this;
        }

        /**
         * The most connections still in the opening handshake (TLS included). A connection accepted when this
         * many are pending is still admitted: the oldest pending one is dropped to make room, so idle sockets
         * cannot lock new clients out. Default 1024.
         */
        public Builder maxPendingHandshakes(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxPendingHandshakes must be positive: " + max);
            }
            this.maxPendingHandshakes = max;
            return this;
        }

        /**
         * The most connections in the opening handshake from one source (an IPv4 address, or an IPv6 /64). A
         * connection from a source at its cap is admitted by dropping that source's oldest pending one, so one
         * address cannot push out other clients' handshakes. Default 256. Behind a reverse proxy or a load
         * balancer every connection comes from its address, as in a load test from one machine: raise this to
         * {@link #maxPendingHandshakes} there.
         */
        public Builder maxPendingHandshakesPerAddress(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxPendingHandshakesPerAddress must be positive: " + max);
            }
            this.maxPendingHandshakesPerAddress = max;
            return this;
        }

        /**
         * The handshake deadline of connections accepted while at least half of {@link #maxPendingHandshakes}
         * are pending, when shorter than {@link #handshakeTimeout}: under a flood of idle sockets each holds
         * its slot for less time, while a real client still has time for TLS and the upgrade. Default 3 s.
         */
        public Builder handshakeTimeoutUnderLoad(Duration timeout) {
            this.handshakeTimeoutUnderLoad = positive(timeout, "handshakeTimeoutUnderLoad");
            return this;
        }

        /**
         * Answers plain HTTP requests (see {@link HttpHandler}; {@link HttpRoutes} routes them). Default: none,
         * so {@code GET} and {@code HEAD} get 426 Upgrade Required and other methods 405.
         */
        public Builder httpHandler(HttpHandler httpHandler) {
            this.httpHandler = Objects.requireNonNull(httpHandler, "httpHandler");
            return this;
        }

        /**
         * The largest plain HTTP request body the server reads for its {@link HttpHandler}, by its
         * {@code Content-Length}: a larger one is answered 413 before any of it is kept, a chunked one 411.
         * Default 65,536 bytes.
         */
        public Builder maxHttpBodyBytes(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("maxHttpBodyBytes must not be negative: " + max);
            }
            this.maxHttpBodyBytes = max;
            return this;
        }

        /** Serves wss:// with this context's key material (TLS 1.3 and 1.2 only). Default: plain ws://. */
        public Builder tls(SSLContext context) {
            this.tls = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * The server, not yet started.
         *
         * @throws IllegalStateException unless exactly one way to choose handlers was given: a handler, routes
         *     or a decider
         */
        public WebSocketServer build() {
            int ways = (handler != null ? 1 : 0) + (routes.isEmpty() ? 0 : 1) + (decider != null ? 1 : 0);
            if (ways == 0) {
                throw new IllegalStateException("a handler, a route or a decider is required");
            }
            if (ways > 1) {
                throw new IllegalStateException("choose one of handler, route and decider: "
                        + (handler != null ? "handler " : "") + (routes.isEmpty() ? "" : "route ")
                        + (decider != null ? "decider " : "") + "were all given, and only one would be used");
            }
            return new WebSocketServer(this);
        }

        HandshakePolicy policy() {
            HandshakePolicy.Builder b = HandshakePolicy.builder().subprotocols(subprotocols)
                    .originPolicy(originPolicy).extensions(extensions);
            if (decider != null) {
                b.decider(decider);
            } else if (!routes.isEmpty()) {
                Map<String, WebSocketHandler> table = Map.copyOf(routes);
                b.decider(request -> {
                    WebSocketHandler h = table.get(request.path());
                    return h != null ? UpgradeDecision.accept(h) : UpgradeDecision.reject(404, null, "not found");
                });
            } else {
                b.handler(handler);
            }
            return b.build();
        }
    }
}
