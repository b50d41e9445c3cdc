package io.duplex.nio;

import io.duplex.core.CloseStatus;
import io.duplex.core.Outbound;
import io.duplex.core.Session;
import io.duplex.nio.loop.EventLoop;
import io.duplex.nio.loop.IoHandler;
import io.duplex.nio.loop.TimerWheel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection on one event loop: moves bytes between its {@link Wire} and its core {@link Session},
 * runs the opening handshake (in a subclass) before the session exists, and keeps the connection's timers.
 *
 * <p>Reads go into the loop's shared buffer and straight into the session, which consumes them all. Writes
 * go straight to the socket; only what it refuses is copied to the {@link WriteQueue} (or, for a payload the
 * session gives away, queued by reference), and only then is OP_WRITE set. Everything here runs on the loop
 * thread.
 */
abstract class Connection implements IoHandler, Outbound, Wire.Inbound {

    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    /** Reads per readiness event at most, so one busy peer cannot starve the loop's other connections. */
    private static final int MAX_READS_PER_EVENT = 16;
    /** Zero capacity, so no thread can change its position or limit: safe to share. */
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** Frames up to this size written during a read are gathered into one write (see {@link #CORKED}). */
    private static final int CORK_LIMIT = 8 * 1024;

    /** {@link #flags}: below the high watermark (or back below the low one). */
    private static final byte WRITABLE = 1;
    private static final byte WIRE_READY = 1 << 1;
    /** {@link #flags}: a watermark crossing the handler has not heard of yet. */
    private static final byte WRITABILITY_UNREPORTED = 1 << 2;
    private static final byte READING_PAUSED = 1 << 3;
    /** {@link #flags}: the session asked for TCP to close; it closes once the queue drains (or at once when forced). */
    private static final byte CLOSE_REQUESTED = 1 << 4;
    /** {@link #flags}: queued bytes will never be delivered (abort, overflow, close timeout): close without flushing. */
    private static final byte DROP_QUEUE = 1 << 5;
    private static final byte CLOSED = 1 << 6;
    /**
     * {@link #flags}: reading is in progress: small frames written now are queued and go out together when it
     * ends. Large ones still go straight to the socket, as copying them would cost more than the system call saved.
     */
    private static final byte CORKED = (byte) (1 << 7);

    final EventLoop loop;
    final SocketChannel channel;
    final ConnectionSettings settings;
    final NioWebSocket facade;
    Wire wire;
    Session session;
    private SelectionKey key;
    private WriteQueue queue;
    /** {@link WriteQueue#size()} published for other threads' {@link #bufferedAmount()}. */
    private volatile long queuedBytes;
    /** Futures of bytes the wire took but still holds (TLS ciphertext the socket refused). */
    private ArrayDeque<CompletableFuture<Void>> wireWaiters;
    /**
     * {@link #WRITABLE}, {@link #WIRE_READY}, {@link #WRITABILITY_UNREPORTED}, {@link #READING_PAUSED},
     * {@link #CLOSE_REQUESTED}, {@link #DROP_QUEUE}, {@link #CLOSED}, {@link #CORKED}: one byte rather than
     * eight booleans, as thousands of idle connections each hold them. Written on the loop thread only.
     */
    private byte flags = WRITABLE;
    /**
     * The handshake or close deadline, created when first armed and dropped once the session opens: an open,
     * idle connection holds no timer.
     */
    private TimerWheel.Timer deadline;
    /** Idle timeout and keepalive; null when both are off. */
    private Liveness liveness;
    /** Handshake bytes the parser left unconsumed (if it ever does); null otherwise. */
    private ByteBuffer unconsumed;
    /** The lingering close, from {@link #closeTransport()} on; null before, so an open connection pays nothing. */
    private Linger linger;
    /** The peer's address once known, kept so it stays readable after the channel closed. Any thread. */
    private volatile InetSocketAddress remote;

    Connection(EventLoop loop, SocketChannel channel, ConnectionSettings settings) {
        this.loop = loop;
        this.channel = channel;
        this.settings = settings;
        this.wire = PlainWire.INSTANCE;
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

    // ---- subclass hooks -------------------------------------------------------------------------------

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

    /** Puts {@code next} between socket and session (TLS once a proxy tunnel stands); it must report ready anew. */
    final void replaceWire(Wire next) {
        wire = next;
        set(WIRE_READY, false);
    }

    /** Arms the deadline: connect or handshake timeout before the session opens, close timeout after. */
    final void armDeadline(long millis) {
        if (deadline == null) {
            deadline = loop.newTimer(() -> {
                try {
                    deadlineExpired();
                } catch (Throwable t) {
                    internalError(t);
                }
            });
        }
        loop.schedule(deadline, millis);
    }

    private boolean deadlineArmed() {
        return deadline != null && deadline.isArmed();
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel();
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

    /**
     * Asks for OP_WRITE when the wire holds bytes of its own the socket refused (a TLS handshake flight, an
     * alert, a KeyUpdate answer): nothing else would write them, as no application write is waiting.
     */
    final void awaitWireFlush() {
        if (!is(CLOSED) && wire.pendingBytes() > 0) {
            interest(SelectionKey.OP_WRITE, true);
        }
    }

    /** Switches interest from connecting to reading. */
    final void connectFinished() {
        interest(SelectionKey.OP_CONNECT, false);
        interest(SelectionKey.OP_READ, true);
    }

    // ---- opening --------------------------------------------------------------------------------------

    /**
     * The handshake succeeded: builds and opens the session ({@code builder} holds what the handshake
     * agreed), then feeds it {@code leftover}, the bytes that followed the handshake's header block.
     */
    final void openSession(Session.Builder builder, ByteBuffer leftover) {
        cancelDeadline();
        deadline = null;
        session = builder.config(settings.config).buffers(loop.sessionBuffers()).outbound(this).facade(facade).build();
        facade.handshakeDone(session);
        liveness = Liveness.start(this);
        try {
            session.open();
            if (leftover != null && leftover.hasRemaining() && !is(CLOSED)) {
                session.receive(leftover);
            }
        } catch (Throwable t) {
            internalError(t);
        }
    }

    // ---- readiness ------------------------------------------------------------------------------------

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
        if (!is(CLOSED) && (ops & SelectionKey.OP_WRITE) != 0) {
            flushQueue();
        }
        if (!is(CLOSED) && (ops & SelectionKey.OP_READ) != 0 && is(CLOSE_REQUESTED)) {
            drain();
        } else if (!is(CLOSED) && (ops & SelectionKey.OP_READ) != 0) {
            set(CORKED, true);
            try {
                readAvailable();
            } finally {
                uncork();
            }
        }
        reportWritability();
    }

    /**
     * Writes what handlers sent while the connection was reading, in one gathering write: an echo server
     * answering 16 messages from one read makes one system call instead of 16.
     */
    private void uncork() {
        set(CORKED, false);
        if (!is(CLOSED) && queue != null && !queue.isEmpty()) {
            flushQueue();
            if (!is(CLOSED) && queue != null && !queue.isEmpty()) {
                interest(SelectionKey.OP_WRITE, true);
            }
        }
    }

    private void readAvailable() {
        ByteBuffer buf = loop.readBuffer();
        for (int i = 0; i < MAX_READS_PER_EVENT && !is(CLOSED) && !is(READING_PAUSED) && !is(CLOSE_REQUESTED); i++) {
            int n;
            try {
                n = wire.read(channel, buf, this);
            } catch (IOException e) {
                closeNow(e);
                return;
            }
            if (is(CLOSED)) {
                return;
            }
            if (n < 0) {
                closeNow(null);
                return;
            }
            awaitWireFlush();
            if (!is(WIRE_READY) && wire.ready()) {
                set(WIRE_READY, true);
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
        if (liveness != null) {
            liveness.bytesRead();
        }
        if (session == null) {
            handshakeRead(data);
            return;
        }
        session.receive(data); // what it throws reaches ready(), which fails the connection
    }

    private void flushQueue() {
        boolean empty;
        try {
            empty = wire.flush();
            if (empty) {
                completeWireWaiters();
                if (queue != null && !queue.isEmpty()) {
                    empty = queue.flush(wire, channel, loop.gatherArray()) && wire.pendingBytes() == 0;
                }
            }
        } catch (IOException e) {
            closeNow(e);
            return;
        }
        if (liveness != null) {
            liveness.bytesWritten();
        }
        publishBuffered();
        if (is(CLOSED)) {
            return; // a completed future's callback closed the connection
        }
        if (empty) {
            interest(SelectionKey.OP_WRITE, false);
            if (is(CLOSE_REQUESTED)) {
                shutOutput();
                return;
            }
        }
        updateWritability();
    }

    private void completeWireWaiters() {
        if (wireWaiters == null) {
            return;
        }
        CompletableFuture<Void> f;
        while ((f = wireWaiters.pollFirst()) != null) {
            f.complete(null);
        }
    }

    private void publishBuffered() {
        queuedBytes = (queue == null ? 0 : queue.size()) + wire.pendingBytes();
    }

    // ---- Outbound -------------------------------------------------------------------------------------

    @Override
    public final void write(ByteBuffer header, ByteBuffer payload, CompletableFuture<Void> done) {
        send(header, payload, done, null, false);
    }

    /**
     * Writes an automatic Pong. While the socket refuses bytes it replaces the one still queued if that one
     * has not begun to reach the socket (RFC 6455 §5.5.3), so a peer that does not read holds a bounded queue
     * however many Pings it sends.
     */
    @Override
    public final void writePong(ByteBuffer header, ByteBuffer payload) {
        // RFC 6455 §5.5.3 lets a Pong answer only the latest Ping. Used only while the socket refuses bytes (a
        // peer that does not read): while it takes them, every Ping gets its own Pong, as peers expect.
        if (queue != null && !is(CLOSED) && !is(DROP_QUEUE) && socketRefusing()
                && queue.replacePong(header, payload)) {
            publishBuffered();
            return;
        }
        send(header, payload, null, null, true);
    }

    /**
     * Writes like {@link #write}, but what the socket refuses of {@code payload} is queued by reference, not
     * copied; {@code payload} goes back through {@code release} once written or dropped.
     */
    @Override
    public final void writeAndRelease(ByteBuffer header, ByteBuffer payload, CompletableFuture<Void> done,
            Consumer<ByteBuffer> release) {
        send(header, payload, done, release, false);
    }

    /**
     * @param release null when {@code payload} is only lent (copy what is left), else how to give it back
     * @param pong an automatic Pong, which a later one may replace while it waits whole in the queue
     */
    private void send(ByteBuffer header, ByteBuffer payload, CompletableFuture<Void> done,
            Consumer<ByteBuffer> release, boolean pong) {
        if (is(CLOSED) || is(DROP_QUEUE)) {
            if (done != null) {
                done.completeExceptionally(new ClosedChannelException());
            }
            giveBack(payload, release);
            return;
        }
        // The session writes a large frame in pieces, each after the first with an empty header: only a piece
        // with a header starts a frame, the only place an overflow may cut the queue.
        boolean startsFrame = header.hasRemaining();
        if (is(CORKED)) {
            if ((long) header.remaining() + payload.remaining() <= CORK_LIMIT) {
                enqueue(header, payload, done, startsFrame, null, pong);
                giveBack(payload, release);
                return;
            }
            uncork();
            set(CORKED, true);
            if (is(CLOSED)) {
                if (done != null) {
                    done.completeExceptionally(new ClosedChannelException());
                }
                giveBack(payload, release);
                return;
            }
        }
        boolean whole = startsFrame;
        if (queue == null || queue.isEmpty()) {
            ByteBuffer[] gather = loop.gatherArray();
            gather[0] = header;
            gather[1] = payload;
            try {
                wire.write(channel, gather, 0, 2);
            } catch (IOException e) {
                if (done != null) {
                    done.completeExceptionally(e);
                }
                giveBack(payload, release);
                broken(e);
                return;
            } finally {
                gather[0] = null;
                gather[1] = null;
            }
            if (liveness != null) {
                liveness.bytesWritten();
            }
            if (!header.hasRemaining() && !payload.hasRemaining()) {
                giveBack(payload, release);
                if (wire.pendingBytes() == 0) {
                    if (done != null) {
                        done.complete(null);
                    }
                } else {
                    waitForWire(done);
                }
                return;
            }
            whole = false; // the socket took part of it
        }
        enqueue(header, payload, done, whole, release, pong);
    }

    private static void giveBack(ByteBuffer payload, Consumer<ByteBuffer> release) {
        if (release != null) {
            release.accept(payload);
        }
    }

    /** The wire took every byte but holds some for the socket (TLS): complete {@code done} once it drained. */
    private void waitForWire(CompletableFuture<Void> done) {
        if (done != null) {
            if (wireWaiters == null) {
                wireWaiters = new ArrayDeque<>(4);
            }
            wireWaiters.addLast(done);
        }
        publishBuffered();
        interest(SelectionKey.OP_WRITE, true);
        updateWritability();
    }

    /**
     * Writes bytes before the session exists (the handshake's request or response). Not corked: the
     * response goes to the socket at once, so an idle connection never needs a {@link WriteQueue}.
     */
    final void writeRaw(ByteBuffer bytes) {
        boolean wasCorked = is(CORKED);
        set(CORKED, false);
        try {
            write(bytes, EMPTY, null);
        } finally {
            set(CORKED, wasCorked);
        }
    }

    /**
     * @param whole these bytes start a frame none of which was written yet, so an overflow may drop it whole
     * @param release non-null when {@code payload} is given, not lent: queued by reference, then given back
     * @param pong an automatic Pong: when queued whole, a later one may replace it
     */
    private void enqueue(ByteBuffer header, ByteBuffer payload, CompletableFuture<Void> done, boolean whole,
            Consumer<ByteBuffer> release, boolean pong) {
        if (queue == null) {
            queue = new WriteQueue(loop.pool());
        }
        boolean wasEmpty = queue.isEmpty();
        if (whole) {
            queue.startFrame();
            if (pong) {
                queue.startPong(header.remaining() + payload.remaining());
            }
        }
        queue.append(header);
        if (release == null) {
            queue.append(payload);
        } else {
            queue.appendGiven(payload, release);
        }
        queue.completeWhenFlushed(done);
        publishBuffered();
        if (wasEmpty && !is(CORKED)) {
            interest(SelectionKey.OP_WRITE, true);
        }
        updateWritability();
    }

    /**
     * Closes TCP the way RFC 6455 §7.1.1 asks, as a lingering close: what is queued goes out first (the Close
     * last, after at most the rest of a frame already partly written), then the output is half-closed (after
     * TLS close_notify), and the socket is closed once the peer's FIN arrives or the close timeout expires.
     * Meanwhile whatever the peer still sends is read and discarded ({@link #drain()}): closing with unread
     * input would make the kernel answer with RST, which discards the Close still queued for the peer.
     */
    @Override
    public final void closeTransport() {
        if (is(CLOSED) || is(CLOSE_REQUESTED)) {
            return;
        }
        set(CLOSE_REQUESTED, true);
        if (is(DROP_QUEUE)) {
            interest(SelectionKey.OP_READ, false);
            // Deferred: the session is still inside the call that asked for the close.
            loop.execute(() -> closeNow(null));
            return;
        }
        linger = new Linger();
        interest(SelectionKey.OP_READ, true); // even when the application paused reading: the peer must not stall
        if (!deadlineArmed()) {
            armDeadline(settings.closeTimeoutMillis);
        }
        if ((queue == null || queue.isEmpty()) && wire.pendingBytes() == 0) {
            loop.execute(this::shutOutput); // deferred for the same reason
        }
    }

    /**
     * Everything queued is written: half-closes the output (TLS: once close_notify is out too), then waits for
     * the peer's FIN, or closes at once if it already came.
     */
    private void shutOutput() {
        if (is(CLOSED)) {
            return;
        }
        if (linger == null) {
            closeNow(null); // the queue was dropped: nothing is owed to the peer
            return;
        }
        if (!linger.outputShut) {
            try {
                if (!wire.closeOutput()) {
                    interest(SelectionKey.OP_WRITE, true); // close_notify waits for the socket
                    return;
                }
                channel.shutdownOutput();
            } catch (IOException e) {
                closeNow(e);
                return;
            }
            linger.outputShut = true;
        }
        if (linger.peerDone) {
            closeNow(null);
        }
    }

    /**
     * Reads what the peer still sends after the close began and discards it, into the loop's shared buffer:
     * a lingering connection holds no more memory than an idle one. Reads the socket itself, below TLS, since
     * nothing the peer sends now is delivered. Past {@link ConnectionSettings#closeDrainLimit} it stops
     * reading and the close timeout ends the connection.
     */
    private void drain() {
        if (linger == null) {
            return; // dropped, not lingering: it closes in a moment
        }
        ByteBuffer buf = loop.readBuffer();
        for (int i = 0; i < MAX_READS_PER_EVENT; i++) {
            buf.clear();
            int n;
            try {
                n = channel.read(buf);
            } catch (IOException e) {
                closeNow(e);
                return;
            }
            if (n < 0) {
                interest(SelectionKey.OP_READ, false);
                linger.peerDone = true;
                if (linger.outputShut) {
                    closeNow(null);
                }
                return;
            }
            if (linger.discarded(n, settings.closeDrainLimit)) {
                LOG.debug("peer sent over {} bytes after the close began; no longer reading", settings.closeDrainLimit);
                interest(SelectionKey.OP_READ, false);
                return;
            }
            if (n < buf.capacity()) {
                return;
            }
        }
    }

    @Override
    public final void closeStarted() {
        if (!is(CLOSED) && !deadlineArmed()) {
            armDeadline(settings.closeTimeoutMillis);
        }
    }

    @Override
    public final long bufferedAmount() {
        return queuedBytes + facade.pendingBytes();
    }

    @Override
    public final void pauseReading() {
        set(READING_PAUSED, true);
        if (!is(CLOSE_REQUESTED)) {
            interest(SelectionKey.OP_READ, false);
        }
    }

    @Override
    public final void resumeReading() {
        set(READING_PAUSED, false);
        if (!is(CLOSE_REQUESTED)) {
            interest(SelectionKey.OP_READ, true);
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

    // ---- backpressure ---------------------------------------------------------------------------------

    /**
     * Admission of a data message of about {@code size} bytes against the hard limit: {@code null} when
     * accepted, else a failed future (and, by policy, the connection is failed). Any thread.
     */
    final CompletableFuture<Void> admit(long size) {
        long max = settings.maxBufferedBytes;
        if (max <= 0) {
            return null;
        }
        long buffered = bufferedAmount();
        if (buffered == 0 || buffered + size <= max) {
            return null;
        }
        OutboundOverflowException e = new OutboundOverflowException(
                "outbound buffer limit " + max + " reached (" + buffered + " bytes buffered)");
        if (settings.overflowPolicy != OverflowPolicy.FAIL_SEND) {
            onLoop(() -> overflowed(e));
        }
        return CompletableFuture.failedFuture(e);
    }

    /**
     * {@link #admit} for text, counted as its UTF-8 bytes. The text is walked for its exact size only when
     * the bound of 3 bytes a char might not fit, so a send far from the limit costs no extra pass.
     */
    final CompletableFuture<Void> admitText(CharSequence text) {
        long max = settings.maxBufferedBytes;
        if (max > 0 && bufferedAmount() + 3L * text.length() > max) {
            return admit(NioWebSocket.utf8Size(text));
        }
        return null;
    }

    /** Writes a whole encoded frame that bypasses the session (a broadcast); consumes {@code frame}. */
    final void writeFrame(ByteBuffer frame) {
        write(frame, EMPTY, null);
    }

    /**
     * Fails the connection with the policy's code, telling the peer with a Close frame. The frames that have
     * not begun to reach the socket are dropped at once, as a peer that does not read would never take them;
     * the Close follows what is left, which is at most the rest of one frame already partly written (a peer
     * must never see half a frame followed by a Close) and, over TLS, the ciphertext already made. TCP closes
     * once that is flushed or when the close timeout expires, whichever comes first, so a peer that never
     * reads holds the connection's memory no longer than the close timeout.
     */
    private void overflowed(OutboundOverflowException e) {
        if (is(CLOSED) || session == null || session.isClosed()) {
            return;
        }
        if (session.isClosing()) {
            // A Close is already on its way or answered: the close timeout already bounds how long it waits.
            return;
        }
        if (queue != null) {
            queue.cutUnstarted(e);
            publishBuffered();
        }
        session.fail(settings.overflowPolicy.closeCode(), "outbound buffer overflow", e);
        updateWritability();
    }

    private void updateWritability() {
        long amount = bufferedAmount();
        boolean now = is(WRITABLE) ? amount <= settings.highWatermark : amount <= settings.lowWatermark;
        if (now != is(WRITABLE)) {
            set(WRITABLE, now);
            // Two crossings before a report cancel out: the handler only hears of net changes.
            set(WRITABILITY_UNREPORTED, !is(WRITABILITY_UNREPORTED));
        }
    }

    /**
     * Reports a crossed watermark to the handler. Called where no session call is in progress (a send
     * returned, an I/O event was handled), because the handler may send again from the callback.
     */
    final void reportWritability() {
        if (!is(WRITABILITY_UNREPORTED)) {
            return;
        }
        set(WRITABILITY_UNREPORTED, false);
        if (session != null) {
            session.writabilityChanged(is(WRITABLE));
        }
    }

    /** Runs {@code task} on the loop: now if already there, else queued; dropped if the loop is gone. */
    final void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            try {
                loop.execute(task);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                LOG.debug("loop shut down; task dropped");
            }
        }
    }

    // ---- timers ---------------------------------------------------------------------------------------

    private void deadlineExpired() {
        if (is(CLOSED)) {
            return;
        }
        if (session == null) {
            handshakeTimedOut();
        } else if (is(CLOSE_REQUESTED)) {
            closeNow(null); // the queue never drained
        } else {
            set(DROP_QUEUE, true);
            session.closeTimeoutExpired();
            closeNow(null);
        }
    }

    /** Fails the session (a timeout, an internal error); drops TCP if the session itself fails. */
    final void failSession(int code, String reason, Throwable cause) {
        try {
            session.fail(code, reason, cause);
        } catch (Throwable t) {
            LOG.warn("session.fail threw", t);
            closeNow(cause);
        }
    }

    // ---- closing --------------------------------------------------------------------------------------

    /** Drops the connection without flushing (abort). */
    final void abortNow() {
        set(DROP_QUEUE, true);
        closeNow(null);
    }

    /**
     * Fails the connection for something thrown while handling it: counts it, tells the peer 1011 when the
     * session can still send, and closes TCP whatever happens on the way. Each step is guarded on its own and
     * the log comes last, as {@code t} may be an {@link OutOfMemoryError}: whatever fails again for want of
     * memory, the connection still ends up closed.
     */
    final void internalError(Throwable t) {
        if (is(CLOSED)) {
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
            set(DROP_QUEUE, true);
        }
        if (!is(CLOSED)) {
            // The Close (if any) is flushed when the socket takes it; a queue that cannot drain is bounded
            // by the close timeout. A connection whose session could not even fail is dropped at once.
            if (is(DROP_QUEUE) || session == null) {
                closeNow(t);
            } else if (!is(CLOSE_REQUESTED)) {
                closeTransport();
            }
        }
        try {
            LOG.error("connection failed: internal error", t);
        } catch (Throwable ignored) {
            // logging needs memory an OutOfMemoryError may not leave
        }
    }

    /** An I/O error during a write made from inside the session: close once the session's call returned. */
    private void broken(IOException e) {
        set(DROP_QUEUE, true);
        loop.execute(() -> closeNow(e));
    }

    /** Closes the channel now and reports the end to the session (or the handshake). Idempotent. */
    final void closeNow(Throwable cause) {
        if (is(CLOSED)) {
            return;
        }
        set(CLOSED, true);
        cancelDeadline();
        if (liveness != null) {
            liveness.cancel();
        }
        if (key != null) {
            key.cancel();
        }
        wire.close(channel, cause == null && !is(DROP_QUEUE));
        Throwable reason = cause != null ? cause : new ClosedChannelException();
        if (queue != null) {
            queue.discard(reason);
        }
        if (wireWaiters != null) {
            CompletableFuture<Void> f;
            while ((f = wireWaiters.pollFirst()) != null) {
                f.completeExceptionally(reason);
            }
        }
        queuedBytes = 0;
        if (linger != null && linger.drained > 0) {
            LOG.debug("closed after discarding {} bytes the peer sent during the close", linger.drained);
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

    private boolean is(byte flag) {
        return (flags & flag) != 0;
    }

    private void set(byte flag, boolean on) {
        flags = (byte) (on ? flags | flag : flags & ~flag);
    }

    final boolean isClosed() {
        return is(CLOSED);
    }

    /** Whether bytes the socket refused are waiting for it to take more (OP_WRITE is wanted). */
    private boolean socketRefusing() {
        return key != null && key.isValid() && (key.interestOps() & SelectionKey.OP_WRITE) != 0;
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
