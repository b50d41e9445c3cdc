package io.duplex.nio.internal.loop;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fixed-size direct buffers for the bytes a socket refused, recycled through a free list so a busy loop
 * stops allocating once warm. Every {@link #acquire()} must be matched by one {@link #release}; the
 * {@linkplain #outstanding() outstanding count} lets tests prove that nothing leaks, and the
 * {@linkplain #retained() retained count} tells what the free list holds.
 *
 * <p>Acquire and release on the owning loop's thread only; the counts may be read from any thread.
 */
public final class BufferPool {

    private final int chunkSize;
    private final int maxRetained;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private final AtomicLong outstanding = new AtomicLong();
    /** Only touched when a buffer is allocated or left to the GC, never on a recycled acquire or release. */
    private final AtomicLong allocated = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    /**
     * @param chunkSize the capacity of every buffer
     * @param maxRetained how many released buffers to keep for reuse; beyond that they are left to the GC
     */
    public BufferPool(int chunkSize, int maxRetained) {
        if (chunkSize <= 0 || maxRetained < 0) {
            throw new IllegalArgumentException("chunkSize must be positive, maxRetained not negative");
        }
        this.chunkSize = chunkSize;
        this.maxRetained = maxRetained;
    }

    /** A cleared buffer of {@link #chunkSize()} bytes. */
    public ByteBuffer acquire() {
        ByteBuffer b = free.pollFirst();
        if (b == null) {
            b = ByteBuffer.allocateDirect(chunkSize);
            allocated.incrementAndGet();
        }
        outstanding.incrementAndGet();
        return b;
    }

    /** Returns a buffer obtained from {@link #acquire()}. */
    public void release(ByteBuffer buffer) {
        outstanding.decrementAndGet();
        if (free.size() < maxRetained) {
            buffer.clear();
            free.addFirst(buffer);
        } else {
            dropped.incrementAndGet();
        }
    }

    /** The capacity of the pool's buffers. */
    public int chunkSize() {
        return chunkSize;
    }

    /** Buffers acquired and not yet released. */
    public long outstanding() {
        return outstanding.get();
    }

    /**
     * Released buffers kept on the free list for reuse (at most {@code maxRetained}). Any thread; exact once the
     * loop is quiet.
     */
    public long retained() {
        return allocated.get() - dropped.get() - outstanding.get();
    }
}
