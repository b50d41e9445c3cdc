package io.duplex.nio;

import io.duplex.nio.internal.loop.BufferPool;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The bytes a socket refused, waiting for it to drain: copies in pooled chunks (small frames share a chunk),
 * or, for a payload given away by the session, a view of it, kept uncopied until written; and the futures to
 * complete once the bytes before them have reached the socket.
 *
 * <p>Loop thread only.
 */
final class WriteQueue {

    /** A future completed when the stream has been flushed up to {@code mark}. */
    private static final class Completion {
        final long mark;
        final CompletableFuture<Void> future;

        Completion(long mark, CompletableFuture<Void> future) {
            this.mark = mark;
            this.future = future;
        }
    }

    /** A given payload in the queue: the view queued, and the buffer to give back once the view is written. */
    private static final class Given {
        final ByteBuffer view;
        final ByteBuffer buffer;
        final Consumer<ByteBuffer> release;

        Given(ByteBuffer view, ByteBuffer buffer, Consumer<ByteBuffer> release) {
            this.view = view;
            this.buffer = buffer;
            this.release = release;
        }
    }

    private final BufferPool pool;
    /**
     * Chunks in read mode: position is the next byte to write, limit the end of what was copied in. A given
     * payload's view is a slice, whose limit is its capacity, so no later append copies into it.
     */
    private final ArrayDeque<ByteBuffer> chunks = new ArrayDeque<>();
    /** The given payloads among {@link #chunks}, in the same order. */
    private final ArrayDeque<Given> given = new ArrayDeque<>(2);
    private final ArrayDeque<Completion> completions = new ArrayDeque<>();
    private final FrameStarts frameStarts = new FrameStarts();
    private long appended;
    private long flushed;
    /** Where the queued automatic Pong begins in the stream, or -1 when none is queued whole. */
    private long pongStart = -1;
    private int pongLength;

    WriteQueue(BufferPool pool) {
        this.pool = pool;
    }

    /** Bytes queued and not yet written. */
    long size() {
        return appended - flushed;
    }

    boolean isEmpty() {
        return appended == flushed;
    }

    /** Copies the remaining bytes of {@code src} to the end of the queue, consuming them. */
    void append(ByteBuffer src) {
        int n = src.remaining();
        if (n == 0) {
            return;
        }
        appended += n;
        ByteBuffer tail = chunks.peekLast();
        // Never into a given payload's view, even one an overflow cut shortened: those bytes are not ours.
        Given lastGiven = given.peekLast();
        if (tail != null && tail.limit() < tail.capacity() && (lastGiven == null || lastGiven.view != tail)) {
            fill(tail, src);
        }
        while (src.hasRemaining()) {
            ByteBuffer chunk = pool.acquire();
            chunk.limit(0);
            chunks.addLast(chunk);
            fill(chunk, src);
        }
    }

    /**
     * Marks the end of the queue as the start of a whole frame, one that nothing has been written of yet, so
     * that {@link #cutUnstarted} may drop it.
     */
    void startFrame() {
        frameStarts.add(appended);
    }

    /**
     * Marks the end of the queue as the start of an automatic Pong of {@code length} bytes, about to be
     * appended whole, that a later one may {@linkplain #replacePong replace} until it begins to be written.
     */
    void startPong(int length) {
        pongStart = appended;
        pongLength = length;
    }

    /**
     * Replaces the queued automatic Pong with {@code header} and {@code payload} (one whole Pong frame),
     * consuming them, if that Pong has not begun to reach the socket: in place when both are the same size,
     * or at the end of the queue when it is the last thing queued. Otherwise answers {@code false} and leaves
     * the queue as it was; the caller then queues the new Pong as usual.
     */
    boolean replacePong(ByteBuffer header, ByteBuffer payload) {
        if (pongStart < flushed) {
            pongStart = -1; // none queued, or already partly written
            return false;
        }
        int length = header.remaining() + payload.remaining();
        if (length == pongLength) {
            overwrite(overwrite(pongStart, header), payload);
            return true;
        }
        if (pongStart + pongLength != appended
                || (!completions.isEmpty() && completions.peekLast().mark > pongStart)) {
            return false; // bytes or a future depend on where the Pong ends
        }
        dropTail(pongLength);
        appended = pongStart;
        pongLength = length;
        append(header);
        append(payload);
        return true;
    }

    /**
     * Drops the frames that have not begun to reach the socket, keeping the rest of one that has, so the queue
     * ends on a frame boundary; their futures fail with {@code cause}.
     *
     * @return the bytes dropped
     */
    long cutUnstarted(Throwable cause) {
        long cut = frameStarts.firstUnstarted(flushed);
        if (cut < 0) {
            return 0;
        }
        long dropped = appended - cut;
        dropTail(dropped);
        appended = cut;
        frameStarts.clear();
        if (pongStart >= cut) {
            pongStart = -1;
        }
        while (!completions.isEmpty() && completions.peekLast().mark > cut) {
            completions.pollLast().future.completeExceptionally(cause);
        }
        return dropped;
    }

    /** Removes the last {@code count} queued bytes from the chunks (the caller moves {@link #appended}). */
    private void dropTail(long count) {
        long left = count;
        while (left > 0) {
            ByteBuffer tail = chunks.peekLast();
            int n = tail.remaining();
            if (n <= left) {
                releaseLastChunk(chunks.pollLast());
                left -= n;
            } else {
                tail.limit(tail.limit() - (int) left);
                left = 0;
            }
        }
    }

    /**
     * Copies the remaining bytes of {@code src} over the queued, unwritten bytes that begin at stream offset
     * {@code at}, consuming them; those bytes are in chunks of ours (a Pong is always copied in).
     *
     * @return the stream offset after the bytes copied
     */
    private long overwrite(long at, ByteBuffer src) {
        long chunkStart = flushed;
        for (ByteBuffer c : chunks) {
            long chunkEnd = chunkStart + c.remaining();
            while (src.hasRemaining() && at < chunkEnd) {
                c.put(c.position() + (int) (at - chunkStart), src.get());
                at++;
            }
            if (!src.hasRemaining()) {
                break;
            }
            chunkStart = chunkEnd;
        }
        return at;
    }

    /**
     * Queues the remaining bytes of {@code payload} by reference, consuming them; {@code release} takes
     * {@code payload} back once they were written or dropped.
     */
    void appendGiven(ByteBuffer payload, Consumer<ByteBuffer> release) {
        int n = payload.remaining();
        if (n == 0) {
            release.accept(payload);
            return;
        }
        appended += n;
        ByteBuffer view = payload.slice();
        payload.position(payload.limit());
        chunks.addLast(view);
        given.addLast(new Given(view, payload, release));
    }

    /** Completes {@code done} once every byte appended so far has been written. */
    void completeWhenFlushed(CompletableFuture<Void> done) {
        if (done == null) {
            return;
        }
        if (isEmpty()) {
            done.complete(null);
        } else {
            completions.addLast(new Completion(appended, done));
        }
    }

    /**
     * Writes as much as the wire takes now, using {@code gather} as scratch for a gathering write.
     *
     * @return whether the queue is now empty
     */
    boolean flush(Wire wire, SocketChannel channel, ByteBuffer[] gather) throws IOException {
        while (!chunks.isEmpty()) {
            int n = 0;
            for (ByteBuffer c : chunks) {
                gather[n++] = c;
                if (n == gather.length) {
                    break;
                }
            }
            long written;
            try {
                written = wire.write(channel, gather, 0, n);
            } finally {
                Arrays.fill(gather, 0, n, null);
            }
            flushed += written;
            frameStarts.started(flushed);
            while (!chunks.isEmpty() && !chunks.peekFirst().hasRemaining()) {
                releaseChunk(chunks.pollFirst());
            }
            if (written == 0 || (!chunks.isEmpty() && chunks.peekFirst().position() > 0)) {
                break; // the socket's buffer is full
            }
        }
        // Last, because a completed future may run user code that sends again on this connection.
        while (!completions.isEmpty() && completions.peekFirst().mark <= flushed) {
            completions.pollFirst().future.complete(null);
        }
        return chunks.isEmpty();
    }

    /** Drops every queued byte, returning the chunks to the pool and failing the waiting futures. */
    void discard(Throwable cause) {
        while (!chunks.isEmpty()) {
            releaseChunk(chunks.pollFirst());
        }
        flushed = appended;
        frameStarts.clear();
        pongStart = -1;
        while (!completions.isEmpty()) {
            completions.pollFirst().future.completeExceptionally(cause);
        }
    }

    /** Gives a written or dropped chunk back: a given payload to its owner, a copy's chunk to the pool. */
    /** As {@link #releaseChunk}, for the chunk at the tail (an overflow cut drops from the end). */
    private void releaseLastChunk(ByteBuffer chunk) {
        Given g = given.peekLast();
        if (g != null && g.view == chunk) {
            given.pollLast();
            g.release.accept(g.buffer);
        } else {
            pool.release(chunk);
        }
    }

    private void releaseChunk(ByteBuffer chunk) {
        Given g = given.peekFirst();
        if (g != null && g.view == chunk) {
            given.pollFirst();
            g.release.accept(g.buffer);
        } else {
            pool.release(chunk);
        }
    }

    /** Copies from {@code src} into the free space after {@code chunk}'s limit, keeping its read position. */
    private static void fill(ByteBuffer chunk, ByteBuffer src) {
        int readPos = chunk.position();
        int end = chunk.limit();
        int n = Math.min(chunk.capacity() - end, src.remaining());
        chunk.limit(end + n).position(end);
        if (n == src.remaining()) {
            chunk.put(src);
        } else {
            int srcLimit = src.limit();
            src.limit(src.position() + n);
            chunk.put(src);
            src.limit(srcLimit);
        }
        chunk.position(readPos);
    }
}
