package io.duplex.core.extension.deflate;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Idle compressors or decompressors shared by the connections of one {@link io.duplex.core.PerMessageDeflate}.
 * A direction without context takeover needs its codec only while a message passes, so it borrows one here
 * and gives it back, reset, at the message's end: an idle connection then holds none. At most
 * {@code capacity} wait here; one given back beyond that is ended at once. Thread-safe.
 *
 * @param <T> the codec type
 */
public final class CodecPool<T> {

    private final Supplier<T> factory;
    private final Consumer<T> reset;
    private final Consumer<T> end;
    private final int capacity;
    private final ConcurrentLinkedQueue<T> idle = new ConcurrentLinkedQueue<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong ended = new AtomicLong();

    CodecPool(Supplier<T> factory, Consumer<T> reset, Consumer<T> end, int capacity) {
        this.factory = factory;
        this.reset = reset;
        this.end = end;
        this.capacity = capacity;
    }

    /** An idle codec, or a new one. */
    T borrow() {
        T t = idle.poll();
        if (t != null) {
            idleCount.decrementAndGet();
            return t;
        }
        created.incrementAndGet();
        return factory.get();
    }

    /** Takes a codec back: resets it for the next borrower, or ends it when enough are idle already. */
    void giveBack(T t) {
        if (idleCount.incrementAndGet() <= capacity) {
            reset.accept(t);
            idle.add(t);
        } else {
            idleCount.decrementAndGet();
            discard(t);
        }
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
        return idleCount.get();
    }
}
