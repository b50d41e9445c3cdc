package io.duplex.core;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A sans-I/O WebSocket endpoint after the opening handshake: feed it the bytes received from the peer with
 * {@link #receive}; it calls the {@link WebSocketHandler} and writes frames to the {@link Outbound}.
 *
 * <p>A session owns no socket, thread or clock. Time enters through explicit calls: the transport reports
 * the end of TCP with {@link #transportClosed} and an expired close timeout with {@link #closeTimeoutExpired}.
 * A session is not thread-safe: drive it, and call its send methods, from one thread at a time.
 *
 * <p>Create one with {@link #server()} or {@link #client()}.
 */
public final class Session implements WebSocket {

    private Session(Builder b) {
        throw new UnsupportedOperationException("session engine not written yet");
    }

    /** A builder for the server side of a connection (expects masked frames, sends unmasked ones). */
    public static Builder server() {
        return new Builder(false);
    }

    /** A builder for the client side of a connection (expects unmasked frames, masks what it sends). */
    public static Builder client() {
        return new Builder(true);
    }

    /** Reports {@link WebSocketHandler#onOpen}. Call once, after the handshake response was written or read. */
    public void open() {
        throw new UnsupportedOperationException();
    }

    /** Processes received bytes: consumes everything between {@code in}'s position and limit. */
    public void receive(ByteBuffer in) {
        throw new UnsupportedOperationException();
    }

    /**
     * The TCP connection ended: the peer closed it, it was reset, or an I/O error ({@code cause}, may be
     * {@code null}) occurred. Reports {@link WebSocketHandler#onClose} if not yet reported.
     */
    public void transportClosed(Throwable cause) {
        throw new UnsupportedOperationException();
    }

    /** The close timeout armed at {@link Outbound#closeStarted()} expired: the session gives up waiting. */
    public void closeTimeoutExpired() {
        throw new UnsupportedOperationException();
    }

    /**
     * Fails the connection for a reason found outside the protocol stream (idle timeout, missing pong,
     * outbound buffer overflow): reports {@code onError}, sends a Close with {@code code} if none was sent,
     * and closes the transport.
     */
    public void fail(int code, String reason, Throwable cause) {
        throw new UnsupportedOperationException();
    }

    /** Whether a Close frame has been sent or received. */
    public boolean isClosing() {
        throw new UnsupportedOperationException();
    }

    /** Whether {@link WebSocketHandler#onClose} has been reported. */
    public boolean isClosed() {
        throw new UnsupportedOperationException();
    }

    /** The handler this session reports to. */
    public WebSocketHandler handler() {
        throw new UnsupportedOperationException();
    }

    @Override public CompletableFuture<Void> sendText(CharSequence text) { throw new UnsupportedOperationException(); }
    @Override public CompletableFuture<Void> sendText(CharSequence fragment, boolean last) { throw new UnsupportedOperationException(); }
    @Override public CompletableFuture<Void> sendBinary(ByteBuffer data) { throw new UnsupportedOperationException(); }
    @Override public CompletableFuture<Void> sendBinary(ByteBuffer fragment, boolean last) { throw new UnsupportedOperationException(); }
    @Override public CompletableFuture<Void> sendPing(ByteBuffer payload) { throw new UnsupportedOperationException(); }
    @Override public CompletableFuture<Void> sendPong(ByteBuffer payload) { throw new UnsupportedOperationException(); }
    @Override public CompletableFuture<Void> close(int code, String reason) { throw new UnsupportedOperationException(); }
    @Override public void abort() { throw new UnsupportedOperationException(); }
    @Override public boolean isOpen() { throw new UnsupportedOperationException(); }
    @Override public long bufferedAmount() { throw new UnsupportedOperationException(); }
    @Override public void pauseReading() { throw new UnsupportedOperationException(); }
    @Override public void resumeReading() { throw new UnsupportedOperationException(); }
    @Override public String subprotocol() { throw new UnsupportedOperationException(); }
    @Override public String extensions() { throw new UnsupportedOperationException(); }
    @Override public HandshakeRequest handshakeRequest() { throw new UnsupportedOperationException(); }
    @Override public InetSocketAddress remoteAddress() { throw new UnsupportedOperationException(); }
    @Override public <T> T attachment() { throw new UnsupportedOperationException(); }
    @Override public void attach(Object attachment) { throw new UnsupportedOperationException(); }

    /** Builds a {@link Session}. */
    public static final class Builder {
        final boolean client;
        WebSocketConfig config = WebSocketConfig.defaults();
        WebSocketHandler handler;
        Outbound outbound;
        HandshakeRequest request;
        String subprotocol = "";
        String extensionsHeader = "";
        List<Object> extensions = List.of();
        WebSocket facade;

        private Builder(boolean client) {
            this.client = client;
        }

        /** Limits and options; default {@link WebSocketConfig#defaults()}. */
        public Builder config(WebSocketConfig config) {
            this.config = Objects.requireNonNull(config);
            return this;
        }

        /** The handler events go to. Required. */
        public Builder handler(WebSocketHandler handler) {
            this.handler = Objects.requireNonNull(handler);
            return this;
        }

        /** Where outbound bytes go. Required. */
        public Builder outbound(Outbound outbound) {
            this.outbound = Objects.requireNonNull(outbound);
            return this;
        }

        /** What the opening handshake agreed: the request, the subprotocol ("" for none), and the extensions. */
        public Builder handshake(HandshakeRequest request, String subprotocol, String extensionsHeader) {
            this.request = Objects.requireNonNull(request);
            this.subprotocol = Objects.requireNonNull(subprotocol);
            this.extensionsHeader = Objects.requireNonNull(extensionsHeader);
            return this;
        }

        /**
         * The {@link WebSocket} handler callbacks receive; default the session itself. A transport that makes
         * sends thread-safe passes its own wrapper here.
         */
        public Builder facade(WebSocket facade) {
            this.facade = Objects.requireNonNull(facade);
            return this;
        }

        /** The session. */
        public Session build() {
            return new Session(this);
        }
    }
}
