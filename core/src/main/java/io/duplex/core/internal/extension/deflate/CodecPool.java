package io.duplex.core.internal.extension.deflate;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Idle compressors or decompressors shared by the connections of one {@link io.duplex.core.deflate.PerMessageDeflate}.
 * A direction without context takeover needs its codec only while a message passes, so it borrows one here
 * and gives it back, reset, at the message's end: an idle connection then holds none. At most
 * {@code capacity} wait here; one given back beyond that is ended at once. Thread-safe: a short lock around a
 * fixed array, so borrowing and giving back allocate nothing.
 *
 * @param <T> the codec type
 */
public final class CodecPool<T> {

    private final Supplier<T> factory;
    private final Consumer<T> reset;
    private final Consumer<T> end;
    private final Object[] idle;
    private int idleCount;
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong ended = new AtomicLong();

    CodecPool(Supplier<T> factory, Consumer<T> reset, Consumer<T> end, int capacity) {
        this.factory = factory;
        this.reset = reset;
        this.end = end;
        this.idle = new Object[capacity];
    }

    /** An idle codec, or a new one. */
    @SuppressWarnings("unchecked")
    T borrow() {
        synchronized (idle) {
            if (idleCount > 0) {
                T t = (T) idle[--idleCount];
                idle[idleCount] = null;
                return t;
            }
        }
        created.incrementAndGet();
        return factory.get();
    }

    /** Takes a codec back: resets it for the next borrower, or ends it when enough are idle already. */
    void giveBack(T t) {
        reset.accept(t);
        synchronized (idle) {
            if (idleCount < idle.length) {
                idle[idleCount++] = t;
                return;
            }
        }
        discard(t);
    }

    /** Ends a codec that will not be reused (for example one dropped in the middle of a message). */
    void discard(T t) {
        ended.incrementAndGet();
        end.accept(t);
    }

    /** Codecs this pool created, for leak checks: always {@code ended() + idle() + in use}. */
    public long created() {
        return created.get();
    }

    /** Codecs this pool ended. */
    public long ended() {
        return ended.get();
    }

    /** Codecs waiting in the pool. */
    public int idle() {
        synchronized (idle) {
            return idleCount;
        }
    }
}
