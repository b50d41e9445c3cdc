package io.duplex.core;

import io.duplex.core.internal.buffer.BufferSizes;
import java.nio.ByteBuffer;

/**
 * {@link BufferProvider#pooled()}: free lists of heap and of direct buffers in power-of-two sizes, for the
 * sessions one thread drives. Direct buffers serve large binary messages that usually end up written to a
 * socket (an echo, a relay), where the JDK would otherwise copy a heap buffer into a temporary direct one on
 * every write; pooled, because a fresh megabyte per message costs page faults and garbage collection. Heap
 * buffers serve the chunks outgoing frames are encoded and masked into. Not thread-safe.
 */
final class PooledBuffers implements BufferProvider {

    /** The smallest buffer handed out, and the size of the chunks frames are built in. */
    static final int CHUNK = BufferSizes.CHUNK;
    /** The largest pooled direct buffer; a larger direct request gets a heap buffer. */
    static final int MAX_DIRECT = BufferSizes.MAX_DIRECT;
    /** The largest pooled heap buffer; a larger request is allocated and dropped after use. */
    static final int MAX_HEAP = 1024 * 1024;
    /** The most bytes of direct buffers kept for reuse. */
    static final long MAX_RETAINED_DIRECT = 8L * 1024 * 1024;
    /** The most bytes of heap buffers kept for reuse. */
    static final long MAX_RETAINED_HEAP = 1024L * 1024;

    private final SizeClasses heap = new SizeClasses(false, MAX_HEAP, MAX_RETAINED_HEAP);
    private final SizeClasses direct = new SizeClasses(true, MAX_DIRECT, MAX_RETAINED_DIRECT);

    @Override
    public ByteBuffer acquire(int capacity, boolean wantDirect) {
        if (wantDirect && capacity <= MAX_DIRECT) {
            return direct.acquire(capacity);
        }
        return capacity <= MAX_HEAP ? heap.acquire(capacity) : ByteBuffer.allocate(capacity);
    }

    @Override
    public void release(ByteBuffer buffer) {
        if (buffer.isReadOnly()) {
            return;
        }
        (buffer.isDirect() ? direct : heap).release(buffer);
    }

    /** Bytes held in the free lists, for tests and leak checks. */
    public long retainedBytes() {
        return heap.retainedBytes + direct.retainedBytes;
    }

    /** Free buffers of one kind per size class, each class a small stack, within a byte budget. */
    private static final class SizeClasses {
        private final boolean direct;
        private final int maxSize;
        private final long maxRetained;
        private final ByteBuffer[][] free;
        private final int[] count;
        private long retainedBytes;

        SizeClasses(boolean direct, int maxSize, long maxRetained) {
            this.direct = direct;
            this.maxSize = maxSize;
            this.maxRetained = maxRetained;
            int classes = Integer.numberOfTrailingZeros(maxSize / CHUNK) + 1;
            free = new ByteBuffer[classes][];
            count = new int[classes];
            for (int i = 0; i < classes; i++) {
                free[i] = new ByteBuffer[(int) Math.max(1, maxRetained / ((long) CHUNK << i))];
            }
        }

        ByteBuffer acquire(int size) {
            int c = sizeClass(size);
            if (count[c] > 0) {
                ByteBuffer b = free[c][--count[c]];
                free[c][count[c]] = null;
                retainedBytes -= b.capacity();
                return b.clear();
            }
            return direct ? ByteBuffer.allocateDirect(CHUNK << c) : ByteBuffer.allocate(CHUNK << c);
        }

        void release(ByteBuffer buffer) {
            int capacity = buffer.capacity();
            if (capacity < CHUNK || capacity > maxSize) {
                return;
            }
            int c = sizeClass(capacity);
            if ((CHUNK << c) != capacity || !direct && (buffer.arrayOffset() != 0 || buffer.array().length != capacity)
                    || retainedBytes + capacity > maxRetained || count[c] == free[c].length) {
                return; // not one of ours, or over budget: the GC frees it
            }
            free[c][count[c]++] = buffer;
            retainedBytes += capacity;
        }

        private static int sizeClass(int size) {
            if (size <= CHUNK) {
                return 0;
            }
            return 32 - Integer.numberOfLeadingZeros(size - 1) - Integer.numberOfTrailingZeros(CHUNK);
        }
    }
}
