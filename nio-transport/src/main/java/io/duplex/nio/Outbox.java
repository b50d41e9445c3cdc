package io.duplex.nio;

import io.duplex.core.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The messages a {@link ReconnectingWebSocket} holds while it has no connection, bounded by count and bytes,
 * sent in order on the next connection once its {@code onOpen} (the re-subscribe hook) has run.
 *
 * <p>Order: a message sent while the outbox is not empty joins its tail, so nothing overtakes what waits.
 * Sends made inside {@code onOpen} on the loop thread go straight to the new connection, ahead of the
 * outbox: that is where a client re-subscribes. Thread-safe; the queue is guarded by this object's monitor.
 */
final class Outbox {

    /** A queued whole message: a {@link String} or a {@code byte[]}; {@code done} is null for an offer. */
    private record Entry(Object message, long size, CompletableFuture<Void> done) {
    }

    private final int maxMessages;
    private final long maxBytes;
    private final OutboxPolicy whenFull;
    private final Supplier<String> state;
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private long bytes;
    /** The connection sends go straight to: null between connections and until a new one's outbox is sent. */
    private WebSocket direct;
    /** A connection in its {@code onOpen}, and the loop thread running it, whose sends go straight to it. */
    private WebSocket opening;
    private Thread openingThread;
    private boolean stopped;

    Outbox(int maxMessages, long maxBytes, OutboxPolicy whenFull, Supplier<String> state) {
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.whenFull = whenFull;
        this.state = state;
    }

    /** Sends a whole text message now, or queues it; the future completes when it reaches a socket. */
    CompletableFuture<Void> sendText(CharSequence text) {
        WebSocket now = target();
        return now != null ? now.sendText(text) : enqueue(text.toString(), NioWebSocket.utf8Size(text), true);
    }

    /** Sends a whole binary message now, or queues a copy of it (consuming {@code data}). */
    CompletableFuture<Void> sendBinary(ByteBuffer data) {
        WebSocket now = target();
        return now != null ? now.sendBinary(data) : enqueue(copy(data), data.remaining(), true);
    }

    boolean offerText(CharSequence text) {
        WebSocket now = target();
        return now != null ? now.offerText(text) : enqueue(text.toString(), NioWebSocket.utf8Size(text), false) == null;
    }

    boolean offerBinary(ByteBuffer data) {
        WebSocket now = target();
        if (now != null) {
            return now.offerBinary(data);
        }
        int start = data.position();
        if (enqueue(copy(data), data.remaining(), false) != null) {
            data.position(start); // refused: the caller keeps its bytes, as with any refused offer
            return false;
        }
        return true;
    }

    /** The connection to send to now, or null to queue. */
    private synchronized WebSocket target() {
        if (direct != null) {
            return direct;
        }
        return opening != null && Thread.currentThread() == openingThread ? opening : null;
    }

    /**
     * Queues {@code message}; returns its future (a failed one when refused), or, for an offer, null when
     * queued and a failed future when refused.
     */
    private synchronized CompletableFuture<Void> enqueue(Object message, long size, boolean wantFuture) {
        if (stopped) {
            return CompletableFuture.failedFuture(new NotConnectedException(state.get()));
        }
        if (size > maxBytes) {
            return CompletableFuture.failedFuture(new OutboundOverflowException(
                    "a message of " + size + " bytes is larger than the outbox (" + maxBytes + " bytes)"));
        }
        while (queue.size() >= maxMessages || bytes + size > maxBytes) {
            if (whenFull == OutboxPolicy.REJECT_NEW) {
                return CompletableFuture.failedFuture(new OutboundOverflowException("the outbox is full ("
                        + queue.size() + " messages, " + bytes + " bytes) while " + state.get()));
            }
            Entry dropped = queue.pollFirst();
            bytes -= dropped.size();
            fail(dropped, new OutboundOverflowException(
                    "dropped from the full outbox for a newer message while " + state.get()));
        }
        CompletableFuture<Void> done = wantFuture ? new CompletableFuture<>() : null;
        queue.addLast(new Entry(message, size, done));
        bytes += size;
        return done;
    }

    /** Loop thread: {@code socket} opened; until {@link #flush}, sends from this thread go straight to it. */
    synchronized void opening(WebSocket socket) {
        opening = socket;
        openingThread = Thread.currentThread();
    }

    /**
     * Loop thread, after the new connection's {@code onOpen}: sends what waits, in order, and from then on
     * sends go straight to the connection. A connection that closed during its {@code onOpen} takes nothing.
     */
    synchronized void flush(WebSocket socket) {
        opening = null;
        openingThread = null;
        if (!socket.isOpen()) {
            return;
        }
        Entry e;
        while ((e = queue.pollFirst()) != null) {
            bytes -= e.size();
            CompletableFuture<Void> sent = e.message() instanceof String text
                    ? socket.sendText(text) : socket.sendBinary(ByteBuffer.wrap((byte[]) e.message()));
            if (e.done() != null) {
                CompletableFuture<Void> done = e.done();
                sent.whenComplete((v, err) -> {
                    if (err == null) {
                        done.complete(null);
                    } else {
                        done.completeExceptionally(err);
                    }
                });
            }
        }
        direct = socket;
    }

    /** Loop thread: {@code socket} closed; sends queue again until the next connection. */
    synchronized void disconnected(WebSocket socket) {
        if (direct == socket) {
            direct = null;
        }
        if (opening == socket) {
            opening = null;
            openingThread = null;
        }
    }

    /** Reconnecting stopped for good: what waits fails, and later sends fail at once. */
    synchronized void stop() {
        stopped = true;
        direct = null;
        Entry e;
        while ((e = queue.pollFirst()) != null) {
            fail(e, new NotConnectedException(state.get() + ": the message waited in the outbox"));
        }
        bytes = 0;
    }

    synchronized int size() {
        return queue.size();
    }

    private static void fail(Entry e, Exception cause) {
        if (e.done() != null) {
            e.done().completeExceptionally(cause);
        }
    }

    private static byte[] copy(ByteBuffer data) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        return b;
    }
}
