package io.duplex.nio;

import io.duplex.core.CloseStatus;
import io.duplex.core.HandshakeRequest;
import io.duplex.core.WebSocket;
import io.duplex.core.engine.Session;
import io.duplex.core.internal.session.MessageEncoding;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * The {@link WebSocket} an application holds: thread-safe over the single-threaded core {@link Session}.
 * On the connection's loop thread a send calls the session directly; from any other thread the message is
 * copied and handed to the loop as one task, so each message's frames stay together and each thread's
 * messages keep their order.
 */
final class NioWebSocket implements WebSocket {

    private static final int TEXT = 0;
    private static final int BINARY = 1;
    private static final int PING = 2;
    private static final int PONG = 3;

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final AtomicReferenceFieldUpdater<NioWebSocket, CompletableFuture<Void>> WRITABLE_AGAIN =
            (AtomicReferenceFieldUpdater) AtomicReferenceFieldUpdater.newUpdater(NioWebSocket.class,
                    CompletableFuture.class, "writableAgain");

    private final Connection conn;
    private volatile Object attachment;
    /**
     * Completed by the loop when the connection turns writable again or closes, for the threads in
     * {@link #awaitWritable}; null while nobody waits.
     */
    private volatile CompletableFuture<Void> writableAgain;
    /** Loop thread only: broadcast frames waiting for the message in parts to end; usually null. */
    private ArrayDeque<ByteBuffer> deferred;

    NioWebSocket(Connection conn) {
        this.conn = conn;
    }

    /**
     * Writes a prepared frame (a broadcast) if the connection is open and the hard limit admits it; while a
     * message is being sent in parts, the frame waits until its last part is sent. Loop thread.
     *
     * @param frame a view the caller reuses for the next connection: rewound here, and copied if kept
     */
    boolean sendPrepared(ByteBuffer frame) {
        Session s = conn.liveSession();
        if (s == null || !s.isOpen() || conn.outbound().admit(frame.capacity()) != null) {
            return false;
        }
        frame.rewind();
        if (s.isSendingMessageInParts()) {
            if (deferred == null) {
                deferred = new ArrayDeque<>(2);
            }
            deferred.addLast(frame.duplicate());
        } else {
            conn.outbound().sendFrame(frame);
        }
        conn.messageSent();
        conn.reportWritability();
        return true;
    }

    /**
     * Writes a room message whose frame is shared by every member: {@code header} and {@code payload} are
     * views the caller reuses for the next member (rewound here). What the socket refuses of the payload is
     * queued by reference, not copied, as the frame never changes; of the header (or a small frame passed
     * whole as the header, with an empty payload), copied. Loop thread.
     *
     * @return whether it was written or queued (the connection is open and its hard limit admits it)
     */
    boolean sendShared(ByteBuffer header, ByteBuffer payload) {
        Session s = conn.liveSession();
        if (s == null || !s.isOpen() || conn.outbound().admit(header.capacity() + payload.capacity()) != null) {
            return false;
        }
        header.rewind();
        payload.rewind();
        if (s.isSendingMessageInParts()) {
            if (deferred == null) {
                deferred = new ArrayDeque<>(2);
            }
            ByteBuffer frame = ByteBuffer.allocate(header.remaining() + payload.remaining());
            frame.put(header).put(payload).flip();
            deferred.addLast(frame);
        } else {
            conn.outbound().send(header, payload, null, OutboundBuffer.KEEP, false);
        }
        conn.messageSent();
        conn.reportWritability();
        return true;
    }

    /**
     * Holds room frames shared by every member ({@code headers[j]} then {@code payloads[j]}, for {@code j < n})
     * until the end of the loop's pass, when the connection writes all it was given in the pass with one
     * gathering write. Their {@code bytes}, counted as handed over since the publish, stay counted until then.
     * Loop thread.
     *
     * @return false if they cannot be held (the connection is not open, a message is being sent in parts, bytes
     *     are queued ahead of them, or the hard limit would refuse them): send them with {@link #sendShared}
     */
    boolean holdShared(ByteBuffer[] headers, ByteBuffer[] payloads, int n, long bytes) {
        Session s = conn.liveSession();
        OutboundBuffer out = conn.outbound();
        if (s == null || !s.isOpen() || s.isSendingMessageInParts() || !out.mayHold(bytes)) {
            return false;
        }
        for (int j = 0; j < n; j++) {
            out.hold(headers[j], payloads[j]);
            conn.messageSent();
        }
        return true;
    }

    /**
     * Counts {@code bytes} (negative to uncount) in {@link #bufferedAmount()}: a room publish handed them to
     * this connection's loop. Any thread.
     */
    void handedOver(long bytes) {
        conn.outbound().handedOver(bytes);
    }

    /** The connection behind this facade. */
    Connection connection() {
        return conn;
    }

    @Override
    public long id() {
        return conn.id();
    }

    /** The message sent in parts ended: write the broadcasts that waited for it. */
    private void writeDeferred() {
        ByteBuffer f;
        while ((f = deferred.pollFirst()) != null) {
            if (!conn.isClosed()) {
                conn.outbound().sendFrame(f);
            }
        }
    }

    @Override
    public CompletableFuture<Void> sendText(CharSequence text) {
        return send(TEXT, text, null, true, true);
    }

    @Override
    public CompletableFuture<Void> sendText(CharSequence fragment, boolean last) {
        return send(TEXT, fragment, null, last, false);
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer data) {
        return send(BINARY, null, data, true, true);
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuffer fragment, boolean last) {
        return send(BINARY, null, fragment, last, false);
    }

    @Override
    public CompletableFuture<Void> sendPing(ByteBuffer payload) {
        Objects.requireNonNull(payload, "payload");
        return send(PING, null, payload, true, true);
    }

    @Override
    public CompletableFuture<Void> sendPong(ByteBuffer payload) {
        Objects.requireNonNull(payload, "payload");
        return send(PONG, null, payload, true, true);
    }

    /**
     * @param whole a whole message rather than a part: the session must know, as extensions decide on whole
     *     messages by their size and a whole message may not slip into another that is being sent in parts
     */
    private CompletableFuture<Void> send(int kind, CharSequence text, ByteBuffer data, boolean last, boolean whole) {
        // Pings and Pongs the application sends count against the hard limit like data: only the session's
        // automatic Pong is exempt, and it replaces its predecessor instead of queueing behind it.
        OutboundBuffer out = conn.outbound();
        CompletableFuture<Void> refused = text != null ? out.admitText(text) : out.admit(data.remaining());
        if (refused != null) {
            return refused;
        }
        if (conn.inLoop()) {
            CompletableFuture<Void> f = dispatch(kind, text, data, last, whole);
            conn.reportWritability();
            return f;
        }
        // Counted in bufferedAmount() until the loop takes it; text by its UTF-8 size, as the queue counts it.
        long size = text != null ? utf8Size(text) : data.remaining();
        // The caller may reuse its argument as soon as we return: take a copy for the loop.
        String t = text == null ? null : text.toString();
        ByteBuffer d = data == null ? null : copy(data);
        CompletableFuture<Void> result = new CompletableFuture<>();
        if (!handToLoop(size, () -> relay(dispatch(kind, t, d, last, whole), result))) {
            result.completeExceptionally(new ClosedChannelException());
        }
        return result;
    }

    /**
     * Runs {@code send} on the connection's loop, counting {@code size} bytes in {@link #bufferedAmount()} until
     * it runs.
     *
     * @return false if the loop is shut down and will never run it
     */
    private boolean handToLoop(long size, Runnable send) {
        conn.outbound().handedOver(size);
        try {
            conn.execute(() -> {
                OutboundBuffer out = conn.outbound();
                out.handOverRunning(size);
                try {
                    send.run();
                } finally {
                    out.handOverDone(size);
                }
                conn.reportWritability();
                if (writableAgain != null && conn.outbound().belowHighWatermark()) {
                    // Counted while it waited for the loop, the send then went straight to the socket: the
                    // buffer never crossed a watermark, and a thread may be waiting for the bytes to leave.
                    writableAgain();
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            conn.outbound().handedOver(-size);
            return false;
        }
    }

    private CompletableFuture<Void> dispatch(int kind, CharSequence text, ByteBuffer data, boolean last,
            boolean whole) {
        Session s = conn.liveSession();
        if (s == null) {
            return CompletableFuture.failedFuture(new ClosedChannelException());
        }
        try {
            switch (kind) {
                case TEXT:
                    return dataSent(whole ? s.sendText(text) : s.sendText(text, last), last);
                case BINARY:
                    return dataSent(whole ? s.sendBinary(data) : s.sendBinary(data, last), last);
                case PING:
                    return s.sendPing(data);
                default:
                    return s.sendPong(data);
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        } catch (Error e) {
            // Half a frame may be queued: the connection cannot go on.
            conn.internalError(e);
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<Void> dataSent(CompletableFuture<Void> sent, boolean last) {
        if (sent.isCompletedExceptionally()) {
            // Refused (for example a whole message while another is sent in parts): nothing changed.
            return sent;
        }
        partSent(last);
        return sent;
    }

    /** A data message or part of one went to the session. Loop thread. */
    private void partSent(boolean last) {
        if (last) {
            conn.messageSent();
        }
        if (last && deferred != null) {
            writeDeferred();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>On the connection's loop thread (in a handler callback) the answer is final and, in steady state,
     * nothing is allocated. From another thread the message is copied and handed to the loop, as for
     * {@code sendText}; {@code true} then means it was handed over while the connection was open, and the
     * text was checked for unpaired surrogates in the caller's thread. If the connection closes before the
     * loop takes it, or a message sent in parts from another thread is then unfinished, the message is
     * dropped, as the future of such a send would fail with nobody watching. An outbound buffer over its hard
     * limit answers {@code false} on any thread, and a closing {@link OverflowPolicy} also fails the
     * connection, which the handler hears through {@code onError} and {@code onClose}.
     */
    @Override
    public boolean offerText(CharSequence text) {
        Objects.requireNonNull(text, "text");
        return offer(TEXT, text, null);
    }

    /** {@inheritDoc} See {@link #offerText} for which thread answers what. */
    @Override
    public boolean offerBinary(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        return offer(BINARY, null, data);
    }

    private boolean offer(int kind, CharSequence text, ByteBuffer data) {
        OutboundBuffer out = conn.outbound();
        if ((text != null ? out.admitText(text) : out.admit(data.remaining())) != null) {
            return false;
        }
        if (conn.inLoop()) {
            boolean accepted = offerOnLoop(kind, text, data);
            conn.reportWritability();
            return accepted;
        }
        if (!isOpen()) {
            return false;
        }
        // Throws here, in the caller's thread, for an unpaired surrogate: the loop could only drop the message.
        long size = text != null ? MessageEncoding.utf8Length(text, 0, text.length()) : data.remaining();
        String t = text == null ? null : text.toString();
        ByteBuffer d = data == null ? null : copy(data);
        return handToLoop(size, () -> offerOnLoop(kind, t, d));
    }

    private boolean offerOnLoop(int kind, CharSequence text, ByteBuffer data) {
        Session s = conn.liveSession();
        if (s == null) {
            return false;
        }
        boolean accepted = kind == TEXT ? s.offerText(text) : s.offerBinary(data);
        if (accepted) {
            partSent(true);
        }
        return accepted;
    }

    @Override
    public CompletableFuture<Void> close(int code, String reason) {
        CloseStatus.of(code, reason); // validates in the caller's thread, as documented
        if (conn.inLoop()) {
            return closeOnLoop(code, reason);
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        try {
            conn.execute(() -> relay(closeOnLoop(code, reason), result));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new ClosedChannelException());
        }
        return result;
    }

    private CompletableFuture<Void> closeOnLoop(int code, String reason) {
        Session s = conn.liveSession();
        if (s == null) {
            return CompletableFuture.failedFuture(new ClosedChannelException());
        }
        return s.close(code, reason);
    }

    @Override
    public void abort() {
        conn.abort();
    }

    @Override
    public boolean isOpen() {
        Session s = conn.liveSession();
        return s != null && s.isOpen();
    }

    @Override
    public long bufferedAmount() {
        return conn.bufferedAmount();
    }

    /**
     * {@inheritDoc}
     *
     * <p>The watermarks are those of {@link TransportBuilder#writeBufferWatermarks}. The waiting thread parks
     * on a future the loop completes when the connection turns writable or closes, so it costs a virtual
     * thread nothing but its stack.
     */
    @Override
    public boolean awaitWritable(java.time.Duration timeout) throws InterruptedException {
        if (conn.inLoop()) {
            throw new IllegalStateException("awaitWritable on the connection's event loop would block it");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!isOpen()) {
                return false;
            }
            if (conn.outbound().belowHighWatermark()) {
                return true;
            }
            CompletableFuture<Void> f = WRITABLE_AGAIN.updateAndGet(this, w -> w != null ? w : new CompletableFuture<>());
            // Checked again now the future is in place: the loop completes it on the next turn to writable.
            if (!isOpen() || conn.outbound().belowHighWatermark()) {
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                f.get(left, java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                return false;
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e); // never completed exceptionally
            }
        }
    }

    /** The connection turned writable or closed: wakes the threads in {@link #awaitWritable}. Loop thread. */
    void writableAgain() {
        CompletableFuture<Void> f = WRITABLE_AGAIN.getAndSet(this, null);
        if (f != null) {
            f.complete(null);
        }
    }

    @Override
    public void pauseReading() {
        conn.onLoop(conn::pauseReading);
    }

    @Override
    public void resumeReading() {
        conn.onLoop(conn::resumeReading);
    }

    @Override
    public String subprotocol() {
        Session s = conn.session();
        return s == null ? "" : s.subprotocol();
    }

    @Override
    public String extensions() {
        Session s = conn.session();
        return s == null ? "" : s.extensions();
    }

    @Override
    public HandshakeRequest handshakeRequest() {
        Session s = conn.session();
        return s == null ? null : s.handshakeRequest();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return conn.remoteAddress();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T attachment() {
        return (T) attachment;
    }

    @Override
    public void attach(Object attachment) {
        this.attachment = attachment;
    }

    @Override
    public String toString() {
        return "WebSocket[" + remoteAddress() + "]";
    }

    /**
     * The bytes {@code text} takes as UTF-8, which is what the hard limit and {@link #bufferedAmount()} count.
     * Each surrogate counts 2, so a pair counts its 4 even when a part sent with {@code last == false} splits
     * it; an unpaired one (which the session refuses) counts too, rather than throwing here.
     */
    static long utf8Size(CharSequence text) {
        int length = text.length();
        long n = length;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                n += c < 0x800 || Character.isSurrogate(c) ? 1 : 2;
            }
        }
        return n;
    }

    /** A copy of {@code src}'s remaining bytes; consumes {@code src}, as every send does. */
    private static ByteBuffer copy(ByteBuffer src) {
        ByteBuffer c = ByteBuffer.allocate(src.remaining());
        c.put(src).flip();
        return c;
    }

    private static void relay(CompletableFuture<Void> from, CompletableFuture<Void> to) {
        from.whenComplete((v, e) -> {
            if (e != null) {
                to.completeExceptionally(e);
            } else {
                to.complete(null);
            }
        });
    }
}
