package io.duplex.nio;

import io.duplex.nio.internal.jfr.Events;
import io.duplex.nio.internal.loop.EventLoop;
import io.duplex.nio.internal.loop.IoHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP side of a connection on one event loop: its socket and selection key, the {@link Wire} over it
 * (plain, or TLS), the write path ({@link OutboundBuffer}), readiness dispatch and reading, and the TCP close
 * ({@link LingeringClose}). What the bytes mean is for the subclasses: {@link TimedConnection} adds the
 * connection's timers, {@link Connection} the WebSocket session, and a subclass per role the opening
 * handshake. They are layers of one object, so a connection pays for no object per layer; each layer talks to
 * the next through the abstract methods it declares and reads none of its fields.
 *
 * <p>Reads go into the loop's shared buffer and on to {@link #received}, which consumes them all.
 * Everything here runs on the loop thread, except where a method says otherwise.
 */
abstract class TcpConnection implements IoHandler, Wire.Inbound, OutboundBuffer.Owner, LingeringClose.Owner {

    private static final Logger LOG = LoggerFactory.getLogger(TcpConnection.class);
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
    private final OutboundBuffer out;
    private Wire wire;
    private SelectionKey key;
    private TcpState state = TcpState.OPEN;
    /** The wire reported ready for application bytes (TLS: its handshake finished). */
    private boolean wireReady;
    /** The application paused reading ({@link #pauseReading()}). */
    private boolean readingPaused;
    /** Reading is paused because the handler's callbacks fell behind ({@link CallbackQueue}), whatever the application asked. */
    private boolean backlogFull;
    /** The lingering close, from {@link #closeTransport()} on; null before, so an open connection pays nothing. */
    private LingeringClose linger;
    /** The peer's address once known, kept so it stays readable after the channel closed. Any thread. */
    private volatile InetSocketAddress remote;

    TcpConnection(EventLoop loop, SocketChannel channel, ConnectionSettings settings) {
        this.loop = loop;
        this.channel = channel;
        this.settings = settings;
        this.wire = PlainWire.INSTANCE;
        this.out = new OutboundBuffer(this, settings);
    }

    // ---- what the layers above do with the events -----------------------------------------------------

    /** The socket finished connecting (client side). */
    void connected() {
    }

    /** The wire became ready for application bytes (the TLS handshake finished). */
    void wireReady() {
    }

    /** A readiness event was handled: report what it changed, now that no session call is in progress. */
    abstract void eventHandled();

    /** Something was thrown while handling this connection: fail it. */
    abstract void internalError(Throwable t);

    /** The channel was closed ({@link #closeNow}), for {@code cause} or null if orderly: report the end. Once. */
    abstract void closed(Throwable cause);

    // ---- the socket -----------------------------------------------------------------------------------

    /**
     * Registers the channel with the loop for {@code ops}; on failure closes the connection.
     *
     * @return whether it is registered
     */
    final boolean registerWithLoop(int ops) {
        try {
            key = loop.register(channel, ops, this);
            return true;
        } catch (IOException e) {
            closeNow(e);
            return false;
        }
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

    /** The write path, for the session's writes and for those that bypass it (broadcasts, room messages). */
    final OutboundBuffer outbound() {
        return out;
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
        eventHandled();
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

    /** Stops reading from the peer until {@link #resumeReading()}; the lingering close reads on regardless. */
    public final void pauseReading() {
        readingPaused = true;
        if (state != TcpState.CLOSING) {
            interest(SelectionKey.OP_READ, false);
        }
    }

    /** Reads from the peer again, unless the handler backlog holds reading ({@link #handlerBacklog}). */
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

    // ---- OutboundBuffer.Owner and LingeringClose.Owner ------------------------------------------------

    @Override
    public final boolean isClosed() {
        return state == TcpState.CLOSED;
    }

    /** Whether TCP is being closed (the lingering close, or a dropped buffer about to close). */
    final boolean isClosing() {
        return state == TcpState.CLOSING;
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
    public final void flushFailed(IOException e) {
        closeNow(e);
    }

    /** An I/O error during a write made from inside the session: close once the session's call returned. */
    @Override
    public final void broken(IOException e) {
        loop.execute(() -> closeNow(e));
    }

    @Override
    public final void heldWritten() {
        eventHandled();
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

    // ---- closing --------------------------------------------------------------------------------------

    /**
     * Closes TCP the way RFC 6455 §7.1.1 asks, as a lingering close ({@link LingeringClose}): what is buffered
     * goes out first (the Close last, after at most the rest of a frame already partly written), then the
     * output is half-closed and the socket closed once the peer's FIN arrives or the close timeout expires.
     * Reading goes on meanwhile, even when the application paused it: the peer must not stall.
     */
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

    /** Drops the connection without flushing. */
    final void abortNow() {
        out.drop();
        closeNow(null);
    }

    /** Closes the channel now and reports the end ({@link #closed}). Idempotent. */
    @Override
    public final void closeNow(Throwable cause) {
        if (state == TcpState.CLOSED) {
            return;
        }
        state = TcpState.CLOSED;
        if (key != null) {
            key.cancel();
        }
        wire.close(channel, cause == null && !out.isDropped());
        out.discard(cause != null ? cause : new ClosedChannelException());
        if (linger != null) {
            linger.closed();
        }
        closed(cause);
    }

    @Override
    public final void loopClosing() {
        abortNow();
    }

    // ---- the loop and the peer ------------------------------------------------------------------------

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

    /** The peer's address, kept once read so it stays readable after the channel closed; null if unknown. Any thread. */
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
