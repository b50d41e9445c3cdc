package io.duplex.nio.internal.tls;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * A free list of equally sized heap buffers. Only slot-sized buffers come back to the list, so one huge
 * write cannot pin its huge buffer for the life of the loop.
 */
final class PooledBuffers implements TlsBufferPool {

    private final int slotCapacity;
    private final int maxRetained;
    private final ArrayDeque<ByteBuffer> free;

    PooledBuffers(int slotCapacity, int maxRetained) {
        if (slotCapacity <= 0 || maxRetained < 0) {
            throw new IllegalArgumentException("slotCapacity " + slotCapacity + ", maxRetained " + maxRetained);
        }
        this.slotCapacity = slotCapacity;
        this.maxRetained = maxRetained;
        this.free = new ArrayDeque<>(Math.min(maxRetained, 64));
    }

    @Override
    public ByteBuffer acquire(int minCapacity) {
        if (minCapacity > slotCapacity) {
            return ByteBuffer.allocate(minCapacity);
        }
        ByteBuffer b = free.pollFirst();
        return b != null ? b.clear() : ByteBuffer.allocate(slotCapacity);
    }

    @Override
    public void release(ByteBuffer buffer) {
        if (buffer.capacity() == slotCapacity && !buffer.isDirect() && free.size() < maxRetained) {
            free.addFirst(buffer);
        }
    }

    /** Buffers waiting on the free list. */
    int retained() {
        return free.size();
    }
}
