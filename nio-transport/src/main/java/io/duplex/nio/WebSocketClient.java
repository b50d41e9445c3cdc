package io.duplex.nio;

import io.duplex.core.ExtensionFactory;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.engine.ClientHandshake;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * Opens WebSocket connections on java.nio event loops:
 *
 * <pre>{@code
 * WebSocketClient client = WebSocketClient.builder().build();
 * WebSocket ws = client.connect(URI.create("ws://localhost:8080/"), handler).get();
 * }</pre>
 *
 * <p>Handler callbacks run on the connection's event loop thread and must not block. A client may share the
 * loops of a server in the same process ({@link Builder#loops(EventLoopGroup)}).
 */
public final class WebSocketClient implements AutoCloseable {

    private final ConnectionSettings settings;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final long connectTimeoutMillis;
    private final List<ExtensionFactory> extensions;
    private final SSLContext tls;
    private final boolean verifyHostname;
    private final ProxySettings proxy;
    private final Resolver resolver;
    /** Runs the blocking name lookups, so {@link #connect} never waits for DNS. Daemon threads, idle ones exit. */
    private final ThreadPoolExecutor resolving;
    private final Termination terminated = new Termination();

    /** Looks a host name up; blocking. A test may hold it back to see that connect does not wait for it. */
    interface Resolver {
        InetAddress resolve(String host) throws UnknownHostException;
    }

    /** Whether this client runs its connections' callbacks on a handler executor. */
    boolean hasHandlerExecutor() {
        return settings.handlerExecutor != null;
    }

    private WebSocketClient(Builder b) {
        this.settings = b.settings();
        this.ownsGroup = b.group == null;
        this.group = b.groupOrCreate();
        this.connectTimeoutMillis = b.connectTimeout.toMillis();
        this.extensions = b.extensions;
        this.tls = b.tls;
        this.verifyHostname = b.verifyHostname;
        this.proxy = b.proxy;
        this.resolver = b.resolver;
        this.resolving = new ThreadPoolExecutor(RESOLVER_THREADS, RESOLVER_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "duplex-resolver");
                    t.setDaemon(true);
                    return t;
                });
        resolving.allowCoreThreadTimeOut(true);
    }

    private static final int RESOLVER_THREADS = 4;

    /** A builder with the defaults listed on its methods. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@link #connect(URI, WebSocketHandler, ConnectOptions)} with {@link ConnectOptions#defaults()}. */
    public CompletableFuture<WebSocket> connect(URI uri, WebSocketHandler handler) {
        return connect(uri, handler, ConnectOptions.defaults());
    }

    /**
     * Connects to {@code uri} (ws:// or wss://) and runs the opening handshake, through a CONNECT tunnel when
     * a proxy applies ({@link ConnectOptions#proxy()}, else the client's {@link Builder#proxy}). Returns at
     * once: the host name is resolved on the client's own resolver threads, never the caller's (the server's
     * when connecting directly, the proxy's otherwise; the proxy resolves the server's).
     *
     * @return completes with the open connection after {@code handler.onOpen}; fails with the
     *     {@link UnknownHostException} of a name that does not resolve, the connect error (a
     *     {@link java.net.ConnectException}, say), a {@link java.util.concurrent.TimeoutException}, for wss:// a
     *     {@link javax.net.ssl.SSLHandshakeException} when the TLS handshake fails (an untrusted certificate, one
     *     that does not name the host, no protocol or cipher suite in common) or another
     *     {@link javax.net.ssl.SSLException}, the {@link ProxyConnectException} of a proxy that refused the
     *     tunnel, or the {@link io.duplex.core.HandshakeException} describing a refused handshake
     */
    public CompletableFuture<WebSocket> connect(URI uri, WebSocketHandler handler, ConnectOptions options) {
        return connect(uri, handler, options, null);
    }

    /**
     * The address to connect to: resolved at once for an IP literal, which needs no lookup (and no hop to a
     * resolver thread), else unresolved, for the resolver threads.
     *
     * @throws UnknownHostException for a bracketed IPv6 literal that does not parse
     */
    static InetSocketAddress addressOf(String host, int port) throws UnknownHostException {
        if (host.startsWith("[")) {
            // A bracketed host is an IPv6 literal to InetAddress, which parses it and never looks it up.
            return new InetSocketAddress(InetAddress.getByName(host), port);
        }
        byte[] v4 = dottedQuad(host);
        return v4 != null ? new InetSocketAddress(InetAddress.getByAddress(host, v4), port)
                : InetSocketAddress.createUnresolved(host, port);
    }

    /** The four bytes of {@code a.b.c.d} with each part a decimal 0–255, or null for anything else. */
    private static byte[] dottedQuad(String host) {
        byte[] out = new byte[4];
        int part = 0;
        int value = -1;
        for (int i = 0; i <= host.length(); i++) {
            char c = i < host.length() ? host.charAt(i) : '.';
            if (c == '.') {
                if (value < 0 || part == 4) {
                    return null;
                }
                out[part++] = (byte) value;
                value = -1;
            } else if (c >= '0' && c <= '9' && value < 256) {
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (value > 255) {
                    return null;
                }
            } else {
                return null;
            }
        }
        return part == 4 ? out : null;
    }

    /** {@link #connect(URI, WebSocketHandler, ConnectOptions)} on {@code loop}, or the next loop when null. */
    CompletableFuture<WebSocket> connect(URI uri, WebSocketHandler handler, ConnectOptions options,
            io.duplex.nio.internal.loop.EventLoop loop) {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean secure = scheme.equals("wss");
        if (!secure && !scheme.equals("ws")) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not a ws:// or wss:// URI: " + uri));
        }
        if (uri.getHost() == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no host in " + uri));
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : secure ? 443 : 80;
        SSLContext context;
        try {
            context = secure ? tlsContext() : null;
        } catch (NoSuchAlgorithmException e) {
            return CompletableFuture.failedFuture(e);
        }
        ProxySettings via = options.noProxy() ? null : options.proxy() != null ? options.proxy() : proxy;
        ProxyTunnel tunnel = via == null ? null : new ProxyTunnel(via, uri.getHost(), port,
                settings.config.maxHeaderBytes(), settings.config.maxHeaderCount());
        InetSocketAddress target;
        try {
            target = via != null ? via.address() : addressOf(uri.getHost(), port);
        } catch (UnknownHostException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<WebSocket> opened = new CompletableFuture<>();
        SocketChannel ch;
        ClientHandshake handshake;
        try {
            handshake = new ClientHandshake(uri, options.subprotocols(), options.headers(), options.origin(),
                    extensions, settings.config);
            ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        long connectTimeout = options.connectTimeout() != null ? options.connectTimeout().toMillis()
                : connectTimeoutMillis;
        long handshakeTimeout = options.handshakeTimeout() != null ? options.handshakeTimeout().toMillis()
                : settings.handshakeTimeoutMillis;
        // Called on the loop, as the engine borrows the loop's buffers. SNI and the name check use the URI's
        // host, never the proxy's.
        java.util.function.Supplier<TlsWire> tlsLayer = context == null ? null
                : () -> TlsWire.client(ch, context, uri.getHost(), port, verifyHostname);
        io.duplex.nio.internal.loop.EventLoop on = loop != null ? loop : nextLoop();
        Runnable start = () -> {
            InetSocketAddress address;
            try {
                address = target.isUnresolved()
                        ? new InetSocketAddress(resolver.resolve(target.getHostString()), target.getPort()) : target;
            } catch (UnknownHostException | RuntimeException e) {
                closeQuietly(ch);
                opened.completeExceptionally(e);
                return;
            }
            Route route = new Route(address, tunnel, tlsLayer, connectTimeout, handshakeTimeout);
            try {
                on.execute(() -> new ClientConnection(on, ch, settings, handshake, handler, opened, route).start());
            } catch (RejectedExecutionException e) {
                closeQuietly(ch);
                opened.completeExceptionally(new IOException("client is closed", e));
            }
        };
        try {
            if (target.isUnresolved()) {
                resolving.execute(start);
            } else {
                start.run();
            }
        } catch (RejectedExecutionException e) {
            closeQuietly(ch);
            opened.completeExceptionally(new IOException("client is closed", e));
        }
        return opened;
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing was sent on it
        }
    }

    /** The loop for a new connection, round-robin. */
    io.duplex.nio.internal.loop.EventLoop nextLoop() {
        return group.loop(group.nextIndex());
    }

    private SSLContext tlsContext() throws NoSuchAlgorithmException {
        return tls != null ? tls : SSLContext.getDefault();
    }

    /** The event loops this client runs on. */
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

    /** Closes the event loops if the client created them, dropping their connections. */
    @Override
    public void close() {
        resolving.shutdownNow();
        if (ownsGroup) {
            group.close();
        }
        terminated.signal();
    }

    /**
     * Waits until {@link #close()} has returned (called from another thread or a callback's hand-off). The loop
     * threads are daemon threads by default, so nothing else keeps the JVM running for a client.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    /**
     * {@link #awaitTermination()} for at most {@code timeout}.
     *
     * @return true if the client is closed, false if the time ran out first
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout);
    }

    /** Whether {@link #close()} has returned. */
    public boolean isTerminated() {
        return terminated.isDone();
    }

    /** Builds a {@link WebSocketClient}. Not thread-safe. */
    public static final class Builder extends TransportBuilder<Builder> {
        private Duration connectTimeout = Duration.ofSeconds(10);
        private List<ExtensionFactory> extensions = List.of();
        private SSLContext tls;
        private boolean verifyHostname = true;
        private ProxySettings proxy;
        private Resolver resolver = InetAddress::getByName;

        private Builder() {
        }

        /** How host names are looked up (tests hold lookups back with this). Default the JDK's resolver. */
        Builder resolver(Resolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /**
         * Reaches every server through this HTTP proxy with a CONNECT tunnel (RFC 9110 §9.3.6), unless a
         * connect's {@link ConnectOptions} says otherwise. Default: no proxy (the JVM's proxy properties are not
         * read).
         */
        public Builder proxy(ProxySettings proxy) {
            this.proxy = Objects.requireNonNull(proxy, "proxy");
            return this;
        }

        /** The trust (and client key) material for wss://. Default: {@link SSLContext#getDefault()}. */
        public Builder tls(SSLContext context) {
            this.tls = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * Whether a wss:// server's certificate must name the URI's host (RFC 6125). Default true; turn off only
         * for tests with self-signed certificates.
         */
        public Builder verifyHostname(boolean verify) {
            this.verifyHostname = verify;
            return this;
        }

        /** The TCP connect timeout. Default 10 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** The extensions to offer. Default none. */
        public Builder extensions(List<ExtensionFactory> extensions) {
            this.extensions = List.copyOf(extensions);
            return this;
        }

        /** The client. */
        public WebSocketClient build() {
            return new WebSocketClient(this);
        }
    }
}
