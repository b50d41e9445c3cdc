package io.duplex.nio;

import io.duplex.core.CloseStatus;
import io.duplex.core.Transport;
import io.duplex.core.WebSocketHandler;
import io.duplex.core.engine.Session;
import io.duplex.nio.internal.jfr.Events;
import io.duplex.nio.internal.loop.EventLoop;
import io.duplex.nio.internal.loop.IoHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection on one event loop: dispatches its readiness events, reads from its {@link Wire} into the
 * opening handshake (a subclass per role) and then into its core {@link Session}, and leads it from open to
 * closed. The rest is delegated, each part talking back through a narrow interface of its own: writing to the
 * {@link OutboundBuffer}, the TCP close to a {@link LingeringClose}, time to {@link ConnectionTimers}. To its
 * session it is the {@link Transport}; to the application, its {@link NioWebSocket} is the WebSocket.
 *
 * <p>Reads go into the loop's shared buffer and straight into the session, which consumes them all.
 * Everything here runs on the loop thread, except where a method says otherwise.
 */
abstract class Connection implements IoHandler, Transport, Wire.Inbound, OutboundBuffer.Owner, LingeringClose.Owner,
        ConnectionTimers.Owner {

    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    /** Reads per readiness event at most, so one busy peer cannot starve the loop's other connections. */
    private static final int MAX_READS_PER_EVENT = 16;

    /** Where the TCP connection stands; the WebSocket close handshake is the session's. */
    enum TcpState {
        /** Bytes flow both ways: the opening handshake while there is no session, then the session's frames. */
        OPEN,
        /**
         * TCP is being closed (RFC 6455 §7.1.1): once the buffer drains the output is half-closed and the peer's
         * FIN awaited ({@link LingeringClose}); a buffer that was dropped closes at once instead.
         */
        CLOSING,
        /** The channel is closed and the end reported. */
        CLOSED
    }

    final EventLoop loop;
    final SocketChannel channel;
    final ConnectionSettings settings;
    final NioWebSocket facade;
    private final OutboundBuffer out;
    private Wire wire;
    /** Null until the opening handshake succeeded; volatile for other threads' reads of what it agreed. */
    private volatile Session session;
    private SelectionKey key;
    private TcpState state = TcpState.OPEN;
    /** The wire reported ready for application bytes (TLS: its handshake finished). */
    private boolean wireReady;
    /** The application paused reading ({@link #pauseReading()}). */
    private boolean readingPaused;
    /** Reading is paused because the handler's callbacks fell behind ({@link CallbackQueue}), whatever the application asked. */
    private boolean backlogFull;
    /** The deadline, idle timeout and keepalive; null while none of them is needed. */
    private ConnectionTimers timers;
    /** Handshake bytes the parser left unconsumed (if it ever does); null otherwise. */
    private ByteBuffer unconsumed;
    /** The lingering close, from {@link #closeTransport()} on; null before, so an open connection pays nothing. */
    private LingeringClose linger;
    /** Counts and records the open connection (see {@link TransportMetrics}); null until the session opens. */
    private ConnectionObserver observer;
    /** The peer's address once known, kept so it stays readable after the channel closed. Any thread. */
    private volatile InetSocketAddress remote;

    Connection(EventLoop loop, SocketChannel channel, ConnectionSettings settings) {
        this.loop = loop;
        this.channel = channel;
        this.settings = settings;
        this.wire = PlainWire.INSTANCE;
        this.out = new OutboundBuffer(this, settings);
        this.facade = new NioWebSocket(this);
    }

    /** Registers with the loop for {@code ops} and arms the handshake timeout. Loop thread. */
    final void register(int ops) {
        try {
            key = loop.register(channel, ops, this);
        } catch (IOException e) {
            closeNow(e);
            return;
        }
        armDeadline(settings.handshakeTimeoutMillis);
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

    /** The socket finished connecting (client side). */
    void connected() {
    }

    /** The wire became ready for application bytes (the TLS handshake finished). */
    void wireReady() {
    }

    /** This connection's number among its server's; 0 for a client's. */
    long id() {
        return 0;
    }

    @Override
    public final EventLoop loop() {
        return loop;
    }

    @Override
    public final Wire wire() {
        return wire;
    }

    @Override
    public final SocketChannel channel() {
        return channel;
    }

    /** Puts {@code next} between socket and session (TLS); it must report ready anew. */
    final void replaceWire(Wire next) {
        wire = next;
        wireReady = false;
    }

    /** Arms the deadline: connect or handshake timeout before the session opens, close timeout after. */
    final void armDeadline(long millis) {
        if (timers == null) {
            timers = new ConnectionTimers(this, loop, settings);
        }
        timers.armDeadline(millis);
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

    /**
     * Asks for OP_WRITE when the wire holds bytes of its own the socket refused (a TLS handshake flight, an
     * alert, a KeyUpdate answer): nothing else would write them, as no application write is waiting.
     */
    final void awaitWireFlush() {
        if (state != TcpState.CLOSED && wire.pendingBytes() > 0) {
            interest(SelectionKey.OP_WRITE, true);
        }
    }

    /** Switches interest from connecting to reading. */
    final void connectFinished() {
        interest(SelectionKey.OP_CONNECT, false);
        interest(SelectionKey.OP_READ, true);
    }

    /**
     * Writes bytes before the session exists (the handshake's request or response), at once rather than
     * corked, so an idle connection never needs a {@link WriteQueue}.
     */
    final void writeRaw(ByteBuffer bytes) {
        out.sendUncorked(bytes);
    }

    // ---- opening --------------------------------------------------------------------------------------

    /**
     * The handshake succeeded: builds and opens the session ({@code builder} holds what the handshake
     * agreed, {@code handler} is the application's), then feeds it {@code leftover}, the bytes that followed
     * the handshake's header block.
     */
    final void openSession(Session.Builder builder, WebSocketHandler handler, ByteBuffer leftover) {
        timers = ConnectionTimers.opened(timers, this, loop, settings);
        settings.metrics.handshakeAccepted();
        observer = new ConnectionObserver(handler, this, settings.metrics.on(loop));
        session = builder.handler(observer).config(settings.config).buffers(loop.sessionBuffers()).outbound(this)
                .facade(facade).build();
        try {
            session.open();
            if (leftover != null && leftover.hasRemaining() && state != TcpState.CLOSED) {
                session.receive(leftover);
            }
        } catch (Throwable t) {
            internalError(t);
        }
    }

    /** The handler the session reports to: {@code handler} itself, or run on the endpoint's handler executor. */
    final WebSocketHandler dispatched(WebSocketHandler handler) {
        return settings.handlerExecutor == null ? handler : new ExecutorHandler(handler, this,
                settings.handlerExecutor, settings.maxHandlerBacklogMessages, settings.maxHandlerBacklogBytes);
    }

    // ---- readiness and reading ------------------------------------------------------------------------

    /**
     * Handles a readiness event. Anything thrown while doing so (a handler's {@link Error}, an
     * {@link OutOfMemoryError} while buffering) fails this connection rather than reaching the loop, which
     * could only log it and leave the connection open and unanswered.
     */
    @Override
    public final void ready(SelectionKey k) {
        try {
            handleReady(k);
        } catch (Throwable t) {
            internalError(t);
        }
    }

    private void handleReady(SelectionKey k) {
        int ops = k.readyOps();
        if ((ops & SelectionKey.OP_CONNECT) != 0) {
            connected();
        }
        if (state != TcpState.CLOSED && (ops & SelectionKey.OP_WRITE) != 0) {
            out.flush();
        }
        if (state == TcpState.CLOSING && (ops & SelectionKey.OP_READ) != 0) {
            if (linger != null) { // else dropped, not lingering: it closes in a moment
                linger.drain();
            }
        } else if (state == TcpState.OPEN && (ops & SelectionKey.OP_READ) != 0) {
            // Frames the handlers send while reading leave together, in one write, when it ends.
            out.cork();
            try {
                readAvailable();
            } finally {
                out.uncork();
            }
        }
        reportWritability();
    }

    private void readAvailable() {
        ByteBuffer buf = loop.readBuffer();
        for (int i = 0; i < MAX_READS_PER_EVENT && state == TcpState.OPEN && !readingPaused && !backlogFull; i++) {
            int n;
            try {
                n = wire.read(channel, buf, this);
            } catch (IOException e) {
                closeNow(e);
                return;
            }
            if (state == TcpState.CLOSED) {
                return;
            }
            if (n < 0) {
                closeNow(null);
                return;
            }
            awaitWireFlush();
            if (!wireReady && wire.ready()) {
                wireReady = true;
                wireReady();
            }
            if (n < buf.capacity()) {
                return; // the socket is drained
            }
        }
    }

    /** Application bytes from the wire: to the handshake until the session exists, then to the session. */
    @Override
    public final void received(ByteBuffer data) {
        if (timers != null) {
            timers.bytesRead();
        }
        if (observer != null) {
            observer.bytesIn(data.remaining());
        }
        if (session == null) {
            handshakeRead(data);
            return;
        }
        session.receive(data); // what it throws reaches ready(), which fails the connection
    }

    @Override
    public final void pauseReading() {
        readingPaused = true;
        if (state != TcpState.CLOSING) {
            interest(SelectionKey.OP_READ, false);
        }
    }

    @Override
    public final void resumeReading() {
        readingPaused = false;
        if (state != TcpState.CLOSING) {
            interest(SelectionKey.OP_READ, !backlogFull);
        }
    }

    /**
     * Pauses or resumes reading for the handler executor's backlog, independently of the application's
     * {@link #pauseReading()}: reading goes on only when neither holds it. Loop thread.
     */
    final void handlerBacklog(boolean full) {
        if (state == TcpState.CLOSED || backlogFull == full) {
            return;
        }
        backlogFull = full;
        if (state != TcpState.CLOSING) {
            interest(SelectionKey.OP_READ, !full && !readingPaused);
        }
    }

    // ---- Transport: what the session writes ------------------------------------------------------------

    @Override
    public final void write(ByteBuffer header, ByteBuffer payload, CompletableFuture<Void> done) {
        out.send(header, payload, done, null, false);
    }

    /**
     * Writes like {@link #write}, but what the socket refuses of {@code payload} is queued by reference, not
     * copied; {@code payload} goes back through {@code release} once written or dropped.
     */
    @Override
    public final void writeAndRelease(ByteBuffer header, ByteBuffer payload, CompletableFuture<Void> done,
            Consumer<ByteBuffer> release) {
        out.send(header, payload, done, release, false);
    }

    /** Writes an automatic Pong, which may replace the one still waiting while the socket refuses bytes. */
    @Override
    public final void writePong(ByteBuffer header, ByteBuffer payload) {
        out.sendPong(header, payload);
    }

    /** Bytes buffered: those the outbound buffer holds and those other threads handed to the loop. Any thread. */
    @Override
    public final long bufferedAmount() {
        return out.bufferedAmount();
    }

    /** The write path, for writes that bypass the session (broadcasts, room messages) and its accounting. */
    final OutboundBuffer outbound() {
        return out;
    }

    /**
     * Reports a crossed watermark to the handler. Called where no session call is in progress (a send
     * returned, an I/O event was handled), because the handler may send again from the callback.
     */
    final void reportWritability() {
        if (out.takeWritabilityReport() && session != null) {
            session.writabilityChanged(out.isWritable());
        }
    }

    /** A whole data message (or the last part of one) went to the session or the wire. Loop thread. */
    final void messageSent() {
        if (observer != null) {
            observer.messageOut();
        }
    }

    // ---- OutboundBuffer.Owner -------------------------------------------------------------------------

    @Override
    public final boolean isClosed() {
        return state == TcpState.CLOSED;
    }

    @Override
    public final void writeInterest(boolean on) {
        interest(SelectionKey.OP_WRITE, on);
    }

    @Override
    public final boolean writeInterest() {
        return key != null && key.isValid() && (key.interestOps() & SelectionKey.OP_WRITE) != 0;
    }

    @Override
    public final void readInterest(boolean on) {
        interest(SelectionKey.OP_READ, on);
    }

    @Override
    public final void bytesOut(long n) {
        if (observer != null) {
            observer.bytesOut(n);
        }
    }

    @Override
    public final void wrote() {
        if (timers != null) {
            timers.bytesWritten();
        }
    }

    @Override
    public final void flushFailed(IOException e) {
        closeNow(e);
    }

    /** An I/O error during a write made from inside the session: close once the session's call returned. */
    @Override
    public final void broken(IOException e) {
        loop.execute(() -> closeNow(e));
    }

    @Override
    public final boolean drained() {
        if (state != TcpState.CLOSING) {
            return false;
        }
        if (linger == null) {
            closeNow(null); // the buffer was dropped: nothing is owed to the peer
        } else {
            linger.shutOutput();
        }
        return true;
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
        if (state == TcpState.CLOSED || session == null || session.isClosed()) {
            return;
        }
        if (session.isClosing()) {
            // A Close is already on its way or answered: the close timeout already bounds how long it waits.
            return;
        }
        int code = settings.overflowPolicy.closeCode();
        Events.outboundOverflow(remoteAddress(), bufferedAmount(), settings.maxBufferedBytes, code);
        settings.metrics.outboundOverflow(code);
        out.cutUnstarted(e);
        session.fail(code, "outbound buffer overflow", e);
        out.updateWritability();
    }

    // ---- ConnectionTimers.Owner -----------------------------------------------------------------------

    @Override
    public final boolean closeHandshakeStarted() {
        return session.isClosing();
    }

    @Override
    public final void sendKeepalivePing() {
        session.sendPing(OutboundBuffer.EMPTY);
    }

    /** Fails the session (a timeout, an internal error); drops TCP if the session itself fails. */
    @Override
    public final void failSession(int code, String reason, Throwable cause) {
        try {
            session.fail(code, reason, cause);
        } catch (Throwable t) {
            LOG.warn("session.fail threw", t);
            closeNow(cause);
        }
    }

    // ---- closing --------------------------------------------------------------------------------------

    /**
     * Closes TCP the way RFC 6455 §7.1.1 asks, as a lingering close ({@link LingeringClose}): what is buffered
     * goes out first (the Close last, after at most the rest of a frame already partly written), then the
     * output is half-closed and the socket closed once the peer's FIN arrives or the close timeout expires.
     * Reading goes on meanwhile, even when the application paused it: the peer must not stall.
     */
    @Override
    public final void closeTransport() {
        if (state != TcpState.OPEN) {
            return;
        }
        state = TcpState.CLOSING;
        if (out.isDropped()) {
            interest(SelectionKey.OP_READ, false);
            // Deferred: the session is still inside the call that asked for the close.
            loop.execute(() -> closeNow(null));
            return;
        }
        linger = new LingeringClose(this, loop, settings.closeDrainLimit);
        linger.start(out.isEmpty());
    }

    /** The close handshake started: the close timeout bounds it. */
    @Override
    public final void closeStarted() {
        if (state != TcpState.CLOSED) {
            armCloseTimeout();
        }
    }

    @Override
    public final void armCloseTimeout() {
        if (timers == null || !timers.deadlineArmed()) {
            armDeadline(settings.closeTimeoutMillis);
        }
    }

    /** The deadline passed: the opening handshake took too long, or the close did. */
    @Override
    public final void deadlineExpired() {
        try {
            deadlinePassed();
        } catch (Throwable t) {
            internalError(t);
        }
    }

    private void deadlinePassed() {
        if (state == TcpState.CLOSED) {
            return;
        }
        if (session == null) {
            handshakeTimedOut();
        } else if (state == TcpState.CLOSING) {
            closeNow(null); // the buffer never drained
        } else {
            out.drop();
            session.closeTimeoutExpired();
            closeNow(null);
        }
    }

    /** Drops the connection without flushing. */
    final void abortNow() {
        out.drop();
        closeNow(null);
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
    final void internalError(Throwable t) {
        if (state == TcpState.CLOSED) {
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
            out.drop();
        }
        if (state != TcpState.CLOSED) {
            // The Close (if any) is flushed when the socket takes it; a buffer that cannot drain is bounded
            // by the close timeout. A connection whose session could not even fail is dropped at once.
            if (out.isDropped() || session == null) {
                closeNow(t);
            } else if (state == TcpState.OPEN) {
                closeTransport();
            }
        }
        try {
            LOG.error("connection failed: internal error", t);
        } catch (Throwable ignored) {
            // logging needs memory an OutOfMemoryError may not leave
        }
    }

    /** Closes the channel now and reports the end to the session (or the handshake). Idempotent. */
    @Override
    public final void closeNow(Throwable cause) {
        if (state == TcpState.CLOSED) {
            return;
        }
        state = TcpState.CLOSED;
        if (timers != null) {
            timers.cancel();
        }
        if (key != null) {
            key.cancel();
        }
        wire.close(channel, cause == null && !out.isDropped());
        out.discard(cause != null ? cause : new ClosedChannelException());
        facade.writableAgain();
        if (linger != null) {
            linger.closed();
        }
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

    @Override
    public final void loopClosing() {
        abortNow();
    }

    // ---- for the facade and the endpoint --------------------------------------------------------------

    /** The session, if it exists and the connection is not closed; else null. */
    final Session liveSession() {
        return state == TcpState.CLOSED ? null : session;
    }

    /** The session once the handshake succeeded, else null. */
    final Session session() {
        return session;
    }

    /** Whether the caller runs on this connection's loop. Any thread. */
    final boolean inLoop() {
        return loop.inEventLoop();
    }

    /**
     * Runs {@code task} on the loop. Any thread.
     *
     * @throws RejectedExecutionException if the loop is shut down
     */
    final void execute(Runnable task) {
        loop.execute(task);
    }

    /** Runs {@code task} on the loop: now if already there, else queued; dropped if the loop is gone. */
    final void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            try {
                loop.execute(task);
            } catch (RejectedExecutionException e) {
                LOG.debug("loop shut down; task dropped");
            }
        }
    }

    @Override
    public final InetSocketAddress remoteAddress() {
        InetSocketAddress r = remote;
        if (r == null) {
            try {
                r = (InetSocketAddress) channel.getRemoteAddress();
            } catch (IOException e) {
                return null;
            }
            remote = r;
        }
        return r;
    }

    /** Names the connection by its class and peer, as loop warnings and JFR events show it. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + Events.address(remoteAddress()) + "]";
    }

    private void interest(int op, boolean on) {
        if (key == null || !key.isValid()) {
            return;
        }
        int ops = key.interestOps();
        int next = on ? ops | op : ops & ~op;
        if (next != ops) {
            key.interestOps(next);
        }
    }
}
