package io.duplex.nio;

import io.duplex.core.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Per-connection options of {@link WebSocketClient#connect(java.net.URI, io.duplex.core.WebSocketHandler,
 * ConnectOptions)}. Immutable; build with {@link #builder()}. Unset timeouts and proxy fall back to the client's.
 */
public final class ConnectOptions {

    private static final ConnectOptions DEFAULTS = builder().build();

    private final HttpHeaders headers;
    private final List<String> subprotocols;
    private final String origin;
    private final Duration connectTimeout;
    private final Duration handshakeTimeout;
    private final ProxySettings proxy;
    private final boolean noProxy;

    private ConnectOptions(Builder b) {
        this.headers = b.headers;
        this.subprotocols = b.subprotocols;
        this.origin = b.origin;
        this.connectTimeout = b.connectTimeout;
        this.handshakeTimeout = b.handshakeTimeout;
        this.proxy = b.proxy;
        this.noProxy = b.noProxy;
    }

    /** No extra headers, no subprotocols, no origin, the client's timeouts. */
    public static ConnectOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Extra request headers. */
    public HttpHeaders headers() {
        return headers;
    }

    /** The subprotocols offered, in order of preference. */
    public List<String> subprotocols() {
        return subprotocols;
    }

    /** The {@code Origin} header to send, or {@code null} for none. */
    public String origin() {
        return origin;
    }

    /** The TCP connect timeout, or {@code null} for the client's. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The opening handshake timeout, or {@code null} for the client's. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** The proxy for this connection, or {@code null} for the client's ({@link #noProxy()} aside). */
    public ProxySettings proxy() {
        return proxy;
    }

    /** Whether this connection goes straight to the server, whatever proxy the client has. */
    public boolean noProxy() {
        return noProxy;
    }

    /** Builds {@link ConnectOptions}. Not thread-safe. */
    public static final class Builder {
        private HttpHeaders headers = HttpHeaders.empty();
        private List<String> subprotocols = List.of();
        private String origin;
        private Duration connectTimeout;
        private Duration handshakeTimeout;
        private ProxySettings proxy;
        private boolean noProxy;

        private Builder() {
        }

        /** Extra request headers (for example {@code Authorization}). Default none. */
        public Builder headers(HttpHeaders headers) {
            this.headers = Objects.requireNonNull(headers, "headers");
            return this;
        }

        /** Subprotocols to offer. Default none. */
        public Builder subprotocols(List<String> subprotocols) {
            this.subprotocols = List.copyOf(subprotocols);
            return this;
        }

        /** The {@code Origin} header. Default none. */
        public Builder origin(String origin) {
            this.origin = Objects.requireNonNull(origin, "origin");
            return this;
        }

        /** The TCP connect timeout. Default: the client's. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = TransportBuilder.positive(timeout, "connectTimeout");
            return this;
        }

        /** The opening handshake timeout. Default: the client's. */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = TransportBuilder.positive(timeout, "handshakeTimeout");
            return this;
        }

        /** Reaches the server through {@code proxy} instead of the client's. Default: the client's proxy. */
        public Builder proxy(ProxySettings proxy) {
            this.proxy = Objects.requireNonNull(proxy, "proxy");
            this.noProxy = false;
            return this;
        }

        /** Connects straight to the server even if the client has a proxy. Default: the client's proxy. */
        public Builder noProxy() {
            this.proxy = null;
            this.noProxy = true;
            return this;
        }

        /** The options. */
        public ConnectOptions build() {
            return new ConnectOptions(this);
        }
    }
}
