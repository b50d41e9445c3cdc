package io.duplex.nio;

import io.duplex.core.ServerHandshake;
import io.duplex.core.Session;
import io.duplex.nio.loop.EventLoop;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeoutException;

/** A connection accepted by a {@link WebSocketServer}: answers the opening handshake, then runs a server session. */
final class ServerConnection extends Connection {

    final WebSocketServer server;
    /** Unique among this server's connections; see {@link io.duplex.core.WebSocket#id()}. */
    final long id;
    /** 503 when the server was full at accept: read the request, answer 503, close. */
    private final boolean overCapacity;
    private ServerHandshake handshake;
    private boolean handshaking = true;

    ServerConnection(EventLoop loop, SocketChannel channel, WebSocketServer server, boolean overCapacity) {
        super(loop, channel, server.settings);
        this.server = server;
        this.overCapacity = overCapacity;
        this.id = server.nextConnectionId();
        remoteAddress(); // kept from accept on, so it stays readable after an abrupt close
        this.handshake = new ServerHandshake(server.settings.config, server.policy);
    }

    /** Loop thread. */
    void start() {
        register(SelectionKey.OP_READ);
    }

    @Override
    void handshakeRead(ByteBuffer buf) {
        if (!handshaking) {
            return;
        }
        ByteBuffer in = withUnconsumed(buf);
        ServerHandshake.State state = handshake.receive(in);
        if (state == ServerHandshake.State.NEED_MORE) {
            keepUnconsumed(in);
            return;
        }
        endHandshake();
        if (overCapacity) {
            respondAndClose(WebSocketServer.closingResponse(503, "Service Unavailable",
                    io.duplex.core.HttpHeaders.empty(), new byte[0]));
            return;
        }
        switch (state) {
            case ACCEPTED:
                ServerHandshake hs = handshake;
                handshake = null;
                writeRaw(hs.response());
                server.opened(this);
                openSession(Session.server(), hs.handler(), hs.request(), hs.subprotocol(),
                        hs.extensionsHeader(), hs.extensions(), in);
                break;
            case NOT_UPGRADE:
                respondAndClose(server.plainHttpResponse(handshake.request()));
                break;
            default:
                respondAndClose(handshake.response());
                break;
        }
    }

    private void respondAndClose(ByteBuffer response) {
        handshake = null;
        writeRaw(response);
        closeTransport();
    }

    private void endHandshake() {
        if (handshaking) {
            handshaking = false;
            server.handshakeEnded();
        }
    }

    /** Starts the close handshake with 1001 (server stop), or drops a connection still handshaking. */
    void goingAway() {
        if (session == null) {
            abortNow();
        } else if (session.isOpen()) {
            session.close(io.duplex.core.CloseStatus.GOING_AWAY, "server stopping");
        }
    }

    @Override
    void handshakeTimedOut() {
        closeNow(new TimeoutException("opening handshake timed out"));
    }

    @Override
    void closedDuringHandshake(Throwable cause) {
        // Nobody to tell: no handler saw this connection.
    }

    @Override
    void released() {
        endHandshake();
        server.closed(this);
        server.released(overCapacity);
    }
}
