package io.duplex.nio.loop;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fixed-size direct buffers for the bytes a socket refused, recycled through a free list so a busy loop
 * stops allocating once warm. Every {@link #acquire()} must be matched by one {@link #release}; the
 * {@linkplain #outstanding() outstanding count} lets tests prove that nothing leaks.
 *
 * <p>Acquire and release on the owning loop's thread only; {@link #outstanding()} may be read from any thread.
 */
public final class BufferPool {

    private final int chunkSize;
    private final int maxRetained;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private final AtomicLong outstanding = new AtomicLong();

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
}
