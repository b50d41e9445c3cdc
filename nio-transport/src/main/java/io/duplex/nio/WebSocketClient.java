package io.duplex.nio;

import io.duplex.core.ClientHandshake;
import io.duplex.core.ExtensionFactory;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
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

    private WebSocketClient(Builder b) {
        this.settings = b.settings();
        this.ownsGroup = b.group == null;
        this.group = b.groupOrCreate();
        this.connectTimeoutMillis = b.connectTimeout.toMillis();
        this.extensions = b.extensions;
        this.tls = b.tls;
        this.verifyHostname = b.verifyHostname;
    }

    /** A builder with the defaults listed on its methods. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@link #connect(URI, WebSocketHandler, ConnectOptions)} with {@link ConnectOptions#defaults()}. */
    public CompletableFuture<WebSocket> connect(URI uri, WebSocketHandler handler) {
        return connect(uri, handler, ConnectOptions.defaults());
    }

    /**
     * Connects to {@code uri} (ws:// or wss://) and runs the opening handshake. The host name is resolved in the
     * calling thread.
     *
     * @return completes with the open connection after {@code handler.onOpen}; fails with the connect
     *     error, a {@link java.util.concurrent.TimeoutException}, or the
     *     {@link io.duplex.core.HandshakeException} describing a refused handshake
     */
    public CompletableFuture<WebSocket> connect(URI uri, WebSocketHandler handler, ConnectOptions options) {
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
        InetSocketAddress address = new InetSocketAddress(uri.getHost(), port);
        if (address.isUnresolved()) {
            return CompletableFuture.failedFuture(new IOException("cannot resolve " + uri.getHost()));
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
        io.duplex.nio.loop.EventLoop loop = group.loop(group.nextIndex());
        try {
            loop.execute(() -> {
                ClientConnection c = new ClientConnection(loop, ch, settings, handshake, handler, opened, address,
                        connectTimeout, handshakeTimeout);
                if (context != null) {
                    // On the loop: the engine borrows the loop's buffers. SNI and the name check use the URI's host.
                    c.wire = TlsWire.client(ch, context, uri.getHost(), port, verifyHostname);
                }
                c.start();
            });
        } catch (RejectedExecutionException e) {
            opened.completeExceptionally(new IOException("client is closed", e));
        }
        return opened;
    }

    private SSLContext tlsContext() throws NoSuchAlgorithmException {
        return tls != null ? tls : SSLContext.getDefault();
    }

    /** The event loops this client runs on. */
    public EventLoopGroup loops() {
        return group;
    }

    /** Closes the event loops if the client created them, dropping their connections. */
    @Override
    public void close() {
        if (ownsGroup) {
            group.close();
        }
    }

    /** Builds a {@link WebSocketClient}. Not thread-safe. */
    public static final class Builder extends TransportBuilder<Builder> {
        private Duration connectTimeout = Duration.ofSeconds(10);
        private List<ExtensionFactory> extensions = List.of();
        private SSLContext tls;
        private boolean verifyHostname = true;

        private Builder() {
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
