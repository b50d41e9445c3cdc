package io.duplex.nio;

import io.duplex.nio.internal.loop.EventLoop;
import io.duplex.nio.internal.loop.PassCork;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.Consumer;

/**
 * A connection's write path: bytes go straight to the wire; only what the socket refuses is kept, in a
 * {@link WriteQueue} made when first needed, and only then is OP_WRITE asked for. It counts what it holds for
 * {@link #bufferedAmount()} (with what other threads handed to the loop for it), reports the crossings of the
 * high and low watermarks, admits data against the hard limit ({@link ConnectionSettings#maxBufferedBytes}),
 * cuts the frames not yet begun when that limit overflows, and lets an automatic Pong replace the one still
 * waiting while the socket refuses bytes.
 *
 * <p>While the connection reads, the buffer is <em>corked</em>: small frames written meanwhile are queued
 * and leave together, in one gathering write, when reading ends. Room frames are <em>held</em> instead
 * ({@link #hold}): by reference in the loop's {@link PassCork} until the end of the loop's pass, so that the
 * frames a member is given in one pass leave in one gathering write ({@link HeldFrames}); anything else
 * written meanwhile writes them first, so the order never changes. Loop thread only, except {@link #admit},
 * {@link #admitText}, {@link #handedOver} and {@link #bufferedAmount()}.
 */
final class OutboundBuffer implements PassCork.Holder {

    /** Zero capacity, so no thread can change its position or limit: safe to share. */
    static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** The release of a payload shared by many connections: queued by reference, and nothing to give back. */
    static final Consumer<ByteBuffer> KEEP = b -> { };
    /**
     * Frames up to this size written while corked are queued to leave together. Larger ones still go straight
     * to the socket, as copying them would cost more than the system call saved.
     */
    private static final int CORK_LIMIT = 8 * 1024;
    /**
     * Updates {@link #handedOver} in place: a field updater rather than an {@code AtomicLong} saves an object per
     * connection.
     */
    private static final AtomicLongFieldUpdater<OutboundBuffer> HANDED_OVER =
            AtomicLongFieldUpdater.newUpdater(OutboundBuffer.class, "handedOver");

    /** The connection as its write path sees it. Loop thread. */
    interface Owner {
        /** The connection's loop, whose buffer pool and gathering array the buffer borrows. */
        EventLoop loop();

        /** The byte stream writes go to (the socket, or TLS over it). */
        Wire wire();

        /** The socket under the wire, which the wire is given to write to. */
        SocketChannel channel();

        /** Whether the connection is closed: nothing more is written. */
        boolean isClosed();

        /** Asks for (or stops asking for) OP_WRITE. */
        void writeInterest(boolean on);

        /** Whether OP_WRITE is asked for: bytes the socket refused wait for it to take more. */
        boolean writeInterest();

        /** {@code n} bytes were accepted for writing (counted whether they go out now or queue). */
        void bytesOut(long n);

        /** Bytes reached the socket: the connection is not idle. */
        void wrote();

        /** Flushing failed: the connection closes at once (not inside a session call). */
        void flushFailed(IOException e);

        /** A write from inside a session call failed: the connection closes once that call returned. */
        void broken(IOException e);

        /**
         * Everything buffered reached the socket.
         *
         * @return whether the connection is closing its TCP: its writability is no longer reported
         */
        boolean drained();

        /** The buffer went back below the low watermark, or closed: wake threads waiting to write. */
        void writableAgain();

        /** The hard limit overflowed under a closing policy: fail the connection. Any thread. */
        void overflowed(OutboundOverflowException e);

        /**
         * The frames held until the end of the loop's pass were written (or queued): report what that changed,
         * as no session call is in progress.
         */
        void heldWritten();
    }

    private final Owner owner;
    private final ConnectionSettings settings;
    private WriteQueue queue;
    /** {@link WriteQueue#size()} and the wire's pending bytes, published for other threads. */
    private volatile long queuedBytes;
    /** Bytes of messages other threads handed to the loop for this connection, not yet written here. */
    private volatile long handedOver;
    /**
     * Loop thread only: the bytes of the handed-over send now running. They stay in {@link #handedOver} until
     * the send has been written or queued, so other threads never see them counted nowhere; the loop's own
     * watermark decisions leave them out, as they are counted in the queue by then.
     */
    private long runningHandOver;
    /** Futures of bytes the wire took but still holds (TLS ciphertext the socket refused). */
    private ArrayDeque<CompletableFuture<Void>> wireWaiters;
    /** Below the high watermark, or back below the low one. */
    private boolean writable = true;
    /** A watermark crossing the handler has not heard of yet. */
    private boolean writabilityUnreported;
    /** Small frames are queued to leave together when {@link #uncork()} is called. */
    private boolean corked;
    /** Queued bytes will never be delivered (abort, overflow, close timeout, write error, closed): refuse more. */
    private boolean dropped;
    /** The loop's {@link PassCork} slot of the frames held until the end of the pass, or -1 when none are. */
    private int passSlot = -1;

    OutboundBuffer(Owner owner, ConnectionSettings settings) {
        this.owner = owner;
        this.settings = settings;
    }

    // ---- writing ---------------------------------------------------------------------------------------

    /**
     * Writes {@code header} then {@code payload}, as {@code Transport.write} and {@code writeAndRelease}
     * describe.
     *
     * @param release null when {@code payload} is only lent (copy what is left), else how to give it back
     * @param pong an automatic Pong, which a later one may replace while it waits whole in the queue
     */
    void send(ByteBuffer header, ByteBuffer payload, CompletableFuture<Void> done, Consumer<ByteBuffer> release,
            boolean pong) {
        if (passSlot >= 0) {
            writeHeld(); // they were written before this
        }
        if (refuses(done, payload, release)) {
            return;
        }
        owner.bytesOut(header.remaining() + payload.remaining());
        // The session writes a large frame in pieces, each after the first with an empty header: only a piece
        // with a header starts a frame, the only place an overflow may cut the queue.
        boolean startsFrame = header.hasRemaining();
        if (corked) {
            if ((long) header.remaining() + payload.remaining() <= CORK_LIMIT) {
                enqueue(header, payload, done, startsFrame, null, pong);
                giveBack(payload, release);
                return;
            }
            uncork();
            corked = true;
            if (refuses(done, payload, release)) {
                return;
            }
        }
        boolean whole = startsFrame;
        if (queue == null || queue.isEmpty()) {
            ByteBuffer[] gather = owner.loop().gatherArray();
            gather[0] = header;
            gather[1] = payload;
            try {
                owner.wire().write(owner.channel(), gather, 0, payload.hasRemaining() ? 2 : 1);
            } catch (IOException e) {
                if (done != null) {
                    done.completeExceptionally(e);
                }
                giveBack(payload, release);
                writeFailed(e);
                return;
            } finally {
                gather[0] = null;
                gather[1] = null;
            }
            owner.wrote();
            if (!header.hasRemaining() && !payload.hasRemaining()) {
                giveBack(payload, release);
                if (owner.wire().pendingBytes() == 0) {
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

    /** A write failed: nothing more is written, and the owner closes the connection. */
    private void writeFailed(IOException e) {
        dropped = true;
        owner.broken(e);
    }

    /** Whether nothing may be written any more; if so, fails {@code done} and gives {@code payload} back. */
    private boolean refuses(CompletableFuture<Void> done, ByteBuffer payload, Consumer<ByteBuffer> release) {
        if (!owner.isClosed() && !dropped) {
            return false;
        }
        if (done != null) {
            done.completeExceptionally(new ClosedChannelException());
        }
        giveBack(payload, release);
        return true;
    }

    /**
     * Writes an automatic Pong. While the socket refuses bytes it replaces the one still queued if that one
     * has not begun to reach the socket, so a peer that does not read holds a bounded queue however many
     * Pings it sends.
     */
    void sendPong(ByteBuffer header, ByteBuffer payload) {
        if (passSlot >= 0) {
            writeHeld();
        }
        // RFC 6455 §5.5.3 lets a Pong answer only the latest Ping. Used only while the socket refuses bytes (a
        // peer that does not read): while it takes them, every Ping gets its own Pong, as peers expect.
        if (queue != null && !owner.isClosed() && !dropped && owner.writeInterest()
                && queue.replacePong(header, payload)) {
            publishBuffered();
            return;
        }
        send(header, payload, null, null, true);
    }

    /** Writes a whole encoded frame that bypasses the session (a broadcast); consumes {@code frame}. */
    void sendFrame(ByteBuffer frame) {
        send(frame, EMPTY, null, null, false);
    }

    /**
     * Writes bytes that must leave now, not corked (the handshake's request or response): an idle connection
     * whose socket takes them never needs a {@link WriteQueue}.
     */
    void sendUncorked(ByteBuffer bytes) {
        boolean wasCorked = corked;
        corked = false;
        try {
            send(bytes, EMPTY, null, null, false);
        } finally {
            corked = wasCorked;
        }
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
        owner.writeInterest(true);
        updateWritability();
    }

    /**
     * @param whole these bytes start a frame none of which was written yet, so an overflow may drop it whole
     * @param release non-null when {@code payload} is given, not lent: queued by reference, then given back
     * @param pong an automatic Pong: when queued whole, a later one may replace it
     */
    private void enqueue(ByteBuffer header, ByteBuffer payload, CompletableFuture<Void> done, boolean whole,
            Consumer<ByteBuffer> release, boolean pong) {
        if (queue == null) {
            queue = new WriteQueue(owner.loop().pool());
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
        if (wasEmpty && !corked) {
            owner.writeInterest(true);
        }
        updateWritability();
    }

    // ---- corking ---------------------------------------------------------------------------------------

    /** The connection starts reading: small frames written meanwhile wait for {@link #uncork()}. */
    void cork() {
        corked = true;
    }

    /**
     * Writes what handlers sent while the connection was reading, in one gathering write: an echo server
     * answering many messages from one read makes one system call instead of one per message.
     */
    void uncork() {
        corked = false;
        if (!owner.isClosed() && queue != null && !queue.isEmpty()) {
            flush();
            if (!owner.isClosed() && queue != null && !queue.isEmpty()) {
                owner.writeInterest(true);
            }
        }
    }

    // ---- holding until the end of the loop's pass -----------------------------------------------------

    /**
     * Whether room frames of {@code bytes}, counted as {@linkplain #handedOver handed over} since their publish,
     * may be {@linkplain #hold held}: nothing is queued ahead of them and the hard limit admits them (as
     * {@link #admit} would once they were uncounted). Loop thread.
     */
    boolean mayHold(long bytes) {
        if (owner.isClosed() || dropped || (queue != null && !queue.isEmpty()) || owner.wire().pendingBytes() != 0) {
            return false;
        }
        long max = settings.maxBufferedBytes;
        long others = bufferedAmount() - bytes;
        return max <= 0 || others <= 0 || others + bytes <= max;
    }

    /**
     * Holds a room frame, {@code header} then {@code payload} (views the frame's other members share), until
     * the end of the loop's pass; its bytes stay counted as handed over until then. Call after
     * {@link #mayHold}. Loop thread.
     */
    void hold(ByteBuffer header, ByteBuffer payload) {
        passSlot = owner.loop().passCork().hold(this, passSlot, header, payload);
        owner.bytesOut(header.limit() + payload.limit());
    }

    @Override
    public void passEnded(int slot) {
        if (slot == passSlot) {
            writeHeld();
            owner.heldWritten();
        }
    }

    /** Writes the held frames ({@link HeldFrames}), then uncounts them as handed over. */
    private void writeHeld() {
        PassCork cork = owner.loop().passCork();
        int slot = passSlot;
        passSlot = -1;
        long held = cork.bytes(slot);
        // Counted as handed over until written or queued: the watermark decisions meanwhile leave them out.
        long outer = runningHandOver;
        runningHandOver = outer + held;
        try {
            if (!owner.isClosed() && !dropped) {
                HeldFrames.write(cork, slot, this);
            }
        } finally {
            handedOver(-held);
            runningHandOver = outer;
        }
        updateWritability();
    }

    /**
     * Writes {@code buffers[0..n)} with one gathering write, for {@link HeldFrames}.
     *
     * @return false if the write failed: the connection breaks and nothing more is written
     */
    boolean gatheringWrite(ByteBuffer[] buffers, int n) {
        try {
            owner.wire().write(owner.channel(), buffers, 0, n);
        } catch (IOException e) {
            writeFailed(e);
            return false;
        }
        owner.wrote();
        return true;
    }

    /**
     * Queues a held frame, or the rest of one, that the socket refused. Its payload is a view shared with the
     * frame's other members: queued by reference, with nothing to give back.
     *
     * @param whole none of the frame was written yet, so an overflow may drop it whole
     */
    void queueShared(ByteBuffer header, ByteBuffer payload, boolean whole) {
        enqueue(header, payload, null, whole, KEEP, false);
    }

    /** The wire took every byte offered; if it holds some for the socket (TLS), waits for the socket. */
    void waitForWireIfHolding() {
        if (owner.wire().pendingBytes() > 0) {
            waitForWire(null);
        }
    }

    /** The held frames will never be written: uncount them. */
    private void dropHeld() {
        int slot = passSlot;
        passSlot = -1;
        handedOver(-owner.loop().passCork().bytes(slot));
    }

    // ---- flushing --------------------------------------------------------------------------------------

    /** The socket takes bytes again: writes what the wire and the queue hold. */
    void flush() {
        if (passSlot >= 0) {
            writeHeld();
        }
        boolean empty;
        try {
            Wire wire = owner.wire();
            empty = wire.flush();
            if (empty) {
                completeWireWaiters();
                if (queue != null && !queue.isEmpty()) {
                    empty = queue.flush(wire, owner.channel(), owner.loop().gatherArray()) && wire.pendingBytes() == 0;
                }
            }
        } catch (IOException e) {
            owner.flushFailed(e);
            return;
        }
        owner.wrote();
        publishBuffered();
        if (owner.isClosed()) {
            return; // a completed future's callback closed the connection
        }
        if (empty) {
            owner.writeInterest(false);
            if (owner.drained()) {
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

    /** Whether nothing is buffered, in the queue or in the wire. */
    boolean isEmpty() {
        return passSlot < 0 && (queue == null || queue.isEmpty()) && owner.wire().pendingBytes() == 0;
    }

    /**
     * Bytes buffered for the connection: held here or in the wire, as last published, and handed to the loop
     * by other threads. Any thread. While the loop runs a handed-over send its bytes may count twice for a
     * moment, never zero times, so a thread waiting for writability is never woken early.
     */
    long bufferedAmount() {
        return queuedBytes + handedOver;
    }

    /** Whether {@link #bufferedAmount()} is at most the high watermark. Any thread. */
    boolean belowHighWatermark() {
        return bufferedAmount() <= settings.highWatermark;
    }

    /**
     * Counts {@code bytes} (negative to uncount) in {@link #bufferedAmount()}: another thread handed them to the
     * connection's loop. Any thread.
     */
    void handedOver(long bytes) {
        HANDED_OVER.addAndGet(this, bytes);
    }

    /** The loop starts running a send of {@code bytes} another thread handed over. Loop thread. */
    void handOverRunning(long bytes) {
        runningHandOver = bytes;
    }

    /** The handed-over send of {@code bytes} has been written or queued: it no longer counts as handed over. */
    void handOverDone(long bytes) {
        handedOver(-bytes);
        runningHandOver = 0;
    }

    private void publishBuffered() {
        queuedBytes = (queue == null ? 0 : queue.size()) + owner.wire().pendingBytes();
    }

    // ---- dropping --------------------------------------------------------------------------------------

    /** What is buffered will never be delivered: refuse what comes next; {@link #discard} drops the rest. */
    void drop() {
        dropped = true;
    }

    /** Whether what is buffered will never be delivered. */
    boolean isDropped() {
        return dropped;
    }

    /** The connection closed: fails every waiting future with {@code reason} and frees the queue. */
    void discard(Throwable reason) {
        dropped = true;
        if (passSlot >= 0) {
            dropHeld();
        }
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
    }

    // ---- backpressure ----------------------------------------------------------------------------------

    /**
     * Admission of a data message of about {@code size} bytes against the hard limit: {@code null} when
     * accepted, else a failed future (and, by policy, the connection is failed). Any thread.
     */
    CompletableFuture<Void> admit(long size) {
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
            owner.overflowed(e);
        }
        return CompletableFuture.failedFuture(e);
    }

    /**
     * {@link #admit} for text, counted as its UTF-8 bytes. The text is walked for its exact size only when
     * the bound of 3 bytes a char might not fit, so a send far from the limit costs no extra pass.
     */
    CompletableFuture<Void> admitText(CharSequence text) {
        long max = settings.maxBufferedBytes;
        if (max > 0 && bufferedAmount() + 3L * text.length() > max) {
            return admit(NioWebSocket.utf8Size(text));
        }
        return null;
    }

    /**
     * Drops the queued frames that have not begun to reach the socket, as a peer that does not read would
     * never take them. What stays is at most the rest of one frame already partly written (a peer must never
     * see half a frame followed by a Close) and, over TLS, the ciphertext already made.
     */
    void cutUnstarted(OutboundOverflowException e) {
        if (passSlot >= 0) {
            dropHeld(); // held frames have not begun either
        }
        if (queue != null) {
            queue.cutUnstarted(e);
            publishBuffered();
        }
    }

    /** Notes a watermark crossing, to be reported by {@link #takeWritabilityReport()}. */
    void updateWritability() {
        long amount = queuedBytes + handedOver - runningHandOver;
        boolean now = writable ? amount <= settings.highWatermark : amount <= settings.lowWatermark;
        if (now != writable) {
            writable = now;
            // Two crossings before a report cancel out: the handler only hears of net changes.
            writabilityUnreported = !writabilityUnreported;
            if (now) {
                owner.writableAgain();
            }
        }
    }

    /** Whether a crossing awaits its report (and clears it): the handler is then told {@link #isWritable()}. */
    boolean takeWritabilityReport() {
        if (!writabilityUnreported) {
            return false;
        }
        writabilityUnreported = false;
        return true;
    }

    /** Below the high watermark, or back below the low one since it was crossed. */
    boolean isWritable() {
        return writable;
    }
}
