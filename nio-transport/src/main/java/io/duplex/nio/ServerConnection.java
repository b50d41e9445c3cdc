package io.duplex.nio;

import io.duplex.core.HandshakeException;
import io.duplex.core.HandshakeRequest;
import io.duplex.core.engine.ServerHandshake;
import io.duplex.core.engine.Session;
import io.duplex.nio.internal.jfr.Events;
import io.duplex.nio.internal.loop.EventLoop;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A connection accepted by a {@link WebSocketServer}: answers the opening handshake, then runs a server session. */
final class ServerConnection extends Connection {

    private static final Logger LOG = LoggerFactory.getLogger(ServerConnection.class);

    final WebSocketServer server;
    /** Unique among this server's connections; see {@link io.duplex.core.WebSocket#id()}. */
    final long id;
    /** Its room memberships, owned by {@link Memberships} (a field, so a connection in one room needs no map). */
    volatile Object memberships;
    /** 503 when the server was full at accept: read the request, answer 503, close. */
    private final boolean overCapacity;
    private ServerHandshake handshake;
    private boolean handshaking = true;
    /** A plain HTTP request whose body is being read. */
    private RequestBody body;

    ServerConnection(EventLoop loop, SocketChannel channel, WebSocketServer server, boolean overCapacity) {
        super(loop, channel, server.settings);
        this.server = server;
        this.overCapacity = overCapacity;
        this.id = server.nextConnectionId();
        remoteAddress(); // kept from accept on, so it stays readable after an abrupt close
        this.handshake = new ServerHandshake(server.settings.config, server.policy, loop.sessionBuffers());
    }

    /** Registers for reading with a handshake deadline of {@code handshakeMillis}. Loop thread. */
    void start(long handshakeMillis) {
        register(SelectionKey.OP_READ);
        if (!isClosed() && handshakeMillis != settings.handshakeTimeoutMillis) {
            armDeadline(handshakeMillis);
        }
    }

    /** Dropped to make room for a newer connection (see {@link PendingHandshakes}), unless its handshake ended. */
    void shed() {
        if (handshaking && !isClosed()) {
            LOG.debug("pending handshake from {} dropped to admit a newer connection", remoteAddress());
            abortNow();
        }
    }

    @Override
    void handshakeRead(ByteBuffer buf) {
        if (body != null) {
            readBody(buf);
            return;
        }
        if (!handshaking) {
            return;
        }
        ByteBuffer in = withUnconsumed(buf);
        ServerHandshake.State state = handshake.receive(in);
        if (state == ServerHandshake.State.NEED_MORE) {
            keepUnconsumed(in);
            return;
        }
        if (state == ServerHandshake.State.NOT_UPGRADE && !overCapacity) {
            startBody(handshake.request(), in);
            return;
        }
        endHandshake();
        if (overCapacity) {
            rejected(503, "server at maxConnections");
            respondAndClose(PlainHttpResponder.closingResponse(503, "Service Unavailable",
                    io.duplex.core.HttpHeaders.empty(), new byte[0]));
            return;
        }
        switch (state) {
            case ACCEPTED:
                ServerHandshake hs = handshake;
                handshake = null;
                writeRaw(hs.response());
                server.opened(this);
                openSession(Session.server(hs.result()), dispatched(hs.handler()), in);
                break;
            default:
                HandshakeException why = handshake.failure();
                rejected(handshake.status(), why == null ? "" : why.getMessage());
                respondAndClose(handshake.response());
                break;
        }
    }

    /**
     * A plain HTTP request: its body is read (still under the handshake's deadline and counted as a pending
     * handshake) before the HTTP handler answers, so nothing is left unread in the socket.
     */
    private void startBody(HandshakeRequest head, ByteBuffer in) {
        handshake = null;
        Object start = RequestBody.start(head, server.maxHttpBodyBytes);
        if (start instanceof HttpResponse refused) {
            endHandshake();
            respondAndClose(PlainHttpResponder.closingResponse(refused.status(), refused.reason(), refused.headers(),
                    refused.bodyUnsafe()));
            return;
        }
        body = (RequestBody) start;
        readBody(in);
    }

    private void readBody(ByteBuffer in) {
        if (!body.read(in)) {
            return;
        }
        in.position(in.limit()); // a pipelined request after this one is not served: the connection closes
        RequestBody complete = body;
        body = null;
        endHandshake();
        respondAndClose(server.plainHttpResponse(new HttpRequest(complete.head(), complete.bytes())));
    }

    /** The upgrade request is refused with {@code status}: counted and recorded. */
    private void rejected(int status, String reason) {
        Events.handshakeRejected(remoteAddress(), status, reason);
        settings.metrics.handshakeRejected(status);
    }

    private void respondAndClose(ByteBuffer response) {
        handshake = null;
        writeRaw(response);
        closeTransport();
    }

    private void endHandshake() {
        if (handshaking) {
            handshaking = false;
            server.handshakeEnded(this);
        }
    }

    /** Starts the close handshake with 1001 (server stop), or drops a connection still handshaking. */
    void goingAway() {
        Session session = session();
        if (session == null) {
            abortNow();
        } else if (session.isOpen()) {
            session.close(io.duplex.core.CloseStatus.GOING_AWAY, "server stopping");
        }
    }

    @Override
    long id() {
        return id;
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
    void failedInternally() {
        server.internalErrorSeen();
    }

    @Override
    void released() {
        if (handshaking) {
            settings.metrics.handshakeFailed(); // never answered: timed out, shed, or the peer left
        }
        endHandshake();
        server.closed(this);
        server.released(overCapacity);
    }
}
