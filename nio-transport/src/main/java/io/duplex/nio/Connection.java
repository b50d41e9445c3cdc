package io.duplex.nio;

import io.duplex.core.CloseStatus;
import io.duplex.core.Transport;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.engine.Session;
import io.duplex.nio.internal.jfr.Events;
import io.duplex.nio.internal.loop.EventLoop;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket layer of a connection: leads it from the opening handshake (a subclass per role) through its
 * core {@link Session} to closed. Below it, {@link TcpConnection} moves the bytes and {@link TimedConnection}
 * keeps the time; the TCP close is a {@link LingeringClose}. To its session it is the {@link Transport}; to
 * the application, its {@link NioWebSocket} is the WebSocket.
 *
 * <p>Everything here runs on the loop thread, except where a method says otherwise.
 */
abstract class Connection extends TimedConnection implements Transport {

    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    final NioWebSocket facade;
    /** Null until the opening handshake succeeded; volatile for other threads' reads of what it agreed. */
    private volatile Session session;
    /** Handshake bytes the parser left unconsumed (if it ever does); null otherwise. */
    private ByteBuffer unconsumed;
    /** Counts and records the open connection (see {@link TransportMetrics}); null until the session opens. */
    private ConnectionObserver observer;
    /** Bytes read and written since the session opened, for the connection's closed event. */
    private long bytesIn;
    private long bytesOut;
    /** When the handler heard of the open ({@link System#nanoTime()}); valid once {@link #sessionOpened} ran. */
    private long openedNanos;
    private boolean sessionOpened;

    Connection(EventLoop loop, SocketChannel channel, ConnectionSettings settings) {
        super(loop, channel, settings);
        this.facade = new NioWebSocket(this);
    }

    /** Registers with the loop for {@code ops} and arms the handshake timeout. Loop thread. */
    final void register(int ops) {
        if (registerWithLoop(ops)) {
            armDeadline(settings.handshakeTimeoutMillis);
        }
    }

    // ---- subclass hooks: the opening handshake per role -----------------------------------------------

    /** Handshake bytes arrived (the session does not exist yet). */
    abstract void handshakeRead(ByteBuffer in);

    /** The handshake timeout expired. */
    abstract void handshakeTimedOut();

    /** The connection closed before its session existed. */
    abstract void closedDuringHandshake(Throwable cause);

    /** The connection is gone: release what the endpoint counted for it. Called once. */
    abstract void released();

    /**
     * An error was thrown while handling this connection and failed it: the endpoint counts it. Called at
     * most once, before the connection closes; must not allocate much, as the error may be an
     * {@link OutOfMemoryError}.
     */
    abstract void failedInternally();

    /** This connection's number among its server's; 0 for a client's. */
    long id() {
        return 0;
    }

    // ---- opening --------------------------------------------------------------------------------------

    /**
     * The handshake succeeded: builds and opens the session ({@code builder} holds what the handshake
     * agreed, {@code handler} is the application's), then feeds it {@code leftover}, the bytes that followed
     * the handshake's header block.
     */
    final void openSession(Session.Builder builder, WebSocketHandler handler, ByteBuffer leftover) {
        settings.metrics.handshakeAccepted();
        observer = settings.metrics.on(loop).observer(handler, settings.metrics);
        session = builder.handler(observer).config(settings.config).buffers(loop.sessionBuffers()).outbound(this)
                .facade(facade).build();
        startLiveness(); // after the session exists: its extensions say whether it releases memory when idle
        try {
            session.open();
            if (leftover != null && leftover.hasRemaining() && !isClosed()) {
                session.receive(leftover);
            }
        } catch (Throwable t) {
            internalError(t);
        }
    }

    /** {@code buf}, preceded by what the handshake parser left unconsumed last time. */
    final ByteBuffer withUnconsumed(ByteBuffer buf) {
        if (unconsumed == null) {
            return buf;
        }
        ByteBuffer joined = ByteBuffer.allocate(unconsumed.remaining() + buf.remaining());
        joined.put(unconsumed).put(buf).flip();
        unconsumed = null;
        return joined;
    }

    /** Keeps what the handshake parser left in {@code in} for the next read, as it may be incremental or not. */
    final void keepUnconsumed(ByteBuffer in) {
        unconsumed = in.hasRemaining() ? ByteBuffer.allocate(in.remaining()).put(in).flip() : null;
    }

    /** The handler the session reports to: {@code handler} itself, or run on the endpoint's handler executor. */
    final WebSocketHandler dispatched(WebSocketHandler handler) {
        return settings.handlerExecutor == null ? handler : new ExecutorHandler(handler, this,
                settings.handlerExecutor, settings.maxHandlerBacklogMessages, settings.maxHandlerBacklogBytes);
    }

    // ---- reading --------------------------------------------------------------------------------------

    /** Application bytes from the wire: to the handshake until the session exists, then to the session. */
    @Override
    public final void received(ByteBuffer data) {
        bytesRead();
        if (observer != null) {
            bytesIn += data.remaining();
            observer.bytesIn(data.remaining());
        }
        if (session == null) {
            handshakeRead(data);
            return;
        }
        session.receive(data); // what it throws reaches ready(), which fails the connection
    }

    @Override
    final void eventHandled() {
        reportWritability();
    }

    // ---- Transport: what the session writes ------------------------------------------------------------

    @Override
    public final void write(ByteBuffer header, ByteBuffer payload, CompletableFuture<Void> done) {
        outbound().send(header, payload, done, null, false);
    }

    /**
     * Writes like {@link #write}, but what the socket refuses of {@code payload} is queued by reference, not
     * copied; {@code payload} goes back through {@code release} once written or dropped.
     */
    @Override
    public final void writeAndRelease(ByteBuffer header, ByteBuffer payload, CompletableFuture<Void> done,
            Consumer<ByteBuffer> release) {
        outbound().send(header, payload, done, release, false);
    }

    /** Writes an automatic Pong, which may replace the one still waiting while the socket refuses bytes. */
    @Override
    public final void writePong(ByteBuffer header, ByteBuffer payload) {
        outbound().sendPong(header, payload);
    }

    /** Bytes buffered: those the outbound buffer holds and those other threads handed to the loop. Any thread. */
    @Override
    public final long bufferedAmount() {
        return outbound().bufferedAmount();
    }

    /**
     * Reports a crossed watermark to the handler. Called where no session call is in progress (a send
     * returned, an I/O event was handled), because the handler may send again from the callback.
     */
    final void reportWritability() {
        OutboundBuffer out = outbound();
        if (out.takeWritabilityReport() && session != null) {
            session.writabilityChanged(out.isWritable());
        }
    }

    /** A whole data message (or the last part of one) went to the session or the wire. Loop thread. */
    final void messageSent() {
        messageMoved();
        if (observer != null) {
            observer.messageOut();
        }
    }

    /** The handler heard of the open: the connection counts as open from now on. */
    final void sessionOpened() {
        sessionOpened = true;
        openedNanos = System.nanoTime();
    }

    /** Whether {@link #sessionOpened} ran, so only a connection counted as open is counted as closed. */
    final boolean sessionWasOpened() {
        return sessionOpened;
    }

    /** How long the session has been open, in nanoseconds; 0 if it never opened. */
    final long openNanos() {
        return sessionOpened ? System.nanoTime() - openedNanos : 0;
    }

    /** Bytes read since the session opened. */
    final long bytesIn() {
        return bytesIn;
    }

    /** Bytes written since the session opened. */
    final long bytesOut() {
        return bytesOut;
    }

    // ---- OutboundBuffer.Owner -------------------------------------------------------------------------

    @Override
    public final void bytesOut(long n) {
        if (observer != null) {
            bytesOut += n;
            observer.bytesOut(n);
        }
    }

    @Override
    public final void writableAgain() {
        facade.writableAgain();
    }

    @Override
    public final void overflowed(OutboundOverflowException e) {
        onLoop(() -> failForOverflow(e));
    }

    /**
     * Fails the connection with the policy's code, telling the peer with a Close frame. The frames that have
     * not begun to reach the socket are dropped at once; the Close follows what is left. TCP closes once that
     * is flushed or when the close timeout expires, whichever comes first, so a peer that never reads holds
     * the connection's memory no longer than the close timeout.
     */
    private void failForOverflow(OutboundOverflowException e) {
        if (isClosed() || session == null || session.isClosed()) {
            return;
        }
        if (session.isClosing()) {
            // A Close is already on its way or answered: the close timeout already bounds how long it waits.
            return;
        }
        int code = settings.overflowPolicy.closeCode();
        Events.outboundOverflow(remoteAddress(), bufferedAmount(), settings.maxBufferedBytes, code);
        settings.metrics.outboundOverflow(code);
        outbound().cutUnstarted(e);
        session.fail(code, "outbound buffer overflow", e);
        outbound().updateWritability();
    }

    // ---- TimedConnection's hooks ----------------------------------------------------------------------

    /** Whether the close handshake began or ended: the session is past {@code OPEN}. */
    @Override
    final boolean closeHandshakeStarted() {
        return !session.isOpen();
    }

    @Override
    final void sendKeepalivePing() {
        session.sendPing(OutboundBuffer.EMPTY);
    }

    /** Fails the session (a timeout, an internal error); drops TCP if the session itself fails. */
    @Override
    final void failSession(int code, String reason, Throwable cause) {
        try {
            session.fail(code, reason, cause);
        } catch (Throwable t) {
            LOG.warn("session.fail threw", t);
            closeNow(cause);
        }
    }

    /** The session's extensions' idle release delay (permessage-deflate's {@code idleRelease}); 0: none. */
    @Override
    final long idleReleaseMillis() {
        return session == null ? 0 : session.idleReleaseDelay().toMillis();
    }

    @Override
    final boolean releaseIdleMemory() {
        return session.releaseIdleMemory();
    }

    /** The deadline passed: the opening handshake took too long, or the close did. */
    @Override
    final void deadlineExpired() {
        if (isClosed()) {
            return;
        }
        if (session == null) {
            handshakeTimedOut();
        } else if (isClosing()) {
            closeNow(null); // the buffer never drained
        } else {
            outbound().drop();
            session.closeTimeoutExpired();
            closeNow(null);
        }
    }

    // ---- closing --------------------------------------------------------------------------------------

    /** The close handshake started: the close timeout bounds it. */
    @Override
    public final void closeStarted() {
        if (!isClosed()) {
            armCloseTimeout();
        }
    }

    /** {@link io.duplex.core.WebSocket#abort()}: tells the session, then drops the connection. Any thread. */
    final void abort() {
        onLoop(() -> {
            if (session != null && !session.isClosed()) {
                session.abort();
            }
            abortNow();
        });
    }

    /**
     * Fails the connection for something thrown while handling it: counts it, tells the peer 1011 when the
     * session can still send, and closes TCP whatever happens on the way. Each step is guarded on its own and
     * the log comes last, as {@code t} may be an {@link OutOfMemoryError}: whatever fails again for want of
     * memory, the connection still ends up closed.
     */
    @Override
    final void internalError(Throwable t) {
        if (isClosed()) {
            return;
        }
        try {
            failedInternally();
        } catch (Throwable ignored) {
            // the count is best effort; the close below is not
        }
        try {
            if (session != null && !session.isClosed()) {
                session.fail(CloseStatus.INTERNAL_ERROR, "internal error", t);
            }
        } catch (Throwable again) {
            outbound().drop();
        }
        if (!isClosed()) {
            // The Close (if any) is flushed when the socket takes it; a buffer that cannot drain is bounded
            // by the close timeout. A connection whose session could not even fail is dropped at once.
            if (outbound().isDropped() || session == null) {
                closeNow(t);
            } else {
                closeTransport(); // nothing if TCP is already closing
            }
        }
        try {
            LOG.error("connection failed: internal error", t);
        } catch (Throwable ignored) {
            // logging needs memory an OutOfMemoryError may not leave
        }
    }

    /** The channel closed: stops the timers, wakes waiting senders, and reports the end to the session (or the handshake). */
    @Override
    final void closed(Throwable cause) {
        cancelTimers();
        facade.writableAgain();
        released();
        if (session != null) {
            try {
                session.transportClosed(cause);
            } catch (RuntimeException e) {
                LOG.warn("session.transportClosed threw", e);
            }
        } else {
            closedDuringHandshake(cause);
        }
    }

    // ---- for the facade and the endpoint --------------------------------------------------------------

    /** The session, if it exists and the connection is not closed; else null. */
    final Session liveSession() {
        return isClosed() ? null : session;
    }

    /** The session once the handshake succeeded, else null. */
    final Session session() {
        return session;
    }
}
