package io.duplex.nio;

import io.duplex.core.ClientHandshake;
import io.duplex.core.Session;
import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.nio.loop.EventLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/** A connection opened by a {@link WebSocketClient}: connects, sends the opening handshake, then runs a client session. */
final class ClientConnection extends Connection {

    private final ClientHandshake handshake;
    private final WebSocketHandler handler;
    private final CompletableFuture<WebSocket> opened;
    private final InetSocketAddress address;
    private final long connectTimeoutMillis;
    private final long handshakeTimeoutMillis;
    private boolean connecting = true;
    private boolean requestSent;

    ClientConnection(EventLoop loop, SocketChannel channel, ConnectionSettings settings, ClientHandshake handshake,
            WebSocketHandler handler, CompletableFuture<WebSocket> opened, InetSocketAddress address,
            long connectTimeoutMillis, long handshakeTimeoutMillis) {
        super(loop, channel, settings);
        this.handshake = handshake;
        this.handler = handler;
        this.opened = opened;
        this.address = address;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    /** Loop thread. */
    void start() {
        boolean done;
        try {
            done = channel.connect(address);
        } catch (IOException | RuntimeException e) {
            wire.close(false);
            opened.completeExceptionally(e);
            return;
        }
        register(done ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT);
        if (isClosed()) {
            return;
        }
        armDeadline(connectTimeoutMillis);
        if (done) {
            transportConnected();
        }
    }

    @Override
    void connected() {
        try {
            if (!channel.finishConnect()) {
                return;
            }
        } catch (IOException e) {
            closeNow(e);
            return;
        }
        connectFinished();
        transportConnected();
    }

    /** TCP is up: the handshake timeout starts, covering TLS (if any) and the HTTP upgrade. */
    private void transportConnected() {
        connecting = false;
        armDeadline(handshakeTimeoutMillis);
        try {
            wire.start();
        } catch (IOException e) {
            closeNow(e);
            return;
        }
        if (wire.ready()) {
            sendRequest();
        }
    }

    @Override
    void wireReady() {
        if (!requestSent) {
            sendRequest();
        }
    }

    private void sendRequest() {
        requestSent = true;
        writeRaw(handshake.request());
    }

    @Override
    void handshakeRead(ByteBuffer buf) {
        ByteBuffer in = withUnconsumed(buf);
        switch (handshake.receive(in)) {
            case NEED_MORE:
                keepUnconsumed(in);
                break;
            case OPENED:
                openSession(Session.client(), handler, handshake.requestHead(), handshake.subprotocol(),
                        handshake.extensionsHeader(), handshake.extensions(), in);
                opened.complete(facade);
                break;
            default:
                opened.completeExceptionally(handshake.failure());
                abortNow();
                break;
        }
    }

    @Override
    void handshakeTimedOut() {
        closeNow(new TimeoutException(connecting
                ? "connect to " + address + " timed out after " + connectTimeoutMillis + " ms"
                : "opening handshake timed out after " + handshakeTimeoutMillis + " ms"));
    }

    @Override
    void closedDuringHandshake(Throwable cause) {
        opened.completeExceptionally(cause != null ? cause
                : new IOException("connection closed during the opening handshake"));
    }

    @Override
    void released() {
        // A client keeps no registry.
    }
}
