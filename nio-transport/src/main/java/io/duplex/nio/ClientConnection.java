package io.duplex.nio;

import io.duplex.core.WebSocket;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.engine.ClientHandshake;
import io.duplex.core.engine.Session;
import io.duplex.nio.internal.loop.EventLoop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection opened by a {@link WebSocketClient}: connects, opens a CONNECT tunnel through a proxy if its
 * {@link Route} has one, starts TLS for wss://, sends the opening handshake, then runs a client session.
 *
 * <p>The proxy exchange runs on the plain socket before the TLS layer is installed, so TLS never stacks on
 * another layer: once the tunnel stands, the socket carries the server's bytes as if it were connected to it.
 */
final class ClientConnection extends Connection {

    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);

    private final ClientHandshake handshake;
    private final WebSocketHandler handler;
    private final CompletableFuture<WebSocket> opened;
    private final Route route;
    private boolean connecting = true;
    /** A CONNECT was or is to be sent and the proxy has not opened the tunnel yet. */
    private boolean tunnelPending;
    private boolean requestSent;

    ClientConnection(EventLoop loop, SocketChannel channel, ConnectionSettings settings, ClientHandshake handshake,
            WebSocketHandler handler, CompletableFuture<WebSocket> opened, Route route) {
        super(loop, channel, settings);
        this.handshake = handshake;
        this.handler = handler;
        this.opened = opened;
        this.route = route;
        this.tunnelPending = route.tunnel() != null;
    }

    /** Loop thread. */
    void start() {
        boolean done;
        try {
            done = channel.connect(route.address());
        } catch (IOException | RuntimeException e) {
            wire().close(channel, false);
            opened.completeExceptionally(e);
            return;
        }
        register(done ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT);
        if (isClosed()) {
            return;
        }
        armDeadline(route.connectTimeoutMillis());
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

    /** TCP is up: the handshake timeout starts, covering the CONNECT exchange, TLS and the HTTP upgrade. */
    private void transportConnected() {
        connecting = false;
        remoteAddress(); // kept from now on, so it stays readable after an abrupt close
        armDeadline(route.handshakeTimeoutMillis());
        if (tunnelPending) {
            writeRaw(route.tunnel().request());
        } else {
            reachedServer(null);
        }
    }

    /**
     * The byte stream now reaches the server: starts TLS (wss://) and sends the upgrade request when the wire
     * is ready. {@code early} holds bytes that came through the tunnel with the proxy's answer, or is null.
     */
    private void reachedServer(ByteBuffer early) {
        boolean hasEarly = early != null && early.hasRemaining();
        if (route.tls() != null) {
            TlsWire tls = route.tls().get();
            if (hasEarly) {
                tls.prepend(early);
            }
            replaceWire(tls);
        }
        try {
            wire().start();
        } catch (IOException e) {
            closeNow(e);
            return;
        }
        awaitWireFlush(); // a ClientHello the socket took only part of
        if (wire().ready()) {
            sendRequest();
            if (hasEarly && !isClosed()) {
                handshakeRead(early);
            }
        }
    }

    @Override
    void wireReady() {
        if (!requestSent && !tunnelPending) {
            sendRequest();
        }
    }

    private void sendRequest() {
        requestSent = true;
        writeRaw(handshake.request());
    }

    @Override
    void handshakeRead(ByteBuffer buf) {
        if (tunnelPending) {
            tunnelRead(buf);
            return;
        }
        ByteBuffer in = withUnconsumed(buf);
        switch (handshake.receive(in)) {
            case NEED_MORE:
                keepUnconsumed(in);
                break;
            case OPENED:
                openSession(Session.client(handshake.result(handler)).maskKeys(loop.maskKeys()), dispatched(handler), in);
                opened.complete(facade);
                break;
            default:
                opened.completeExceptionally(handshake.failure());
                abortNow();
                break;
        }
    }

    private void tunnelRead(ByteBuffer buf) {
        ProxyTunnel tunnel = route.tunnel();
        try {
            if (!tunnel.receive(buf)) {
                return;
            }
        } catch (ProxyConnectException e) {
            opened.completeExceptionally(e);
            abortNow();
            return;
        }
        tunnelPending = false;
        LOG.debug("proxy {} opened a tunnel to {}", tunnel.proxyAddress(), tunnel.authority());
        reachedServer(buf);
    }

    @Override
    void handshakeTimedOut() {
        String what;
        if (connecting) {
            what = "connect to " + (route.tunnel() != null ? "proxy " : "") + route.address() + " timed out after "
                    + route.connectTimeoutMillis() + " ms";
        } else if (tunnelPending) {
            what = "proxy " + route.address() + " did not open a tunnel to " + route.tunnel().authority()
                    + " within " + route.handshakeTimeoutMillis() + " ms";
        } else {
            what = "opening handshake timed out after " + route.handshakeTimeoutMillis() + " ms";
        }
        closeNow(new TimeoutException(what));
    }

    @Override
    void closedDuringHandshake(Throwable cause) {
        settings.metrics.handshakeFailed();
        if (cause != null) {
            opened.completeExceptionally(cause);
        } else if (tunnelPending && !connecting) {
            opened.completeExceptionally(new IOException("proxy " + route.address()
                    + " closed the connection before opening a tunnel to " + route.tunnel().authority()));
        } else {
            opened.completeExceptionally(new IOException("connection closed during the opening handshake"));
        }
    }

    @Override
    void failedInternally() {
        // Nothing to count: a client's handler hears of it through onError and onClose.
    }

    @Override
    void released() {
        // A client keeps no registry.
    }
}
